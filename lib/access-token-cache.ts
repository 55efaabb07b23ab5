// The life of an OAuth 2.0 access token a connector holds for its backend (client credentials,
// RFC 6749 §4.4), whatever the backend: kept until shortly before it expires, fetched by one request
// at a time however many calls need it (single flight), each caller still giving up at its own
// deadline without cancelling the request the others wait for, and dropped when the backend says it
// is no longer valid. How a token is asked for, and how its failures read, stays with each connector.
import { settleUnlessAborted } from './abort.js';

export interface IssuedToken {
  readonly accessToken: string;
  /** The token's lifetime in seconds (expires_in). */
  readonly expiresInS: number;
}

/** Refresh this long before expiry (at most half the lifetime, for short-lived test tokens). */
const REFRESH_MARGIN_MS = 60_000;

interface Cached {
  value: string;
  refreshAt: number;
}

export class AccessTokenCache {
  readonly #fetch: (correlationId: string) => Promise<IssuedToken>;
  readonly #now: () => number;
  #cached: Cached | null = null;
  #pending: Promise<Cached> | null = null;
  #requests = 0;

  /** `fetchToken` asks the backend for a new token; it runs under its own deadline, not a caller's. */
  constructor(fetchToken: (correlationId: string) => Promise<IssuedToken>, now: () => number = Date.now) {
    this.#fetch = fetchToken;
    this.#now = now;
  }

  /** Token requests started since creation. */
  get requests(): number {
    return this.#requests;
  }

  /**
   * A valid token: the cached one, or a new one when none is cached or it is about to expire. Rejects
   * with the fetch's error, or with `signal.reason` once this caller's signal aborts.
   */
  get(signal: AbortSignal, correlationId: string): Promise<string> {
    const cached = this.#cached;
    if (cached && this.#now() < cached.refreshAt) return Promise.resolve(cached.value);
    return this.refresh(signal, correlationId);
  }

  /** A new token whatever is cached; a request already on its way is shared. */
  async refresh(signal: AbortSignal, correlationId: string): Promise<string> {
    if (!this.#pending) {
      const started = this.#now();
      this.#requests += 1;
      this.#pending = this.#fetch(correlationId)
        .then(({ accessToken, expiresInS }) => {
          const lifetimeMs = expiresInS * 1000;
          const token = {
            value: accessToken,
            refreshAt: started + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2),
          };
          this.#cached = token;
          return token;
        })
        .finally(() => {
          this.#pending = null;
        });
    }
    return (await settleUnlessAborted(this.#pending, signal, () => signal.reason)).value;
  }

  /**
   * The backend answered 401 with this token: drop it, unless a newer one already replaced it
   * (several calls failing with the same stale token then cause one refresh, not one each).
   */
  invalidate(token: string): void {
    if (this.#cached?.value === token) this.#cached = null;
  }
}
