// Per-backend protection on cockatiel 3: a bulkhead (cap on in-flight calls plus a bounded queue), a
// deadline per attempt, retries with jittered exponential backoff for idempotent reads only, and a
// circuit breaker with half-open probes. One policy per backend per process: the breaker and the
// bulkhead only work when every call to that backend shares them.
//
// Nesting, outermost first: retry → breaker → timeout → bulkhead → call.
// - Retry outside the breaker: once the circuit opens, the next attempt fails fast and is not retried;
//   a slot is not held while waiting out a backoff.
// - Timeout outside the bulkhead: the deadline counts queue wait too, so no caller waits longer than
//   one deadline per attempt; and a call the aggressive timeout gave up on keeps its bulkhead slot
//   until it really settles, so the backend never sees more than maxConcurrent calls (the issue's
//   `spike` target), even from a connector that ignored the abort signal.
// - Breaker outside timeout and bulkhead: a timeout counts as an outage; a full bulkhead does not
//   (that is our own overload, not the backend failing).
import {
  bulkhead,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  isBrokenCircuitError,
  isBulkheadRejectedError,
  retry,
  timeout,
  TimeoutStrategy,
  type TimeoutPolicy,
} from 'cockatiel';
import { BackendError, type BackendName } from '../lib/backend-error.js';
import type { CallContext } from '../lib/call-context.js';
import type { BackendLoad, BackendOutcome, BreakerState, ShieldMetrics } from './metrics.js';
import type { ResilienceOptions } from './options.js';

/**
 * The shield refused the call without asking the backend: the circuit is open, or the bulkhead and
 * its queue are full. A BackendError 'unavailable' (so subgraphs map it to ERP_UNAVAILABLE /
 * SALESFORCE_UNAVAILABLE like any outage), but a distinct class so that it is never retried, never
 * counted against the breaker, and shows up separately in logs and metrics.
 */
export class ShieldRejectedError extends BackendError {
  constructor(
    backend: BackendName,
    readonly reason: 'circuit_open' | 'bulkhead_full',
    operation: string,
    cause: unknown,
  ) {
    const why = reason === 'circuit_open' ? 'circuit breaker is open' : 'too many calls in flight and queued';
    super(backend, 'unavailable', `${backend} ${operation}: refused by the shield, ${why}`, { operation }, { cause });
  }
}

/** The caller's own signal aborted the call: neither the backend's fault nor worth a retry. */
class CallerAbandonedError extends Error {
  constructor(cause: unknown) {
    super('the caller abandoned the call', { cause });
  }
}

export type ShieldEvent =
  | { type: 'breaker'; backend: BackendName; state: BreakerState }
  | { type: 'retry'; backend: BackendName; attempt: number; delayMs: number; error: unknown }
  | { type: 'bulkhead_rejected'; backend: BackendName };

export interface ResiliencePolicy {
  readonly backend: BackendName;
  /**
   * An idempotent read: retried with backoff when it fails with an outage (BackendError.isOutage or
   * an unclassified error), never when the backend rejected the request or the shield refused it.
   */
  read<T>(operation: string, ctx: CallContext, call: (ctx: CallContext) => Promise<T>): Promise<T>;
  /** A write (or any call not safe to repeat): bulkhead, deadline and breaker, never retried. */
  write<T>(operation: string, ctx: CallContext, call: (ctx: CallContext) => Promise<T>): Promise<T>;
  /** In-flight calls, queue length and breaker state right now. */
  load(): BackendLoad;
  /** Breaker transitions, retries and bulkhead rejections, e.g. for logging. */
  subscribe(listener: (event: ShieldEvent) => void): { dispose(): void };
}

/**
 * cockatiel 3.2.1's own isTaskCancelledError tests for the 'isBulkheadRejectedError' flag (a bug
 * in dist/errors/Errors.js), so it never recognizes a timeout; test TaskCancelledError's flag here.
 */
function isTaskCancelledError(error: unknown): boolean {
  return error instanceof Error && 'isTaskCancelledError' in error;
}

const BREAKER_STATE: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Open]: 'open',
  [CircuitState.Isolated]: 'open',
};

/**
 * Whether a failure says the backend as a whole is in trouble. Only these open the breaker: a
 * 'rejected' (our bad request), 'unauthorized' or 'invalid_response' is about this request, and
 * tripping the circuit on it would take the backend away from every other caller.
 */
function isOutage(error: unknown): boolean {
  if (error instanceof CallerAbandonedError || isBulkheadRejectedError(error)) return false;
  if (error instanceof BackendError) return error.isOutage;
  // Our own deadline (TaskCancelledError), or an error the connector did not classify: network.
  return true;
}

