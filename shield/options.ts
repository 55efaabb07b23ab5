// How the shielding tier is tuned: per-kind cache policies and per-backend protection. A zod schema
// with every default filled in, so a subgraph's config.ts can map its environment onto a partial
// object and parse it; nothing here reads process.env (house rules: only config.ts modules do).
import { z } from 'zod';

/** The cached entity kinds: one process-wide cache each, named `<backend>.<what it is keyed by>`. */
export const ERP_CACHE_KINDS = [
  'erp.customer',
  'erp.financials',
  'erp.paymentTerms',
  'erp.openInvoicesByCustomer',
  'erp.ordersByCustomer',
  'erp.order',
  'erp.shipmentsByCustomer',
  'erp.shipmentsByOrder',
  'erp.item',
] as const;

export const SALESFORCE_CACHE_KINDS = [
  'sf.account',
  'sf.accountByErpNumber',
  'sf.user',
  'sf.contactsByAccount',
  'sf.opportunitiesByAccount',
  'sf.quotesByAccount',
  'sf.quote',
  'sf.quoteLinesByQuote',
  'sf.casesByAccount',
] as const;

/** A shipment's tracking at its carrier, keyed by `carrier~trackingNumber` (connectors/carrier/port.ts). */
export const CARRIER_CACHE_KINDS = ['carrier.tracking'] as const;

export type ErpCacheKind = (typeof ERP_CACHE_KINDS)[number];
export type SalesforceCacheKind = (typeof SALESFORCE_CACHE_KINDS)[number];
export type CarrierCacheKind = (typeof CARRIER_CACHE_KINDS)[number];
export type CacheKind = ErpCacheKind | SalesforceCacheKind | CarrierCacheKind;

const ms = z.number().int().min(0);
const count = z.number().int().min(1);

/**
 * Freshness zones of an entry by age (RFC 5861's stale-while-revalidate / stale-if-error, per kind):
 * age <= ttlMs: fresh, served from memory; up to ttlMs + staleWhileRevalidateMs: served at once
 * (marked stale) while one background refresh runs; up to ttlMs + maxStaleMs: the caller waits for
 * the refresh and gets the stale value only if it fails; older: unusable, the refresh's error
 * propagates.
 */
const cachePolicy = (defaultTtlMs: number, defaultMaxEntries: number, defaultSettledTtlMs?: number) =>
  z
    .strictObject({
      ttlMs: ms.min(1).default(defaultTtlMs),
      /**
       * The TTL of a value the backend will not change any more (a delivered shipment), for kinds
       * whose cache can tell (keyed-cache.ts, isSettled); defaults to ttlMs.
       */
      settledTtlMs: ms.min(1).optional(),
      /** Defaults to ttlMs: an entry up to twice its TTL old is served while it refreshes. */
      staleWhileRevalidateMs: ms.optional(),
      maxStaleMs: ms.default(15 * 60_000),
      /**
       * Keys the backend has no record for are cached too (negative caching), by default for
       * min(ttlMs, 15 s): a record created meanwhile shows up soon even without an invalidation.
       */
      absentTtlMs: ms.min(1).optional(),
      maxEntries: count.default(defaultMaxEntries),
    })
    .transform(({ ttlMs, settledTtlMs, staleWhileRevalidateMs, maxStaleMs, absentTtlMs, maxEntries }) => ({
      ttlMs,
      settledTtlMs: settledTtlMs ?? defaultSettledTtlMs ?? ttlMs,
      staleWhileRevalidateMs: staleWhileRevalidateMs ?? Math.min(ttlMs, maxStaleMs),
      maxStaleMs,
      absentTtlMs: absentTtlMs ?? Math.min(ttlMs, 15_000),
      maxEntries,
    }))
    .refine((p) => p.staleWhileRevalidateMs <= p.maxStaleMs, {
      message: 'staleWhileRevalidateMs must not exceed maxStaleMs',
    })
    .prefault({});

// Single records are small; lists per customer (orders with lines, shipments) are not, hence a lower
// entry bound for them.
const RECORDS = 50_000;
const LISTS = 10_000;

const resiliencePolicy = (d: { maxConcurrent: number; maxQueue: number }) =>
  z
    .strictObject({
      /** Bulkhead: calls in flight to the backend at once; beyond it calls wait in the queue. */
      maxConcurrent: count.default(d.maxConcurrent),
      /** Bulkhead queue; when full, a call fails at once (ShieldRejectedError 'bulkhead_full'). */
      maxQueue: z.number().int().min(0).default(d.maxQueue),
      /** Per attempt, from entering the bulkhead (queue wait included) to the answer. */
      readTimeoutMs: ms.min(1).default(4_000),
      writeTimeoutMs: ms.min(1).default(15_000),
      /** Retries after the first attempt, for idempotent reads failing with an outage only. */
      maxRetries: z.number().int().min(0).max(10).default(2),
      retryInitialDelayMs: ms.default(100),
      retryMaxDelayMs: ms.default(1_000),
      /** Consecutive outage failures that open the circuit. */
      breakerThreshold: count.default(5),
      /** How long an open circuit fails fast before one probe call may pass (half-open). */
      halfOpenAfterMs: ms.min(1).default(5_000),
    })
    .refine((p) => p.retryInitialDelayMs <= p.retryMaxDelayMs, {
      message: 'retryInitialDelayMs must not exceed retryMaxDelayMs',
    })
    .prefault({});

