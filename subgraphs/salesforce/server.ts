// The Salesforce subgraph's HTTP server: the shared subgraph server with this subgraph's schema,
// context, readiness ping and metrics.
import type { Registry } from 'prom-client';
import type { RunningServer } from '../../lib/http-server.js';
import type { Logger } from '../../lib/logger.js';
import type { ShieldedSalesforce } from '../../shield/index.js';
import { startSubgraphServer } from '../shared/subgraph-server.js';
import type { SalesforceSubgraphConfig } from './config.js';
import type { AccountUpdateDeps } from './account-update.js';
import { createSalesforceContext } from './context.js';
import { buildSalesforceSchema } from './schema.js';

export function serveSalesforceSubgraph(
  config: Pick<SalesforceSubgraphConfig, 'host' | 'port' | 'readinessIntervalMs'>,
  deps: {
    connector: ShieldedSalesforce;
    logger: Logger;
    metrics: Registry;
    accountUpdates: AccountUpdateDeps;
    forwardingKey: Uint8Array;
  },
): Promise<RunningServer> {
  return startSubgraphServer({
    backend: 'salesforce',
    schema: buildSalesforceSchema(),
    host: config.host,
    port: config.port,
    logger: deps.logger,
    context: (req, res) => createSalesforceContext(req, res, deps),
    // The shielded ping: once, through the breaker (shield/shielded-salesforce.ts).
    ping: (call) => deps.connector.ping(call),
    backendPolicy: deps.connector.policy,
    readinessIntervalMs: config.readinessIntervalMs,
    metrics: deps.metrics,
    forwardingKey: deps.forwardingKey,
  });
}
