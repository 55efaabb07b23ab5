// FedEx's error envelope: every failure of its REST APIs is
// `{ "transactionId", "customerTransactionId"?, "errors": [{ "code", "message" }] }` with an HTTP
// status, never HTML and never a stack (FedEx Track API reference, ErrorResponseVO). The codes and
// messages are FedEx's own where its documentation gives them (NOT.AUTHORIZED.ERROR,
// INTERNAL.SERVER.ERROR, SERVICE.UNAVAILABLE.ERROR, the TRACKING.* codes). FedEx's quotas and rate
// limits guide gives the text of its 429 answers but not a code: TOO.MANY.REQUESTS.ERROR follows the
// pattern of the others.
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';

export class CarrierApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra response headers, e.g. Retry-After on a 429. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'CarrierApiError';
  }
}

export const MESSAGES = {
  badRequest: 'Missing or duplicate parameters. Please modify your request and try again.',
  badCredentials: 'The given client credentials were not valid. Please modify your request and try again.',
  tokenExpired: 'Access token expired. Please modify your request and try again.',
  forbidden: 'We could not authorize your credentials. Please check your permissions and try again.',
  notFound: 'The resource you requested is no longer available. Please modify your request and try again.',
  tooManyRequests: 'We have received too many requests in a short duration. Please wait a while to try again.',
  dailyQuota: 'Daily transaction quota exceeded. Retry after 12:00AM GMT.',
  internal:
    'We encountered an unexpected error and are working to resolve the issue. We apologize for any inconvenience. Please check back at a later time.',
  unavailable:
    'The service is currently unavailable and we are working to resolve the issue. We apologize for any inconvenience. Please check back at a later time.',
} as const;

/** The FedEx error code and standard message for an HTTP status (fault injection, unexpected errors). */
export function errorForStatus(status: number): { code: string; message: string } {
  switch (status) {
    case 400:
      return { code: 'BAD.REQUEST.ERROR', message: MESSAGES.badRequest };
    case 401:
      return { code: 'NOT.AUTHORIZED.ERROR', message: MESSAGES.tokenExpired };
    case 403:
      return { code: 'FORBIDDEN.ERROR', message: MESSAGES.forbidden };
    case 404:
      return { code: 'NOT.FOUND.ERROR', message: MESSAGES.notFound };
    case 429:
      return { code: 'TOO.MANY.REQUESTS.ERROR', message: MESSAGES.tooManyRequests };
    case 503:
      return { code: 'SERVICE.UNAVAILABLE.ERROR', message: MESSAGES.unavailable };
    default:
      return status >= 500
        ? { code: 'INTERNAL.SERVER.ERROR', message: MESSAGES.internal }
        : { code: 'BAD.REQUEST.ERROR', message: MESSAGES.badRequest };
  }
}

/** The `x-customer-transaction-id` a client sent, echoed in every answer as FedEx does. */
export function customerTransactionId(req: Request): string | undefined {
  const value = req.headers['x-customer-transaction-id'];
  return typeof value === 'string' && value.length > 0 ? value.slice(0, 128) : undefined;
}

export function sendCarrierError(
  res: Response,
  status: number,
  code: string,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const echoed = customerTransactionId(res.req);
  res
    .status(status)
    .set(headers)
    .json({
      transactionId: randomUUID(),
      ...(echoed ? { customerTransactionId: echoed } : {}),
      errors: [{ code, message }],
    });
}

/**
 * The ErrorResponder given to the shared traffic control (injected faults): FedEx's code and message
 * for the status; a 429 or 503 says when to come back, as the real limits do (rate-limit.ts).
 */
export function respondWithStatus(res: Response, status: number): void {
  const { code, message } = errorForStatus(status);
  sendCarrierError(res, status, code, message, status === 429 || status === 503 ? { 'Retry-After': '1' } : {});
}
