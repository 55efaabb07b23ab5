// One deadline per port call: the connector's own timeout (ErpConnectorOptions.timeoutMs) combined
// with the caller's signal (CallContext.signal: client gone or its own deadline). Node 20 has both
// AbortSignal.timeout and AbortSignal.any.
export interface Deadline {
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
}

export function startDeadline(timeoutMs: number, callerSignal?: AbortSignal): Deadline {
  const own = AbortSignal.timeout(timeoutMs);
  return { signal: callerSignal ? AbortSignal.any([own, callerSignal]) : own, timeoutMs };
}

/** Why the deadline fired: our timeout, or the caller gave up. */
export function abortCause(deadline: Deadline): string {
  const reason: unknown = deadline.signal.reason;
  return reason instanceof Error && reason.name === 'TimeoutError'
    ? `deadline of ${deadline.timeoutMs} ms passed`
    : 'the caller aborted the call';
}

/**
 * Waits for a shared promise (a single-flight token or company lookup) but gives up when THIS
 * caller's deadline fires, without cancelling the shared work other callers still wait for.
 */
export function untilDeadline<T>(shared: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    shared.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
