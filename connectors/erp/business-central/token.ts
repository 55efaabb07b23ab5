// OAuth 2.0 client credentials (RFC 6749 §4.4) against Entra ID, as Business Central requires
// (business-central-api.md): a form POST of grant_type, client_id, client_secret and scope. The token
// is cached until shortly before expires_in; concurrent callers share one token request (single
// flight), and each still gives up at its own deadline without cancelling it for the others
// (lib/access-token-cache.ts).
import { z } from 'zod';
import { AccessTokenCache, type IssuedToken } from '../../../lib/access-token-cache.js';
import { BackendError } from '../../../lib/backend-error.js';
import type { Logger } from '../../../lib/logger.js';
import { startDeadline, type Deadline } from '../deadline.js';
import { httpError, invalidResponse, transportError } from './errors.js';

export interface TokenOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  timeoutMs: number;
  /** Clock, injectable for tests. */
  now?: () => number;
}

// Entra ID v2 sends expires_in as a number; v1 endpoints sent it as a string.
const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive(),
});

export class TokenProvider {
  readonly #options: TokenOptions;
  readonly #logger: Logger;
  readonly #tokens: AccessTokenCache;

  constructor(options: TokenOptions, logger: Logger) {
    this.#options = options;
    this.#logger = logger;
    this.#tokens = new AccessTokenCache((correlationId) => this.#fetch(correlationId), options.now ?? Date.now);
  }

  /** A valid access token; fetches one when none is cached or it is about to expire. */
  async get(deadline: Deadline, correlationId: string): Promise<string> {
    try {
      return await this.#tokens.get(deadline.signal, correlationId);
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
    let status: number;
    let text: string;
    try {
      const response = await fetch(this.#options.tokenUrl, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
          'X-Correlation-Id': correlationId,
        },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: this.#options.clientId,
          client_secret: this.#options.clientSecret,
          scope: this.#options.scope,
        }),
        signal: deadline.signal,
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw transportError(error, deadline, operation);
    }
    if (status !== 200) {
      // OAuth errors are { error, error_description } (RFC 6749 §5.2); invalid_client etc. mean our
      // credentials are wrong, which no retry fixes.
      const error = httpError(status, text, operation);
      const oauthCode = readOAuthError(text);
      const failure = status === 400 || status === 401 || status === 403 ? 'unauthorized' : error.failure;
      this.#logger.warn({ operation, status, oauthError: oauthCode, correlationId }, 'ERP token request failed');
      throw new BackendError('erp', failure, error.message, {
        ...error.details,
        ...(oauthCode ? { backendCode: oauthCode } : {}),
      });
    }
    let parsed: z.infer<typeof TokenResponse>;
    try {
      parsed = TokenResponse.parse(JSON.parse(text));
    } catch (error) {
      throw invalidResponse(operation, 'token response is not an OAuth token', error);
    }
    this.#logger.debug({ operation, expiresInS: parsed.expires_in, correlationId }, 'ERP access token acquired');
    return { accessToken: parsed.access_token, expiresInS: parsed.expires_in };
  }
}

function readOAuthError(text: string): string | undefined {
  try {
    const error = (JSON.parse(text) as { error?: unknown } | null)?.error;
    return typeof error === 'string' ? error : undefined;
  } catch {
    return undefined;
  }
}
