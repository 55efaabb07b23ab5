// The Salesforce subgraph's public surface (config contract, "Service start functions") and its
// wiring: one metrics registry and one shield per process (issue 3), Salesforce behind it. Tests pass
// a fake connector in `deps`; otherwise the real jsforce connector is built from the config. Either
// way the connector is the backend: it is served through the shield like the real one.
import { createSalesforceConnector } from '../../connectors/salesforce/index.js';
import type { SalesforceConnector } from '../../connectors/salesforce/types.js';
import { createStore, type Store } from '../../connectors/store/index.js';
import type { RunningServer } from '../../lib/http-server.js';
import { loadForwardingKey } from '../../lib/forwarding-key.js';
import { createLogger, type Logger } from '../../lib/logger.js';
import { createMetricsRegistry } from '../../lib/metrics-registry.js';
import { createShield } from '../../shield/index.js';
import { logShieldEvents } from '../shared/shield-log.js';
import { loadAccountWriteOwnership } from './account-ownership.js';
import type { SalesforceSubgraphConfig } from './config.js';
import { serveSalesforceSubgraph } from './server.js';

export { loadSalesforceSubgraphConfig, type SalesforceSubgraphConfig } from './config.js';
export type { SalesforceContext } from './context.js';

export interface SalesforceSubgraphDeps {
  connector?: SalesforceConnector;
  logger?: Logger;
  /** The audit log's store; opened from config.store otherwise (lazily, and closed with the server). */
  store?: Store;
  /** Open the store at start (in the background) rather than on first use, as main.ts does. */
  openStoreAtStart?: boolean;
}

export async function startSalesforceSubgraph(
  config: SalesforceSubgraphConfig,
  deps: SalesforceSubgraphDeps = {},
): Promise<RunningServer> {
  const logger = deps.logger ?? createLogger('subgraph-salesforce', config.logLevel);
  const metrics = createMetricsRegistry();
  // Once per process: the breaker, the bulkhead and the caches only work if every call shares them.
  const shield = createShield(config.shield, { registry: metrics });
  const connector = shield.salesforce(deps.connector ?? createSalesforceConnector(config.connector, logger));
  logShieldEvents(connector.policy, logger);
  const store = deps.store ?? createStore(config.store, logger);
  const accountUpdates = {
    connector,
    // From the composed schema's @owner declarations; a gap there stops the start.
    ownership: loadAccountWriteOwnership(),
    audit: store.audit,
    invalidate: shield.invalidate,
    clock: () => new Date(),
    logger,
  };
  // Created in DATA_DIR when neither it nor IDENTITY_FORWARDING_SECRET exists yet (the gateway reads the same file).
  const forwardingKey = await loadForwardingKey(config.identityForwardingKey);
  const server = await serveSalesforceSubgraph(config, { connector, logger, metrics, accountUpdates, forwardingKey });
  if (deps.openStoreAtStart) {
    store
      .ready()
      .catch((error: unknown) =>
        logger.error({ err: error, store: store.location }, 'store: cannot open; updateAccount will retry on use'),
      );
  }
  return {
    url: server.url,
    port: server.port,
    async close() {
      await server.close();
      if (!deps.store) await store.close();
    },
  };
}
