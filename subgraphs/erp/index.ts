// The ERP subgraph's public surface (config contract, "Service start functions"). Tests pass a fake
// port (and a fixed clock) in `deps`; otherwise the configured ERP adapter is built from the config.
import { createErpConnector } from '../../connectors/erp/index.js';
import type { ErpPort } from '../../connectors/erp/port.js';
import type { RunningServer } from '../../lib/http-server.js';
import { createLogger, type Logger } from '../../lib/logger.js';
import type { ErpSubgraphConfig } from './config.js';
import type { Clock } from './context.js';
import { serveErpSubgraph } from './server.js';

export { loadErpSubgraphConfig, type ErpSubgraphConfig } from './config.js';
export type { Clock, ErpContext } from './context.js';

export interface ErpSubgraphDeps {
  erp?: ErpPort;
  logger?: Logger;
  /** "Now" for invoice ageing; defaults to the system clock. */
  clock?: Clock;
}

export function startErpSubgraph(config: ErpSubgraphConfig, deps: ErpSubgraphDeps = {}): Promise<RunningServer> {
  const logger = deps.logger ?? createLogger('subgraph-erp', config.logLevel);
  const erp = deps.erp ?? createErpConnector(config.connector, logger);
  return serveErpSubgraph(config, { erp, logger, clock: deps.clock ?? (() => new Date()) });
}
