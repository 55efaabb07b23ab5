// Liveness and readiness (DESIGN.md, "HTTP on the gateway"): /healthz says the process serves
// HTTP; /readyz says both subgraphs are ready (each subgraph's own /readyz checks its backend).
import { Router } from 'express';
import type { GatewayConfig, SubgraphName } from './config.js';

// Readiness probes run every few seconds from an orchestrator: a slow subgraph counts as not ready
// rather than holding the probe open.
const PROBE_TIMEOUT_MS = 2_000;

type SubgraphReadiness = 'ready' | 'not_ready' | 'unreachable' | 'timeout';

export function healthRouter(config: Pick<GatewayConfig, 'subgraphUrls' | 'subgraphTimeoutMs'>): Router {
  const timeoutMs = Math.min(PROBE_TIMEOUT_MS, config.subgraphTimeoutMs);
  // A subgraph served at http://host/graphql answers readiness at http://host/readyz (config-contract.md).
  const probes = Object.entries(config.subgraphUrls).map(([name, url]) => ({
    name: name as SubgraphName,
    url: new URL('readyz', url).href,
  }));

  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(probes.map(async (probe) => [probe.name, await probeReadiness(probe.url, timeoutMs)] as const));
    const subgraphs = Object.fromEntries(results) as Record<SubgraphName, SubgraphReadiness>;
    const notReady = results.filter(([, readiness]) => readiness !== 'ready').map(([name]) => name);
    res
      .status(notReady.length === 0 ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json(notReady.length === 0 ? { status: 'ready', subgraphs } : { status: 'not_ready', notReady, subgraphs });
  });
  return router;
}

async function probeReadiness(url: string, timeoutMs: number): Promise<SubgraphReadiness> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status === 200 ? 'ready' : 'not_ready';
  } catch (error) {
    return error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'unreachable';
  }
}
