// One deadline per port call: the connector's own timeout (CarrierConnectorOptions.timeoutMs)
// combined with the caller's signal (CallContext.signal: client gone or its own deadline). It also
// tells how much time is left, which decides whether a Retry-After can be waited out.
import { setTimeout as delay } from 'node:timers/promises';

export interface Deadline {
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  remainingMs(): number;
}

export function startDeadline(timeoutMs: number, callerSignal?: AbortSignal, now: () => number = Date.now): Deadline {
  const own = AbortSignal.timeout(timeoutMs);
  const expiresAt = now() + timeoutMs;
  return {
    signal: callerSignal ? AbortSignal.any([own, callerSignal]) : own,
    timeoutMs,
    remainingMs: () => Math.max(0, expiresAt - now()),
  };
}

/** Why the deadline fired: our timeout, or the caller gave up. */
export function abortCause(deadline: Deadline): string {
  const reason: unknown = deadline.signal.reason;
  return reason instanceof Error && reason.name === 'TimeoutError'
    ? `deadline of ${deadline.timeoutMs} ms passed`
    : 'the caller aborted the call';
}

/** Waits `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal });
}
