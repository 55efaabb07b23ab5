// The process-wide keyed cache on its own: batching, shared misses, TTL zones (fresh,
// stale-while-revalidate, stale-if-error, too old), negative caching, invalidation, the disabled
// mode and its metrics. Time is a hand-moved clock; no sleeps.
import { describe, expect, it } from 'vitest';
import { BackendError } from '../../lib/backend-error.js';
import { createInvalidationHub } from '../../shield/invalidation.js';
import { createKeyedCache, startAtOnce, type ServedResult } from '../../shield/keyed-cache.js';
import { createShieldMetrics } from '../../shield/metrics.js';
import { defaultShieldOptions, type CachePolicy } from '../../shield/options.js';
import { batchSource, ctx, flush, manualClock, metricValue, outage, Registry, T0 } from './fakes.js';

const POLICY: CachePolicy = {
  ttlMs: 60_000,
  settledTtlMs: 60_000,
  staleWhileRevalidateMs: 60_000,
  maxStaleMs: 15 * 60_000,
  absentTtlMs: 10_000,
  maxEntries: 100,
};

function setup(options: { policy?: Partial<CachePolicy>; enabled?: boolean } = {}) {
  const clock = manualClock();
  const registry = new Registry();
  const metrics = createShieldMetrics(registry);
  const source = batchSource(
    new Map([
      ['a', 'A1'],
      ['b', 'B1'],
      ['c', 'C1'],
    ]),
  );
  const cache = createKeyedCache<string>({
    kind: 'erp.customer',
    backend: 'erp',
    policy: { ...POLICY, ...options.policy },
    enabled: options.enabled ?? true,
    loadBatch: startAtOnce(source.load),
    metrics,
    clock,
  });
  const requests = (result: string) => metricValue(registry, 'cache_requests_total', { kind: 'erp.customer', result });
  return { clock, registry, source, backend: source.backend, cache, requests };
}

const values = (results: ServedResult<string>[]) =>
  results.map((r) => (r instanceof BackendError ? `error:${r.failure}` : r === null ? null : r.value));

describe('keyed cache: batching and shared misses', () => {
  it('loads N missed keys with ONE backend call, results aligned with the keys, absent keys null', async () => {
    const { cache, backend } = setup();
    const results = await cache.getMany(['a', 'b', 'zz', 'c'], ctx());
    expect(values(results)).toEqual(['A1', 'B1', null, 'C1']);
    expect(backend.calls).toHaveLength(1);
    expect(backend.calls[0]!.keys).toEqual(['a', 'b', 'zz', 'c']);
    // The shared call carries the correlation id but never a client's abort signal.
    expect(backend.calls[0]!.ctx).toEqual({ correlationId: 'corr-1' });
  });

  it('merges concurrent lookups of one tick into one call, each key once', async () => {
    const { cache, backend } = setup();
    const [first, second] = await Promise.all([
      cache.getMany(['a', 'b'], ctx('r1')),
      cache.getMany(['b', 'c', 'b'], ctx('r2')),
    ]);
    expect(values(first)).toEqual(['A1', 'B1']);
    expect(values(second)).toEqual(['B1', 'C1', 'B1']);
    expect(backend.calls.map((c) => c.keys)).toEqual([['a', 'b', 'c']]);
  });

  it('lets a later lookup share a miss already in flight instead of fetching the key again', async () => {
    const { cache, backend } = setup();
    backend.hold();
    const first = cache.getMany(['a', 'b'], ctx('r1'));
    await flush(); // the first batch has gone out and is waiting for the backend
    const second = cache.getMany(['b', 'c'], ctx('r2'));
    await flush();
    backend.release();
    expect(values(await first)).toEqual(['A1', 'B1']);
    expect(values(await second)).toEqual(['B1', 'C1']);
    expect(backend.calls.map((c) => c.keys)).toEqual([['a', 'b'], ['c']]);
  });

  it('serves fresh entries from memory with their asOf, without calling the backend', async () => {
    const { cache, backend, clock, requests } = setup();
    await cache.getMany(['a'], ctx());
    clock.advance(30_000);
    const [served] = await cache.getMany(['a'], ctx());
    expect(served).toEqual({ value: 'A1', asOf: new Date(T0), stale: false });
    expect(backend.calls).toHaveLength(1);
    expect(await requests('miss')).toBe(1);
    expect(await requests('hit')).toBe(1);
  });
});

