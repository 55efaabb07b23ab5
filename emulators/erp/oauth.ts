// OAuth 2.0 client credentials the way Microsoft Entra ID issues tokens for Business Central:
// `POST /{tenant}/oauth2/v2.0/token` with a form body (grant_type=client_credentials, client_id,
// client_secret — or HTTP Basic — and scope=https://api.businesscentral.dynamics.com/.default).
// Success: `{ token_type: 'Bearer', expires_in, ext_expires_in, access_token }`. Failures use
// Entra's shape `{ error, error_description, error_codes, ... }` with its AADSTS codes. Tokens are
// opaque here (Entra's are JWTs a client must not parse either) and expire after their lifetime.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import express from 'express';
import type { Request, RequestHandler, Response } from 'express';
import { sendBcError } from './errors.js';

export interface ClientCredentials {
  tenant: string;
  clientId: string;
  clientSecret: string;
}

export interface TokenIssuer {
  /** Mount at the root: serves POST /{tenant}/oauth2/v2.0/token. */
  readonly router: express.Router;
  /** Rejects API requests without a valid, unexpired bearer token (BC's 401). */
  readonly requireBearer: RequestHandler;
  /** Expires every issued token (tests of a client's refresh on 401). */
  revokeAll(): void;
}

export const BUSINESS_CENTRAL_RESOURCE = 'https://api.businesscentral.dynamics.com';

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function entraError(res: Response, status: number, error: string, aadsts: number, description: string): void {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  res.status(status).json({
    error,
    error_description: `AADSTS${aadsts}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
  });
}

/** client_secret_basic: `Authorization: Basic base64(client_id:client_secret)` (RFC 6749 §2.3.1). */
function basicCredentials(req: Request): { id: string; secret: string } | null {
  const header = req.headers.authorization;
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return {
    id: decodeURIComponent(decoded.slice(0, colon)),
    secret: decodeURIComponent(decoded.slice(colon + 1)),
  };
}

export function createTokenIssuer(options: {
  credentials: ClientCredentials;
  lifetimeSeconds: number;
  now: () => number;
}): TokenIssuer {
  const { credentials, lifetimeSeconds, now } = options;
  const tokens = new Map<string, number>();

  function prune() {
    const t = now();
    for (const [token, expiresAt] of tokens) if (expiresAt <= t) tokens.delete(token);
  }

  const router = express.Router();
  router.post('/:tenant/oauth2/v2.0/token', express.urlencoded({ extended: false, limit: '16kb' }), (req, res) => {
    if (req.params.tenant !== credentials.tenant) {
      entraError(res, 400, 'invalid_request', 90002, `Tenant '${req.params.tenant}' not found.`);
      return;
    }
    const form: Record<string, unknown> = req.is('application/x-www-form-urlencoded') && req.body ? req.body : {};
    const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
    const grantType = field('grant_type');
    if (grantType === undefined) {
      entraError(
        res,
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'grant_type'.",
      );
      return;
    }
    if (grantType !== 'client_credentials') {
      entraError(
        res,
        400,
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${grantType}'.`,
      );
      return;
    }
    const basic = basicCredentials(req);
    const clientId = basic?.id ?? field('client_id');
    const clientSecret = basic?.secret ?? field('client_secret');
    const scope = field('scope');
    if (clientId === undefined) {
      entraError(
        res,
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'client_id'.",
      );
      return;
    }
    if (scope === undefined) {
      entraError(
        res,
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'scope'.",
      );
      return;
    }
    if (clientId !== credentials.clientId) {
      entraError(
        res,
        401,
        'invalid_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${credentials.tenant}'.`,
      );
      return;
    }
    if (clientSecret === undefined) {
      entraError(
        res,
        401,
        'invalid_client',
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
      return;
    }
    if (!sameSecret(clientSecret, credentials.clientSecret)) {
      entraError(
        res,
        401,
        'invalid_client',
        7000215,
        'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
      );
      return;
    }
    // The client credentials flow only accepts a resource's /.default scope.
    if (scope !== `${BUSINESS_CENTRAL_RESOURCE}/.default`) {
      entraError(
        res,
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (${BUSINESS_CENTRAL_RESOURCE}/.default).`,
      );
      return;
    }
    prune();
    const accessToken = randomBytes(32).toString('base64url');
    tokens.set(accessToken, now() + lifetimeSeconds * 1000);
    res.set('Cache-Control', 'no-store').set('Pragma', 'no-cache').json({
      token_type: 'Bearer',
      expires_in: lifetimeSeconds,
      ext_expires_in: lifetimeSeconds,
      access_token: accessToken,
    });
  });

  const requireBearer: RequestHandler = (req, res, next) => {
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    const expiresAt = match ? tokens.get(match[1]!) : undefined;
    if (expiresAt === undefined || expiresAt <= now()) {
      sendBcError(res, 401, 'Authentication_InvalidCredentials', 'The server has rejected the client credentials.');
      return;
    }
    next();
  };

  return { router, requireBearer, revokeAll: () => tokens.clear() };
}
