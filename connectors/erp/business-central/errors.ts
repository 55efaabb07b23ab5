// Business Central failures → BackendError (lib/backend-error.ts), the connector's only error type.
// BC answers errors as { "error": { "code", "message" } } (business-central-api.md); the code goes to
// BackendError.details for logs and mapping, the payload never further (docs/architecture.md, errors).
import { BackendError, type BackendFailure } from '../../../lib/backend-error.js';
import { requestNeverSent } from '../../../lib/transport-errors.js';
import { abortCause, type Deadline } from '../deadline.js';

/** The BC error code of an If-Match (ETag) mismatch: the record changed since we read it. */
const ETAG_CONFLICT = 'Request_EntityChanged';

/**
 * HTTP status (and BC error code) → failure kind. 401 only reaches here after the one
 * re-authorization. Not every 4xx is our bad request: 408 Request Timeout, 423 Locked (a record or
 * table locked by another session) and 409 Conflict (a concurrent write) are transient, so they are
 * 'unavailable' (ERP_UNAVAILABLE, retried for reads). A 409 that is an ETag conflict of our own
 * If-Match stays 'rejected': repeating the same request with the same ETag cannot succeed.
 */
export function failureForStatus(status: number, backendCode?: string): BackendFailure {
  if (status === 429) return 'rate_limited';
  if (status === 401) return 'unauthorized';
  if (status >= 500 || status === 408 || status === 423) return 'unavailable';
  if (status === 409) return backendCode === ETAG_CONFLICT ? 'rejected' : 'unavailable';
  return 'rejected';
}

/** The BC error code and message from an error body, when it has that shape. */
export function readBcError(bodyText: string): { code?: string; message?: string } {
  try {
    const body: unknown = JSON.parse(bodyText);
    const error = (body as { error?: unknown } | null)?.error;
    if (typeof error !== 'object' || error === null) return {};
    const { code, message } = error as { code?: unknown; message?: unknown };
    return {
      ...(typeof code === 'string' ? { code } : {}),
      ...(typeof message === 'string' ? { message: message.slice(0, 500) } : {}),
    };
  } catch {
    return {};
  }
}

export function httpError(status: number, bodyText: string, operation: string): BackendError {
  const { code, message } = readBcError(bodyText);
  return new BackendError(
    'erp',
    failureForStatus(status, code),
    `Business Central ${operation} failed: HTTP ${status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`,
    { status, operation, ...(code ? { backendCode: code } : {}) },
  );
}

/**
 * A fetch (or body read) that threw: our deadline or the caller's abort → 'timeout'; anything else
 * (ECONNREFUSED, ECONNRESET, socket closed mid-answer: the emulator's outage fault) → 'unavailable'.
 */
export function transportError(error: unknown, deadline: Deadline, operation: string): BackendError {
  if (error instanceof BackendError) return error;
  if (deadline.signal.aborted) {
    return new BackendError(
      'erp',
      'timeout',
      `Business Central ${operation}: ${abortCause(deadline)}`,
      { operation },
      { cause: error },
    );
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const detail = typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.message : String(error);
  // A connection never established carried nothing: a create that failed so was certainly not made.
  const neverSent = requestNeverSent(error);
  return new BackendError(
    'erp',
    'unavailable',
    `Business Central ${operation}: ${detail}`,
    { operation, ...(neverSent && { neverSent }) },
    { cause: error },
  );
}

export function invalidResponse(operation: string, why: string, cause?: unknown): BackendError {
  return new BackendError('erp', 'invalid_response', `Business Central ${operation}: ${why}`, { operation }, { cause });
}
