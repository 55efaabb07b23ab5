// The ERP port behind the shield: a decorator that IS an ErpPort (the subgraph keeps working
// unchanged) and adds `served`, the same keyed reads with each value's age (`asOf`, `stale`) for the
// ERP-backed GraphQL types. Keyed reads go through one process-wide cache per kind and the ERP's
// resilience policy; writes through the policy only (never retried, never cached), then drop the
// entries they make wrong.
import type {
  ErpCustomer,
  ErpCustomerFinancials,
  ErpInvoice,
  ErpItem,
  ErpOrder,
  ErpPaymentTerms,
  ErpPort,
  ErpShipment,
  RowPage,
  RowQuery,
  RowSet,
} from '../connectors/erp/port.js';
import type { CallContext } from '../lib/call-context.js';
import { createCacheFactory, type ShieldDeps } from './cache-factory.js';
import { systemClock } from './clock.js';
import { createErpReplica, replicaCachePolicy, type ErpReplica } from './erp-replica.js';
import type { Served, ServedReads } from './keyed-cache.js';
import { ERP_CACHE_KINDS, type ShieldOptions } from './options.js';
import { createResiliencePolicy, type ResiliencePolicy } from './resilience.js';
import { createRowQueryCache } from './row-query-cache.js';

export type CachedErpRead =
  | 'customersByNumbers'
  | 'financialsByCustomers'
  | 'paymentTermsByIds'
  | 'openInvoicesByCustomers'
  | 'ordersByCustomers'
  | 'ordersByNumbers'
  | 'shipmentsByCustomers'
  | 'shipmentsByOrderNumbers'
  | 'itemsByNumbers';

export interface ShieldedErp extends ErpPort {
  /**
   * The cached reads with freshness, results aligned with the keys (Served | null | BackendError):
   * `new DataLoader((keys) => erp.served.customersByNumbers(keys, ctx))` in the request context.
   */
  readonly served: ServedReads<ErpPort, CachedErpRead>;
  /**
   * A row query (ErpPort.queryRows) with its age: through the resilience policy and the short-TTL
   * page cache (row-query-cache.ts). Throws ErpRowQueryError when the adapter will not run it.
   */
  servedRows<S extends RowSet>(set: S, query: RowQuery, ctx: CallContext): Promise<Served<RowPage<S>>>;
  /** Always present here: a port without row queries answers ErpRowQueryError('unsupported'). */
  queryRows<S extends RowSet>(set: S, query: RowQuery, ctx: CallContext): Promise<RowPage<S>>;
  /**
   * The port behind the resilience policy only, for reads that must see the ERP as it is now (a
   * mutation re-reading what it is about to change). ordersByExternalDocumentNumbers is never
   * cached anyway: submitQuote's recovery relies on it to find an order already created.
   */
  readonly uncached: ErpPort;
  readonly policy: ResiliencePolicy;
  /**
   * The ERP read replica when options.erpReplica.enabled and the port can scan (scanPage); the
   * service starts it in the background and stops it on close. Undefined otherwise.
   */
  readonly replica: ErpReplica | undefined;
}

