// How the gateway's fetches to each subgraph go, for /metrics: a counter and a latency histogram by
// subgraph and outcome. Fed by data-source.ts, which sees every subgraph request and how it ended.
import { Counter, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS } from '../lib/graphql-operation-metrics.js';
import type { SubgraphName } from './config.js';

/**
 * success: a GraphQL response without errors; errors: a GraphQL response carrying errors (e.g. a
 * field whose backend is down: a degraded answer, not a failed fetch); failed: no GraphQL response
 * (unreachable, non-2xx, not JSON); timeout: the gateway's own deadline passed.
 */
export type SubgraphFetchOutcome = 'success' | 'errors' | 'failed' | 'timeout';

export interface SubgraphFetchMetrics {
  /** Starts timing one subgraph fetch; call the result with how it ended. */
  startTimer(subgraph: SubgraphName): (outcome: SubgraphFetchOutcome) => void;
}

export function createSubgraphFetchMetrics(registry: Registry): SubgraphFetchMetrics {
  const fetches = new Counter({
    name: 'subgraph_fetches_total',
    help: 'Gateway fetches to each subgraph by outcome (success, errors, failed, timeout).',
    labelNames: ['subgraph', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'subgraph_fetch_duration_seconds',
    help: 'Duration of gateway fetches to each subgraph by outcome, in seconds.',
    labelNames: ['subgraph', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  return {
    startTimer(subgraph) {
      const started = process.hrtime.bigint();
      return (outcome) => {
        fetches.inc({ subgraph, outcome });
        duration.observe({ subgraph, outcome }, Number(process.hrtime.bigint() - started) / 1e9);
      };
    },
  };
}
