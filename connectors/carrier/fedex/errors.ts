// FedEx API failures → BackendError (lib/backend-error.ts), the connector's only error type. FedEx
// answers errors as `{ transactionId, errors: [{ code, message }] }` (its APIs' ErrorResponseVO);
// an OAuth server in front of another carrier may answer RFC 6749's `{ error, error_description }`:
// both are read. The code goes to BackendError.details for logs; no payload goes further.
import { BackendError, type BackendFailure } from '../../../lib/backend-error.js';
import { requestNeverSent } from '../../../lib/transport-errors.js';
import { abortCause, type Deadline } from './deadline.js';

/**
 * HTTP status → failure kind. 401 reaches here only after the one token refresh; 403 is a project
 * without access to the API: both are 'unauthorized' (no retry fixes them, and they say nothing of
 * the carrier's health). 408, 5xx: 'unavailable'. Other 4xx: our request was refused ('rejected').
 */
export function failureForStatus(status: number): BackendFailure {
  if (status === 429) return 'rate_limited';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status >= 500 || status === 408) return 'unavailable';
  return 'rejected';
}

/** The first error's code and message from an error body, in FedEx's shape or RFC 6749's. */
export function readCarrierError(bodyText: string): { code?: string; message?: string } {
  try {
    const body = JSON.parse(bodyText) as { errors?: unknown; error?: unknown; error_description?: unknown } | null;
    const first = Array.isArray(body?.errors)
      ? (body.errors[0] as { code?: unknown; message?: unknown } | undefined)
      : undefined;
    const code = first?.code ?? body?.error;
    const message = first?.message ?? body?.error_description;
    return {
      ...(typeof code === 'string' ? { code } : {}),
      ...(typeof message === 'string' ? { message: message.slice(0, 300) } : {}),
    };
  } catch {
    return {};
  }
}

export function httpError(status: number, bodyText: string, operation: string, retryAfterMs?: number): BackendError {
  const { code, message } = readCarrierError(bodyText);
  return new BackendError(
    'carrier',
    failureForStatus(status),
    `carrier ${operation} failed: HTTP ${status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`,
    {
      status,
      operation,
      ...(code ? { backendCode: code } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    },
  );
}

/** TLS verification failures Node reports (OpenSSL's X509_V_ERR_* names, and the host-name check). */
const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * A request that threw: our deadline or the caller's abort → 'timeout'; a certificate we do not
 * trust → 'unavailable' naming the reason (the fix is CARRIER_CA_FILE, never turning verification
 * off); anything else (ECONNREFUSED, ECONNRESET, a socket closed mid-answer) → 'unavailable'.
 */
export function transportError(error: unknown, deadline: Deadline, operation: string): BackendError {
  if (error instanceof BackendError) return error;
  if (deadline.signal.aborted) {
    return new BackendError(
      'carrier',
      'timeout',
      `carrier ${operation}: ${abortCause(deadline)}`,
      { operation },
      { cause: error },
    );
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && TLS_CODES.has(code)) {
    return new BackendError(
      'carrier',
      'unavailable',
      `carrier ${operation}: the carrier's TLS certificate is not trusted (${code}); CARRIER_CA_FILE must name the CA that issued it`,
      // The handshake failed: no request was sent.
      { operation, backendCode: code, neverSent: true },
      { cause: error },
    );
  }
  const detail = typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
  return new BackendError(
    'carrier',
    'unavailable',
    `carrier ${operation}: ${detail}`,
    { operation, ...(requestNeverSent(error) ? { neverSent: true } : {}) },
    { cause: error },
  );
}

export function invalidResponse(operation: string, why: string, cause?: unknown): BackendError {
  return new BackendError('carrier', 'invalid_response', `carrier ${operation}: ${why}`, { operation }, { cause });
}
