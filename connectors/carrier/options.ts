// How the carrier connector is built. The tracking subgraph's config module fills it from the
// CARRIER_* variables (env.ts maps them); nothing here reads process.env.
export interface CarrierConnectorOptions {
  /** Which adapter implements the carrier port. FedEx's Track API v1 is the only one. */
  adapter: 'fedex-track';
  /** API root, e.g. https://apis.fedex.com or the emulator's https://127.0.0.1:4030. HTTPS only. */
  baseUrl: string;
  /** The OAuth client (FedEx: the project's API key and secret key). */
  clientId: string;
  clientSecret: string;
  /**
   * A PEM file of the certificate authorities to trust for the carrier's certificate, instead of
   * Node's default roots (the emulator's own CA). Read when the first call needs it; verification
   * is never turned off.
   */
  caFile?: string;
  /** Deadline of one port call: the token, every request of the batch and any Retry-After wait. */
  timeoutMs: number;
  /** Requests of one call in flight at once when it needs more than one (default 2). */
  maxConcurrentRequests?: number;
  /**
   * A 429 whose Retry-After is at most this long (and within the deadline) is waited out and the
   * request sent once more; a longer one fails the call at once as 'rate_limited' (default 1000 ms).
   */
  maxRetryAfterWaitMs?: number;
}
