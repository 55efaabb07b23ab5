// Prometheus metrics of the shielding tier (prom-client), registered in a Registry the service passes
// in and later exposes at /metrics, never the global default: two services in one process (tests,
// the embedded stack) and parallel tests stay apart. Gauges are read at scrape time (`collect`) from
// the live objects, so there is no bookkeeping that could drift.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { BackendFailure, BackendName } from '../lib/backend-error.js';
import { LATENCY_BUCKETS } from '../lib/graphql-operation-metrics.js';
import type { CacheKind } from './options.js';

/** One attempt's result: answered, failed as the backend reported, or stopped by the shield itself. */
export type BackendOutcome = 'success' | BackendFailure | 'circuit_open' | 'bulkhead_full' | 'abandoned';

/**
 * What the cache metrics are labelled with: the keyed caches' kinds, and `erp.rows`, the short-TTL
 * cache of ERP row-query pages (row-query-cache.ts), which is keyed by whole queries, not records.
 */
export type MetricsCacheKind = CacheKind | 'erp.rows';

/** hit: fresh from memory; stale: served past its TTL; miss: the caller waited for the backend. */
export type CacheResult = 'hit' | 'miss' | 'stale';

export type BreakerState = 'closed' | 'half-open' | 'open';

export interface BackendLoad {
  inFlight: number;
  queued: number;
  breaker: BreakerState;
}

/** circuit_breaker_state values, as documented in the metric's help. */
const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

export interface ShieldMetrics {
  readonly registry: Registry;
  recordBackendCall(backend: BackendName, operation: string, outcome: BackendOutcome): void;
  /** Starts timing one backend call; the returned function stops it. */
  startBackendTimer(backend: BackendName, operation: string): () => void;
  recordCacheRequest(kind: MetricsCacheKind, result: CacheResult): void;
  recordCacheEviction(kind: CacheKind): void;
  /** Keys sent in one batch call of a cache kind (grows under load: coalescing-batcher.ts). */
  recordCacheBatch(kind: CacheKind, keys: number): void;
  /** Reports in-flight calls, queue length and breaker state of a backend at each scrape. */
  watchBackend(backend: BackendName, read: () => BackendLoad): void;
  /** Reports the number of entries of a cache at each scrape. */
  watchCache(kind: MetricsCacheKind, size: () => number): void;
  /** Reports the ERP read replica's state (erp-replica.ts) at each scrape. */
  watchReplica(read: () => ReplicaState): void;
  recordReplicaSyncFailure(set: string): void;
}

export interface ReplicaState {
  ready: boolean;
  sets: Record<string, { rows: number; lastSyncMs: number | null }>;
}

/** Call once per registry (prom-client refuses a second metric of the same name in a registry). */
export function createShieldMetrics(registry: Registry): ShieldMetrics {
  const backends = new Map<BackendName, () => BackendLoad>();
  const caches = new Map<MetricsCacheKind, () => number>();
  const registers = [registry];

  const calls = new Counter({
    name: 'backend_calls_total',
    help: 'Backend call attempts by backend, operation and outcome (success, a BackendError failure, or circuit_open / bulkhead_full / abandoned).',
    labelNames: ['backend', 'operation', 'outcome'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'backend_call_duration_seconds',
    help: 'Duration of backend calls that reached the backend, in seconds.',
    labelNames: ['backend', 'operation'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const cacheRequests = new Counter({
    name: 'cache_requests_total',
    help: 'Cache lookups by entity kind and result (hit, miss, stale).',
    labelNames: ['kind', 'result'] as const,
    registers,
  });
  const evictions = new Counter({
    name: 'cache_evictions_total',
    help: 'Entries evicted because a cache reached its entry bound.',
    labelNames: ['kind'] as const,
    registers,
  });
  const batchKeys = new Histogram({
    name: 'cache_batch_keys',
    help: 'Keys per backend batch call made for cache misses, by entity kind (coalesced misses make larger batches, not more calls).',
    labelNames: ['kind'] as const,
    buckets: [1, 2, 5, 10, 20, 50, 100, 200],
    registers,
  });
  new Gauge({
    name: 'cache_entries',
    help: 'Entries held by each cache (fresh, stale and negative).',
    labelNames: ['kind'] as const,
    registers,
    collect() {
      for (const [kind, size] of caches) this.set({ kind }, size());
    },
  });
  new Gauge({
    name: 'backend_in_flight',
    help: 'Backend calls in flight (bulkhead slots in use).',
    labelNames: ['backend'] as const,
    registers,
    collect() {
      for (const [backend, read] of backends) this.set({ backend }, read().inFlight);
    },
  });
  new Gauge({
    name: 'backend_queue_length',
    help: 'Backend calls waiting for a bulkhead slot.',
    labelNames: ['backend'] as const,
    registers,
    collect() {
      for (const [backend, read] of backends) this.set({ backend }, read().queued);
    },
  });
  new Gauge({
    name: 'circuit_breaker_state',
    help: 'Circuit breaker state per backend: 0 closed, 1 half-open, 2 open.',
    labelNames: ['backend'] as const,
    registers,
    collect() {
      for (const [backend, read] of backends) this.set({ backend }, BREAKER_STATE_VALUE[read().breaker]);
    },
  });

  let replica: (() => ReplicaState) | undefined;
  new Gauge({
    name: 'erp_replica_ready',
    help: 'ERP read replica: 1 once its first full load completed (absent when the replica is off).',
    registers,
    collect() {
      if (replica) this.set(replica().ready ? 1 : 0);
    },
  });
  new Gauge({
    name: 'erp_replica_rows',
    help: 'ERP read replica: rows held per entity set.',
    labelNames: ['set'] as const,
    registers,
    collect() {
      if (!replica) return;
      for (const [set, s] of Object.entries(replica().sets)) this.set({ set }, s.rows);
    },
  });
  new Gauge({
    name: 'erp_replica_last_sync_timestamp_seconds',
    help: 'ERP read replica: start of the last successful sync per entity set (Unix seconds).',
    labelNames: ['set'] as const,
    registers,
    collect() {
      if (!replica) return;
      for (const [set, s] of Object.entries(replica().sets))
        if (s.lastSyncMs !== null) this.set({ set }, s.lastSyncMs / 1000);
    },
  });
  const replicaFailures = new Counter({
    name: 'erp_replica_sync_failures_total',
    help: 'ERP read replica: failed scans per entity set (entries then age and go stale normally).',
    labelNames: ['set'] as const,
    registers,
  });

  return {
    registry,
    watchReplica: (read) => void (replica = read),
    recordReplicaSyncFailure: (set) => replicaFailures.inc({ set }),
    recordBackendCall: (backend, operation, outcome) => calls.inc({ backend, operation, outcome }),
    startBackendTimer: (backend, operation) => {
      const end = duration.startTimer({ backend, operation });
      return () => void end();
    },
    recordCacheRequest: (kind, result) => cacheRequests.inc({ kind, result }),
    recordCacheEviction: (kind) => evictions.inc({ kind }),
    recordCacheBatch: (kind, keys) => batchKeys.observe({ kind }, keys),
    watchBackend: (backend, read) => void backends.set(backend, read),
    watchCache: (kind, size) => void caches.set(kind, size),
  };
}

// The GraphQL operation histogram moved to lib/ (the gateway serves it too, and does not import the
// shield); re-exported here for the shield's existing callers.
export {
  createGraphqlOperationMetrics,
  type GraphqlOperationLabels,
  type GraphqlOperationMetrics,
  type GraphqlOperationType,
} from '../lib/graphql-operation-metrics.js';
