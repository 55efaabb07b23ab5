// Per-backend protection: bulkhead cap and queue overflow, deadlines, retries (reads only, outages
// only), the circuit breaker's open / half-open / closed cycle, and the metrics they move. Fake
// timers drive cockatiel's timeouts, backoffs and breaker clock; nothing sleeps.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackendError } from '../../lib/backend-error.js';
import type { CallContext } from '../../lib/call-context.js';
import { createShieldMetrics } from '../../shield/metrics.js';
import type { ResilienceOptions } from '../../shield/options.js';
import { createResiliencePolicy, ShieldRejectedError, type ShieldEvent } from '../../shield/resilience.js';
import { ctx, FakeBackend, metricValue, outage, Registry, T0 } from './fakes.js';

const OPTIONS: ResilienceOptions = {
  maxConcurrent: 2,
  maxQueue: 1,
  readTimeoutMs: 1_000,
  writeTimeoutMs: 3_000,
  maxRetries: 2,
  retryInitialDelayMs: 100,
  retryMaxDelayMs: 400,
  breakerThreshold: 3,
  halfOpenAfterMs: 5_000,
};

function setup(overrides: Partial<ResilienceOptions> = {}) {
  const registry = new Registry();
  const policy = createResiliencePolicy('erp', { ...OPTIONS, ...overrides }, createShieldMetrics(registry));
  const backend = new FakeBackend();
  const events: ShieldEvent[] = [];
  policy.subscribe((event) => events.push(event));
  const calls = (outcome: string, operation = 'op') =>
    metricValue(registry, 'backend_calls_total', { backend: 'erp', operation, outcome });
  return { registry, policy, backend, events, calls };
}

/** A call that fails with each of `failures` in turn, then answers 'ok'. */
function failing(backend: FakeBackend, ...failures: Error[]) {
  return (c: CallContext) =>
    backend.answer('op', [], c, () => {
      const next = failures.shift();
      if (next) throw next;
      return 'ok';
    });
}

const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('bulkhead', () => {
  it('caps calls in flight, queues a bounded number, and fails the excess fast', async () => {
    const { policy, backend, registry, calls } = setup();
    backend.hold();
    const call = (c: CallContext) => backend.answer('op', [], c, () => 'ok');
    const running = [policy.read('op', ctx(), call), policy.read('op', ctx(), call)];
    const queued = policy.read('op', ctx(), call);
    const excess = policy.read('op', ctx(), call);
    await expect(excess).rejects.toBeInstanceOf(ShieldRejectedError);
    await expect(excess).rejects.toMatchObject({ backend: 'erp', failure: 'unavailable', reason: 'bulkhead_full' });
    await settle();
    expect(backend.calls).toHaveLength(2);
    expect(policy.load()).toEqual({ inFlight: 2, queued: 1, breaker: 'closed' });
    expect(await metricValue(registry, 'backend_in_flight', { backend: 'erp' })).toBe(2);
    expect(await metricValue(registry, 'backend_queue_length', { backend: 'erp' })).toBe(1);

    backend.release();
    expect(await Promise.all([...running, queued])).toEqual(['ok', 'ok', 'ok']);
    expect(backend.calls).toHaveLength(3); // the rejected call never reached the backend, nor was retried
    expect(policy.load()).toEqual({ inFlight: 0, queued: 0, breaker: 'closed' });
    expect(await calls('bulkhead_full')).toBe(1);
    expect(await calls('success')).toBe(3);
  });
});

