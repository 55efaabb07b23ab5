// A process-wide cache for one entity kind, behind the per-request DataLoaders of the subgraphs
// (docs/architecture.md, "5. The shield"). Built on lru-cache 11's fetch machinery rather than by hand:
// - `fetch` coalesces concurrent misses of a key into one fetchMethod call (in-flight dedupe);
// - `allowStale` on a stale entry returns it at once and refreshes it in the background
//   (stale-while-revalidate);
// - `allowStaleOnFetchRejection` returns the stale entry when the refresh fails and keeps it
//   (it implies `noDeleteOnFetchRejection`) (stale-if-error);
// - `ttl` per entry, set from the fetchMethod (`options.ttl`), gives absent keys a shorter life;
// - `max` bounds the entries (LRU eviction); `perf` takes the injected clock.
// What lru-cache has no notion of is a bound on staleness, so each lookup first peeks at the entry's
// age and picks the fetch options of its zone (see options.ts, cachePolicy).
//
// Misses stay batched: the fetchMethod does not call the backend per key, it hands the key to the
// kind's coalescing batcher (coalescing-batcher.ts), so every key missed or refreshed while the
// kind's batch is open (one tick when idle, longer under load), by whichever request, goes out in ONE
// backend batch call. The batcher also serves the disabled mode (no lru-cache at all).
import { settleUnlessAborted } from '../lib/abort.js';
import { LRUCache } from 'lru-cache';
import { BackendError, type BackendName } from '../lib/backend-error.js';
import type { CallContext } from '../lib/call-context.js';
import type { Clock } from './clock.js';
import { createCoalescingBatcher, type Lookup, type OpenBatchRead } from './coalescing-batcher.js';
import type { CacheResult, ShieldMetrics } from './metrics.js';
import type { CacheKind, CachePolicy } from './options.js';

/** A value as served, with its age: `asOf` is when it was read from the backend. */
export interface Served<V> {
  readonly value: V;
  readonly asOf: Date;
  /** True when older than its TTL: served while refreshing, or because the backend is failing. */
  readonly stale: boolean;
}

/**
 * One key's answer in the shape a DataLoader batch function returns: the served value, `null` when
 * the backend has no record for the key, or the BackendError that kept it from being read.
 */
export type ServedResult<V> = Served<V> | null | BackendError;

/** A batch-shaped port read: many keys in, a map of the keys found out. */
export type BatchRead<V> = (keys: readonly string[], ctx: CallContext) => Promise<Map<string, V>>;

/** The same read with freshness: results aligned with `keys`, ready to return from a DataLoader. */
export type ServedRead<V> = (keys: readonly string[], ctx: CallContext) => Promise<ServedResult<V>[]>;

/** The `served` twin of some batch reads of a port. */
export type ServedReads<Port, Method extends keyof Port> = {
  readonly [M in Method]: Port[M] extends BatchRead<infer V> ? ServedRead<V> : never;
};

/** What is stored: the record, or the backend's answer that there is none (negative caching). */
type Entry<V> =
  | { readonly found: true; readonly value: V; readonly fetchedAt: number; readonly replica?: true }
  | { readonly found: false; readonly fetchedAt: number; readonly replica?: true };

export interface KeyedCacheOptions<V> {
  kind: CacheKind;
  backend: BackendName;
  policy: CachePolicy;
  /** false: no storage at all, every lookup goes to the backend, still batched per tick. */
  enabled: boolean;
  /**
   * The backend's batch read behind the resilience policy: a map with the keys it has. It calls
   * `batch.start()` for its keys only when the call really starts (see coalescing-batcher.ts);
   * `startAtOnce` adapts a plain BatchRead.
   */
  loadBatch: OpenBatchRead<V>;
  metrics: ShieldMetrics;
  clock: Clock;
  /**
   * True for a value the backend will not change any more: it lives policy.settledTtlMs instead of
   * ttlMs (a delivered shipment's tracking). Default: none is.
   */
  isSettled?: (value: V) => boolean;
  /** Keys per backend batch call, when the backend takes fewer than MAX_KEYS_PER_BATCH at once. */
  maxKeysPerBatch?: number;
}

