// How connectors report a failed backend call, independent of the wire protocol behind it, so the
// subgraphs can map it to a public error code (ERP_UNAVAILABLE, SALESFORCE_UNAVAILABLE) without
// knowing jsforce's or OData's error shapes. The message is for logs only: it may carry backend
// detail and is never shown to a client (DESIGN.md: no SOQL or ERP payload reaches a client).
export type BackendName = 'salesforce' | 'erp';

export type BackendFailure =
  /** Connection refused/reset, 5xx, outage. Retrying later may succeed. */
  | 'unavailable'
  /** Our own deadline passed before the backend answered. */
  | 'timeout'
  /** The backend's API allowance is exhausted (Salesforce REQUEST_LIMIT_EXCEEDED, HTTP 429). */
  | 'rate_limited'
  /** Authentication failed even after re-authorizing. */
  | 'unauthorized'
  /** The backend refused the request as invalid (4xx validation error). */
  | 'rejected'
  /** The backend answered something we cannot read. */
  | 'invalid_response';

export class BackendError extends Error {
  override readonly name = 'BackendError';
  constructor(
    readonly backend: BackendName,
    readonly failure: BackendFailure,
    message: string,
    /** neverSent: the request certainly never reached the backend (lib/transport-errors.ts). */
    readonly details: { status?: number; backendCode?: string; operation?: string; neverSent?: boolean } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /**
   * True when the backend as a whole could not serve us (as opposed to refusing this request).
   * 'invalid_response' counts: what we cannot read is most often not an answer of the API at all
   * (an ERP maintenance page or a proxy's error page, served with 200), so to a client it is the
   * backend being unavailable (ERP_UNAVAILABLE), and the breaker should open on it.
   */
  get isOutage(): boolean {
    return (
      this.failure === 'unavailable' ||
      this.failure === 'timeout' ||
      this.failure === 'rate_limited' ||
      this.failure === 'invalid_response'
    );
  }
}

export function isBackendError(error: unknown): error is BackendError {
  return error instanceof BackendError;
}