describe('keyed cache: expiry, stale-while-revalidate, stale-if-error', () => {
  it('serves a stale entry at once (marked stale) while ONE background refresh runs', async () => {
    const { cache, backend, clock, source, requests } = setup();
    await cache.getMany(['a'], ctx());
    source.data.set('a', 'A2');
    clock.advance(60_001); // past the TTL, inside the stale-while-revalidate window
    backend.hold();
    const [one, two] = await Promise.all([cache.getMany(['a'], ctx()), cache.getMany(['a'], ctx())]);
    expect(one[0]).toEqual({ value: 'A1', asOf: new Date(T0), stale: true });
    expect(two[0]).toMatchObject({ value: 'A1', stale: true });
    await flush();
    expect(backend.calls).toHaveLength(2); // the first load and one refresh
    backend.release();
    await flush();
    const [after] = await cache.getMany(['a'], ctx());
    expect(after).toEqual({ value: 'A2', asOf: new Date(T0 + 60_001), stale: false });
    expect(backend.calls).toHaveLength(2);
    expect(await requests('stale')).toBe(2);
  });

  it('waits for the backend when an entry is older than its TTL plus the revalidate window', async () => {
    const { cache, backend, clock, source } = setup();
    await cache.getMany(['a'], ctx());
    source.data.set('a', 'A2');
    clock.advance(60_000 + 60_001);
    const [served] = await cache.getMany(['a'], ctx());
    expect(served).toEqual({ value: 'A2', asOf: new Date(T0 + 120_001), stale: false });
    expect(backend.calls).toHaveLength(2);
  });

  it('keeps serving the stale value while the backend fails, and keeps it for the next time', async () => {
    const { cache, backend, clock } = setup();
    await cache.getMany(['a'], ctx());
    backend.failure = outage();
    clock.advance(61_000); // revalidate zone: stale served at once, the refresh fails in the background
    expect((await cache.getMany(['a'], ctx()))[0]).toMatchObject({ value: 'A1', stale: true });
    await flush();
    clock.advance(5 * 60_000); // stale-if-error zone: waits for the refresh, which fails
    expect((await cache.getMany(['a'], ctx()))[0]).toEqual({ value: 'A1', asOf: new Date(T0), stale: true });
    expect(backend.calls).toHaveLength(3);
  });

  it('propagates the BackendError once the stale value is older than maxStale, or when there is none', async () => {
    const { cache, backend, clock } = setup();
    await cache.getMany(['a'], ctx());
    backend.failure = outage('erp', 'timeout');
    clock.advance(60_000 + 15 * 60_000 + 1);
    const [tooOld, neverSeen] = await cache.getMany(['a', 'b'], ctx());
    expect(tooOld).toBeInstanceOf(BackendError);
    expect((tooOld as BackendError).failure).toBe('timeout');
    expect(neverSeen).toBe(tooOld);
    await expect(cache.getMap(['a'], ctx())).rejects.toMatchObject({ name: 'BackendError', failure: 'timeout' });
  });
});

describe('keyed cache: negative caching', () => {
  it('remembers that the backend has no record, for absentTtlMs', async () => {
    const { cache, backend, clock, source } = setup();
    expect(await cache.getMany(['new'], ctx())).toEqual([null]);
    clock.advance(9_000);
    expect(await cache.getMany(['new'], ctx())).toEqual([null]);
    expect(backend.calls).toHaveLength(1);
    source.data.set('new', 'N1');
    clock.advance(10_000 + 60_001 - 9_000); // past the negative TTL and its revalidate window
    expect(values(await cache.getMany(['new'], ctx()))).toEqual(['N1']);
    expect(backend.calls).toHaveLength(2);
  });

  it('does not serve an "absent" past absentTtlMs: it refetches, and an outage reaches the caller', async () => {
    const { cache, backend, clock, source } = setup();
    expect(await cache.getMany(['new'], ctx())).toEqual([null]);
    clock.advance(10_001); // past the negative TTL, well inside the revalidate window of a found entry
    source.data.set('new', 'N1');
    expect(values(await cache.getMany(['new'], ctx()))).toEqual(['N1']);
    expect(backend.calls).toHaveLength(2);

    expect(await cache.getMany(['gone'], ctx())).toEqual([null]);
    backend.failure = outage();
    clock.advance(5 * 60_000); // would be the stale-if-error window of a found entry
    expect(values(await cache.getMany(['gone'], ctx()))).toEqual(['error:unavailable']);
  });
});

