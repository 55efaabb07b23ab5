// The subgraphs' half of identity forwarding (DESIGN.md "Access"; lib/identity-forwarding.ts):
// POST /graphql runs only with a valid x-c360-identity header signed by the gateway. Without one,
// 401 UNAUTHENTICATED; with one, the verified identity goes to res.locals (shared/caller.ts) for
// the request's context, where row scoping and access checks read it.
import type { RequestHandler } from 'express';
import { ErrorCode } from '../../lib/error-codes.js';
import { ForwardedIdentityError, IDENTITY_HEADER, verifyForwardedIdentity } from '../../lib/identity-forwarding.js';
import type { Logger } from '../../lib/logger.js';
import { setVerifiedIdentity } from './caller.js';
import { CORRELATION_ID_HEADER, correlationIdFrom } from './correlation-id.js';

const MESSAGE = 'This subgraph answers only requests the gateway forwards with a verified identity.';

export function identityMiddleware(forwardingKey: Uint8Array, logger: Logger): RequestHandler {
  return (req, res, next) => {
    const header = req.headers[IDENTITY_HEADER];
    const refuse = (reason: string) => {
      // Someone calling the subgraph directly, or a gateway with another key: worth a warning.
      logger.warn({ reason, correlationId: correlationIdFrom(req.headers[CORRELATION_ID_HEADER]) }, 'refused a GraphQL request without a valid forwarded identity');
      res
        .status(401)
        .set('Cache-Control', 'no-store')
        .json({ errors: [{ message: MESSAGE, extensions: { code: ErrorCode.UNAUTHENTICATED } }] });
    };
    if (typeof header !== 'string' || header.length === 0) return refuse('missing');
    verifyForwardedIdentity(header, forwardingKey).then(
      (identity) => {
        setVerifiedIdentity(res, identity);
        next();
      },
      (error: unknown) => {
        if (error instanceof ForwardedIdentityError) return refuse(error.message);
        next(error);
      },
    );
  };
}
