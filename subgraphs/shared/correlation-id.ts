// The correlation id of a request: taken from the caller's `x-correlation-id` (the gateway forwards
// its own) so one id follows a query through gateway, subgraph and backend logs (config contract:
// every backend request carries X-Correlation-Id). It ends up in log lines and backend headers, so
// only a short, plain token is trusted (the gateway applies the same rule); anything else, a
// repeated header included, is replaced by a fresh id.
import { randomUUID } from 'node:crypto';

export const CORRELATION_ID_HEADER = 'x-correlation-id';

const ACCEPTED = /^[A-Za-z0-9._:-]{1,128}$/;

export function correlationIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && ACCEPTED.test(header) ? header : randomUUID();
}
