// Which Host a development token may be handed to (GraphiQL's prefilled tokens, POST /app/dev-token).
// Anyone who can load a page of this gateway could otherwise take a token from it, and DNS
// rebinding makes that anyone on the web: a page at http://attacker.example:4000 whose name the
// attacker's DNS re-points to 127.0.0.1 is, to the browser, same-origin with itself while it talks
// to the developer's gateway, so neither CORS nor an Origin check stops it. What it cannot change is
// the Host header: its own name. So while the development issuer is on, tokens go only to requests
// whose Host is a loopback name (127.0.0.1, localhost, [::1], any port) or one listed in
// DEV_TOKEN_HOSTS; every other Host gets no token. (A LAN name belongs in DEV_TOKEN_HOSTS only on a
// network whose DNS you trust: rebinding works with any name the victim's browser resolves.)
import { z } from 'zod';

export const DEFAULT_DEV_TOKEN_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

/** RFC 9110 §7.2 Host: uri-host [ ":" port ], as a name, an IPv4 address or a bracketed IPv6 one. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::\d{1,5})?$/i;

/**
 * The host name of a Host header, lower case, port dropped, IPv6 in brackets; null when it is not
 * host[:port]. Compared as written (no resolving, no `127.1` → 127.0.0.1): only the listed names pass.
 */
export function hostNameOf(hostHeader: string | undefined): string | null {
  const match = hostHeader === undefined ? null : HOST_HEADER.exec(hostHeader);
  return match ? match[1]!.toLowerCase() : null;
}

/** Whether a request with this Host header may be given development tokens. */
export function mayReceiveDevTokens(hostHeader: string | undefined, allowed: readonly string[]): boolean {
  const name = hostNameOf(hostHeader);
  return name !== null && allowed.includes(name);
}

/** DEV_TOKEN_HOSTS: comma-separated host names (no scheme, no port), replacing the loopback default. */
export const devTokenHostsSchema = z.string().transform((value, ctx): readonly string[] => {
  const names = value
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry.length > 0);
  for (const name of names) {
    if (hostNameOf(name) !== name) {
      ctx.addIssue({
        code: 'custom',
        message: `"${name}" is not a host name (write it without scheme or port; IPv6 in brackets)`,
      });
      return z.NEVER;
    }
  }
  return names;
});
