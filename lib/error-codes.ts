// The small, closed set of `extensions.code` values clients may see (docs/decisions/0026-closed-error-codes-masked-twice.md). Anything
// else is masked to INTERNAL_SERVER_ERROR before it leaves the gateway.
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  FIELD_OWNED_BY_OTHER_SYSTEM: 'FIELD_OWNED_BY_OTHER_SYSTEM',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  IDEMPOTENCY_KEY_IN_PROGRESS: 'IDEMPOTENCY_KEY_IN_PROGRESS',
  ERP_UNAVAILABLE: 'ERP_UNAVAILABLE',
  SALESFORCE_UNAVAILABLE: 'SALESFORCE_UNAVAILABLE',
  /** The carrier's tracking API is down or refusing us: only tracking fields are missing. */
  TRACKING_UNAVAILABLE: 'TRACKING_UNAVAILABLE',
  // A mutation reached a subgraph whose answer was lost (it died, or timed out): it may have taken
  // effect. Retry with the same idempotency key (gateway/mutation-outcome.ts).
  MUTATION_OUTCOME_UNKNOWN: 'MUTATION_OUTCOME_UNKNOWN',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  // HTTP 431: a request line and headers over lib/http-server.ts MAX_REQUEST_HEAD_BYTES.
  REQUEST_HEADERS_TOO_LARGE: 'REQUEST_HEADERS_TOO_LARGE',
  // Demand control: which limit an operation hit, checked before it is planned or runs.
  DEPTH_LIMIT_EXCEEDED: 'DEPTH_LIMIT_EXCEEDED',
  COST_LIMIT_EXCEEDED: 'COST_LIMIT_EXCEEDED',
  ALIAS_LIMIT_EXCEEDED: 'ALIAS_LIMIT_EXCEEDED',
  ROOT_FIELD_LIMIT_EXCEEDED: 'ROOT_FIELD_LIMIT_EXCEEDED',
  SELECTION_LIMIT_EXCEEDED: 'SELECTION_LIMIT_EXCEEDED',
  // Persisted operations: Apollo's APQ code for an unknown hash, and ours for a caller
  // (the partner role) that may run only operations of the first-party manifest.
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_REQUIRED: 'PERSISTED_QUERY_REQUIRED',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const PUBLIC_CODES = new Set<string>(Object.values(ErrorCode));

/** Codes a client may see as they are; the GraphQL validation/parse codes Apollo emits pass too. */
export function isPublicErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && PUBLIC_CODES.has(code);
}
