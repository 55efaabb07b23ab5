// What both shielded connectors need from their process: metrics, the invalidation hub, a clock; and
// one way to make a kind's cache from the shield options, registered for invalidation.
import type { BackendName } from '../lib/backend-error.js';
import { systemClock, type Clock } from './clock.js';
import type { InvalidationHub } from './invalidation.js';
import { createKeyedCache, type BatchRead, type KeyedCache } from './keyed-cache.js';
import type { ShieldMetrics } from './metrics.js';
import type { CacheKind, ShieldOptions } from './options.js';

export interface ShieldDeps {
  metrics: ShieldMetrics;
  invalidation: InvalidationHub;
  /** Wall-clock ms; defaults to Date.now. */
  clock?: Clock;
}

export type CacheFactory = <V>(kind: CacheKind, loadBatch: BatchRead<V>) => KeyedCache<V>;

export function createCacheFactory(backend: BackendName, options: ShieldOptions, deps: ShieldDeps): CacheFactory {
  return (kind, loadBatch) => {
    const cache = createKeyedCache({
      kind,
      backend,
      policy: options.caches[kind],
      enabled: options.cacheEnabled,
      loadBatch,
      metrics: deps.metrics,
      clock: deps.clock ?? systemClock,
    });
    deps.invalidation.register(cache);
    return cache;
  };
}
