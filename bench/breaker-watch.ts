// Follows a subgraph's circuit breaker for one backend by polling its /metrics: the
// `circuit_breaker_state` gauge (0 closed, 1 half-open, 2 open; shield/metrics.ts) and the count of
// calls the breaker refused (`backend_calls_total{outcome="circuit_open"}`). Times are as precise as
// the poll period.
import { metricSum, metricValue, scrapeMetrics } from './prometheus.js';

export interface BreakerSample {
  /** ms since the epoch */
  readonly at: number;
  /** undefined: no /metrics or no such gauge. */
  readonly state: number | undefined;
  readonly refusedCalls: number;
}

export interface BreakerWatch {
  stop(): Promise<readonly BreakerSample[]>;
}

export function watchBreaker(serviceUrl: string, backend: string, everyMs: number): BreakerWatch {
  const samples: BreakerSample[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      const text = await scrapeMetrics(serviceUrl);
      samples.push({
        at: Date.now(),
        state: text === null ? undefined : metricValue(text, 'circuit_breaker_state', { backend }),
        refusedCalls: text === null ? 0 : metricSum(text, 'backend_calls_total', { backend, outcome: 'circuit_open' }),
      });
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, everyMs - (Date.now() - started))));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return samples;
    },
  };
}
