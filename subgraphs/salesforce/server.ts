// The Salesforce subgraph's HTTP server: the shared subgraph server with this subgraph's schema,
// context and readiness ping.
import type { SalesforceConnector } from '../../connectors/salesforce/types.js';
import type { RunningServer } from '../../lib/http-server.js';
import type { Logger } from '../../lib/logger.js';
import { startSubgraphServer } from '../shared/subgraph-server.js';
import type { SalesforceSubgraphConfig } from './config.js';
import { createSalesforceContext } from './context.js';
import { buildSalesforceSchema } from './schema.js';

export function serveSalesforceSubgraph(
  config: Pick<SalesforceSubgraphConfig, 'host' | 'port'>,
  connector: SalesforceConnector,
  logger: Logger,
): Promise<RunningServer> {
  return startSubgraphServer({
    backend: 'salesforce',
    schema: buildSalesforceSchema(),
    host: config.host,
    port: config.port,
    logger,
    context: (req, res) => createSalesforceContext(req, res, { connector, logger }),
    ping: (call) => connector.ping(call),
  });
}