describe('timeout', () => {
  it('gives up on time (aggressive), aborts the call (cooperative), and keeps the slot until the call settles', async () => {
    const { policy, calls } = setup({ maxRetries: 0 });
    let signal: AbortSignal | undefined;
    let finish!: () => void;
    const slow = (c: CallContext) => {
      signal = c.signal;
      return new Promise<string>((resolve) => (finish = () => resolve('late')));
    };
    const result = policy.read('op', ctx(), slow);
    const assertion = expect(result).rejects.toMatchObject({ name: 'BackendError', failure: 'timeout' });
    await vi.advanceTimersByTimeAsync(999);
    expect(signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await assertion;
    expect(signal?.aborted).toBe(true);
    // The backend may still be working on it: the slot stays taken, so the cap holds for the backend.
    expect(policy.load().inFlight).toBe(1);
    finish();
    await settle();
    expect(policy.load().inFlight).toBe(0);
    expect(await calls('timeout')).toBe(1);
  });

  it('counts the wait in the queue: a call still queued at its deadline fails without running', async () => {
    const { policy, backend } = setup({ maxRetries: 0, maxConcurrent: 1 });
    backend.hold();
    const call = (c: CallContext) => backend.answer('op', [], c, () => 'ok');
    const first = policy.read('op', ctx(), call);
    first.catch(() => undefined);
    const queued = policy.read('op', ctx(), call);
    const assertion = expect(queued).rejects.toMatchObject({ failure: 'timeout' });
    await vi.advanceTimersByTimeAsync(1_000);
    await assertion;
    backend.release();
    await settle();
    expect(backend.calls).toHaveLength(1);
  });
});

describe('retries', () => {
  it('retries an idempotent read after outages, with backoff, until it succeeds', async () => {
    const { policy, backend, events, calls } = setup();
    const result = policy.read('op', ctx(), failing(backend, outage(), outage('erp', 'timeout')));
    await settle();
    expect(backend.calls).toHaveLength(1); // the retry waits out its backoff first
    await vi.advanceTimersByTimeAsync(800);
    expect(await result).toBe('ok');
    expect(backend.calls).toHaveLength(3);
    expect(events.filter((e) => e.type === 'retry').map((e) => e.type === 'retry' && e.attempt)).toEqual([1, 2]);
    for (const e of events) if (e.type === 'retry') expect(e.delayMs).toBeLessThanOrEqual(400);
    expect(await calls('unavailable')).toBe(1);
    expect(await calls('timeout')).toBe(1);
    expect(await calls('success')).toBe(1);
  });

  it('gives up after maxRetries and throws the last failure', async () => {
    const { policy, backend } = setup({ breakerThreshold: 10 });
    const result = policy.read('op', ctx(), failing(backend, outage(), outage(), outage('erp', 'rate_limited')));
    const assertion = expect(result).rejects.toMatchObject({ failure: 'rate_limited' });
    await vi.advanceTimersByTimeAsync(800);
    await assertion;
    expect(backend.calls).toHaveLength(3);
  });

  it('never retries rate_limited (a spent allowance) nor invalid_response, but counts them toward the breaker', async () => {
    const { policy, backend } = setup({ breakerThreshold: 2 });
    await expect(policy.read('op', ctx(), failing(backend, outage('erp', 'rate_limited')))).rejects.toMatchObject({
      failure: 'rate_limited',
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(backend.calls).toHaveLength(1);
    await expect(policy.read('op', ctx(), failing(backend, outage('erp', 'invalid_response')))).rejects.toMatchObject({
      failure: 'invalid_response',
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(backend.calls).toHaveLength(2);
    expect(policy.load().breaker).toBe('open');
  });

  it('never retries a request the backend rejected', async () => {
    const { policy, backend } = setup();
    await expect(policy.read('op', ctx(), failing(backend, outage('erp', 'rejected')))).rejects.toMatchObject({
      failure: 'rejected',
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(backend.calls).toHaveLength(1);
  });

  it('never retries a write, even after an outage', async () => {
    const { policy, backend } = setup();
    await expect(policy.write('op', ctx(), failing(backend, outage()))).rejects.toMatchObject({
      failure: 'unavailable',
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(backend.calls).toHaveLength(1);
  });

  it('treats an unclassified error (network) as an outage: retried, and thrown as a BackendError', async () => {
    const { policy, backend } = setup({ maxRetries: 1 });
    const result = policy.read(
      'op',
      ctx(),
      failing(backend, new TypeError('fetch failed'), new TypeError('fetch failed')),
    );
    const assertion = expect(result).rejects.toSatisfy(
      (e) => e instanceof BackendError && e.failure === 'unavailable' && e.cause instanceof TypeError,
    );
    await vi.advanceTimersByTimeAsync(400);
    await assertion;
    expect(backend.calls).toHaveLength(2);
  });
});

describe('circuit breaker', () => {
  it('opens after N consecutive outages and then fails fast without calling the backend', async () => {
    const { policy, backend, registry, events, calls } = setup({ maxRetries: 0 });
    for (let i = 0; i < 3; i++) await expect(policy.read('op', ctx(), failing(backend, outage()))).rejects.toThrow();
    expect(policy.load().breaker).toBe('open');
    expect(await metricValue(registry, 'circuit_breaker_state', { backend: 'erp' })).toBe(2);
    const fast = policy.read('op', ctx(), failing(backend));
    await expect(fast).rejects.toBeInstanceOf(ShieldRejectedError);
    await expect(fast).rejects.toMatchObject({ failure: 'unavailable', reason: 'circuit_open' });
    expect(backend.calls).toHaveLength(3);
    expect(await calls('circuit_open')).toBe(1);
    expect(events).toContainEqual({ type: 'breaker', backend: 'erp', state: 'open' });
  });

  it('does not open on requests the backend rejected (our bad request)', async () => {
    const { policy, backend } = setup({ maxRetries: 0 });
    for (let i = 0; i < 10; i++) {
      await expect(policy.read('op', ctx(), failing(backend, outage('erp', 'rejected')))).rejects.toThrow();
    }
    expect(policy.load().breaker).toBe('closed');
    expect(await policy.read('op', ctx(), failing(backend))).toBe('ok');
  });

  it('does not open on calls the bulkhead refused', async () => {
    const { policy, backend } = setup({ maxRetries: 0, maxConcurrent: 1, maxQueue: 0, breakerThreshold: 1 });
    backend.hold();
    const running = policy.read('op', ctx(), failing(backend));
    for (let i = 0; i < 3; i++)
      await expect(policy.read('op', ctx(), failing(backend))).rejects.toMatchObject({ reason: 'bulkhead_full' });
    backend.release();
    await running;
    expect(policy.load().breaker).toBe('closed');
  });

  it('lets one probe through after halfOpenAfterMs: success closes the circuit', async () => {
    const { policy, backend, registry, events } = setup({ maxRetries: 0 });
    for (let i = 0; i < 3; i++) await expect(policy.read('op', ctx(), failing(backend, outage()))).rejects.toThrow();
    await vi.advanceTimersByTimeAsync(4_999);
    await expect(policy.read('op', ctx(), failing(backend))).rejects.toMatchObject({ reason: 'circuit_open' });
    await vi.advanceTimersByTimeAsync(1);

    backend.hold();
    const probe = policy.read('op', ctx(), failing(backend));
    const waiting = policy.read('op', ctx(), failing(backend)); // waits for the probe's verdict
    await settle();
    expect(policy.load().breaker).toBe('half-open');
    expect(await metricValue(registry, 'circuit_breaker_state', { backend: 'erp' })).toBe(1);
    expect(backend.calls).toHaveLength(4); // only the probe reached the backend
    backend.release();
    expect(await probe).toBe('ok');
    expect(await waiting).toBe('ok');
    expect(policy.load().breaker).toBe('closed');
    expect(await metricValue(registry, 'circuit_breaker_state', { backend: 'erp' })).toBe(0);
    expect(events.filter((e) => e.type === 'breaker').map((e) => e.type === 'breaker' && e.state)).toEqual([
      'open',
      'half-open',
      'closed',
    ]);
  });

  it('re-opens when the probe fails', async () => {
    const { policy, backend } = setup({ maxRetries: 0 });
    for (let i = 0; i < 3; i++) await expect(policy.read('op', ctx(), failing(backend, outage()))).rejects.toThrow();
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(policy.read('op', ctx(), failing(backend, outage()))).rejects.toMatchObject({
      failure: 'unavailable',
    });
    expect(policy.load().breaker).toBe('open');
    await expect(policy.read('op', ctx(), failing(backend))).rejects.toMatchObject({ reason: 'circuit_open' });
    expect(backend.calls).toHaveLength(4);
  });

  it('re-opens when the probe answers something unreadable (a maintenance page): invalid_response is an outage', async () => {
    const { policy, backend } = setup({ maxRetries: 0 });
    for (let i = 0; i < 3; i++) await expect(policy.read('op', ctx(), failing(backend, outage()))).rejects.toThrow();
    await vi.advanceTimersByTimeAsync(5_000);
    const probe = policy.read('op', ctx(), failing(backend, outage('erp', 'invalid_response')));
    await expect(probe).rejects.toMatchObject({ failure: 'invalid_response' });
    expect(policy.load().breaker).toBe('open');
  });

  it("lets the probe complete when its caller aborts: the verdict is the backend's, not the caller's", async () => {
    const { policy, backend } = setup({ maxRetries: 0 });
    for (let i = 0; i < 3; i++) await expect(policy.read('op', ctx(), failing(backend, outage()))).rejects.toThrow();
    await vi.advanceTimersByTimeAsync(5_000);
    const controller = new AbortController();
    let probeSignal: AbortSignal | undefined;
    // Like the connectors: the call fails when its signal aborts; the backend itself never answers.
    const hanging = (c: CallContext) => {
      probeSignal = c.signal;
      return new Promise<string>((_, reject) =>
        c.signal!.addEventListener('abort', () => reject(outage('erp', 'timeout'))),
      );
    };
    const probe = policy.read('op', ctx('r1', controller.signal), hanging);
    const assertion = expect(probe).rejects.toMatchObject({ failure: 'timeout' });
    await settle();
    controller.abort();
    await settle();
    expect(probeSignal?.aborted).toBe(false);
    expect(policy.load().breaker).toBe('half-open');
    await vi.advanceTimersByTimeAsync(1_000); // the probe's own deadline
    await assertion;
    expect(policy.load().breaker).toBe('open');
    expect(backend.calls).toHaveLength(3);
  });

  it('stays open when the bulkhead refuses the probe (slots still held by timed-out calls)', async () => {
    const { policy, backend, calls } = setup({ maxRetries: 0, maxConcurrent: 1, maxQueue: 0, breakerThreshold: 1 });
    // Ignores its abort signal: keeps its slot after the aggressive timeout gave up on it.
    const stuck = policy.read('op', ctx(), () => new Promise<string>(() => undefined));
    const assertion = expect(stuck).rejects.toMatchObject({ failure: 'timeout' });
    await vi.advanceTimersByTimeAsync(1_000);
    await assertion;
    expect(policy.load()).toMatchObject({ breaker: 'open', inFlight: 1 });
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(policy.read('op', ctx(), failing(backend))).rejects.toMatchObject({ reason: 'bulkhead_full' });
    expect(policy.load().breaker).toBe('open');
    expect(backend.calls).toHaveLength(0);
    expect(await calls('bulkhead_full')).toBe(1);
  });

  it('stops retrying once the circuit opens mid-retry', async () => {
    const { policy, backend } = setup({ breakerThreshold: 2, maxRetries: 5 });
    const result = policy.read('op', ctx(), failing(backend, outage(), outage(), outage(), outage()));
    const assertion = expect(result).rejects.toMatchObject({ reason: 'circuit_open' });
    await vi.advanceTimersByTimeAsync(2_000);
    await assertion;
    expect(backend.calls).toHaveLength(2);
  });

  it('does not count a call its caller abandoned', async () => {
    const { policy, calls } = setup({ breakerThreshold: 1 });
    const controller = new AbortController();
    // Like the connectors: the call fails when its signal aborts.
    const call = (c: CallContext) =>
      new Promise<string>((_, reject) => c.signal!.addEventListener('abort', () => reject(outage('erp', 'timeout'))));
    const result = policy.write('op', ctx('r1', controller.signal), call);
    const assertion = expect(result).rejects.toMatchObject({ failure: 'timeout' });
    controller.abort();
    await assertion;
    expect(policy.load().breaker).toBe('closed');
    expect(await calls('abandoned')).toBe(1);
  });
});
