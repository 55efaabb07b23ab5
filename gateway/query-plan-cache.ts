// The gateway's query-plan store (ApolloGateway takes it as `queryPlannerConfig.cache`) and the
// planner settings that go with it. @apollo/gateway's own store is an LRU of 30 MiB by the plans'
// JSON size with no bound per plan, so one huge plan could push every other plan out and make the
// next requests plan again. Here the store is bounded three ways, and /metrics shows it:
//
// - at most QUERY_PLAN_CACHE.maxEntries plans;
// - at most QUERY_PLAN_CACHE.maxBytes of plans, by their JSON size (what the gateway measures too);
// - no plan over QUERY_PLAN_CACHE.maxEntryBytes is kept at all: it is used for its request and dropped.
//
// Operations refused by demand control, access control or persisted-operation policy never reach
// the planner (those checks run in didResolveOperation, before the gateway plans), so they never
// take a slot; DEMAND_MAX_SELECTIONS keeps the plans of accepted ones small (a few KB for the
// first-party operations, about 40 KB at the limit).
import type { QueryPlan, QueryPlannerConfig } from '@apollo/query-planner';
import { LRUCache } from 'lru-cache';
import { Gauge, type Registry } from 'prom-client';

export const QUERY_PLAN_CACHE = {
  maxEntries: 2_000,
  maxBytes: 32 * 1024 * 1024,
  maxEntryBytes: 256 * 1024,
} as const;

/**
 * The planner evaluates at most this many alternative plans per operation and keeps the best so far
 * (@apollo/query-planner's `debug.maxEvaluatedPlans`, default 10,000). Every first-party operation
 * evaluates exactly one: with two subgraphs joined on one key each there are few alternatives, and
 * this caps the search for an operation built to have many.
 */
export const MAX_EVALUATED_PLANS = 1_000;

type QueryPlanCache = NonNullable<QueryPlannerConfig['cache']>;

const planBytes = (plan: QueryPlan): number => Buffer.byteLength(JSON.stringify(plan), 'utf8');

export function createQueryPlanCache(
  registry: Registry,
  bounds: typeof QUERY_PLAN_CACHE = QUERY_PLAN_CACHE,
): QueryPlanCache {
  const plans = new LRUCache<string, QueryPlan>({
    max: bounds.maxEntries,
    maxSize: bounds.maxBytes,
    maxEntrySize: bounds.maxEntryBytes,
    sizeCalculation: (plan) => Math.max(1, planBytes(plan)),
  });
  new Gauge({
    name: 'gateway_query_plan_cache_entries',
    help: 'Query plans the gateway keeps (bounded by count, total size and size per plan).',
    registers: [registry],
    collect() {
      this.set(plans.size);
    },
  });
  new Gauge({
    name: 'gateway_query_plan_cache_bytes',
    help: 'Approximate size of the query plans the gateway keeps (their JSON), in bytes.',
    registers: [registry],
    collect() {
      this.set(plans.calculatedSize);
    },
  });
  return {
    async get(key) {
      return plans.get(key);
    },
    // A plan over maxEntryBytes is not stored (lru-cache refuses it); no TTL: a plan stays right
    // until the supergraph changes, and the gateway clears the store then.
    async set(key, plan) {
      plans.set(key, plan);
    },
    async delete(key) {
      return plans.delete(key);
    },
    clear() {
      plans.clear();
    },
  };
}

/** ApolloGateway's `queryPlannerConfig`: the bounded store and the planner's search budget. */
export function queryPlannerConfig(cache: QueryPlanCache): QueryPlannerConfig {
  return { cache, debug: { maxEvaluatedPlans: MAX_EVALUATED_PLANS } };
}
