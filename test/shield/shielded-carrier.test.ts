// The shielded carrier port as the tracking code will use it: the same CarrierPort, lookups of many
// requests coalesced into calls of at most the port's 30 keys, tracking cached (a delivered shipment
// for hours, one on its way for minutes), served stale while the carrier is down or rate limits us,
// the breaker failing fast and recovering through a probe. Fake timers drive the caches and cockatiel.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CarrierPort, ShipmentTracking } from '../../connectors/carrier/port.js';
import { BackendError } from '../../lib/backend-error.js';
import type { CallContext } from '../../lib/call-context.js';
import { createShield, parseShieldOptions, ShieldRejectedError, type ShieldOptionsInput } from '../../shield/index.js';
import { ctx, FakeBackend, metricValue, outage, Registry, T0 } from './fakes.js';

/** Tracking of a shipment: delivered, or still on its way (estimated delivery, not delivered). */
function tracking(key: string, delivered: boolean): ShipmentTracking {
  const [carrier, trackingNumber] = key.split('~') as [string, string];
  return {
    trackingNumber,
    carrier,
    status: delivered ? 'DELIVERED' : 'IN_TRANSIT',
    events: [
      {
        at: new Date(T0 - 3_600_000).toISOString(),
        status: 'PICKED_UP',
        description: 'Picked up',
        location: 'Columbus, OH, US',
      },
    ],
    estimatedDelivery: delivered ? null : new Date(T0 + 86_400_000).toISOString(),
    deliveredAt: delivered ? new Date(T0 - 60_000).toISOString() : null,
  };
}

class FakeCarrier extends FakeBackend implements CarrierPort {
  readonly adapter = 'fedex-track' as const;
  readonly maxKeysPerRequest = 30;
  readonly shipments = new Map<string, ShipmentTracking>();
  closed = false;

  trackingByKeys(keys: readonly string[], c: CallContext) {
    return this.answer(
      'trackingByKeys',
      keys,
      c,
      () => new Map(keys.filter((k) => this.shipments.has(k)).map((k) => [k, this.shipments.get(k)!] as const)),
    );
  }

  ping(c: CallContext) {
    return this.answer('ping', [], c, () => undefined);
  }

  close() {
    this.closed = true;
  }
}

function setup(input: ShieldOptionsInput = {}) {
  const registry = new Registry();
  const shield = createShield(parseShieldOptions(input), { registry });
  const port = new FakeCarrier();
  for (let i = 0; i < 100; i++) port.shipments.set(`UPS~T${i}`, tracking(`UPS~T${i}`, i % 2 === 0));
  const carrier = shield.carrier(port);
  return { registry, shield, port, carrier };
}

const DELIVERED = 'UPS~T0';
const MOVING = 'UPS~T1';

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('shielded carrier: batching', () => {
  it("keeps the CarrierPort contract and coalesces every caller's lookups into calls of at most 30 keys", async () => {
    const { carrier, port } = setup();
    const keys = Array.from({ length: 70 }, (_, i) => `UPS~T${i}`);
    const [a, b, c] = await Promise.all([
      carrier.trackingByKeys(keys.slice(0, 40), ctx('r1')),
      carrier.trackingByKeys(keys.slice(20, 60), ctx('r2')),
      carrier.served.trackingByKeys([...keys.slice(50, 70), 'UPS~NOPE'], ctx('r3')),
    ]);
    expect(a.size).toBe(40);
    expect(b.size).toBe(40);
    expect(c.slice(0, 20).every((r) => r !== null && !(r instanceof BackendError))).toBe(true);
    expect(c[20]).toBeNull();
    const calls = port.callsTo('trackingByKeys');
    expect(calls.every((call) => call.keys.length <= 30)).toBe(true);
    expect(calls.flatMap((call) => call.keys).sort()).toEqual([...keys, 'UPS~NOPE'].sort());
    expect(calls).toHaveLength(3);
    expect(carrier.maxKeysPerRequest).toBe(30);
    expect(carrier.adapter).toBe('fedex-track');
  });
});

