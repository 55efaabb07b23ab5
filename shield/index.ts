// The shielding tier's public surface: one Shield per process, built by the service's
// wiring module from its parsed options and the Registry it serves at /metrics.
//
//   const shield = createShield(parseShieldOptions(config.shield), { registry });
//   const erp = shield.erp(createErpConnector(config.erp, logger));      // a ShieldedErp (an ErpPort)
//   per request: new DataLoader((keys) => erp.served.customersByNumbers(keys, ctx))
//   after a write or an ERP event: shield.invalidate('erp.ordersByCustomer', [customerNumber])
import type { Registry } from 'prom-client';
import type { CarrierPort } from '../connectors/carrier/port.js';
import type { ErpPort } from '../connectors/erp/port.js';
import type { SalesforceConnector } from '../connectors/salesforce/types.js';
import type { BackendName } from '../lib/backend-error.js';
import type { ShieldDeps } from './cache-factory.js';
import type { Clock } from './clock.js';
import { createInvalidationHub } from './invalidation.js';
import { createShieldMetrics, type ShieldMetrics } from './metrics.js';
import type { CacheKind, ShieldOptions } from './options.js';
import { shieldCarrier, type ShieldedCarrier } from './shielded-carrier.js';
import { shieldErp, type ShieldedErp } from './shielded-erp.js';
import { shieldSalesforce, type ShieldedSalesforce } from './shielded-salesforce.js';

export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export type { Served, ServedRead, ServedResult } from './keyed-cache.js';
export {
  createGraphqlOperationMetrics,
  type BackendOutcome,
  type BreakerState,
  type GraphqlOperationMetrics,
  type ShieldMetrics,
} from './metrics.js';
export {
  defaultShieldOptions,
  parseShieldOptions,
  ShieldOptionsSchema,
  type CacheKind,
  type CarrierCacheKind,
  type ErpCacheKind,
  type SalesforceCacheKind,
  type ShieldOptions,
  type ShieldOptionsInput,
} from './options.js';
export { ShieldRejectedError, type ResiliencePolicy, type ShieldEvent } from './resilience.js';
export type { ShieldedCarrier } from './shielded-carrier.js';
export type { ShieldedErp } from './shielded-erp.js';
export type { ShieldedSalesforce } from './shielded-salesforce.js';

export interface Shield {
  readonly options: ShieldOptions;
  readonly metrics: ShieldMetrics;
  /** Wraps the process's ERP port. Once per process: the breaker and bulkhead must be shared. */
  erp(port: ErpPort): ShieldedErp;
  /** Wraps the process's Salesforce connector. Once per process, like erp(). */
  salesforce(connector: SalesforceConnector): ShieldedSalesforce;
  /** Wraps the process's carrier port. Once per process, like erp(). */
  carrier(port: CarrierPort): ShieldedCarrier;
  /** Drops cached entries of one kind, in every cache of this process. */
  invalidate(kind: CacheKind, keys: readonly string[]): void;
  clear(kind?: CacheKind): void;
}

export function createShield(options: ShieldOptions, deps: { registry: Registry; clock?: Clock }): Shield {
  const metrics = createShieldMetrics(deps.registry);
  const invalidation = createInvalidationHub();
  const shieldDeps: ShieldDeps = { metrics, invalidation, ...(deps.clock ? { clock: deps.clock } : {}) };
  const wrapped = new Set<BackendName>();
  const once = (backend: BackendName) => {
    if (wrapped.has(backend)) {
      throw new Error(`shield: ${backend} is already shielded in this process; share that instance`);
    }
    wrapped.add(backend);
  };
  return {
    options,
    metrics,
    erp(port) {
      once('erp');
      return shieldErp(port, options, shieldDeps);
    },
    salesforce(connector) {
      once('salesforce');
      return shieldSalesforce(connector, options, shieldDeps);
    },
    carrier(port) {
      once('carrier');
      return shieldCarrier(port, options, shieldDeps);
    },
    invalidate: invalidation.invalidate,
    clear: invalidation.clear,
  };
}
