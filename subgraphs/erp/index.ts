// The ERP subgraph's public surface (config contract, "Service start functions") and its wiring: one
// metrics registry and one shield per process (issue 3), the ERP behind it. Tests pass a fake port
// (and a fixed clock) in `deps`; otherwise the configured ERP adapter is built from the config.
// Either way the port is the backend: it is served through the shield like the real one.
import { createErpConnector } from '../../connectors/erp/index.js';
import type { ErpPort } from '../../connectors/erp/port.js';
import { createSalesforceConnector } from '../../connectors/salesforce/index.js';
import type { SalesforceConnector } from '../../connectors/salesforce/types.js';
import { createStore, type Store } from '../../connectors/store/index.js';
import type { RunningServer } from '../../lib/http-server.js';
import { loadForwardingKey } from '../../lib/forwarding-key.js';
import { createLogger, type Logger } from '../../lib/logger.js';
import { createMetricsRegistry } from '../../lib/metrics-registry.js';
import { createShield } from '../../shield/index.js';
import { logShieldEvents } from '../shared/shield-log.js';
import type { ErpSubgraphConfig } from './config.js';
import type { Clock } from './context.js';
import { createQuoteToOrder, type QuoteToOrderOptions, type StepProbe } from './quote-to-order/index.js';
import { serveErpSubgraph } from './server.js';

export { loadErpSubgraphConfig, type ErpSubgraphConfig } from './config.js';
export type { Clock, ErpContext } from './context.js';

export interface ErpSubgraphDeps {
  erp?: ErpPort;
  logger?: Logger;
  /** "Now" for invoice ageing, the cache's clock and submitQuote's leases; defaults to the system clock. */
  clock?: Clock;
  /** submitQuote's Salesforce connector; built from config.salesforce otherwise. */
  salesforce?: SalesforceConnector;
  /** The durable store; opened from config.store otherwise (and then closed with the server). */
  store?: Store;
  /** Quote-to-order tuning (leases, sweeper) and its test seam. */
  quoteToOrder?: { options?: Partial<QuoteToOrderOptions>; probe?: StepProbe };
  /**
   * Open the store at start (in the background) rather than on first use. main.ts does; in-process
   * users (tests) mostly never write, and creating an embedded store costs seconds.
   */
  openStoreAtStart?: boolean;
}

export async function startErpSubgraph(config: ErpSubgraphConfig, deps: ErpSubgraphDeps = {}): Promise<RunningServer> {
  const logger = deps.logger ?? createLogger('subgraph-erp', config.logLevel);
  const clock = deps.clock ?? (() => new Date());
  const metrics = createMetricsRegistry();
  // Once per process: the breaker, the bulkhead and the caches only work if every ERP call shares them.
  const shield = createShield(config.shield, { registry: metrics, clock: { now: () => clock().getTime() } });
  const erp = shield.erp(deps.erp ?? createErpConnector(config.connector, logger));
  logShieldEvents(erp.policy, logger);
  // Quote to order: fresh ERP reads (the shield's uncached port), writes through the shield (which
  // drops the cache entries an order affects), its own Salesforce connector, the durable store.
  const store = deps.store ?? createStore(config.store, logger);
  const quoteToOrder = createQuoteToOrder({
    store,
    salesforce: deps.salesforce ?? createSalesforceConnector(config.salesforce, logger),
    erp,
    erpReads: erp.uncached,
    invalidate: shield.invalidate,
    logger,
    clock,
    metrics,
    ...deps.quoteToOrder,
    // The configured rules, then whatever the caller (a test) sets explicitly.
    options: { ...config.quoteToOrder, ...deps.quoteToOrder?.options },
  });
  // Created in DATA_DIR when neither it nor IDENTITY_FORWARDING_SECRET exists yet (the gateway reads the same file).
  const forwardingKey = await loadForwardingKey(config.identityForwardingKey);
  const server = await serveErpSubgraph(config, { erp, logger, clock, metrics, quoteToOrder, forwardingKey });
  if (deps.openStoreAtStart) {
    store
      .ready()
      .catch((error: unknown) =>
        logger.error({ err: error, store: store.location }, 'store: cannot open; submitQuote will retry on use'),
      );
  }
  // Finishes submissions a previous run of this service left unfinished, then keeps sweeping.
  quoteToOrder.start();
  // Opt-in (SHIELD_ERP_REPLICA=on): loads in the background; until then reads take the keyed path.
  erp.replica?.start((message, details) => logger.info(details, message));
  return {
    url: server.url,
    port: server.port,
    async close() {
      await erp.replica?.stop();
      await server.close();
      await quoteToOrder.stop();
      if (!deps.store) await store.close();
    },
  };
}
