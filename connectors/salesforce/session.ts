// The access token and the guarded re-authorization around it. jsforce's own refresh retries a
// permanent 401 without bound (shared/reference/salesforce-rest-and-jsforce.md: "looped hundreds of
// times a second"), so the connector gives jsforce no refreshFn at all (a 401 surfaces as an error
// with errorCode INVALID_SESSION_ID) and decides here instead:
// - single flight: concurrent callers share one token request (first use and re-authorization);
// - a 401 with a token that has already been replaced just retries with the new one;
// - re-authorization at most once per `minIntervalMs`: a token refused within that time of being
//   re-issued means re-authorizing will not help, so the call fails 'unauthorized' at once;
// - after a failed token request, callers fail fast with that error for `minIntervalMs` instead of
//   hammering the token endpoint.
import { BackendError } from '../../lib/backend-error.js';
import type { Logger } from '../../lib/logger.js';
import type { AccessToken } from './auth.js';

export interface SessionOptions {
  /** Asks the token endpoint once (auth.ts). */
  obtain(correlationId: string): Promise<AccessToken>;
  /** Called with every new token before callers see it (to update the jsforce Connection). */
  onToken(token: AccessToken): void;
  logger: Logger;
  minIntervalMs?: number;
  now?: () => number;
}

export interface Session {
  /** The current token, authorizing first when there is none yet. */
  token(correlationId: string): Promise<AccessToken>;
  /** After a 401 answered to `stale`: a newer token (shared by concurrent callers), or throws. */
  reauthorize(stale: AccessToken, correlationId: string): Promise<AccessToken>;
}

export function createSession(options: SessionOptions): Session {
  const minIntervalMs = options.minIntervalMs ?? 1_000;
  const now = options.now ?? Date.now;
  let current: AccessToken | null = null;
  let inFlight: Promise<AccessToken> | null = null;
  let lastReauthorizationAt = Number.NEGATIVE_INFINITY;
  let lastFailure: { at: number; error: BackendError } | null = null;

  function failFastIfRecentlyFailed() {
    if (lastFailure && now() - lastFailure.at < minIntervalMs) {
      const { error } = lastFailure;
      throw new BackendError(
        'salesforce',
        error.failure,
        `${error.message} (not retried for ${minIntervalMs} ms)`,
        error.details,
      );
    }
  }

  function authorize(correlationId: string): Promise<AccessToken> {
    inFlight ??= (async () => {
      try {
        const token = await options.obtain(correlationId);
        current = token;
        lastFailure = null;
        options.onToken(token);
        return token;
      } catch (error) {
        const backendError =
          error instanceof BackendError
            ? error
            : new BackendError('salesforce', 'unavailable', `Token request failed: ${String(error)}`, {
                operation: 'auth',
              });
        lastFailure = { at: now(), error: backendError };
        options.logger.warn({ err: backendError, correlationId }, 'Salesforce authorization failed');
        throw backendError;
      } finally {
        inFlight = null;
      }
    })();
    return inFlight;
  }

  return {
    async token(correlationId) {
      if (current) return current;
      if (inFlight) return inFlight;
      failFastIfRecentlyFailed();
      return authorize(correlationId);
    },

    async reauthorize(stale, correlationId) {
      if (current && current !== stale) return current;
      if (inFlight) return inFlight;
      failFastIfRecentlyFailed();
      if (now() - lastReauthorizationAt < minIntervalMs) {
        throw new BackendError('salesforce', 'unauthorized', 'Salesforce refused a freshly issued access token', {
          operation: 'auth',
          status: 401,
          backendCode: 'INVALID_SESSION_ID',
        });
      }
      lastReauthorizationAt = now();
      options.logger.info({ correlationId }, 'Salesforce session invalid: re-authorizing');
      return authorize(correlationId);
    },
  };
}
