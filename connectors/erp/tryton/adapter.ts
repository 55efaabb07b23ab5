// The ERP port over Tryton 6.0 JSON-RPC. Every read is ONE `search_read` per entity kind for the
// whole batch (a domain `[key, 'in', [...]]`, split only above MAX_KEYS_PER_REQUEST keys), asking for
// exactly the fields the mappers read, related records included through dotted field names (an
// order's lines, their moves and invoice lines come in the same request). mappers.ts says how
// Tryton's models become the port's; capabilities below declares what Tryton does not keep.
import { BackendError } from '../../../lib/backend-error.js';
import type { CallContext } from '../../../lib/call-context.js';
import type { Logger } from '../../../lib/logger.js';
import { chunk, groupBy, indexBy, uniqueKeys } from '../keys.js';
import type { TrytonOptions } from '../options.js';
import type {
  ErpCapabilities,
  ErpCustomer,
  ErpCustomerFinancials,
  ErpInvoice,
  ErpItem,
  ErpOrder,
  ErpPaymentTerms,
  ErpPort,
  ErpShipment,
  NewSalesOrder,
  RowPage,
  RowQuery,
  RowSet,
} from '../port.js';
import { DEFAULT_ROW_READ_BUDGET } from '../row-query.js';
import type { z } from 'zod';
import { TrytonClient, type TrytonContext } from './client.js';
import { CompanyLookup, type TrytonCompany } from './company.js';
import { invalidResponse } from './errors.js';
import {
  decodeRows,
  ORDER_STATES,
  ordersOfShipment,
  toCustomer,
  toFinancials,
  toInvoice,
  toItem,
  toOrder,
  toPaymentTerms,
  toShipment,
  type MappingContext,
} from './mappers.js';
import * as Wire from './records.js';
import { TRYTON_ROW_FIELDS, queryTrytonRows } from './row-query.js';
import { createTrytonSale } from './sales-order.js';

/** A request body, not a URL: far more keys fit than in Business Central's $filter. */
export const MAX_KEYS_PER_REQUEST = 500;

export const TRYTON_CAPABILITIES: ErpCapabilities = {
  customerBlock: 'inactive',
  shipmentCarrier: false,
  totalSales: false,
  financialsForEveryCustomer: false,
  negatedTextFunctions: true,
  rowFields: TRYTON_ROW_FIELDS,
};

const PARTY_FIELDS = Wire.fieldsOf(Wire.Party);
const PAYMENT_TERM_FIELDS = Wire.fieldsOf(Wire.PaymentTerm);
const INVOICE_FIELDS = Wire.fieldsOf(Wire.Invoice);
const SALE_FIELDS = Wire.fieldsOf(Wire.Sale);
const SHIPMENT_FIELDS = Wire.fieldsOf(Wire.Shipment);
const PRODUCT_FIELDS = Wire.fieldsOf(Wire.Product);

/** Customer invoices Tryton has posted (open or paid in part); paid ones are 'paid'. */
const POSTED_OUT_INVOICES = [
  ['type', '=', 'out'],
  ['state', '=', 'posted'],
] as const;
const ORDERS = [['state', 'in', ORDER_STATES]] as const;
const DONE_SHIPMENTS = [['state', '=', 'done']] as const;

export function createTrytonAdapter(options: TrytonOptions, logger: Logger): TrytonAdapter {
  const client = new TrytonClient(
    {
      url: options.url,
      database: options.database,
      username: options.username,
      password: options.password,
      timeoutMs: options.timeoutMs,
    },
    logger,
  );
  return new TrytonAdapter(client, options, logger);
}

const todayUtc = () => new Date().toISOString().slice(0, 10);

const newestFirst =
  <T extends { number: string }>(date: (row: T) => string) =>
  (a: T, b: T) =>
    date(b).localeCompare(date(a)) || b.number.localeCompare(a.number);

