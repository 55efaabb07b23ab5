// Small in-memory backends for the shield tests: they record every call (method and keys), can be
// held (answer later, on release) and can be made to fail, so tests count backend calls exactly.
import { Registry } from 'prom-client';
import { BackendError, type BackendFailure, type BackendName } from '../../lib/backend-error.js';
import type { CallContext } from '../../lib/call-context.js';
import type {
  ErpCustomer,
  ErpCustomerFinancials,
  ErpItem,
  ErpOrder,
  ErpPaymentTerms,
  ErpPort,
  NewSalesOrder,
} from '../../connectors/erp/port.js';
import type { SalesforceConnector, SfAccountRecord } from '../../connectors/salesforce/types.js';
import type { Clock } from '../../shield/clock.js';

export const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);

/** A clock moved by hand (never 0: lru-cache reads a start of 0 as "no TTL"). */
export function manualClock(start = T0): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms) };
}

export const ctx = (correlationId = 'corr-1', signal?: AbortSignal): CallContext =>
  signal ? { correlationId, signal } : { correlationId };

export const outage = (backend: BackendName = 'erp', failure: BackendFailure = 'unavailable') =>
  new BackendError(backend, failure, `fake ${backend} ${failure}`);

/** Lets a macrotask turn pass, so batches dispatch and settled promises run their continuations. */
export const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface Call {
  method: string;
  keys: readonly string[];
  ctx: CallContext;
}

/** Records calls; answers from `data`, or fails with `failure`; `hold()` defers answers until released. */
export class FakeBackend {
  readonly calls: Call[] = [];
  failure: Error | null = null;
  private held: Array<() => void> | null = null;

  hold(): void {
    this.held = [];
  }

  /** Answers every held call (with the data and failure as they are now) and stops holding. */
  release(): void {
    const held = this.held ?? [];
    this.held = null;
    held.forEach((go) => go());
  }

  callsTo(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  async answer<T>(method: string, keys: readonly string[], ctx: CallContext, produce: () => T): Promise<T> {
    this.calls.push({ method, keys: [...keys], ctx });
    if (this.held) await new Promise<void>((resolve) => this.held!.push(resolve));
    if (this.failure) throw this.failure;
    return produce();
  }
}

/** A batch read over a key → value table, for the keyed cache on its own. */
export function batchSource<V>(data: Map<string, V>, backend = new FakeBackend()) {
  return {
    backend,
    data,
    load: (keys: readonly string[], c: CallContext) =>
      backend.answer(
        'load',
        keys,
        c,
        () => new Map(keys.filter((k) => data.has(k)).map((k) => [k, data.get(k)!] as const)),
      ),
  };
}

export function customer(number: string, name = `Customer ${number}`): ErpCustomer {
  return {
    number,
    name,
    address: { line1: null, line2: null, city: null, state: null, postalCode: null, country: 'US' },
    phone: null,
    email: null,
    currency: 'USD',
    paymentTermsId: null,
    blocked: 'none',
    creditLimit: '10000.00',
    balanceDue: '0.00',
    taxLiable: true,
    updatedAt: '2025-01-01T00:00:00Z',
  };
}

export function order(number: string, customerNumber: string): ErpOrder {
  return {
    id: `00000000-0000-0000-0000-${number.padStart(12, '0')}`,
    number,
    externalDocumentNumber: null,
    customerNumber,
    orderDate: '2025-01-02',
    requestedDeliveryDate: null,
    status: 'open',
    fullyShipped: false,
    currency: 'USD',
    totalExcludingTax: '100.00',
    totalIncludingTax: '108.00',
    lines: [],
  };
}

/** An ErpPort over customers and orders; every other read answers an empty map. */
export class FakeErp extends FakeBackend implements ErpPort {
  readonly adapter = 'fake';
  readonly customers = new Map<string, ErpCustomer>();
  readonly orders: ErpOrder[] = [];

  private lookup<V>(method: string, keys: readonly string[], c: CallContext, pick: (key: string) => V | undefined) {
    return this.answer(method, keys, c, () => {
      const found = new Map<string, V>();
      for (const key of keys) {
        const value = pick(key);
        if (value !== undefined) found.set(key, value);
      }
      return found;
    });
  }