export interface KeyedCache<V> {
  readonly kind: CacheKind;
  /** Results aligned with `keys`. Rejects only when ctx.signal aborts; backend failures are per key. */
  readonly getMany: ServedRead<V>;
  /** The port's own shape: a map of the keys found. Throws the first key's BackendError, if any. */
  readonly getMap: BatchRead<V>;
  /**
   * Stores a value read elsewhere (the ERP read replica) as of `asOf` (ms), as a replica entry
   * (see confirm()). An entry read later than
   * `asOf` is kept; a keyed read in flight for the key is not stored when it lands (lru-cache only
   * stores a fetch that still holds the key's slot), so it cannot overwrite this newer value.
   * No-op with the cache disabled.
   */
  set(key: string, value: V, asOf: number): void;
  /** As set(), recording that the backend has no record for the key. */
  setAbsent(key: string, asOf: number): void;
  /**
   * The replica confirmed, as of `asOf`, that every entry it set and has not set again since is
   * unchanged: those entries count their age from `asOf` (not from when they were set). Cheaper
   * than re-setting tens of thousands of entries per poll; entries the keyed path read are unaffected.
   */
  confirm(asOf: number): void;
  /**
   * Drops the entries (a refresh in flight for them still answers its callers but is not stored), and
   * refuses set()/setAbsent() of a value as of this moment or earlier: it may predate the change.
   */
  invalidate(keys: readonly string[]): void;
  clear(): void;
  readonly size: number;
}

/**
 * Keys per backend batch call: as the subgraphs' per-request loaders keep (their MAX_BATCH_SIZE),
 * misses of many requests must not merge into one giant call whose single failure or timeout would
 * fail them all.
 */
export const MAX_KEYS_PER_BATCH = 200;

/**
 * Batch calls per kind at once. Two lanes: one call can be answering while the next one waits for a
 * slot, collecting misses. With 9 ERP kinds that is at most 9 calls waiting in the ERP bulkhead
 * (default queue 64), so reads never overflow it merely because of load.
 */
export const MAX_BATCHES_IN_FLIGHT_PER_KIND = 2;

/** A plain batch read as an OpenBatchRead that takes its keys at once (tests, simple sources). */
export const startAtOnce =
  <V>(read: BatchRead<V>): OpenBatchRead<V> =>
  (batch, ctx) =>
    read(batch.start(), ctx);

type Zone = 'miss' | 'fresh' | 'revalidate' | 'stale-if-error' | 'expired';

