// What every backend call carries from the GraphQL request that caused it.
export interface CallContext {
  /** Correlation id of the client request (x-correlation-id), forwarded to every backend. */
  readonly correlationId: string;
  /** Aborted when the client request is abandoned or its deadline passes. */
  readonly signal?: AbortSignal;
}
