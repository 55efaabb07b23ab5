// Coalescing of misses under load (the erp-shield benchmark's ERP_UNAVAILABLE failures): per kind at
// most two batch calls run at once, misses arriving meanwhile — over any number of ticks — join ONE
// waiting batch, which closes only when its call starts (inside a bulkhead slot), in chunks of at
// most 200 keys; so the bulkhead queue never overflows from reads merely because of load.
import { describe, expect, it } from 'vitest';
import type { CallContext } from '../../lib/call-context.js';
import { BackendError } from '../../lib/backend-error.js';
import { createKeyedCache, MAX_KEYS_PER_BATCH, startAtOnce } from '../../shield/keyed-cache.js';
import { createShield, parseShieldOptions } from '../../shield/index.js';
import { createShieldMetrics } from '../../shield/metrics.js';
import { defaultShieldOptions } from '../../shield/options.js';
import { batchSource, customer, ctx, FakeErp, flush, manualClock, metricValue, outage, Registry } from './fakes.js';

function cacheOver(data: Map<string, string>, enabled = true) {
  const source = batchSource(data);
  const cache = createKeyedCache<string>({
    kind: 'erp.customer',
    backend: 'erp',
    policy: defaultShieldOptions.caches['erp.customer'],
    enabled,
    loadBatch: startAtOnce(source.load),
    metrics: createShieldMetrics(new Registry()),
    clock: manualClock(),
  });
  return { cache, backend: source.backend };
}

const keys = (n: number, prefix = 'k') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('coalescing batcher: misses while the kind is busy', () => {
  it.each([true, false])(
    'with two batches in flight, 100 misses over 100 ticks make exactly ONE more call (cache enabled: %s)',
    async (enabled) => {
      const { cache, backend } = cacheOver(new Map(keys(102).map((k) => [k, k.toUpperCase()])), enabled);
      backend.hold();
      const first = cache.getMany(['k0'], ctx('r0'));
      await flush();
      const second = cache.getMany(['k1'], ctx('r1'));
      await flush();
      expect(backend.calls.map((c) => c.keys)).toEqual([['k0'], ['k1']]);

      const later: Promise<unknown>[] = [];
      for (const key of keys(102).slice(2)) {
        later.push(cache.getMany([key], ctx(`r-${key}`)));
        await flush(); // a new tick (and request) for every miss
      }
      expect(backend.calls).toHaveLength(2); // both lanes busy: the misses wait together

      backend.release();
      await Promise.all([first, second, ...later]);
      expect(backend.calls).toHaveLength(3);
      expect(backend.calls[2]!.keys).toEqual(keys(102).slice(2));
      // The coalesced call carries the correlation id of the request that opened the batch.
      expect(backend.calls[2]!.ctx.correlationId).toBe('r-k2');
    },
  );

  it('closes a batch at 200 keys when it starts; the rest form the next batch', async () => {
    const { cache, backend } = cacheOver(new Map());
    backend.hold();
    const busy = [cache.getMany(['a'], ctx()), (await flush(), cache.getMany(['b'], ctx()))];
    await flush();
    const waiting = cache.getMany(keys(450), ctx());
    await flush();
    expect(backend.calls).toHaveLength(2);
    backend.release();
    expect(await waiting).toEqual(Array(450).fill(null));
    await Promise.all(busy);
    expect(backend.calls.slice(2).map((c) => c.keys.length)).toEqual([MAX_KEYS_PER_BATCH, MAX_KEYS_PER_BATCH, 50]);
  });

  it('fails every key that joined a batch with that batch call only', async () => {
    const { cache, backend } = cacheOver(
      new Map([
        ['a', 'A'],
        ['b', 'B'],
      ]),
    );
    backend.hold();
    const running = [cache.getMany(['x'], ctx()), (await flush(), cache.getMany(['y'], ctx()))];
    await flush();
    const joined = [cache.getMany(['a'], ctx()), (await flush(), cache.getMany(['b'], ctx()))];
    backend.failure = outage();
    backend.release();
    for (const results of await Promise.all([...running, ...joined])) {
      expect(results[0]).toBeInstanceOf(BackendError);
    }
    backend.failure = null;
    expect(
      (await cache.getMany(['a', 'b'], ctx())).map((r) => (r && !(r instanceof BackendError) ? r.value : r)),
    ).toEqual(['A', 'B']);
  });
});

