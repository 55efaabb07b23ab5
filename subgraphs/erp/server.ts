// The ERP subgraph's HTTP server: the shared subgraph server with this subgraph's schema, context and
// readiness ping.
import type { ErpPort } from '../../connectors/erp/port.js';
import type { RunningServer } from '../../lib/http-server.js';
import type { Logger } from '../../lib/logger.js';
import { startSubgraphServer } from '../shared/subgraph-server.js';
import type { ErpSubgraphConfig } from './config.js';
import { createErpContext, type Clock } from './context.js';
import { buildErpSchema } from './schema.js';

export function serveErpSubgraph(
  config: Pick<ErpSubgraphConfig, 'host' | 'port'>,
  deps: { erp: ErpPort; logger: Logger; clock: Clock },
): Promise<RunningServer> {
  return startSubgraphServer({
    backend: 'erp',
    schema: buildErpSchema(),
    host: config.host,
    port: config.port,
    logger: deps.logger,
    context: (req, res) => createErpContext(req, res, deps),
    ping: (call) => deps.erp.ping(call),
  });
}
