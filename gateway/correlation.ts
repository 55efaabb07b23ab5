// Correlation ids: one per client request, taken from the client when sane, echoed in the response
// and forwarded to every subgraph and backend (notes/config-contract.md), so one id finds a request
// in every service's log and in the emulators' /__emulator/stats.
import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';

export const CORRELATION_HEADER = 'x-correlation-id';

// Ids end up in log lines and outgoing headers: a short, plain alphabet keeps log injection and
// header smuggling out, and still admits UUIDs, ULIDs and W3C trace ids.
const SANE_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's id when it is sane, else a fresh one. A repeated header counts as insane. */
export function correlationIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && SANE_CORRELATION_ID.test(header) ? header : randomUUID();
}

/** Assigns the request's correlation id first thing, so even a rejected request echoes one. */
export function correlationMiddleware(): RequestHandler {
  return (req, res, next) => {
    const correlationId = correlationIdFrom(req.headers[CORRELATION_HEADER]);
    res.locals.correlationId = correlationId;
    res.setHeader(CORRELATION_HEADER, correlationId);
    next();
  };
}

export function correlationIdOf(res: Response): string {
  const id: unknown = res.locals.correlationId;
  if (typeof id !== 'string') throw new Error('correlationMiddleware must run before this handler');
  return id;
}