describe('keyed cache: invalidation', () => {
  it('drops the given keys only (through the process hub), so the next lookup reads them again', async () => {
    const { cache, backend, source } = setup();
    const hub = createInvalidationHub();
    hub.register(cache);
    await cache.getMany(['a', 'b'], ctx());
    source.data.set('a', 'A2');
    hub.invalidate('erp.customer', ['a']);
    hub.invalidate('erp.item', ['b']); // another kind: untouched
    expect(values(await cache.getMany(['a', 'b'], ctx()))).toEqual(['A2', 'B1']);
    expect(backend.calls.map((c) => c.keys)).toEqual([['a', 'b'], ['a']]);
    hub.clear();
    expect(cache.size).toBe(0);
  });

  it('refuses a value set as of before an invalidation (a replica scan that started before the write)', async () => {
    const { cache, backend, clock } = setup();
    clock.advance(10);
    cache.invalidate(['a']); // a write of ours at T0 + 10
    cache.set('a', 'pre-write', T0); // the scan that read it started at T0
    cache.setAbsent('b', T0 + 10); // a key not invalidated: stored
    cache.invalidate(['c']);
    cache.setAbsent('c', T0 + 10); // as of the invalidation's own millisecond: may predate it, refused
    cache.set('a', 'post-write', T0 + 11);
    expect(values(await cache.getMany(['a', 'b', 'c'], ctx()))).toEqual(['post-write', null, 'C1']);
    expect(backend.calls.map((c) => c.keys)).toEqual([['c']]);
    // After a clear, as after an invalidation of every key.
    cache.clear();
    cache.set('b', 'pre-clear', T0 + 10);
    expect(values(await cache.getMany(['b'], ctx()))).toEqual(['B1']);
  });

  it('does not store a value read before an invalidation that happened while it was in flight', async () => {
    const { cache, backend, source } = setup();
    backend.hold();
    const pending = cache.getMany(['a'], ctx());
    await flush();
    cache.invalidate(['a']); // e.g. a write landed while the read was on its way
    backend.release();
    expect(values(await pending)).toEqual(['A1']); // its caller still gets an answer
    source.data.set('a', 'A2');
    expect(values(await cache.getMany(['a'], ctx()))).toEqual(['A2']);
    expect(backend.calls).toHaveLength(2);
  });
});

describe('keyed cache: disabled', () => {
  it('stores nothing but still batches each tick into one call', async () => {
    const { cache, backend, requests } = setup({ enabled: false });
    const [one, two] = await Promise.all([cache.getMany(['a', 'b'], ctx()), cache.getMany(['b', 'c'], ctx())]);
    expect(values(one)).toEqual(['A1', 'B1']);
    expect(values(two)).toEqual(['B1', 'C1']);
    expect(backend.calls.map((c) => c.keys)).toEqual([['a', 'b', 'c']]);
    expect((await cache.getMany(['a'], ctx()))[0]).toMatchObject({ value: 'A1', stale: false });
    expect(backend.calls).toHaveLength(2);
    expect(cache.size).toBe(0);
    expect(await requests('miss')).toBe(5);
  });
});

describe('keyed cache: bounds and callers', () => {
  it('evicts the least recently used entry beyond maxEntries and counts it', async () => {
    const { cache, registry } = setup({ policy: { maxEntries: 2 } });
    await cache.getMany(['a', 'b'], ctx());
    await cache.getMany(['c'], ctx());
    expect(cache.size).toBe(2);
    expect(await metricValue(registry, 'cache_evictions_total', { kind: 'erp.customer' })).toBe(1);
    expect(await metricValue(registry, 'cache_entries', { kind: 'erp.customer' })).toBe(2);
  });

  it('stops waiting when the caller aborts, while the shared read completes for everyone else', async () => {
    const { cache, backend } = setup();
    backend.hold();
    const controller = new AbortController();
    const abandoned = cache.getMany(['a'], ctx('r1', controller.signal));
    await flush();
    controller.abort();
    await expect(abandoned).rejects.toMatchObject({ name: 'BackendError', failure: 'timeout' });
    backend.release();
    await flush();
    expect(values(await cache.getMany(['a'], ctx()))).toEqual(['A1']);
    expect(backend.calls).toHaveLength(1);
  });

  it('ships with a cache policy for every kind', () => {
    expect(defaultShieldOptions.caches['erp.customer']).toMatchObject({ ttlMs: 60_000, maxStaleMs: 900_000 });
    expect(defaultShieldOptions.caches['erp.item'].ttlMs).toBe(300_000);
    expect(defaultShieldOptions.caches['sf.account'].ttlMs).toBe(120_000);
  });
});