export const ShieldOptionsSchema = z.strictObject({
  /**
   * false: every read goes to the backend (still batched per tick, still protected); for the
   * benchmark's with/without comparison and for debugging.
   */
  cacheEnabled: z.boolean().default(true),
  /**
   * The ERP read replica (erp-replica.ts): off by default; on, the ERP subgraph scans the ERP at start
   * and every pollMs (delta) and fills the keyed ERP caches from memory.
   */
  erpReplica: z.strictObject({ enabled: z.boolean().default(false), pollMs: ms.min(100).default(5_000) }).prefault({}),
  /**
   * ERP row queries (filtered pages of whole entity sets: the OData bridge): a small cache
   * of whole pages keyed by the canonical query, so a warm repeat (Salesforce Connect re-asking for
   * the page it shows) does not reach the ERP. Short-lived: a page cannot be invalidated by record.
   */
  rowQueries: z.strictObject({ ttlMs: ms.min(1).default(5_000), maxEntries: count.default(500) }).prefault({}),
  erp: resiliencePolicy({ maxConcurrent: 8, maxQueue: 64 }),
  salesforce: resiliencePolicy({ maxConcurrent: 16, maxQueue: 128 }),
  // Carriers ration requests (FedEx: 1,400 per 10 s and a daily quota per project); one batch call is
  // one request of up to 30 numbers, so this caps the requests in flight.
  carrier: resiliencePolicy({ maxConcurrent: 4, maxQueue: 32 }),
  caches: z
    .strictObject({
      'erp.customer': cachePolicy(60_000, RECORDS),
      'erp.financials': cachePolicy(60_000, RECORDS),
      'erp.paymentTerms': cachePolicy(300_000, RECORDS),
      'erp.openInvoicesByCustomer': cachePolicy(30_000, LISTS),
      'erp.ordersByCustomer': cachePolicy(30_000, LISTS),
      'erp.order': cachePolicy(30_000, RECORDS),
      'erp.shipmentsByCustomer': cachePolicy(30_000, LISTS),
      'erp.shipmentsByOrder': cachePolicy(30_000, LISTS),
      'erp.item': cachePolicy(300_000, RECORDS),
      'sf.account': cachePolicy(120_000, RECORDS),
      'sf.accountByErpNumber': cachePolicy(120_000, RECORDS),
      'sf.user': cachePolicy(600_000, RECORDS),
      'sf.contactsByAccount': cachePolicy(120_000, LISTS),
      'sf.opportunitiesByAccount': cachePolicy(120_000, LISTS),
      'sf.quotesByAccount': cachePolicy(60_000, LISTS),
      'sf.quote': cachePolicy(60_000, RECORDS),
      'sf.quoteLinesByQuote': cachePolicy(60_000, LISTS),
      'sf.casesByAccount': cachePolicy(60_000, LISTS),
      // Scans arrive hours apart: 5 minutes keeps "where is it" current without spending the
      // carrier's quota; a delivered shipment (or one stuck in an exception for a week) no longer changes.
      'carrier.tracking': cachePolicy(300_000, LISTS, 6 * 3_600_000),
    })
    .prefault({}),
});

export type ShieldOptions = z.output<typeof ShieldOptionsSchema>;
/** What a config module may pass: any subset; the rest takes the defaults above. */
export type ShieldOptionsInput = z.input<typeof ShieldOptionsSchema>;
export type CachePolicy = ShieldOptions['caches'][CacheKind];
export type ResilienceOptions = ShieldOptions['erp'];

/**
 * Validates and completes shield options. Throws an Error listing every bad field by its path
 * (e.g. `caches.erp.customer.ttlMs`), for the config module to report with the variable it came from.
 */
export function parseShieldOptions(input: unknown = {}): ShieldOptions {
  const parsed = ShieldOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${formatPath(issue.path)}: ${issue.message}`);
    throw new Error(`Invalid shield options:\n${problems.join('\n')}`);
  }
  return parsed.data;
}

// Kind names contain dots, so they are bracketed: caches["erp.item"].ttlMs.
function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((key, i) =>
      String(key).includes('.') ? `[${JSON.stringify(String(key))}]` : `${i === 0 ? '' : '.'}${String(key)}`,
    )
    .join('');
}

export const defaultShieldOptions: ShieldOptions = parseShieldOptions({});