interface KeyedRead<S extends z.ZodType, T> {
  readonly model: string;
  /** The field (path) the keys are matched on. */
  readonly key: string;
  readonly keys: readonly (string | number)[];
  /** Conditions besides the keys. */
  readonly also?: readonly unknown[];
  readonly schema: S;
  readonly fields: readonly string[];
  readonly order?: ReadonlyArray<readonly [string, string]>;
  readonly context?: (company: TrytonCompany) => TrytonContext;
  readonly map: (row: z.infer<S>, mapping: MappingContext) => T | null;
}

export class TrytonAdapter implements ErpPort {
  readonly adapter = 'tryton';
  readonly capabilities = TRYTON_CAPABILITIES;
  readonly #company: CompanyLookup;
  readonly #today: () => string;
  readonly #rowReadBudget: number;

  constructor(
    private readonly client: TrytonClient,
    options: Pick<TrytonOptions, 'company' | 'warehouse' | 'today' | 'rowReadBudget'>,
    private readonly logger: Logger,
  ) {
    this.#company = new CompanyLookup(client, {
      ...(options.company !== undefined ? { company: options.company } : {}),
      ...(options.warehouse !== undefined ? { warehouse: options.warehouse } : {}),
    });
    this.#today = options.today ?? todayUtc;
    this.#rowReadBudget = options.rowReadBudget ?? DEFAULT_ROW_READ_BUDGET;
  }

  async customersByNumbers(numbers: readonly string[], ctx: CallContext): Promise<Map<string, ErpCustomer>> {
    const rows = await this.#read('customersByNumbers', ctx, {
      model: 'party.party',
      key: 'code',
      keys: uniqueKeys(numbers),
      schema: Wire.Party,
      fields: PARTY_FIELDS,
      // A deactivated party is still the customer (reported as blocked).
      context: (company) => ({ ...company.context, active_test: false }),
      map: toCustomer,
    });
    return indexBy(rows, (c) => c.number);
  }

  async financialsByCustomers(
    numbers: readonly string[],
    ctx: CallContext,
  ): Promise<Map<string, ErpCustomerFinancials>> {
    const keys = uniqueKeys(numbers);
    const invoices = await this.#read('financialsByCustomers', ctx, { ...POSTED_INVOICES, keys, map: (row) => row });
    const mapping = await this.#mappingContext(ctx);
    const byCustomer = groupBy(keys, invoices, (i) => i['party.']?.code ?? null);
    const out = new Map<string, ErpCustomerFinancials>();
    for (const [customer, list] of byCustomer) {
      if (list.length > 0) out.set(customer, toFinancials(customer, list, mapping));
    }
    return out;
  }

  async paymentTermsByIds(ids: readonly string[], ctx: CallContext): Promise<Map<string, ErpPaymentTerms>> {
    // Tryton ids are integers; anything else names no payment term.
    const requested = uniqueKeys(ids).filter((id) => /^[1-9]\d{0,15}$/.test(id));
    const rows = await this.#read('paymentTermsByIds', ctx, {
      model: 'account.invoice.payment_term',
      key: 'id',
      keys: requested.map(Number),
      schema: Wire.PaymentTerm,
      fields: PAYMENT_TERM_FIELDS,
      context: (company) => ({ ...company.context, active_test: false }),
      map: toPaymentTerms,
    });
    return indexBy(rows, (t) => t.id);
  }

  async openInvoicesByCustomers(numbers: readonly string[], ctx: CallContext): Promise<Map<string, ErpInvoice[]>> {
    const keys = uniqueKeys(numbers);
    const rows = await this.#read('openInvoicesByCustomers', ctx, { ...POSTED_INVOICES, keys, map: toInvoice });
    // Due first (the due date is computed from the lines to pay: ordered here, not by Tryton).
    const open = rows
      .filter((i) => i.status === 'open')
      .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.number.localeCompare(b.number));
    return groupBy(keys, open, (i) => i.customerNumber);
  }

  async ordersByCustomers(numbers: readonly string[], ctx: CallContext): Promise<Map<string, ErpOrder[]>> {
    const keys = uniqueKeys(numbers);
    return groupBy(keys, await this.#readOrders('party.code', keys, 'ordersByCustomers', ctx), (o) => o.customerNumber);
  }

  async ordersByNumbers(numbers: readonly string[], ctx: CallContext): Promise<Map<string, ErpOrder>> {
    return indexBy(await this.#readOrders('number', uniqueKeys(numbers), 'ordersByNumbers', ctx), (o) => o.number);
  }

  async ordersByExternalDocumentNumbers(refs: readonly string[], ctx: CallContext): Promise<Map<string, ErpOrder[]>> {
    const keys = uniqueKeys(refs);
    return groupBy(
      keys,
      await this.#readOrders('reference', keys, 'ordersByExternalDocumentNumbers', ctx),
      (o) => o.externalDocumentNumber,
    );
  }

  async shipmentsByCustomers(numbers: readonly string[], ctx: CallContext): Promise<Map<string, ErpShipment[]>> {
    const keys = uniqueKeys(numbers);
    const rows = await this.#read('shipmentsByCustomers', ctx, {
      ...SHIPMENTS,
      key: 'customer.code',
      keys,
      map: (s) => toShipment(s),
    });
    return groupBy(keys, rows.sort(newestFirst((s) => s.shipmentDate)), (s) => s.customerNumber);
  }

  async shipmentsByOrderNumbers(
    orderNumbers: readonly string[],
    ctx: CallContext,
  ): Promise<Map<string, ErpShipment[]>> {
    const keys = uniqueKeys(orderNumbers);
    const raw = await this.#read('shipmentsByOrderNumbers', ctx, {
      ...SHIPMENTS,
      key: 'moves.sale.number',
      keys,
      map: (s) => s,
    });
    // A shipment may serve several orders: under each, with that order's lines.
    const wanted = new Set(keys);
    const rows = raw.flatMap((s) =>
      ordersOfShipment(s)
        .filter((n) => wanted.has(n))
        .map((n) => toShipment(s, n)!),
    );
    return groupBy(keys, rows.sort(newestFirst((s) => s.shipmentDate)), (s) => s.orderNumber);
  }

  async itemsByNumbers(numbers: readonly string[], ctx: CallContext): Promise<Map<string, ErpItem>> {
    const rows = await this.#read('itemsByNumbers', ctx, {
      model: 'product.product',
      key: 'code',
      keys: uniqueKeys(numbers),
      schema: Wire.Product,
      fields: PRODUCT_FIELDS,
      // Inactive products are items no longer sold (blocked); stock is counted in the warehouse.
      context: (company) => ({
        ...company.context,
        active_test: false,
        locations: [company.warehouse],
        with_childs: true,
      }),
      map: toItem,
    });
    return indexBy(rows, (i) => i.number);
  }

  async createSalesOrder(order: NewSalesOrder, ctx: CallContext): Promise<ErpOrder> {
    const call = this.client.begin(ctx, 'createSalesOrder');
    const company = await this.#company.get(call);
    const saleId = await createTrytonSale(this.client, call, company, order, this.logger);
    // The sale exists from here on: a failure to read it back is an answer we could not read, never
    // a refusal of the create (which would tell the caller no order was made).
    let rows: Array<Record<string, unknown>>;
    try {
      rows = await this.client.searchRead(call, 'sale.sale', {
        domain: [['id', '=', saleId]],
        fields: SALE_FIELDS,
        context: company.context,
      });
    } catch (error) {
      throw invalidResponse(call.operation, `created sale ${saleId} could not be read back`, error);
    }
    const mapping = { currency: company.currency, today: this.#today() };
    const [created] = decodeRows(Wire.Sale, rows, (s) => toOrder(s, mapping), call.operation);
    if (!created) throw invalidResponse(call.operation, `created sale ${saleId} is not an order`);
    return created;
  }

  /**
   * A sale Tryton still lets go (a quotation, or a draft) is cancelled, then deleted (Tryton deletes
   * only cancelled sales): 'deleted'. A confirmed one is the ERP's to handle: refused ('rejected').
   * Gone already, or cancelled (not an order any more): 'not_found'.
   */
  async deleteSalesOrder(
    order: Pick<ErpOrder, 'id' | 'number' | 'customerNumber'>,
    ctx: CallContext,
  ): Promise<'deleted' | 'not_found'> {
    const call = this.client.begin(ctx, 'deleteSalesOrder');
    const company = await this.#company.get(call);
    const id = Number(order.id);
    if (!Number.isSafeInteger(id) || id <= 0) return 'not_found';
    const [sale] = await this.client.searchRead(call, 'sale.sale', {
      domain: [
        ['id', '=', id],
        ['number', '=', order.number],
      ],
      fields: ['state'],
      context: company.context,
    });
    const state = sale?.['state'];
    if (state === undefined || state === 'cancelled') return 'not_found';
    if (state !== 'quotation' && state !== 'draft') {
      throw new BackendError(
        'erp',
        'rejected',
        `Tryton deleteSalesOrder: sale ${order.number} is ${String(state)}, past what can be withdrawn`,
        {
          operation: call.operation,
          backendCode: 'SaleConfirmed',
        },
      );
    }
    await this.client.execute(call, 'sale.sale', 'cancel', [[id]], company.context);
    // Cancelled, it is no order any more; deleting it too leaves no trace but the audit log.
    await this.client.execute(call, 'sale.sale', 'delete', [[id]], company.context);
    return 'deleted';
  }

  queryRows<S extends RowSet>(set: S, query: RowQuery, ctx: CallContext): Promise<RowPage<S>> {
    return queryTrytonRows(this.client, set, query, ctx, {
      company: (call) => this.#company.get(call),
      today: this.#today,
      budget: this.#rowReadBudget,
    });
  }

  async ping(ctx: CallContext): Promise<void> {
    const call = this.client.begin(ctx, 'ping');
    await this.#company.get(call);
    await this.client.preferences(call);
  }

  async #mappingContext(ctx: CallContext): Promise<MappingContext> {
    const company = await this.#company.get(this.client.begin(ctx, 'company'));
    return { currency: company.currency, today: this.#today() };
  }

  #readOrders(key: string, keys: readonly string[], operation: string, ctx: CallContext): Promise<ErpOrder[]> {
    return this.#read(operation, ctx, {
      model: 'sale.sale',
      key,
      keys,
      also: ORDERS,
      schema: Wire.Sale,
      fields: SALE_FIELDS,
      map: toOrder,
    }).then((rows) => rows.sort(newestFirst((o) => o.orderDate)));
  }

  /** One request per chunk of keys (one chunk unless the batch is large); no keys → no request. */
  async #read<S extends z.ZodType, T>(operation: string, ctx: CallContext, spec: KeyedRead<S, T>): Promise<T[]> {
    if (spec.keys.length === 0) return [];
    const call = this.client.begin(ctx, operation);
    const company = await this.#company.get(call);
    const context = spec.context ? spec.context(company) : company.context;
    const pages = await Promise.all(
      chunk(spec.keys, MAX_KEYS_PER_REQUEST).map((keys) =>
        this.client.searchRead(call, spec.model, {
          domain: [[spec.key, 'in', keys], ...(spec.also ?? [])],
          fields: spec.fields,
          ...(spec.order ? { order: spec.order } : {}),
          context,
        }),
      ),
    );
    const mapping: MappingContext = { currency: company.currency, today: this.#today() };
    return decodeRows(spec.schema, pages.flat(), (row) => spec.map(row, mapping), operation);
  }
}

/** A customer's posted invoices (open, or paid but not yet reconciled). */
const POSTED_INVOICES = {
  model: 'account.invoice',
  key: 'party.code',
  also: POSTED_OUT_INVOICES,
  schema: Wire.Invoice,
  fields: INVOICE_FIELDS,
} as const;

const SHIPMENTS = {
  model: 'stock.shipment.out',
  also: DONE_SHIPMENTS,
  schema: Wire.Shipment,
  fields: SHIPMENT_FIELDS,
} as const;