export function createKeyedCache<V>(options: KeyedCacheOptions<V>): KeyedCache<V> {
  const { kind, backend, policy, clock, metrics, isSettled } = options;
  const ttlOf = (entry: Entry<V>) => {
    if (!entry.found) return policy.absentTtlMs;
    return isSettled?.(entry.value) ? policy.settledTtlMs : policy.ttlMs;
  };
  // When the replica last confirmed its entries (see confirm()).
  let confirmedAt = 0;
  const readAt = (entry: Entry<V>) => (entry.replica ? Math.max(entry.fetchedAt, confirmedAt) : entry.fetchedAt);

  const batcher = createCoalescingBatcher<V>({
    load: (batch, ctx) => {
      let counted = false;
      const start = () => {
        const keys = batch.start();
        // Once per batch, not per retried attempt.
        if (!counted) metrics.recordCacheBatch(kind, keys.length);
        counted = true;
        return keys;
      };
      return options.loadBatch({ start }, ctx);
    },
    maxKeysPerCall: Math.min(options.maxKeysPerBatch ?? MAX_KEYS_PER_BATCH, MAX_KEYS_PER_BATCH),
    maxCallsInFlight: MAX_BATCHES_IN_FLIGHT_PER_KIND,
  });
  const toEntry = (lookup: Lookup<V>): Entry<V> => {
    const fetchedAt = clock.now();
    return lookup.found ? { found: true, value: lookup.value, fetchedAt } : { found: false, fetchedAt };
  };

  // Made on first use: lru-cache preallocates its arrays for `max` entries (a few MB at 50,000), and
  // a process rarely uses every kind (nor any, with the cache disabled).
  let lru: LRUCache<string, Entry<V>, CallContext> | undefined;
  const store = () =>
    (lru ??= new LRUCache<string, Entry<V>, CallContext>({
      max: policy.maxEntries,
      ttl: policy.ttlMs,
      perf: clock,
      // Read the clock on every check instead of memoizing it behind a timer: exact with an injected
      // clock, and cheap next to a GraphQL request.
      ttlResolution: 0,
      // An invalidation (delete) during a fetch must not fail the callers waiting on it: they get the
      // value, which lru-cache then does not store (the slot no longer holds that fetch).
      ignoreFetchAbort: true,
      fetchMethod: async (key, _stale, { options: fetchOptions, context }) => {
        const entry = toEntry(await batcher.load(key, context));
        fetchOptions.ttl = ttlOf(entry);
        return entry;
      },
      dispose: (_value, _key, reason) => {
        if (reason === 'evict') metrics.recordCacheEviction(kind);
      },
    }));
  metrics.watchCache(kind, () => lru?.size ?? 0);

  const zoneOf = (entry: Entry<V> | undefined, now: number): Zone => {
    if (!entry) return 'miss';
    const pastTtl = now - readAt(entry) - ttlOf(entry);
    if (pastTtl <= 0) return 'fresh';
    // An "absent" has no stale form: served past its TTL it would be a confident null (no stale
    // flag, no error) for a record that may exist by now, and while the backend is down it would
    // hide the outage. So it expires at absentTtlMs: refetch, and a failure reaches the field.
    if (!entry.found) return 'expired';
    if (pastTtl <= policy.staleWhileRevalidateMs) return 'revalidate';
    if (pastTtl <= policy.maxStaleMs) return 'stale-if-error';
    return 'expired';
  };

  const toServed = (entry: Entry<V>): Served<V> | null =>
    entry.found
      ? { value: entry.value, asOf: new Date(readAt(entry)), stale: clock.now() - readAt(entry) > ttlOf(entry) }
      : null;

  const asBackendError = (error: unknown): BackendError =>
    error instanceof BackendError
      ? error
      : new BackendError(
          backend,
          'unavailable',
          `${kind}: ${error instanceof Error ? error.message : String(error)}`,
          {},
          { cause: error },
        );

  const fetchEntry = (key: string, ctx: CallContext, zone: Zone): Promise<Entry<V> | undefined> => {
    const lru = store();
    switch (zone) {
      case 'fresh':
      case 'miss':
        return lru.fetch(key, { context: ctx });
      // forceRefresh: replica entries have no lru-cache TTL (their age is readAt's), so lru-cache
      // must be told that they are due; for the others it is a no-op (already stale to lru-cache).
      case 'revalidate':
        return lru.fetch(key, { context: ctx, allowStale: true, allowStaleOnFetchRejection: true, forceRefresh: true });
      case 'stale-if-error':
        return lru.fetch(key, { context: ctx, allowStaleOnFetchRejection: true, forceRefresh: true });
      case 'expired':
        // Too old to serve even if the backend is down: forget it and wait for the backend.
        lru.delete(key);
        return lru.fetch(key, { context: ctx });
    }
  };

  const lookup = async (key: string, ctx: CallContext): Promise<ServedResult<V>> => {
    const zone = zoneOf(store().peek(key, { allowStale: true }), clock.now());
    let result: CacheResult = zone === 'fresh' ? 'hit' : 'miss';
    try {
      const entry = await fetchEntry(key, ctx, zone);
      // lru-cache resolves undefined when allowStaleOnFetchRejection meets a failed fetch with nothing
      // stale to fall back on; the zones only ask for it over a stale entry, but should it happen it
      // is a failure (the error itself is not kept), never an "absent".
      if (!entry) throw new BackendError(backend, 'unavailable', `${kind}: refresh failed and no stale value is left`);
      const served = toServed(entry);
      if (served?.stale) result = 'stale';
      return served;
    } catch (error) {
      return asBackendError(error);
    } finally {
      metrics.recordCacheRequest(kind, result);
    }
  };

  const lookupUncached = async (key: string, ctx: CallContext): Promise<ServedResult<V>> => {
    metrics.recordCacheRequest(kind, 'miss');
    try {
      return toServed(toEntry(await batcher.load(key, ctx)));
    } catch (error) {
      return asBackendError(error);
    }
  };

  // When each key was last invalidated (a write of ours changed the record). A replica scan that
  // started before the write can publish after it: its asOf is older than the invalidation, and the
  // entry it would compare with is gone, so only this record keeps the pre-write value out.
  // Insertion order is invalidation order (re-invalidating moves a key to the end), so the oldest
  // are pruned from the front once no entry that old could still be served (ttl + maxStale).
  const invalidatedAt = new Map<string, number>();
  let clearedAt = -Infinity;
  const tombstoneLifeMs = Math.max(policy.ttlMs, policy.settledTtlMs, policy.absentTtlMs) + policy.maxStaleMs;
  const pruneTombstones = (now: number) => {
    for (const [key, at] of invalidatedAt) {
      if (now - at <= tombstoneLifeMs) break;
      invalidatedAt.delete(key);
    }
  };
  const invalidate = (keys: readonly string[]) => {
    const now = clock.now();
    pruneTombstones(now);
    for (const key of keys) {
      lru?.delete(key);
      if (!options.enabled) continue;
      invalidatedAt.delete(key);
      invalidatedAt.set(key, now);
    }
  };

  const put = (key: string, entry: Entry<V>) => {
    if (!options.enabled) return;
    pruneTombstones(clock.now());
    // Read at or before the last invalidation: it may predate the write (same millisecond included).
    if (entry.fetchedAt <= Math.max(clearedAt, invalidatedAt.get(key) ?? -Infinity)) return;
    const current = store().peek(key, { allowStale: true });
    if (current && current.fetchedAt > entry.fetchedAt) return;
    // No lru-cache TTL (ttl 0): the entry's age is readAt's, which confirm() moves; zoneOf decides
    // when it is stale or too old, as for every entry.
    store().set(key, entry, { ttl: 0 });
  };

  const getMany = (keys: readonly string[], ctx: CallContext): Promise<ServedResult<V>[]> => {
    const one = options.enabled ? lookup : lookupUncached;
    return untilAborted(
      Promise.all(keys.map((key) => one(key, ctx))),
      ctx.signal,
      () => new BackendError(backend, 'timeout', `${kind}: the caller abandoned the lookup`),
    );
  };

  return {
    kind,
    getMany,
    getMap: async (keys, ctx) => {
      const results = await getMany(keys, ctx);
      const map = new Map<string, V>();
      results.forEach((result, i) => {
        if (result instanceof BackendError) throw result;
        if (result) map.set(keys[i]!, result.value);
      });
      return map;
    },
    set: (key, value, asOf) => put(key, { found: true, value, fetchedAt: asOf, replica: true }),
    setAbsent: (key, asOf) => put(key, { found: false, fetchedAt: asOf, replica: true }),
    confirm: (asOf) => void (confirmedAt = Math.max(confirmedAt, asOf)),
    invalidate,
    clear: () => {
      lru?.clear();
      // Every key invalidated at once: one mark instead of a tombstone per key.
      clearedAt = clock.now();
      invalidatedAt.clear();
    },
    get size() {
      return lru?.size ?? 0;
    },
  };
}

/** Settles with `work`, or rejects as soon as `signal` aborts (the work goes on for other callers). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, abandoned: () => Error): Promise<T> {
  return signal ? settleUnlessAborted(work, signal, abandoned) : work;
}
