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
//   (that is our own overload, not the backend failing), except for the half-open probe, which it
//   keeps from testing the backend at all (see ProbeNotSentError).
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

/**
 * The half-open probe never reached the backend (the bulkhead was full, e.g. of calls that timed out
 * but still hold their slots). It proves nothing about the backend, so the breaker must handle it as
 * a failure and stay open: cockatiel 3.2.1's halfOpen() CLOSES the circuit on any error its filter
 * does not handle (node_modules/cockatiel/dist/CircuitBreakerPolicy.js, "Task failed successfully").
 */
class ProbeNotSentError extends Error {
  constructor(readonly refusal: unknown) {
    super('the half-open probe was refused before reaching the backend', { cause: refusal });
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
  /** Every call's outcome (what backend_calls_total counts): readiness is read from these. */
  | { type: 'call'; backend: BackendName; operation: string; outcome: BackendOutcome }
  | { type: 'retry'; backend: BackendName; attempt: number; delayMs: number; error: unknown }
  | { type: 'bulkhead_rejected'; backend: BackendName };

export interface ResiliencePolicy {
  readonly backend: BackendName;
  /**
   * An idempotent read: retried with backoff when it fails as 'unavailable' or 'timeout' (an
   * unclassified error counts as 'unavailable'), never when the backend rejected the request, rate
   * limited it or answered something unreadable, nor when the shield refused it.
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
 * 'rejected' (our bad request) or 'unauthorized' is about this request, and tripping the circuit on
 * it would take the backend away from every other caller. 'invalid_response' is an outage
 * (BackendError.isOutage): an ERP maintenance page answers 200 with HTML.
 */
function isOutage(error: unknown): boolean {
  if (error instanceof ProbeNotSentError) return true;
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
  // Retried: 'unavailable' and 'timeout' only. Not 'rate_limited': Salesforce REQUEST_LIMIT_EXCEEDED
  // is a rolling 24-hour allowance and BC's 429 a per-minute quota, so a retry within a second cannot
  // succeed and only adds calls. It still counts toward the breaker (isOutage): while the allowance
  // is spent every call fails, and an open circuit answers at once instead of asking again, with a
  // probe every halfOpenAfterMs to notice the reset. Not 'invalid_response' either: a maintenance
  // page does not go away within a second, and a record we cannot map never does.
  const retries = retry(
    handleWhen(
      (error) =>
        error instanceof BackendError &&
        !(error instanceof ShieldRejectedError) &&
        (error.failure === 'unavailable' || error.failure === 'timeout'),
    ),
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
    if (error instanceof ProbeNotSentError) return toBackendError(error.refusal, operation, timeoutMs);
    if (isBrokenCircuitError(error)) return new ShieldRejectedError(backend, 'circuit_open', operation, error);
    if (isBulkheadRejectedError(error)) return new ShieldRejectedError(backend, 'bulkhead_full', operation, error);
    if (isTaskCancelledError(error)) {
      return new BackendError(
        backend,
        'timeout',
        `${backend} ${operation}: no answer within ${timeoutMs} ms`,
        { operation },
        { cause: error },
      );
    }
    if (error instanceof CallerAbandonedError) {
      return new BackendError(
        backend,
        'timeout',
        `${backend} ${operation}: the caller abandoned the call`,
        { operation },
        { cause: error.cause },
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    return new BackendError(
      backend,
      'unavailable',
      `${backend} ${operation}: ${message}`,
      { operation },
      { cause: error },
    );
  };

  const outcomeOf = (raw: unknown, error: BackendError): BackendOutcome => {
    if (raw instanceof CallerAbandonedError) return 'abandoned';
    if (error instanceof ShieldRejectedError) return error.reason;
    return error.failure;
  };

  const listeners = new Set<(event: ShieldEvent) => void>();
  const emit = (event: ShieldEvent) => listeners.forEach((listener) => listener(event));
  const record = (operation: string, outcome: BackendOutcome) => {
    metrics.recordBackendCall(backend, operation, outcome);
    emit({ type: 'call', backend, operation, outcome });
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
      const value = await breaker.execute(async () => {
        // cockatiel runs the half-open probe while its state still reads Open (halfOpen() is called
        // before the state becomes HalfOpen); every other call runs Closed.
        const probe = breaker.state !== CircuitState.Closed;
        // The probe decides for every caller whether the circuit closes, and cockatiel closes it on
        // any failure the breaker does not handle: a caller's abort must not cut it short (the probe
        // completes, under its own deadline), and a bulkhead refusal must not count as its success.
        const callCtx: CallContext = probe ? { correlationId: ctx.correlationId } : ctx;
        try {
          return await deadline.execute((_, signal) =>
            slots.execute(() => callBackend(operation, callCtx, call, signal), signal),
          );
        } catch (error) {
          throw probe && isBulkheadRejectedError(error) ? new ProbeNotSentError(error) : error;
        }
      });
      record(operation, 'success');
      return value;
    } catch (raw) {
      const error = toBackendError(raw, operation, timeoutMs);
      record(operation, outcomeOf(raw, error));
      throw error;
    }
  };
  breaker.onStateChange((state) => emit({ type: 'breaker', backend, state: BREAKER_STATE[state] }));
  retries.onRetry((event) =>
    emit({
      type: 'retry',
      backend,
      attempt: event.attempt,
      delayMs: event.delay,
      error: 'error' in event ? event.error : undefined,
    }),
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
