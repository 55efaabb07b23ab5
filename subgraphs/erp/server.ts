// The ERP subgraph's HTTP server: the shared subgraph server with this subgraph's schema, context,
// readiness ping and metrics.
import type { Registry } from 'prom-client';
import type { RunningServer } from '../../lib/http-server.js';
import type { Logger } from '../../lib/logger.js';
import type { ShieldedErp } from '../../shield/index.js';
import { startSubgraphServer } from '../shared/subgraph-server.js';
import type { ErpSubgraphConfig } from './config.js';
import { createErpContext, type Clock } from './context.js';
import type { QuoteToOrder } from './quote-to-order/index.js';
import { buildErpSchema } from './schema.js';

export function serveErpSubgraph(
  config: Pick<ErpSubgraphConfig, 'host' | 'port' | 'readinessIntervalMs'>,
  deps: {
    erp: ShieldedErp;
    logger: Logger;
    clock: Clock;
    metrics: Registry;
    quoteToOrder: QuoteToOrder;
    forwardingKey: Uint8Array;
  },
): Promise<RunningServer> {
  return startSubgraphServer({
    backend: 'erp',
    schema: buildErpSchema(),
    host: config.host,
    port: config.port,
    logger: deps.logger,
    context: (req, res) => createErpContext(req, res, deps),
    // The shielded ping: once, through the breaker (shield/shielded-erp.ts).
    ping: (call) => deps.erp.ping(call),
    backendPolicy: deps.erp.policy,
    readinessIntervalMs: config.readinessIntervalMs,
    metrics: deps.metrics,
    forwardingKey: deps.forwardingKey,
  });
}
