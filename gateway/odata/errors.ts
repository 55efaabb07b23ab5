// OData errors: the JSON shape of OData 4.0 JSON Format §21 (`{"error":{"code","message","target"}}`),
// which Salesforce Connect shows to its users. Salesforce breaks on an HTML page or a 500 for a bad
// query, so every failure of the bridge, down to an
// unexpected exception, leaves as one of these with a 4xx/5xx status, never as Express's page.
import type { Response } from 'express';
import type { ServerResponse } from 'node:http';
import { ErrorCode } from '../../lib/error-codes.js';
import { HEADERS_TOO_LARGE_MESSAGE, type OversizedRequestResponder } from '../../lib/http-server.js';

/**
 * The graph's error codes (lib/error-codes.ts) where they fit, plus the two HTTP situations the
 * GraphQL side never has: an option we do not implement (501) and a method we do not serve (405).
 */
export const OdataErrorCode = {
  ...ErrorCode,
  NOT_IMPLEMENTED: 'NOT_IMPLEMENTED',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
} as const;
export type OdataErrorCode = (typeof OdataErrorCode)[keyof typeof OdataErrorCode];

export class OdataError extends Error {
  override readonly name = 'OdataError';
  constructor(
    readonly status: number,
    readonly code: OdataErrorCode,
    message: string,
    /** The query option or resource the error is about, e.g. `$filter` (OData's `target`). */
    readonly target?: string,
    /** Extra response headers, e.g. `WWW-Authenticate` on a 401. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** 400: the request is malformed or asks for something that does not exist. */
export const badRequest = (message: string, target?: string) =>
  new OdataError(400, OdataErrorCode.BAD_USER_INPUT, message, target);
/** 501: valid OData, but an option or construct this service does not implement. */
export const notImplemented = (message: string, target?: string) =>
  new OdataError(501, OdataErrorCode.NOT_IMPLEMENTED, message, target);
/** 404: no such entity set, resource or key. */
export const notFound = (message: string, target?: string) =>
  new OdataError(404, OdataErrorCode.NOT_FOUND, message, target);

export const ODATA_VERSION_HEADER = 'OData-Version';
export const ODATA_VERSION = '4.0';

/**
 * Writes an answer as given. Express's `res.type()` and `res.send()` re-format the Content-Type and
 * lower-case its parameters, and OData clients match `IEEE754Compatible` as written.
 */
export function writeOdata(
  res: Response,
  status: number,
  contentType: string,
  body: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  res.status(status);
  res.setHeader(ODATA_VERSION_HEADER, ODATA_VERSION);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

const ERROR_CONTENT_TYPE = 'application/json;odata.metadata=minimal';

function errorJson(error: OdataError): string {
  return JSON.stringify({
    error: { code: error.code, message: error.message, ...(error.target !== undefined && { target: error.target }) },
  });
}

export function sendOdataError(res: Response, error: OdataError): void {
  writeOdata(res, error.status, ERROR_CONTENT_TYPE, errorJson(error), {
    'Cache-Control': 'no-store',
    ...error.headers,
  });
}

/**
 * A request under /odata whose URL and headers are over the services' limit (lib/http-server.ts),
 * answered before Express sees it: still an OData error, not a bare 431.
 */
export const odataOversizedResponder: OversizedRequestResponder = (_req, res: ServerResponse) => {
  const body = errorJson(new OdataError(431, OdataErrorCode.REQUEST_HEADERS_TOO_LARGE, HEADERS_TOO_LARGE_MESSAGE));
  res.writeHead(431, {
    [ODATA_VERSION_HEADER]: ODATA_VERSION,
    'Content-Type': ERROR_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    Connection: 'close',
  });
  res.end(body);
};
