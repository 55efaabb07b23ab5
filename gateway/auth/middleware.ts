// The gate in front of POST/GET /graphql: no verified bearer token, no GraphQL. A failure answers
// 401 in the GraphQL error shape with code UNAUTHENTICATED and a WWW-Authenticate challenge
// (RFC 6750 §3); the verified identity is left in res.locals for Apollo's context function.
import type { RequestHandler, Response } from 'express';
import { ErrorCode } from '../../lib/error-codes.js';
import type { Identity } from '../../lib/identity.js';
import type { Logger } from '../../lib/logger.js';
import { AuthError } from './auth-error.js';
import type { Authenticator } from './authenticator.js';

const IDENTITY_LOCAL = 'c360Identity';
export const AUTH_REALM = 'customer360-graph';

export function requireAuthentication(authenticator: Authenticator, logger: Logger): RequestHandler {
  return (req, res, next) => {
    authenticator.authenticate(req).then(
      (identity) => {
        res.locals[IDENTITY_LOCAL] = identity;
        next();
      },
      (error: unknown) => {
        if (!(error instanceof AuthError)) return next(error);
        const log = { reason: error.reason, correlationId: res.locals.correlationId as unknown, err: error.cause };
        // A key set that cannot be fetched is the operator's problem; bad tokens are the caller's.
        if (error.reason === 'issuer_unavailable') logger.warn(log, 'authentication: issuer keys unavailable');
        else logger.debug(log, 'authentication failed');
        sendUnauthenticated(res, error);
      },
    );
  };
}

/** The identity requireAuthentication verified for this request; throws if it did not run (a wiring bug). */
export function authenticatedIdentityOf(res: Response): Identity {
  const identity = res.locals[IDENTITY_LOCAL] as Identity | undefined;
  if (!identity) throw new Error('No authenticated identity: requireAuthentication must run before this handler');
  return identity;
}

/** RFC 6750 §3: a challenge; with error="invalid_token" when a token was sent but refused. */
export function wwwAuthenticate(error: AuthError): string {
  if (error.reason === 'missing') return `Bearer realm="${AUTH_REALM}"`;
  // A quoted-string holds no `"` or `\`; the messages are plain ASCII otherwise.
  const description = error.message.replace(/["\\]/g, "'");
  return `Bearer realm="${AUTH_REALM}", error="invalid_token", error_description="${description}"`;
}

export function sendUnauthenticated(res: Response, error: AuthError): void {
  res
    .status(401)
    .set({ 'WWW-Authenticate': wwwAuthenticate(error), 'Cache-Control': 'no-store' })
    .json({
      errors: [{ message: error.message, extensions: { code: ErrorCode.UNAUTHENTICATED, reason: error.reason } }],
    });
}
