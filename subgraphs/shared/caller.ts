// Who is calling a subgraph: the identity the gateway verified and forwarded, signed, in the
// x-c360-identity header (DESIGN.md "Access"; lib/identity-forwarding.ts). The subgraph server's
// identity middleware (subgraphs/shared/identity-middleware.ts) verifies it before Apollo runs and
// answers 401 UNAUTHENTICATED without it, so calling a subgraph directly is no way around the
// gateway's checks; it leaves the verified identity in res.locals for the request's context.
import type { Response } from 'express';
import { callerKey, type Identity } from '../../lib/identity.js';

const IDENTITY_LOCAL = 'c360Identity';

export function setVerifiedIdentity(res: Response, identity: Identity): void {
  res.locals[IDENTITY_LOCAL] = identity;
}

/** The verified identity of this request; throws if the middleware did not run (a wiring bug). */
export function identityOf(res: Response): Identity {
  const identity = res.locals[IDENTITY_LOCAL] as Identity | undefined;
  if (!identity)
    throw new Error(
      'No verified identity on this request: the identity middleware must run before the GraphQL handler',
    );
  return identity;
}

/** What idempotency keys are scoped to and the audit log records for this request. */
export function callerOf(res: Response): string {
  return callerKey(identityOf(res));
}
