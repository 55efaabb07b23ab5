// The subgraphs' half of identity forwarding (lib/identity-forwarding.ts): POST /graphql runs only
// with a valid x-c360-identity JWS signed by the gateway for this subgraph (its audience), and an
// x-c360-identity-binding made for this very request (its body, this subgraph, the last few
// seconds). Without them, 401 UNAUTHENTICATED; with them, the verified identity goes to res.locals
// (shared/caller.ts) for the request's context, where row scoping and access checks read it.
//
// Three steps, because the binding covers the body: `identityMiddleware` checks the JWS before the
// body is read; `identityBodyCheck` is express.json's `verify` hook, which sees the raw bytes;
// `requireCheckedBody` refuses a request whose body that hook never saw (not JSON, or empty).
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ErrorCode } from '../../lib/error-codes.js';
import {
  checkIdentityBinding,
  ForwardedIdentityError,
  IDENTITY_BINDING_HEADER,
  IDENTITY_HEADER,
  verifyForwardedIdentity,
} from '../../lib/identity-forwarding.js';
import type { Logger } from '../../lib/logger.js';
import { setVerifiedIdentity } from './caller.js';
import { CORRELATION_ID_HEADER, correlationIdFrom } from './correlation-id.js';

const MESSAGE = 'This subgraph answers only requests the gateway forwards with a verified identity.';

/** What identityMiddleware hands the body check (res.locals). */
interface PendingBinding {
  readonly identity: string;
  readonly binding: string;
  checked: boolean;
}
const PENDING = 'forwardedIdentityBinding';

export interface IdentityForwardingOptions {
  /** This subgraph's name in the supergraph: the audience of the identities it accepts. */
  readonly subgraph: string;
  readonly forwardingKey: Uint8Array;
  readonly logger: Logger;
}

function refuse(req: Request, res: Response, logger: Logger, reason: string): void {
  // Someone calling the subgraph directly, a replay, or a gateway with another key: worth a warning.
  logger.warn(
    { reason, correlationId: correlationIdFrom(req.headers[CORRELATION_ID_HEADER]) },
    'refused a GraphQL request without a valid forwarded identity',
  );
  res
    .status(401)
    .set('Cache-Control', 'no-store')
    .json({ errors: [{ message: MESSAGE, extensions: { code: ErrorCode.UNAUTHENTICATED } }] });
}

/** Step 1, before the body is read: the identity JWS, and a binding header to check against the body. */
export function identityMiddleware(options: IdentityForwardingOptions): RequestHandler {
  return (req, res, next) => {
    const identity = req.headers[IDENTITY_HEADER];
    const binding = req.headers[IDENTITY_BINDING_HEADER];
    if (typeof identity !== 'string' || identity.length === 0) return refuse(req, res, options.logger, 'missing');
    if (typeof binding !== 'string' || binding.length === 0)
      return refuse(req, res, options.logger, 'no identity binding');
    verifyForwardedIdentity(identity, options.subgraph, options.forwardingKey).then(
      (verified) => {
        setVerifiedIdentity(res, verified);
        res.locals[PENDING] = { identity, binding, checked: false } satisfies PendingBinding;
        next();
      },
      (error: unknown) => {
        if (error instanceof ForwardedIdentityError) return refuse(req, res, options.logger, error.message);
        next(error);
      },
    );
  };
}

/** The error identityBodyCheck throws; body-parser passes it on (status 403, type entity.verify.failed). */
export class IdentityBindingError extends ForwardedIdentityError {}

/** Step 2, express.json's `verify`: the binding against the raw body. */
export function identityBodyCheck(
  options: IdentityForwardingOptions,
): (req: Request, res: Response, body: Buffer) => void {
  return (_req, res, body) => {
    const pending = res.locals[PENDING] as PendingBinding | undefined;
    if (!pending) throw new IdentityBindingError('no verified identity for this body');
    try {
      checkIdentityBinding(
        pending.binding,
        pending.identity,
        { subgraph: options.subgraph, body },
        options.forwardingKey,
      );
    } catch (error) {
      throw error instanceof ForwardedIdentityError ? new IdentityBindingError(error.message) : error;
    }
    pending.checked = true;
  };
}

/** Step 3, after express.json: no body the binding was checked against, no GraphQL. */
export function requireCheckedBody(options: IdentityForwardingOptions): RequestHandler {
  return (req, res, next) => {
    if ((res.locals[PENDING] as PendingBinding | undefined)?.checked === true) return next();
    refuse(req, res, options.logger, 'the identity binding was not checked against a JSON body');
  };
}

/**
 * The error handler's part: a binding that does not match is a refused identity (401), not a bad
 * body. body-parser hands on what `verify` threw as it is (http-errors adds status and type to an
 * Error it is given rather than wrapping it).
 */
export function identityBindingErrorHandler(options: IdentityForwardingOptions) {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (error instanceof IdentityBindingError) return refuse(req, res, options.logger, error.message);
    next(error);
  };
}
