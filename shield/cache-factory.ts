// What every shielded connector needs from its process: metrics, the invalidation hub, a clock; and
// one way to make a kind's cache from the shield options, registered for invalidation, its misses
// read through the backend's resilience policy.
import type { BackendName } from '../lib/backend-error.js';
import { systemClock, type Clock } from './clock.js';
import type { InvalidationHub } from './invalidation.js';
import { createKeyedCache, type BatchRead, type KeyedCache, type KeyedCacheOptions } from './keyed-cache.js';
import type { ShieldMetrics } from './metrics.js';
import type { CacheKind, ShieldOptions } from './options.js';
import type { ResiliencePolicy } from './resilience.js';

export interface ShieldDeps {
  metrics: ShieldMetrics;
  invalidation: InvalidationHub;
  /** Wall-clock ms; defaults to Date.now. */
  clock?: Clock;
}

/** How a kind's values behave beyond its policy: which are settled, and how many keys one call takes. */
export type CacheTraits<V> = Pick<KeyedCacheOptions<V>, 'isSettled' | 'maxKeysPerBatch'>;

/** A kind's cache over the backend's own batch read (`read`), named `operation` in metrics. */
export type CacheFactory = <V>(
  kind: CacheKind,
  operation: string,
  read: BatchRead<V>,
  traits?: CacheTraits<V>,
) => KeyedCache<V>;

export function createCacheFactory(
  backend: BackendName,
  options: ShieldOptions,
  deps: ShieldDeps,
  policy: ResiliencePolicy,
): CacheFactory {
  return (kind, operation, read, traits = {}) => {
    const cache = createKeyedCache({
      ...traits,
      kind,
      backend,
      policy: options.caches[kind],
      enabled: options.cacheEnabled,
      // The batch's keys are taken only inside the bulkhead slot (batch.start()): misses arriving
      // while the call waits for a slot join it instead of queueing calls of their own.
      loadBatch: (batch, ctx) => policy.read(operation, ctx, (c) => read(batch.start(), c)),
      metrics: deps.metrics,
      clock: deps.clock ?? systemClock,
    });
    deps.invalidation.register(cache);
    return cache;
  };
}