export function createResiliencePolicy(
  backend: BackendName,
  options: ResilienceOptions,
  metrics: ShieldMetrics,
): ResiliencePolicy {
  const slots = bulkhead(options.maxConcurrent, options.maxQueue);
  const breaker = circuitBreaker(handleWhen(isOutage), {
    halfOpenAfter: options.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(options.breakerThreshold),
  });
  // Aggressive: the caller gets its timeout on time even if the call ignores the abort signal; the
  // signal still reaches the connector, which cancels the HTTP request (cooperative).
  const readDeadline = timeout(options.readTimeoutMs, TimeoutStrategy.Aggressive);
  const writeDeadline = timeout(options.writeTimeoutMs, TimeoutStrategy.Aggressive);
  // Decorrelated jitter (cockatiel's default generator): retries from many callers spread out
  // instead of hitting a recovering backend in waves.
  const retries = retry(
    handleWhen((error) => error instanceof BackendError && !(error instanceof ShieldRejectedError) && error.isOutage),
    {
      maxAttempts: options.maxRetries,
      backoff: new ExponentialBackoff({
        initialDelay: options.retryInitialDelayMs,
        maxDelay: options.retryMaxDelayMs,
      }),
    },
  );

  const toBackendError = (error: unknown, operation: string, timeoutMs: number): BackendError => {
    if (error instanceof BackendError) return error;
    if (isBrokenCircuitError(error)) return new ShieldRejectedError(backend, 'circuit_open', operation, error);
    if (isBulkheadRejectedError(error)) return new ShieldRejectedError(backend, 'bulkhead_full', operation, error);
    if (isTaskCancelledError(error)) {
      return new BackendError(backend, 'timeout', `${backend} ${operation}: no answer within ${timeoutMs} ms`, { operation }, { cause: error });
    }
    if (error instanceof CallerAbandonedError) {
      return new BackendError(backend, 'timeout', `${backend} ${operation}: the caller abandoned the call`, { operation }, { cause: error.cause });
    }
    const message = error instanceof Error ? error.message : String(error);
    return new BackendError(backend, 'unavailable', `${backend} ${operation}: ${message}`, { operation }, { cause: error });
  };

  const outcomeOf = (raw: unknown, error: BackendError): BackendOutcome => {
    if (raw instanceof CallerAbandonedError) return 'abandoned';
    if (error instanceof ShieldRejectedError) return error.reason;
    return error.failure;
  };

  /** The call itself, inside a bulkhead slot: timed, with the deadline's signal. */
  const callBackend = async <T>(
    operation: string,
    ctx: CallContext,
    call: (ctx: CallContext) => Promise<T>,
    deadlineSignal: AbortSignal,
  ): Promise<T> => {
    const signal = ctx.signal ? AbortSignal.any([deadlineSignal, ctx.signal]) : deadlineSignal;
    const stop = metrics.startBackendTimer(backend, operation);
    try {
      return await call({ correlationId: ctx.correlationId, signal });
    } catch (error) {
      // The caller's signal is kept out of the policies (an abort there would look like our
      // timeout and count against the breaker); it only reaches the call, and is recognized here.
      if (ctx.signal?.aborted && !deadlineSignal.aborted) throw new CallerAbandonedError(error);
      throw error;
    } finally {
      stop();
    }
  };

  /** One attempt through breaker, deadline and bulkhead; every failure leaves as a BackendError. */
  const attempt = async <T>(
    operation: string,
    ctx: CallContext,
    call: (ctx: CallContext) => Promise<T>,
    deadline: TimeoutPolicy,
    timeoutMs: number,
  ): Promise<T> => {
    try {
      const value = await breaker.execute(() =>
        deadline.execute((_, signal) => slots.execute(() => callBackend(operation, ctx, call, signal), signal)),
      );
      metrics.recordBackendCall(backend, operation, 'success');
      return value;
    } catch (raw) {
      const error = toBackendError(raw, operation, timeoutMs);
      metrics.recordBackendCall(backend, operation, outcomeOf(raw, error));
      throw error;
    }
  };

  const listeners = new Set<(event: ShieldEvent) => void>();
  const emit = (event: ShieldEvent) => listeners.forEach((listener) => listener(event));
  breaker.onStateChange((state) => emit({ type: 'breaker', backend, state: BREAKER_STATE[state] }));
  retries.onRetry((event) =>
    emit({ type: 'retry', backend, attempt: event.attempt, delayMs: event.delay, error: 'error' in event ? event.error : undefined }),
  );
  slots.onReject(() => emit({ type: 'bulkhead_rejected', backend }));

  const policy: ResiliencePolicy = {
    backend,
    read: (operation, ctx, call) =>
      // The caller's signal stops further retries once it has gone away.
      retries.execute(() => attempt(operation, ctx, call, readDeadline, options.readTimeoutMs), ctx.signal),
    write: (operation, ctx, call) => attempt(operation, ctx, call, writeDeadline, options.writeTimeoutMs),
    load: () => ({
      inFlight: options.maxConcurrent - slots.executionSlots,
      queued: options.maxQueue - slots.queueSlots,
      breaker: BREAKER_STATE[breaker.state],
    }),
    subscribe: (listener) => {
      listeners.add(listener);
      return { dispose: () => void listeners.delete(listener) };
    },
  };
  metrics.watchBackend(backend, policy.load);
  return policy;
}
