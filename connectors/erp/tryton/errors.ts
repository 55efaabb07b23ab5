// Tryton failures → BackendError (lib/backend-error.ts), with the same failure kinds as the Business
// Central adapter, so the shield and the subgraph treat both ERPs alike. Tryton answers a JSON-RPC
// call with HTTP 200 and `{"error": [type, args]}` for what the server raised (trytond/protocols/
// jsonrpc.py): TrytonException subclasses by name, any other exception as [str(e), traceback]. HTTP
// statuses come from the dispatcher: 401 for a missing, expired or refused session or login, 403
// for a method that is not callable over RPC, 429 for too many logins.
import { BackendError, type BackendFailure } from '../../../lib/backend-error.js';
import { abortCause, type Deadline } from '../deadline.js';

/**
 * Tryton's error type → failure kind. A UserError (validation, access rules, a refused workflow
 * step) or UserWarning (needs a person's confirmation) refuses this request; a
 * ConcurrencyException (the record changed meanwhile) and an unexpected server exception (a locked
 * database, a bug) are the ERP not serving us right now, as Business Central's 409/5xx are.
 */
const FAILURE_BY_TYPE: Readonly<Record<string, BackendFailure>> = {
  UserError: 'rejected',
  UserWarning: 'rejected',
  ConcurrencyException: 'unavailable',
  LoginException: 'unauthorized',
  RateLimitException: 'rate_limited',
  MissingDependenciesException: 'unavailable',
};

/** The backend code of an unexpected server exception (a Python error, not a Tryton one). */
export const SERVER_ERROR = 'ServerError';

export function failureForStatus(status: number): BackendFailure {
  if (status === 429) return 'rate_limited';
  if (status === 401) return 'unauthorized';
  if (status >= 500 || status === 408 || status === 423) return 'unavailable';
  return 'rejected';
}

/** A Tryton JSON-RPC error ([type, args]) as a BackendError; the message names the type, never data. */
export function rpcError(error: unknown, operation: string, method: string): BackendError {
  const [type, args] = Array.isArray(error) ? (error as [unknown, unknown]) : [undefined, undefined];
  const known = typeof type === 'string' && Object.hasOwn(FAILURE_BY_TYPE, type) ? type : undefined;
  const backendCode = known ?? SERVER_ERROR;
  const failure = known ? FAILURE_BY_TYPE[known]! : 'unavailable';
  // A UserError's first argument is its message (for logs only: it may name records).
  const detail = known && Array.isArray(args) && typeof args[0] === 'string' ? `: ${args[0].slice(0, 300)}` : '';
  return new BackendError('erp', failure, `Tryton ${operation} (${method}) failed: ${backendCode}${detail}`, {
    operation,
    backendCode,
  });
}

export function httpError(status: number, operation: string, method: string): BackendError {
  return new BackendError('erp', failureForStatus(status), `Tryton ${operation} (${method}) failed: HTTP ${status}`, {
    status,
    operation,
  });
}

/**
 * A fetch (or body read) that threw: our deadline or the caller's abort → 'timeout'; anything else
 * (refused or reset connection) → 'unavailable'.
 */
export function transportError(error: unknown, deadline: Deadline, operation: string): BackendError {
  if (error instanceof BackendError) return error;
  if (deadline.signal.aborted) {
    return new BackendError(
      'erp',
      'timeout',
      `Tryton ${operation}: ${abortCause(deadline)}`,
      { operation },
      { cause: error },
    );
  }
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  const detail = typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.message : String(error);
  return new BackendError('erp', 'unavailable', `Tryton ${operation}: ${detail}`, { operation }, { cause: error });
}

export function invalidResponse(operation: string, why: string, cause?: unknown): BackendError {
  return new BackendError('erp', 'invalid_response', `Tryton ${operation}: ${why}`, { operation }, { cause });
}

/** Bad input to a write, refused before any request (the same backend code as Business Central's). */
export function invalidInput(operation: string, why: string): BackendError {
  return new BackendError('erp', 'rejected', `Tryton ${operation}: ${why}`, {
    operation,
    backendCode: 'Connector_InvalidInput',
  });
}
