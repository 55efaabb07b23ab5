// The Salesforce subgraph's public surface (config contract, "Service start functions"). Tests pass
// a fake connector in `deps`; otherwise the real jsforce connector is built from the config.
import { createSalesforceConnector } from '../../connectors/salesforce/index.js';
import type { SalesforceConnector } from '../../connectors/salesforce/types.js';
import type { RunningServer } from '../../lib/http-server.js';
import { createLogger, type Logger } from '../../lib/logger.js';
import type { SalesforceSubgraphConfig } from './config.js';
import { serveSalesforceSubgraph } from './server.js';

export { loadSalesforceSubgraphConfig, type SalesforceSubgraphConfig } from './config.js';
export type { SalesforceContext } from './context.js';

export interface SalesforceSubgraphDeps {
  connector?: SalesforceConnector;
  logger?: Logger;
}

export function startSalesforceSubgraph(config: SalesforceSubgraphConfig, deps: SalesforceSubgraphDeps = {}): Promise<RunningServer> {
  const logger = deps.logger ?? createLogger('subgraph-salesforce', config.logLevel);
  const connector = deps.connector ?? createSalesforceConnector(config.connector, logger);
  return serveSalesforceSubgraph(config, connector, logger);
}
