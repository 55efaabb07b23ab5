// Liveness and readiness. /healthz says the process serves HTTP. /readyz says whether this gateway
// can serve the graph, from each subgraph's own /readyz (subgraphs/shared/backend-readiness.ts),
// asked at most once per READINESS_CHECK_INTERVAL_S per subgraph and never once per probe
// (lib/readiness.ts): a probe answers from the latest answers and refreshes stale ones in the
// background.
//
// - 200 {"status":"ready"}: every subgraph is ready.
// - 200 {"status":"degraded","degraded":[…]}: at least one subgraph serves (ready, or degraded:
//   its backend is down but it answers from its cache and with *_UNAVAILABLE errors), the others
//   do not. The gateway still answers every field it can, so it stays in rotation: pulling gateway
//   replicas would not bring a backend back, and during an ERP outage every replica sees the same.
// - 503 {"status":"not_ready","notReady":[…]}: no subgraph serves (none reachable from this
//   replica, or none has ever reached its backend): nothing useful can be answered here.
import { Router } from 'express';
import { readinessMonitor, type ReadinessMonitor } from '../lib/readiness.js';
import type { GatewayConfig, SubgraphName } from './config.js';

// A slow subgraph counts as not answering rather than holding the check open.
const CHECK_TIMEOUT_MS = 2_000;
/**
 * A subgraph that is not ready is asked again after a second (its /readyz costs no backend call),
 * so a gateway started before its subgraphs, or a subgraph coming back, is seen at once.
 */
const RETRY_INTERVAL_MS = 1_000;

/**
 * What a subgraph's /readyz said: its own status (ready, degraded, unavailable), not_ready for any
 * other answer, unreachable or timeout when it did not answer.
 */
export type SubgraphReadiness = 'ready' | 'degraded' | 'unavailable' | 'not_ready' | 'unreachable' | 'timeout';

const SERVING: ReadonlySet<SubgraphReadiness> = new Set(['ready', 'degraded']);

export function healthRouter(
  config: Pick<GatewayConfig, 'subgraphUrls' | 'subgraphTimeoutMs' | 'readinessIntervalMs'>,
): Router {
  const timeoutMs = Math.min(CHECK_TIMEOUT_MS, config.subgraphTimeoutMs);
  // A subgraph served at http://host/graphql answers readiness at http://host/readyz.
  const monitors = Object.entries(config.subgraphUrls).map(([name, url]) => {
    const readyz = new URL('readyz', url).href;
    const monitor: ReadinessMonitor<SubgraphReadiness> = readinessMonitor({
      intervalMs: config.readinessIntervalMs,
      retryIntervalMs: RETRY_INTERVAL_MS,
      healthy: (readiness) => readiness === 'ready',
      check: () => askReadiness(readyz, timeoutMs),
    });
    return { name: name as SubgraphName, monitor };
  });

  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (_req, res, next) => {
    Promise.all(monitors.map(async ({ name, monitor }) => [name, (await monitor.current()).value] as const)).then(
      (results) => {
        const subgraphs = Object.fromEntries(results) as Record<SubgraphName, SubgraphReadiness>;
        const notServing = results.filter(([, readiness]) => !SERVING.has(readiness)).map(([name]) => name);
        const notReady = results.filter(([, readiness]) => readiness !== 'ready').map(([name]) => name);
        res.set('Cache-Control', 'no-store');
        if (notReady.length === 0) res.status(200).json({ status: 'ready', subgraphs });
        else if (notServing.length < results.length)
          res.status(200).json({ status: 'degraded', degraded: notReady, subgraphs });
        else res.status(503).json({ status: 'not_ready', notReady, subgraphs });
      },
      next,
    );
  });
  return router;
}

async function askReadiness(url: string, timeoutMs: number): Promise<SubgraphReadiness> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json().catch(() => null)) as { status?: unknown } | null;
    const status = body?.status;
    if (response.status === 200 && (status === 'ready' || status === 'degraded')) return status;
    if (response.status === 503 && status === 'unavailable') return 'unavailable';
    return 'not_ready';
  } catch (error) {
    return error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'unreachable';
  }
}
