// Mapping whatever a Salesforce call failed with to the connector's BackendError taxonomy
// (lib/backend-error.ts). jsforce's error class is not exported: its errors carry `errorCode` (the
// REST error's errorCode, MULTIPLE_API_ERRORS, or ERROR_HTTP_<status> for a body it cannot read) and
// no status, so call.ts captures the HTTP status from the transport and passes it in.
import { BackendError, type BackendFailure } from '../../lib/backend-error.js';
import { SoqlInputError } from './soql.js';

/** Connection-level failures of node-fetch (which jsforce uses) and undici. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
]);

function stringProp(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const prop = (value as Record<string, unknown>)[key];
  return typeof prop === 'string' ? prop : undefined;
}

/** True for the 401 that re-authorization may cure. */
export function isInvalidSession(error: unknown, status: number | undefined): boolean {
  return status === 401 || stringProp(error, 'errorCode') === 'INVALID_SESSION_ID';
}

function failureFor(errorCode: string, status: number | undefined): BackendFailure {
  if (errorCode === 'REQUEST_LIMIT_EXCEEDED' || status === 429) return 'rate_limited';
  if (errorCode === 'INVALID_SESSION_ID' || status === 401) return 'unauthorized';
  if ((status !== undefined && status >= 500) || /^ERROR_HTTP_5\d\d$/.test(errorCode)) return 'unavailable';
  if (errorCode === 'SERVER_UNAVAILABLE' || errorCode === 'UNKNOWN_EXCEPTION') return 'unavailable';
  return 'rejected';
}

export function toBackendError(error: unknown, status: number | undefined, operation: string): BackendError {
  if (error instanceof BackendError) return error;
  if (error instanceof SoqlInputError) {
    return new BackendError('salesforce', 'rejected', error.message, { operation, backendCode: 'INVALID_ARGUMENT' });
  }
  const errorCode = stringProp(error, 'errorCode');
  const message = stringProp(error, 'message') ?? String(error);
  if (errorCode !== undefined) {
    const failure = failureFor(errorCode, status);
    return new BackendError(
      'salesforce',
      failure,
      `Salesforce ${operation} failed: ${errorCode}: ${message}`,
      { operation, backendCode: errorCode, ...(status !== undefined ? { status } : {}) },
      { cause: error },
    );
  }
  const name = stringProp(error, 'name');
  if (name === 'AbortError') {
    return new BackendError(
      'salesforce',
      'timeout',
      `Salesforce ${operation} timed out`,
      { operation },
      { cause: error },
    );
  }
  const code = stringProp(error, 'code');
  if (name === 'FetchError' || (code !== undefined && NETWORK_CODES.has(code))) {
    return new BackendError(
      'salesforce',
      'unavailable',
      `Salesforce ${operation} unreachable: ${message}`,
      { operation, ...(code ? { backendCode: code } : {}) },
      { cause: error },
    );
  }
  return new BackendError(
    'salesforce',
    'unavailable',
    `Salesforce ${operation} failed: ${message}`,
    { operation },
    {
      cause: error,
    },
  );
}
