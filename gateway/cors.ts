// Cross-origin access to /graphql and /odata for browser clients in Salesforce (decision 0039):
// Lightning Web Components call the graph from the org's Lightning origin with a bearer token.
// CORS_ORIGINS lists the allowed origins: exact ones (https://app.example.com) and leading
// subdomain wildcards (https://*.lightning.force.com: any subdomain, at any depth, so sandbox
// origins such as https://acme--uat.sandbox.lightning.force.com match too). Nothing else is a
// pattern. Credentials (cookies) are never allowed: the graph authenticates by bearer token only,
// which is also why allowing every Salesforce org's origin by default gives nothing away: a page
// can only send a token it already holds (anyone can create an org, or an Experience Cloud site on
// *.my.site.com, so the default must never be relied on to keep anyone out; a production gateway
// on the default says so in its log, and CORS_ORIGINS should name the org's own domains). Apollo's
// CSRF prevention stays on behind this.
import cors from 'cors';
import type { RequestHandler } from 'express';
import { z } from 'zod';

/**
 * Where Salesforce serves pages that run LWCs (enhanced domains, Salesforce Help "My Domain URL
 * formats"): Lightning Experience (<mydomain>.lightning.force.com), Experience Cloud sites, where
 * partner portals live (<mydomain>.my.site.com), Visualforce pages (<mydomain>--c.vf.force.com) and
 * the org's own domain (<mydomain>.my.salesforce.com). Sandboxes sit one label deeper in each.
 */
export const DEFAULT_CORS_ORIGINS: readonly string[] = [
  'https://*.lightning.force.com',
  'https://*.my.site.com',
  'https://*.vf.force.com',
  'https://*.my.salesforce.com',
];

const ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'x-correlation-id',
];
/** What a browser client may read from a response: its trace id and the reason of a 401. */
const EXPOSED_HEADERS = ['x-correlation-id', 'www-authenticate'];
// Browsers cap a cached preflight anyway (Chromium: 2 h); ten minutes spares most preflights.
const PREFLIGHT_MAX_AGE_S = 600;

interface OriginPattern {
  readonly scheme: string;
  /** Exact host[:port], or for a wildcard the part after `*.`. */
  readonly host: string;
  readonly wildcard: boolean;
}

/** Parses one CORS_ORIGINS entry, or says why it is not an origin pattern. */
function parsePattern(entry: string): OriginPattern | string {
  const match = /^(https?):\/\/(\*\.)?([^/*]+)$/.exec(entry);
  if (!match) {
    return `"${entry}" is not an origin (scheme://host[:port], no path) or a subdomain wildcard (scheme://*.domain)`;
  }
  const [, scheme, wildcard, host] = match as unknown as [string, string, string | undefined, string];
  let origin: string;
  try {
    origin = new URL(`${scheme}://${host}`).origin;
  } catch {
    return `"${entry}" has an invalid host`;
  }
  if (origin !== `${scheme}://${host}`)
    return `"${entry}" is not in the form browsers send; write ${wildcard ? `${scheme}://*.` : ''}${origin.slice(scheme.length + 3)}`;
  if (wildcard && !host.includes('.')) return `"${entry}" would allow every subdomain of a top-level domain`;
  return { scheme, host, wildcard: wildcard !== undefined };
}

/** CORS_ORIGINS: comma-separated patterns; `none` allows no cross-origin browser access. */
export const corsOriginsSchema = z.string().transform((value, ctx): readonly string[] => {
  if (value.trim() === 'none') return [];
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  for (const entry of entries) {
    const parsed = parsePattern(entry);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  }
  return entries;
});

/** Whether a request's Origin header matches one of the CORS_ORIGINS entries. */
export function originAllowed(origin: string, entries: readonly string[]): boolean {
  return matcher(entries)(origin);
}

function matcher(entries: readonly string[]): (origin: string) => boolean {
  const patterns = entries.map(parsePattern).filter((pattern): pattern is OriginPattern => typeof pattern !== 'string');
  return (origin) => {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    // The Origin header is exactly scheme://host[:port]; anything else is not one.
    if (url.origin !== origin) return false;
    const scheme = url.protocol.slice(0, -1);
    return patterns.some(
      (pattern) =>
        pattern.scheme === scheme &&
        (pattern.wildcard ? url.host.endsWith(`.${pattern.host}`) : url.host === pattern.host),
    );
  };
}

/** CORS for the GraphQL and OData routes: preflights answered here, other requests get the headers. */
export function corsMiddleware(entries: readonly string[]): RequestHandler {
  const allowed = matcher(entries);
  return cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed(origin)),
    methods: ['GET', 'POST'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    credentials: false,
    maxAge: PREFLIGHT_MAX_AGE_S,
  });
}
