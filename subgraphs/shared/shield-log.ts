// What the shield's resilience policy reports, in the subgraph's log. Breaker transitions are rare
// and matter to operators (warn when the circuit opens, info when it recovers); retries and bulkhead
// rejections can come by the hundred under load, so they stay at debug (the /metrics counters
// backend_calls_total{outcome="bulkhead_full"} and the like count them anyway).
import type { Logger } from '../../lib/logger.js';
import type { ResiliencePolicy } from '../../shield/index.js';

export function logShieldEvents(policy: ResiliencePolicy, logger: Logger): void {
  policy.subscribe((event) => {
    switch (event.type) {
      case 'breaker':
        if (event.state === 'open')
          logger.warn(
            { backend: event.backend },
            `${event.backend} circuit breaker opened: calls fail fast until a probe succeeds`,
          );
        else
          logger.info(
            { backend: event.backend, state: event.state },
            `${event.backend} circuit breaker ${event.state}`,
          );
        return;
      case 'retry':
        logger.debug(
          { backend: event.backend, attempt: event.attempt, delayMs: event.delayMs, err: event.error },
          `${event.backend} read retried`,
        );
        return;
      case 'bulkhead_rejected':
        logger.debug({ backend: event.backend }, `${event.backend} call refused: in-flight cap and queue full`);
        return;
      case 'call':
        // Every call: counted by backend_calls_total, not logged.
        return;
    }
  });
}
