// What every subgraph request context starts with: its correlation id, a logger that stamps it on
// every line, and the CallContext handed to the connector (correlation id + an abort signal that
// fires when the client goes away before the response is written).
import type { Request, Response } from 'express';
import type { CallContext } from '../../lib/call-context.js';
import type { Logger } from '../../lib/logger.js';
import { CORRELATION_ID_HEADER, correlationIdFrom } from './correlation-id.js';

export interface RequestScope {
  readonly correlationId: string;
  readonly logger: Logger;
  readonly call: CallContext;
}

export function requestScope(req: Request, res: Response, logger: Logger): RequestScope {
  const correlationId = correlationIdFrom(req.headers[CORRELATION_ID_HEADER]);
  res.setHeader(CORRELATION_ID_HEADER, correlationId);
  const abandoned = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) abandoned.abort(new Error('client closed the request'));
  });
  return {
    correlationId,
    logger: logger.child({ correlationId }),
    call: { correlationId, signal: abandoned.signal },
  };
}
