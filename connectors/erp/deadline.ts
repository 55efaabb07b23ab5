// One deadline per port call: the connector's own timeout (ErpConnectorOptions.timeoutMs) combined
// with the caller's signal (CallContext.signal: client gone or its own deadline). Node 20 has both
// AbortSignal.timeout and AbortSignal.any.
import { settleUnlessAborted } from '../../lib/abort.js';
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
  return settleUnlessAborted(shared, signal, () => signal.reason);
}
