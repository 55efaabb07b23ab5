// Business Central's error shape: every failure is `{ "error": { "code", "message" } }` with an HTTP
// status, never HTML and never a stack trace. Codes are BC's own (docs: api-reference/v2.0
// "Error Codes": BadRequest_*, Authentication_*, Internal_*, Application_*), so a client's error
// mapping written against the documentation works here unchanged.
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';

export class BcError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra response headers, e.g. `Allow` on a 405. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'BcError';
  }
}

export const badRequest = (message: string, code = 'BadRequest') => new BcError(400, code, message);

/** An unknown URL segment (entity set, navigation property, function). */
export const segmentNotFound = (segment: string) =>
  new BcError(404, 'BadRequest_ResourceNotFound', `Resource not found for the segment '${segment}'.`);

/** A key that is well-formed but names no record; the message follows BC's NavCSideRecordNotFoundException. */
export const recordNotFound = (table: string, fields: string) =>
  new BcError(
    404,
    'Internal_RecordNotFound',
    `The ${table} does not exist. Identification fields and values: ${fields}`,
  );

/** A URL that does not parse (e.g. a key that is not a GUID): BC answers BadRequest_NotFound. */
export const malformedUrl = (detail: string) =>
  new BcError(404, 'BadRequest_NotFound', `Bad Request - Error in query syntax. ${detail}`);

/** AL `Error(...)` raised by the API page's validation code surfaces as Application_DialogException. */
export const dialog = (message: string) => new BcError(400, 'Application_DialogException', message);

/** Codes for statuses the emulator is told to fail with (fault injection) or meets unexpectedly. */
export function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Authentication_InvalidCredentials';
    case 403:
      return 'Authorization_InsufficientPermissions';
    case 404:
      return 'BadRequest_NotFound';
    case 405:
      return 'BadRequest_MethodNotAllowed';
    case 409:
      return 'Request_EntityChanged';
    case 413:
      return 'BadRequest_RequestTooLarge';
    case 429:
      return 'Application_TooManyRequests';
    case 503:
      return 'Internal_ServiceUnavailable';
    case 504:
      return 'Internal_RequestTimeout';
    default:
      return status >= 500 ? 'Internal_ServerError' : 'BadRequest';
  }
}

/**
 * Writes the error. BC appends "  CorrelationId:  {guid}." to every message; we do too, so clients
 * that log or parse BC messages meet the same text (and must not compare messages for equality).
 */
export function sendBcError(
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
  const correlationId = randomUUID();
  res
    .status(status)
    .set('OData-Version', '4.0')
    .set('Content-Type', 'application/json; odata.metadata=minimal')
    .set('request-id', correlationId)
    .set(headers);
  if (status === 401) {
    // Entra-protected resources name the authority a client should get a token from.
    res.set(
      'WWW-Authenticate',
      'Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="invalid_token"',
    );
  }
  res.send(JSON.stringify({ error: { code, message: `${message}  CorrelationId:  ${correlationId}.` } }));
}

/** The ErrorResponder given to the shared traffic control (injected faults). */
export function respondWithStatus(res: Response, status: number, message: string): void {
  sendBcError(res, status, codeForStatus(status), message);
}