  customersByNumbers = (keys: readonly string[], c: CallContext) =>
    this.lookup('customersByNumbers', keys, c, (k) => this.customers.get(k));
  financialsByCustomers = (keys: readonly string[], c: CallContext) =>
    this.lookup<ErpCustomerFinancials>('financialsByCustomers', keys, c, () => undefined);
  paymentTermsByIds = (keys: readonly string[], c: CallContext) =>
    this.lookup<ErpPaymentTerms>('paymentTermsByIds', keys, c, () => undefined);
  openInvoicesByCustomers = (keys: readonly string[], c: CallContext) =>
    this.lookup('openInvoicesByCustomers', keys, c, () => []);
  ordersByCustomers = (keys: readonly string[], c: CallContext) =>
    this.lookup('ordersByCustomers', keys, c, (k) => this.orders.filter((o) => o.customerNumber === k));
  ordersByNumbers = (keys: readonly string[], c: CallContext) =>
    this.lookup('ordersByNumbers', keys, c, (k) => this.orders.find((o) => o.number === k));
  ordersByExternalDocumentNumbers = (keys: readonly string[], c: CallContext) =>
    this.lookup('ordersByExternalDocumentNumbers', keys, c, (k) =>
      this.orders.filter((o) => o.externalDocumentNumber === k),
    );
  shipmentsByCustomers = (keys: readonly string[], c: CallContext) =>
    this.lookup('shipmentsByCustomers', keys, c, () => []);
  shipmentsByOrderNumbers = (keys: readonly string[], c: CallContext) =>
    this.lookup('shipmentsByOrderNumbers', keys, c, () => []);
  itemsByNumbers = (keys: readonly string[], c: CallContext) =>
    this.lookup<ErpItem>('itemsByNumbers', keys, c, () => undefined);

  createSalesOrder = (input: NewSalesOrder, c: CallContext) =>
    this.answer('createSalesOrder', [input.externalDocumentNumber], c, () => {
      const created = {
        ...order(String(1000 + this.orders.length), input.customerNumber),
        externalDocumentNumber: input.externalDocumentNumber,
      };
      this.orders.push(created);
      return created;
    });

  ping = (c: CallContext) => this.answer('ping', [], c, () => undefined);
}

export function account(id: string, erpCustomerNumber: string | null = null, name = `Account ${id}`): SfAccountRecord {
  return {
    id,
    name,
    type: null,
    industry: null,
    phone: null,
    website: null,
    ownerId: null,
    erpCustomerNumber,
    billingAddress: null,
    annualRevenue: null,
    numberOfEmployees: null,
    description: null,
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
  };
}

/** A SalesforceConnector over accounts; every other keyed read answers an empty map. */
export class FakeSalesforce extends FakeBackend implements SalesforceConnector {
  readonly accounts = new Map<string, SfAccountRecord>();

  private empty<V>(method: string, keys: readonly string[], c: CallContext) {
    return this.answer(method, keys, c, () => new Map<string, V>());
  }

  accountsByIds = (keys: readonly string[], c: CallContext) =>
    this.answer(
      'accountsByIds',
      keys,
      c,
      () => new Map(keys.flatMap((k) => (this.accounts.has(k) ? [[k, this.accounts.get(k)!] as const] : []))),
    );
  accountsByErpNumbers = (keys: readonly string[], c: CallContext) =>
    this.answer('accountsByErpNumbers', keys, c, () => {
      const found = new Map<string, SfAccountRecord>();
      for (const a of this.accounts.values())
        if (a.erpCustomerNumber && keys.includes(a.erpCustomerNumber)) found.set(a.erpCustomerNumber, a);
      return found;
    });
  listAccounts = (args: { first: number }, c: CallContext) =>
    this.answer('listAccounts', [], c, () => ({
      accounts: [...this.accounts.values()].slice(0, args.first),
      hasNextPage: false,
    }));
  countAccounts = (_filter: unknown, c: CallContext) => this.answer('countAccounts', [], c, () => this.accounts.size);
  usersByIds = (keys: readonly string[], c: CallContext) => this.empty<never>('usersByIds', keys, c);
  contactsByAccountIds = (keys: readonly string[], c: CallContext) =>
    this.empty<never>('contactsByAccountIds', keys, c);
  opportunitiesByAccountIds = (keys: readonly string[], c: CallContext) =>
    this.empty<never>('opportunitiesByAccountIds', keys, c);
  quotesByAccountIds = (keys: readonly string[], c: CallContext) => this.empty<never>('quotesByAccountIds', keys, c);
  quotesByIds = (keys: readonly string[], c: CallContext) => this.empty<never>('quotesByIds', keys, c);
  quoteLinesByQuoteIds = (keys: readonly string[], c: CallContext) =>
    this.empty<never>('quoteLinesByQuoteIds', keys, c);
  casesByAccountIds = (keys: readonly string[], c: CallContext) => this.empty<never>('casesByAccountIds', keys, c);
  updateAccount = (id: string, update: { name?: string }, c: CallContext) =>
    this.answer('updateAccount', [id], c, () => {
      const current = this.accounts.get(id);
      if (current && update.name) this.accounts.set(id, { ...current, name: update.name });
    });
  updateQuotesErpSync = (updates: ReadonlyArray<{ quoteId: string }>, c: CallContext) =>
    this.answer(
      'updateQuotesErpSync',
      updates.map((u) => u.quoteId),
      c,
      () => undefined,
    );
  ping = (c: CallContext) => this.answer('ping', [], c, () => undefined);
  apiUsage = () => ({ used: 1, limit: 100 });
}

/** The current value of one series of a counter or gauge (0 when the series does not exist yet). */
export async function metricValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const series = values.find((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want));
  return series?.value ?? 0;
}

export { Registry };
