// The Content-Security-Policy of the pages the gateway serves itself (GraphiQL, the console): the
// browser may load and connect to this origin only, so nothing comes from a CDN and an injected
// script cannot send data elsewhere. Both pages load images as data: URIs; a page with more
// (GraphiQL's data: fonts) adds its directives.
const SAME_ORIGIN_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

export function sameOriginContentSecurityPolicy(...extraDirectives: string[]): string {
  return [...SAME_ORIGIN_DIRECTIVES, ...extraDirectives].join('; ');
}