export function shieldErp(port: ErpPort, options: ShieldOptions, deps: ShieldDeps): ShieldedErp {
  const policy = createResiliencePolicy('erp', options.erp, deps.metrics);
  const uncached: ErpPort = {
    adapter: port.adapter,
    ...(port.capabilities ? { capabilities: port.capabilities } : {}),
    customersByNumbers: (keys, ctx) => policy.read('customersByNumbers', ctx, (c) => port.customersByNumbers(keys, c)),
    financialsByCustomers: (keys, ctx) =>
      policy.read('financialsByCustomers', ctx, (c) => port.financialsByCustomers(keys, c)),
    paymentTermsByIds: (keys, ctx) => policy.read('paymentTermsByIds', ctx, (c) => port.paymentTermsByIds(keys, c)),
    openInvoicesByCustomers: (keys, ctx) =>
      policy.read('openInvoicesByCustomers', ctx, (c) => port.openInvoicesByCustomers(keys, c)),
    ordersByCustomers: (keys, ctx) => policy.read('ordersByCustomers', ctx, (c) => port.ordersByCustomers(keys, c)),
    ordersByNumbers: (keys, ctx) => policy.read('ordersByNumbers', ctx, (c) => port.ordersByNumbers(keys, c)),
    ordersByExternalDocumentNumbers: (keys, ctx) =>
      policy.read('ordersByExternalDocumentNumbers', ctx, (c) => port.ordersByExternalDocumentNumbers(keys, c)),
    shipmentsByCustomers: (keys, ctx) =>
      policy.read('shipmentsByCustomers', ctx, (c) => port.shipmentsByCustomers(keys, c)),
    shipmentsByOrderNumbers: (keys, ctx) =>
      policy.read('shipmentsByOrderNumbers', ctx, (c) => port.shipmentsByOrderNumbers(keys, c)),
    itemsByNumbers: (keys, ctx) => policy.read('itemsByNumbers', ctx, (c) => port.itemsByNumbers(keys, c)),
    // One resilient read per page, never cached (the replica keeps the rows itself).
    ...(port.scanPage
      ? { scanPage: (set, request, ctx) => policy.read(`scanPage:${set}`, ctx, (c) => port.scanPage!(set, request, c)) }
      : {}),
    ...(port.queryRows
      ? { queryRows: (set, query, ctx) => policy.read(`queryRows:${set}`, ctx, (c) => port.queryRows!(set, query, c)) }
      : {}),
    // Not idempotent (port.ts): one attempt; a retry is the caller's, after looking the order up.
    createSalesOrder: (order, ctx) => policy.write('createSalesOrder', ctx, (c) => port.createSalesOrder(order, c)),
    ...(port.deleteSalesOrder
      ? {
          deleteSalesOrder: (order, ctx) =>
            policy.write('deleteSalesOrder', ctx, (c) => port.deleteSalesOrder!(order, c)),
        }
      : {}),
    // Once, no retries (a readiness check wants the answer now), and through the breaker on purpose:
    // while it is open the ERP is not being served, so the service is not ready.
    ping: (ctx) => policy.write('ping', ctx, (c) => port.ping(c)),
  };

  const replicaOn = options.erpReplica.enabled && options.cacheEnabled && uncached.scanPage !== undefined;
  // Replica-fed entries must outlive a few polls (erp-replica.ts, replicaCachePolicy).
  const cacheOptions: ShieldOptions = replicaOn
    ? {
        ...options,
        caches: {
          ...options.caches,
          ...Object.fromEntries(
            ERP_CACHE_KINDS.map((k) => [k, replicaCachePolicy(k, options.caches[k], options.erpReplica.pollMs)]),
          ),
        },
      }
    : options;
  const cache = createCacheFactory('erp', cacheOptions, deps, policy);
  const customers = cache<ErpCustomer>('erp.customer', 'customersByNumbers', (keys, c) =>
    port.customersByNumbers(keys, c),
  );
  const financials = cache<ErpCustomerFinancials>('erp.financials', 'financialsByCustomers', (keys, c) =>
    port.financialsByCustomers(keys, c),
  );
  const paymentTerms = cache<ErpPaymentTerms>('erp.paymentTerms', 'paymentTermsByIds', (keys, c) =>
    port.paymentTermsByIds(keys, c),
  );
  const openInvoices = cache<ErpInvoice[]>('erp.openInvoicesByCustomer', 'openInvoicesByCustomers', (keys, c) =>
    port.openInvoicesByCustomers(keys, c),
  );
  const ordersByCustomer = cache<ErpOrder[]>('erp.ordersByCustomer', 'ordersByCustomers', (keys, c) =>
    port.ordersByCustomers(keys, c),
  );
  const orders = cache<ErpOrder>('erp.order', 'ordersByNumbers', (keys, c) => port.ordersByNumbers(keys, c));
  const shipmentsByCustomer = cache<ErpShipment[]>('erp.shipmentsByCustomer', 'shipmentsByCustomers', (keys, c) =>
    port.shipmentsByCustomers(keys, c),
  );
  const shipmentsByOrder = cache<ErpShipment[]>('erp.shipmentsByOrder', 'shipmentsByOrderNumbers', (keys, c) =>
    port.shipmentsByOrderNumbers(keys, c),
  );
  const items = cache<ErpItem>('erp.item', 'itemsByNumbers', (keys, c) => port.itemsByNumbers(keys, c));

  const rows = createRowQueryCache({ port, policy, metrics: deps.metrics, clock: deps.clock ?? systemClock, options });

  const replica = replicaOn
    ? createErpReplica({
        scanPage: uncached.scanPage!,
        caches: {
          customer: customers,
          financials,
          paymentTerms,
          item: items,
          openInvoicesByCustomer: openInvoices,
          ordersByCustomer,
          order: orders,
          shipmentsByCustomer,
          shipmentsByOrder,
        },
        pollMs: options.erpReplica.pollMs,
        clock: deps.clock ?? systemClock,
        metrics: deps.metrics,
      })
    : undefined;

  return {
    adapter: port.adapter,
    ...(port.capabilities ? { capabilities: port.capabilities } : {}),
    customersByNumbers: customers.getMap,
    financialsByCustomers: financials.getMap,
    paymentTermsByIds: paymentTerms.getMap,
    openInvoicesByCustomers: openInvoices.getMap,
    ordersByCustomers: ordersByCustomer.getMap,
    ordersByNumbers: orders.getMap,
    ordersByExternalDocumentNumbers: uncached.ordersByExternalDocumentNumbers,
    shipmentsByCustomers: shipmentsByCustomer.getMap,
    shipmentsByOrderNumbers: shipmentsByOrder.getMap,
    itemsByNumbers: items.getMap,
    queryRows: async (set, query, ctx) => (await rows.query(set, query, ctx)).value,
    servedRows: (set, query, ctx) => rows.query(set, query, ctx),
    async createSalesOrder(order, ctx) {
      let created: ErpOrder | undefined;
      try {
        created = await uncached.createSalesOrder(order, ctx);
        return created;
      } finally {
        // Also after a failure: a timed-out create may have gone through. The customer's order
        // list and its credit exposure change; the new number may sit in the negative cache.
        const customer = [order.customerNumber];
        deps.invalidation.invalidate('erp.ordersByCustomer', customer);
        deps.invalidation.invalidate('erp.financials', customer);
        deps.invalidation.invalidate('erp.customer', customer);
        if (created) deps.invalidation.invalidate('erp.order', [created.number]);
        // Cached row-query pages may list orders, lines or the customer's credit: all dropped.
        rows.clear();
      }
    },
    ...(uncached.deleteSalesOrder
      ? {
          async deleteSalesOrder(order, ctx) {
            try {
              return await uncached.deleteSalesOrder!(order, ctx);
            } finally {
              // The order is gone, or may be: its entry, its customer's order list and credit
              // exposure, and every cached row-query page go (as after a create).
              const customer = [order.customerNumber];
              deps.invalidation.invalidate('erp.order', [order.number]);
              deps.invalidation.invalidate('erp.ordersByCustomer', customer);
              deps.invalidation.invalidate('erp.financials', customer);
              deps.invalidation.invalidate('erp.customer', customer);
              rows.clear();
            }
          },
        }
      : {}),
    ping: uncached.ping,
    served: {
      customersByNumbers: customers.getMany,
      financialsByCustomers: financials.getMany,
      paymentTermsByIds: paymentTerms.getMany,
      openInvoicesByCustomers: openInvoices.getMany,
      ordersByCustomers: ordersByCustomer.getMany,
      ordersByNumbers: orders.getMany,
      shipmentsByCustomers: shipmentsByCustomer.getMany,
      shipmentsByOrderNumbers: shipmentsByOrder.getMany,
      itemsByNumbers: items.getMany,
    },
    uncached,
    policy,
    replica,
  };
}