/** An ERP that answers after a few turns of the event loop (real latency, without timers). */
class SlowErp extends FakeErp {
  inFlight = 0;
  maxInFlight = 0;
  override async answer<T>(method: string, batch: readonly string[], c: CallContext, produce: () => T): Promise<T> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      for (let i = 0; i < 5; i++) await flush();
      return await super.answer(method, batch, c, produce);
    } finally {
      this.inFlight--;
    }
  }
}

describe('coalescing through the shield: the bulkhead under load', () => {
  it('keys that miss while their batch waits for a bulkhead slot join it', async () => {
    const registry = new Registry();
    const shield = createShield(parseShieldOptions({ erp: { maxConcurrent: 1, maxQueue: 9, maxRetries: 0 } }), {
      registry,
    });
    const port = new FakeErp();
    for (const n of keys(40, 'C')) port.customers.set(n, customer(n));
    const erp = shield.erp(port);
    port.hold();
    const first = erp.customersByNumbers(['C0'], ctx()); // takes the only slot
    await flush();
    const rest: Promise<unknown>[] = [];
    for (const n of keys(40, 'C').slice(1)) {
      rest.push(erp.customersByNumbers([n], ctx())); // the 2nd lane's batch waits in the queue, open
      await flush();
    }
    expect(erp.policy.load()).toMatchObject({ inFlight: 1, queued: 1 });
    port.release();
    await Promise.all([first, ...rest]);
    expect(port.callsTo('customersByNumbers').map((c) => c.keys)).toEqual([['C0'], keys(40, 'C').slice(1)]);
    // The batch sizes are visible in /metrics: two calls carrying 1 + 39 keys.
    const { values } = await registry.getSingleMetric('cache_batch_keys')!.get();
    const series = (name: string) =>
      values.find((v) => (v as { metricName?: string }).metricName === name && v.labels.kind === 'erp.customer')?.value;
    expect([series('cache_batch_keys_count'), series('cache_batch_keys_sum')]).toEqual([2, 40]);
  });

  it('never rejects reads because of load: 300 operations over every kind, 2 slots, a queue of 9', async () => {
    const registry = new Registry();
    // A queue as small as the number of ERP kinds: one waiting batch per kind fits, nothing more may.
    const shield = createShield(parseShieldOptions({ erp: { maxConcurrent: 2, maxQueue: 9, maxRetries: 0 } }), {
      registry,
    });
    const port = new SlowErp();
    for (const n of keys(300, 'C')) port.customers.set(n, customer(n));
    const erp = shield.erp(port);
    const reads = erp.served;
    const operation = async (n: number) => {
      const c = ctx(`op-${n}`);
      const customerNumber = `C${n}`;
      // A customer-360 operation: its reads spread over a few ticks, as resolvers reach them.
      const results: unknown[][] = await Promise.all([
        reads.customersByNumbers([customerNumber], c),
        reads.financialsByCustomers([customerNumber], c),
        reads.paymentTermsByIds([`terms-${n % 7}`], c),
        reads.openInvoicesByCustomers([customerNumber], c),
      ]);
      await flush();
      results.push(
        ...(await Promise.all([
          reads.ordersByCustomers([customerNumber], c),
          reads.ordersByNumbers([`SO${n}`], c),
          reads.shipmentsByCustomers([customerNumber], c),
          reads.shipmentsByOrderNumbers([`SO${n}`], c),
          reads.itemsByNumbers([`I${n % 13}`], c),
        ])),
      );
      return results.flat();
    };
    const operations: Promise<unknown[]>[] = [];
    for (let n = 0; n < 300; n++) {
      operations.push(operation(n));
      if (n % 3 === 0) await flush(); // arrivals spread over many ticks
    }
    const results = (await Promise.all(operations)).flat();
    expect(results.filter((r) => r instanceof BackendError)).toEqual([]);
    expect(await metricValue(registry, 'backend_calls_total', { backend: 'erp', outcome: 'bulkhead_full' })).toBe(0);
    expect(port.maxInFlight).toBeLessThanOrEqual(2);
    // Far fewer calls than operations × kinds: the batches grew with the load.
    expect(port.calls.length).toBeLessThan(300);
  });
});
