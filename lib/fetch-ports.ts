// Ports Node's fetch (undici) refuses to connect to: the Fetch Standard's "bad ports"
// (https://fetch.spec.whatwg.org/#port-blocking). A service configured on one of them would only
// ever answer "fetch failed", so configuration refuses them with a clear message instead.
const BAD_PORTS = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115,
  117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601,
  636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697,
  10080,
]);

export function isFetchBlockedPort(port: number): boolean {
  return BAD_PORTS.has(port);
}

/** The message for a port fetch would refuse, or null when it is fine. */
export function fetchBlockedPortProblem(port: number): string | null {
  return isFetchBlockedPort(port) ? `port ${port} is one Node's fetch refuses to connect to (Fetch Standard "bad ports"); choose another` : null;
}

/** The port a URL connects to (its explicit port, else the scheme's default). */
export function urlPort(url: string): number {
  const parsed = new URL(url);
  if (parsed.port) return Number(parsed.port);
  return parsed.protocol === 'https:' ? 443 : 80;
}
