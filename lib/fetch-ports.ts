// The ports Node's fetch refuses to connect to: the Fetch standard's "bad ports" (fetch.spec.whatwg.org,
// "Port blocking"), which undici (Node's fetch) and every browser enforce. A service configured on
// one of them starts and listens, and then every request to it fails with a bare "fetch failed"
// (cause: "bad port"): the gateway cannot reach a subgraph on 6000, a subgraph cannot reach an ERP
// on 6667, a browser cannot open a gateway on 6666. So every config module refuses them up front,
// for the ports it listens on and the URLs it will fetch, with this reason.
import { z } from 'zod';

/** The Fetch standard's bad-port table (it added 4190 and 6679 in 2024; Node 20's fetch refuses all of these). */
export const FETCH_BAD_PORTS: ReadonlySet<number> = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110,
  111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532,
  540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061,
  6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

export function isFetchBadPort(port: number): boolean {
  return FETCH_BAD_PORTS.has(port);
}

/** Why `port` cannot be used, or null. */
export function badPortReason(port: number): string | null {
  return isFetchBadPort(port)
    ? `port ${port} is on the Fetch standard's list of bad ports, which Node's fetch and browsers refuse to connect to ("fetch failed": bad port); choose another port`
    : null;
}

/** The port a URL connects to: its own, or its scheme's default (80, 443); null when it is not a URL. */
export function portOfUrl(url: string): number | null {
  try {
    const parsed = new URL(url);
    if (parsed.port !== '') return Number(parsed.port);
    return parsed.protocol === 'https:' ? 443 : parsed.protocol === 'http:' ? 80 : null;
  } catch {
    return null;
  }
}

/** Why a URL cannot be fetched for its port, or null. */
export function badUrlPortReason(url: string): string | null {
  const port = portOfUrl(url);
  return port === null ? null : badPortReason(port);
}

/** A port schema that also refuses the bad ports (zod refinement: each config module keeps its own bounds). */
export function fetchablePort<T extends z.ZodType<number>>(schema: T) {
  return schema.refine((port) => !isFetchBadPort(port), {
    error: (issue) => badPortReason(issue.input as number) ?? 'bad port',
  });
}

/** A URL schema that also refuses a URL on a bad port. */
export function fetchableUrl<T extends z.ZodType<string>>(schema: T) {
  return schema.refine((url) => badUrlPortReason(url) === null, {
    error: (issue) => badUrlPortReason(issue.input as string) ?? 'bad port',
  });
}
