// OAuth 2.0 client credentials (RFC 6749 §4.4) the way FedEx's API Authorization takes them: a form
// POST of grant_type=client_credentials, client_id and client_secret to `/oauth/token`, answered with
// `{ access_token, token_type: "bearer", expires_in, scope }` (one hour). The token is cached until
// shortly before it expires; concurrent callers share one token request (single flight), each still
// giving up at its own deadline without cancelling it for the others; a 401 from the API drops it
// (lib/access-token-cache.ts).
import { z } from 'zod';
import { AccessTokenCache, type IssuedToken } from '../../../lib/access-token-cache.js';
import { BackendError } from '../../../lib/backend-error.js';
import type { Logger } from '../../../lib/logger.js';
import { startDeadline, type Deadline } from './deadline.js';
import { httpError, invalidResponse, transportError } from './errors.js';
import { retryAfterMs, type HttpsTransport } from './transport.js';

export interface TokenOptions {
  clientId: string;
  clientSecret: string;
  /** Deadline of the shared token request itself. */
  timeoutMs: number;
  now?: () => number;
}

const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive(),
});

export class TokenProvider {
  readonly #transport: HttpsTransport;
  readonly #options: TokenOptions;
  readonly #logger: Logger;
  readonly #tokens: AccessTokenCache;

  constructor(transport: HttpsTransport, options: TokenOptions, logger: Logger) {
    this.#transport = transport;
    this.#options = options;
    this.#logger = logger;
    this.#tokens = new AccessTokenCache((correlationId) => this.#fetch(correlationId), options.now ?? Date.now);
  }

  /** Token requests sent since start (tests: one per expiry, not one per caller). */
  get requests(): number {
    return this.#tokens.requests;
  }

  /** A valid access token; fetches one when none is cached or it is about to expire. */
  async get(deadline: Deadline, correlationId: string): Promise<string> {
    try {
      return await this.#tokens.get(deadline.signal, correlationId);
    } catch (error) {
      throw transportError(error, deadline, 'token request');
    }
  }

  /** A new token, whatever is cached (a token request already on its way is shared). */
  async refresh(deadline: Deadline, correlationId: string): Promise<string> {
    try {
      return await this.#tokens.refresh(deadline.signal, correlationId);
    } catch (error) {
      throw transportError(error, deadline, 'token request');
    }
  }

  /** The API answered 401 with this token: drop it (see AccessTokenCache.invalidate). */
  invalidate(token: string): void {
    this.#tokens.invalidate(token);
  }

  async #fetch(correlationId: string): Promise<IssuedToken> {
    // The shared request has its own deadline, not the first caller's: others may wait for it longer.
    const deadline = startDeadline(this.#options.timeoutMs);
    const operation = 'token request';
    let response;
    try {
      response = await this.#transport.request(
        'POST',
        '/oauth/token',
        {
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            Accept: 'application/json',
            'x-customer-transaction-id': correlationId,
          },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: this.#options.clientId,
            client_secret: this.#options.clientSecret,
          }).toString(),
        },
        deadline.signal,
      );
    } catch (error) {
      throw transportError(error, deadline, operation);
    }
    if (response.status !== 200) {
      const error = httpError(
        response.status,
        response.text,
        operation,
        response.status === 429 ? retryAfterMs(response.headers['retry-after']) : undefined,
      );
      // FedEx answers bad credentials with 401 NOT.AUTHORIZED.ERROR, missing ones with 400; an RFC 6749
      // server with 400/401 invalid_client: our credentials are wrong, which no retry fixes.
      const failure =
        response.status === 400 || response.status === 401 || response.status === 403 ? 'unauthorized' : error.failure;
      this.#logger.warn(
        { operation, status: response.status, code: error.details.backendCode, correlationId },
        'carrier token request failed',
      );
      throw new BackendError('carrier', failure, error.message, error.details);
    }
    let parsed: z.infer<typeof TokenResponse>;
    try {
      parsed = TokenResponse.parse(JSON.parse(response.text));
    } catch (error) {
      throw invalidResponse(operation, 'token response is not an OAuth token', error);
    }
    this.#logger.debug({ operation, expiresInS: parsed.expires_in, correlationId }, 'carrier access token acquired');
    return { accessToken: parsed.access_token, expiresInS: parsed.expires_in };
  }
}