describe('shielded carrier: caching', () => {
  it('answers repeats from memory with asOf and stale, the unknown number too', async () => {
    const { carrier, port } = setup();
    await carrier.trackingByKeys([MOVING, 'UPS~NOPE'], ctx());
    const [moving, none] = await carrier.served.trackingByKeys([MOVING, 'UPS~NOPE'], ctx());
    expect(moving).toEqual({ value: tracking(MOVING, false), asOf: new Date(T0), stale: false });
    expect(none).toBeNull();
    expect(port.callsTo('trackingByKeys')).toHaveLength(1);
  });

  it('keeps a delivered shipment for hours and refreshes one on its way after five minutes', async () => {
    const { carrier, port } = setup();
    await carrier.trackingByKeys([DELIVERED, MOVING], ctx());
    await vi.advanceTimersByTimeAsync(6 * 60_000);
    const [delivered, moving] = await carrier.served.trackingByKeys([DELIVERED, MOVING], ctx());
    expect(delivered).toMatchObject({ stale: false });
    // Past its TTL: served at once, marked stale, refreshed in the background.
    expect(moving).toMatchObject({ stale: true });
    await vi.advanceTimersByTimeAsync(0);
    expect(port.callsTo('trackingByKeys').map((call) => call.keys)).toEqual([[DELIVERED, MOVING], [MOVING]]);
    await vi.advanceTimersByTimeAsync(5 * 3_600_000);
    await carrier.trackingByKeys([DELIVERED], ctx());
    expect(port.callsTo('trackingByKeys')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(3_600_000);
    await carrier.trackingByKeys([DELIVERED], ctx());
    await vi.advanceTimersByTimeAsync(0);
    expect(port.callsTo('trackingByKeys')).toHaveLength(3);
  });

  it('drops what shield.invalidate names', async () => {
    const { carrier, port, shield } = setup();
    await carrier.trackingByKeys([DELIVERED], ctx());
    shield.invalidate('carrier.tracking', [DELIVERED]);
    await carrier.trackingByKeys([DELIVERED], ctx());
    expect(port.callsTo('trackingByKeys')).toHaveLength(2);
  });

  it("counts lookups and calls in the shield metrics under the carrier's names", async () => {
    const { carrier, registry } = setup();
    await carrier.trackingByKeys([DELIVERED], ctx());
    await carrier.trackingByKeys([DELIVERED], ctx());
    expect(
      await metricValue(registry, 'backend_calls_total', {
        backend: 'carrier',
        operation: 'trackingByKeys',
        outcome: 'success',
      }),
    ).toBe(1);
    expect(await metricValue(registry, 'cache_requests_total', { kind: 'carrier.tracking', result: 'miss' })).toBe(1);
    expect(await metricValue(registry, 'cache_requests_total', { kind: 'carrier.tracking', result: 'hit' })).toBe(1);
    expect(await metricValue(registry, 'circuit_breaker_state', { backend: 'carrier' })).toBe(0);
  });
});

describe('shielded carrier: the carrier fails', () => {
  it('serves cached tracking stale while the carrier is down; what it never had fails with the outage', async () => {
    const { carrier, port } = setup();
    await carrier.trackingByKeys([MOVING], ctx());
    port.failure = outage('carrier');
    await vi.advanceTimersByTimeAsync(11 * 60_000); // past TTL and revalidate window: callers wait for the refresh
    const pending = carrier.served.trackingByKeys([MOVING, 'UPS~T3'], ctx());
    await vi.advanceTimersByTimeAsync(5_000); // the retries' backoff
    const [moving, never] = await pending;
    expect(moving).toMatchObject({ value: tracking(MOVING, false), asOf: new Date(T0), stale: true });
    expect(never).toBeInstanceOf(BackendError);
    expect((never as BackendError).backend).toBe('carrier');
  });

  it('serves stale when rate limited, without retrying (a retry within seconds cannot pass)', async () => {
    const { carrier, port } = setup();
    await carrier.trackingByKeys([MOVING], ctx());
    await vi.advanceTimersByTimeAsync(11 * 60_000);
    port.failure = new BackendError('carrier', 'rate_limited', 'fake 429', { status: 429, retryAfterMs: 8_000 });
    const [moving] = await carrier.served.trackingByKeys([MOVING], ctx());
    expect(moving).toMatchObject({ stale: true });
    expect(port.callsTo('trackingByKeys')).toHaveLength(2);
  });

  it('opens the breaker after consecutive outages, fails fast without calling the carrier, and recovers via a probe', async () => {
    const { carrier, port, registry } = setup({
      carrier: { maxRetries: 0, breakerThreshold: 2, halfOpenAfterMs: 5_000 },
    });
    port.failure = outage('carrier');
    await expect(carrier.trackingByKeys(['UPS~T2'], ctx())).rejects.toMatchObject({ failure: 'unavailable' });
    await expect(carrier.trackingByKeys(['UPS~T4'], ctx())).rejects.toMatchObject({ failure: 'unavailable' });
    expect(carrier.policy.load().breaker).toBe('open');
    const calls = port.calls.length;
    await expect(carrier.trackingByKeys(['UPS~T6'], ctx())).rejects.toBeInstanceOf(ShieldRejectedError);
    await expect(carrier.ping(ctx())).rejects.toMatchObject({ reason: 'circuit_open' });
    expect(port.calls.length).toBe(calls);
    expect(await metricValue(registry, 'circuit_breaker_state', { backend: 'carrier' })).toBe(2);
    port.failure = null;
    await vi.advanceTimersByTimeAsync(5_000);
    expect((await carrier.trackingByKeys(['UPS~T6'], ctx())).size).toBe(1);
    expect(carrier.policy.load().breaker).toBe('closed');
  });

  it("lets no more than the bulkhead's calls reach the carrier at once", async () => {
    const { carrier, port } = setup({ carrier: { maxConcurrent: 1, maxQueue: 8 } });
    port.hold();
    const lookups = [0, 1, 2].map((i) => carrier.uncached.trackingByKeys([`UPS~T${i}`], ctx()));
    await vi.advanceTimersByTimeAsync(0);
    expect(port.calls).toHaveLength(1);
    port.release();
    await vi.advanceTimersByTimeAsync(0);
    await Promise.all(lookups);
    expect(port.calls).toHaveLength(3);
  });
});

describe('shield.carrier', () => {
  it("wraps the process's carrier once, and passes close through", () => {
    const { shield, carrier, port } = setup();
    expect(() => shield.carrier(new FakeCarrier())).toThrow(/already shielded/);
    carrier.close();
    expect(port.closed).toBe(true);
  });

  it('has the documented defaults: four calls in flight, five minutes for tracking, six hours once settled', () => {
    const options = parseShieldOptions({});
    expect(options.carrier).toMatchObject({ maxConcurrent: 4, maxQueue: 32 });
    expect(options.caches['carrier.tracking']).toMatchObject({
      ttlMs: 300_000,
      settledTtlMs: 6 * 3_600_000,
      absentTtlMs: 15_000,
    });
  });
});
