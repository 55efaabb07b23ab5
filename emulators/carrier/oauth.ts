// OAuth 2.0 client credentials the way FedEx's API Authorization issues tokens: `POST /oauth/token`
// with a form body (grant_type=client_credentials, client_id = the project's API key,
// client_secret = its secret key). Success: `{ access_token, token_type: "bearer", expires_in,
// scope: "CXS" }`; FedEx tokens live one hour. Failures use FedEx's error envelope (errors.ts), not
// RFC 6749's `{ error: "invalid_client" }`: wrong credentials are 401 NOT.AUTHORIZED.ERROR "The
// given client credentials were not valid…", missing parameters 400 BAD.REQUEST.ERROR. FedEx's other
// grant types (csp_credentials, client_pc_credentials with child keys) are refused here. Tokens are
// opaque and expire after their lifetime; an API call without a valid one is 401 NOT.AUTHORIZED.ERROR.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import express from 'express';
import type { RequestHandler } from 'express';
import { MESSAGES, sendCarrierError } from './errors.js';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface TokenIssuer {
  /** Mount at the root: serves POST /oauth/token. */
  readonly router: express.Router;
  /** Rejects API requests without a valid, unexpired bearer token; sets res.locals.clientId. */
  readonly requireBearer: RequestHandler;
  /** Expires every issued token (tests of a client's refresh on 401). */
  revokeAll(): void;
  /** Tokens issued since start. */
  readonly issued: number;
}

/** The scope FedEx grants a client-credentials token. */
export const FEDEX_SCOPE = 'CXS';

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function createTokenIssuer(options: {
  credentials: ClientCredentials;
  lifetimeSeconds: number;
  now: () => number;
}): TokenIssuer {
  const { credentials, lifetimeSeconds, now } = options;
  const tokens = new Map<string, { clientId: string; expiresAt: number }>();
  let issued = 0;

  const prune = () => {
    const t = now();
    for (const [token, { expiresAt }] of tokens) if (expiresAt <= t) tokens.delete(token);
  };

  const router = express.Router();
  router.post('/oauth/token', express.urlencoded({ extended: false, limit: '16kb' }), (req, res) => {
    const form: Record<string, unknown> = req.is('application/x-www-form-urlencoded') && req.body ? req.body : {};
    const field = (name: string) =>
      typeof form[name] === 'string' && form[name] !== '' ? (form[name] as string) : undefined;
    const grantType = field('grant_type');
    const clientId = field('client_id');
    const clientSecret = field('client_secret');
    if (grantType === undefined || clientId === undefined || clientSecret === undefined) {
      sendCarrierError(res, 400, 'BAD.REQUEST.ERROR', MESSAGES.badRequest);
      return;
    }
    if (grantType !== 'client_credentials') {
      sendCarrierError(
        res,
        400,
        'BAD.REQUEST.ERROR',
        `Grant type '${grantType.slice(0, 40)}' is not supported for this project. Please modify your request and try again.`,
      );
      return;
    }
    if (clientId !== credentials.clientId || !sameSecret(clientSecret, credentials.clientSecret)) {
      sendCarrierError(res, 401, 'NOT.AUTHORIZED.ERROR', MESSAGES.badCredentials);
      return;
    }
    prune();
    const accessToken = randomBytes(32).toString('base64url');
    tokens.set(accessToken, { clientId, expiresAt: now() + lifetimeSeconds * 1000 });
    issued += 1;
    res.set('Cache-Control', 'no-store').set('Pragma', 'no-cache').json({
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: lifetimeSeconds,
      scope: FEDEX_SCOPE,
    });
  });

  const requireBearer: RequestHandler = (req, res, next) => {
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    const token = match ? tokens.get(match[1]!) : undefined;
    if (!token || token.expiresAt <= now()) {
      sendCarrierError(res, 401, 'NOT.AUTHORIZED.ERROR', MESSAGES.tokenExpired);
      return;
    }
    res.locals.clientId = token.clientId;
    next();
  };

  return {
    router,
    requireBearer,
    revokeAll: () => tokens.clear(),
    get issued() {
      return issued;
    },
  };
}
