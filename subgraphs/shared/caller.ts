// Who is calling, for what is scoped to a caller (idempotency keys) and recorded per caller (the
// audit log). Access control does not exist yet: the gateway will verify bearer tokens and forward the
// verified identity (DESIGN.md "Access"), and this seam will read it from the request then. Until
// then every request is the one anonymous caller, so keys are shared by all clients.
import type { Request } from 'express';

export const ANONYMOUS_CALLER = 'anonymous';

export function callerOf(_req: Request): string {
  return ANONYMOUS_CALLER;
}
