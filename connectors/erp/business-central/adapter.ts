// The ERP port over the Business Central API v2.0. Every read is ONE collection request per entity
// kind for the whole batch (`$filter=(number eq 'C1' or number eq 'C2' ...)`, split only above
// MAX_KEYS_PER_REQUEST keys), asking ($select) for exactly the properties the mappers read; orders
// and shipments come with their lines in the same request ($expand).
import { Big } from 'big.js';
import { z } from 'zod';
import type { CallContext } from '../../../lib/call-context.js';
import type { Logger } from '../../../lib/logger.js';
import type { BusinessCentralOptions } from '../options.js';
import type {
  ErpCapabilities,
  ErpChangeFeed,
  ErpChangeFeedOptions,
  ErpCustomer,
  ErpCustomerFinancials,
  ErpInvoice,
  ErpItem,
  ErpOrder,
  ErpPaymentTerms,
  ErpPort,
  ErpScanPage,
  ErpScanRequest,
  ErpScanSet,
  ErpShipment,
  NewSalesOrder,
  RowPage,
  RowQuery,
  RowSet,
} from '../port.js';
import { checkNewSalesOrder } from '../new-sales-order.js';
import { BackendError } from '../../../lib/backend-error.js';
import { DEFAULT_ROW_READ_BUDGET, ROW_SET_NAMES, ROW_SETS } from '../row-query.js';
import { BC_ROW_SETS } from './row-fields.js';
import { invalidResponse } from './errors.js';
import { BusinessCentralClient, type CollectionQuery, type EntitySet } from './client.js';
import { chunk, groupBy, indexBy, uniqueKeys } from '../keys.js';
import {
  decodeRows,
  toCustomer,
  toFinancials,
  toInvoice,
  toItem,
  toOrder,
  toPaymentTerms,
  toShipment,
} from './mappers.js';
import {
  and,
  anyOf,
  dateTime,
  eq,
  gt,
  guid,
  isGuid,
  type FilterProperty,
  type FilterValue,
  type ODataFilter,
} from './odata-filter.js';
import { queryBusinessCentralRows } from './row-query.js';
import { TokenProvider } from './token.js';
import { createBusinessCentralChangeFeed } from './webhooks/change-feed.js';
import * as Wire from './wire.js';

/**
 * At ~30 URL-encoded characters per `number eq '...'` term, 100 keys keep the request line near 4 KB,
 * well inside common URL limits (and Node's 16 KB header limit); batches above it are split.
 */
export const MAX_KEYS_PER_REQUEST = 100;

const ORDER_QUERY = {
  select: Wire.selectOf(Wire.SalesOrder, 'salesOrderLines'),
  expand: { navigation: 'salesOrderLines', select: Wire.selectOf(Wire.SalesOrderLine) },
  // ErpPort: orders newest first; the number breaks ties within a day deterministically.
  orderby: ['orderDate desc', 'number desc'],
} as const satisfies CollectionQuery;

const SHIPMENT_QUERY = {
  select: Wire.selectOf(Wire.SalesShipment, 'salesShipmentLines'),
  expand: { navigation: 'salesShipmentLines', select: Wire.selectOf(Wire.SalesShipmentLine) },
  orderby: ['shipmentDate desc', 'number desc'],
} as const satisfies CollectionQuery;

/**
 * The replica's scans: the same $select/$expand and mappers as the keyed reads, plus
 * lastModifiedDateTime where the set has one (BC API v2.0; the emulator's customerFinancialDetails
 * and paymentTerms have none, so those are always scanned whole). No $orderby: the server's key
 * order pages stably, and the replica sorts its own lists.
 */
interface ScanSpec {
  select: readonly string[];
  expand?: CollectionQuery['expand'];
  tracked: boolean;
  map: (row: unknown, operation: string) => unknown;
}

const modified = { lastModifiedDateTime: z.string() };
const decodeOne =
  <S extends z.ZodType, T>(schema: S, map: (row: z.infer<S>) => T) =>
  (row: unknown, operation: string) =>
    decodeRows(schema, [row], map, operation)[0];

const SCANS: Record<ErpScanSet, ScanSpec> = {
  customers: { select: Wire.selectOf(Wire.Customer), tracked: true, map: decodeOne(Wire.Customer, toCustomer) },
  customerFinancialDetails: {
    select: Wire.selectOf(Wire.CustomerFinancialDetail),
    tracked: false,
    map: decodeOne(Wire.CustomerFinancialDetail, toFinancials),
  },
  paymentTerms: {
    select: Wire.selectOf(Wire.PaymentTerm),
    tracked: false,
    map: decodeOne(Wire.PaymentTerm, toPaymentTerms),
  },
  items: {
    select: [...Wire.selectOf(Wire.Item), 'lastModifiedDateTime'],
    tracked: true,
    map: decodeOne(Wire.Item.extend(modified), toItem),
  },
  salesInvoices: {
    select: [...Wire.selectOf(Wire.SalesInvoice), 'lastModifiedDateTime'],
    tracked: true,
    map: decodeOne(Wire.SalesInvoice.extend(modified), toInvoice),
  },
  salesOrders: {
    select: [...ORDER_QUERY.select, 'lastModifiedDateTime'],
    expand: ORDER_QUERY.expand,
    tracked: true,
    map: decodeOne(Wire.SalesOrder.extend(modified), (o) => toOrder(o, o.salesOrderLines)),
  },
  salesShipments: {
    select: [...SHIPMENT_QUERY.select, 'lastModifiedDateTime'],
    expand: SHIPMENT_QUERY.expand,
    tracked: true,
    map: decodeOne(Wire.SalesShipment.extend(modified), toShipment),
  },
};

export function createBusinessCentralAdapter(options: BusinessCentralOptions, logger: Logger): ErpPort {
  const tokens = new TokenProvider(
    {
      tokenUrl: options.tokenUrl,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      scope: options.scope,
      timeoutMs: options.timeoutMs,
    },
    logger,
  );
  const client = new BusinessCentralClient(
    {
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      ...(options.analyticsBaseUrl ? { analyticsBaseUrl: options.analyticsBaseUrl } : {}),
      ...(options.companyId ? { companyId: options.companyId } : {}),
    },
    tokens,
    logger,
  );
  return new BusinessCentralAdapter(client, options.rowReadBudget ?? DEFAULT_ROW_READ_BUDGET, logger);
}

interface KeyedRead<S extends z.ZodType, T> {
  entitySet: EntitySet;
  /** The property the keys are matched on. */
  keyProperty: FilterProperty;
  keys: readonly FilterValue[];
  /** Conditions besides the keys (e.g. status eq 'Open'). */
  also?: ODataFilter;
  query: Omit<CollectionQuery, 'filter'>;
  schema: S;
  map: (row: z.infer<S>) => T;
  operation: string;
}

/**
 * Business Central keeps everything the port asks for. Row queries: what BC_ROW_SETS maps (every
 * port field), and order lines on every field (evaluated over their orders' lines, row-query.ts).
 * Negated text functions: Business Central's $filter has none, so the adapter sends the rest of the
 * filter and tests the rows it reads against the whole filter (row-scan.ts), within the read budget.
 */
export const BUSINESS_CENTRAL_CAPABILITIES: ErpCapabilities = {
  customerBlock: 'flag',
  shipmentCarrier: true,
  totalSales: true,
  financialsForEveryCustomer: true,
  negatedTextFunctions: true,
  rowFields: Object.fromEntries(
    ROW_SET_NAMES.map((set) => {
      const fields =
        set === 'salesOrderLines' ? Object.keys(ROW_SETS[set].fields) : Object.keys(BC_ROW_SETS[set].fields);
      return [set, { filter: fields, order: fields }];
    }),
  ) as unknown as NonNullable<ErpCapabilities['rowFields']>,
};

export class BusinessCentralAdapter implements ErpPort {
  readonly adapter = 'business-central';
  readonly capabilities = BUSINESS_CENTRAL_CAPABILITIES;

  constructor(
    private readonly client: BusinessCentralClient,
    /** Rows one row query may ask of BC across all its requests (row-query.ts). */
    private readonly rowReadBudget: number,
    private readonly logger: Logger,
  ) {}

  async customersByNumbers(numbers: readonly string[], ctx: CallContext): Promise<Map<string, ErpCustomer>> {
    const rows = await this.read(
      {
        entitySet: 'customers',
        keyProperty: 'number',
        keys: uniqueKeys(numbers),
        query: { select: Wire.selectOf(Wire.Customer) },
        schema: Wire.Customer,
        map: toCustomer,
        operation: 'customersByNumbers',
      },
      ctx,
    );
    return indexBy(rows, (c) => c.number);
  }

  async financialsByCustomers(
    numbers: readonly string[],
    ctx: CallContext,
  ): Promise<Map<string, ErpCustomerFinancials>> {
    const rows = await this.read(
      {
        entitySet: 'customerFinancialDetails',
        keyProperty: 'number',
        keys: uniqueKeys(numbers),
        query: { select: Wire.selectOf(Wire.CustomerFinancialDetail) },
        schema: Wire.CustomerFinancialDetail,
        map: toFinancials,
        operation: 'financialsByCustomers',
      },
      ctx,
    );
    return indexBy(rows, (f) => f.customerNumber);
  }

  async paymentTermsByIds(ids: readonly string[], ctx: CallContext): Promise<Map<string, ErpPaymentTerms>> {
    // Ids are GUIDs (unquoted literals, OData v4 guidValue); anything else names no payment terms,
    // and GUIDs compare case-insensitively, so the answer is keyed by the caller's spelling.
    const requested = uniqueKeys(ids).filter(isGuid);
    const rows = await this.read(
      {
        entitySet: 'paymentTerms',
        keyProperty: 'id',
        keys: uniqueKeys(requested.map((id) => id.toLowerCase())).map(guid),
        query: { select: Wire.selectOf(Wire.PaymentTerm) },
        schema: Wire.PaymentTerm,
        map: toPaymentTerms,
        operation: 'paymentTermsByIds',
      },
      ctx,
    );
    const byId = indexBy(rows, (t) => t.id.toLowerCase());
    const out = new Map<string, ErpPaymentTerms>();
    for (const id of requested) {
      const terms = byId.get(id.toLowerCase());
      if (terms) out.set(id, terms);
    }
    return out;
  }

  async openInvoicesByCustomers(numbers: readonly string[], ctx: CallContext): Promise<Map<string, ErpInvoice[]>> {
    const keys = uniqueKeys(numbers);
    const rows = await this.read(
      {
        entitySet: 'salesInvoices',
        keyProperty: 'customerNumber',
        keys,
        also: eq('status', 'Open'),
        query: { select: Wire.selectOf(Wire.SalesInvoice), orderby: ['dueDate asc', 'number asc'] },
        schema: Wire.SalesInvoice,
        map: toInvoice,
        operation: 'openInvoicesByCustomers',
      },
      ctx,
    );
    return groupBy(keys, rows, (i) => i.customerNumber);
  }

  async ordersByCustomers(numbers: readonly string[], ctx: CallContext): Promise<Map<string, ErpOrder[]>> {
    const keys = uniqueKeys(numbers);
    const rows = await this.readOrders('customerNumber', keys, 'ordersByCustomers', ctx);
    return groupBy(keys, rows, (o) => o.customerNumber);
  }

  async ordersByNumbers(numbers: readonly string[], ctx: CallContext): Promise<Map<string, ErpOrder>> {
    const rows = await this.readOrders('number', uniqueKeys(numbers), 'ordersByNumbers', ctx);
    return indexBy(rows, (o) => o.number);
  }

  async ordersByExternalDocumentNumbers(refs: readonly string[], ctx: CallContext): Promise<Map<string, ErpOrder[]>> {
    const keys = uniqueKeys(refs);
    const rows = await this.readOrders('externalDocumentNumber', keys, 'ordersByExternalDocumentNumbers', ctx);
    return groupBy(keys, rows, (o) => o.externalDocumentNumber);
  }

  async shipmentsByCustomers(numbers: readonly string[], ctx: CallContext): Promise<Map<string, ErpShipment[]>> {
    const keys = uniqueKeys(numbers);
    const rows = await this.readShipments('customerNumber', keys, 'shipmentsByCustomers', ctx);
    return groupBy(keys, rows, (s) => s.customerNumber);
  }

  async shipmentsByOrderNumbers(
    orderNumbers: readonly string[],
    ctx: CallContext,
  ): Promise<Map<string, ErpShipment[]>> {
    const keys = uniqueKeys(orderNumbers);
    const rows = await this.readShipments('orderNumber', keys, 'shipmentsByOrderNumbers', ctx);
    return groupBy(keys, rows, (s) => s.orderNumber);
  }

  async itemsByNumbers(numbers: readonly string[], ctx: CallContext): Promise<Map<string, ErpItem>> {
    const rows = await this.read(
      {
        entitySet: 'items',
        keyProperty: 'number',
        keys: uniqueKeys(numbers),
        query: { select: Wire.selectOf(Wire.Item) },
        schema: Wire.Item,
        map: toItem,
        operation: 'itemsByNumbers',
      },
      ctx,
    );
    return indexBy(rows, (i) => i.number);
  }

  async createSalesOrder(order: NewSalesOrder, ctx: CallContext): Promise<ErpOrder> {
    const operation = 'createSalesOrder';
    // Deep insert (BC API v2.0: POST salesOrders with salesOrderLines). Never repeated on failure:
    // only the caller, looking the order up by externalDocumentNumber, can tell whether it exists.
    const body = await this.client.create(
      'salesOrders',
      toSalesOrderBody(order, operation),
      { expand: ORDER_QUERY.expand },
      ctx,
      operation,
    );
    const created = decodeRows(
      Wire.CreatedSalesOrder,
      [body],
      (o) => (o.salesOrderLines ? { order: toOrder(o, o.salesOrderLines) } : { id: o.id, number: o.number }),
      operation,
    )[0]!;
    if (created.order) return created.order;
    // The POST answered without lines: read the order back with them, by its id. The order exists
    // from here on, so no failure of the read-back may look like a refusal of the create (a 4xx on
    // the GET would map to 'rejected'): it is reported as an answer we could not read.
    if (!isGuid(created.id)) throw invalidResponse(operation, 'created order id is not a GUID');
    let withLines: ErpOrder | undefined;
    try {
      [withLines] = await this.readOrders('id', [guid(created.id)], operation, ctx);
    } catch (error) {
      throw invalidResponse(operation, `created order ${created.number} could not be read back`, error);
    }
    if (!withLines) throw invalidResponse(operation, `created order ${created.number} not found`);
    return withLines;
  }

  async deleteSalesOrder(
    order: Pick<ErpOrder, 'id' | 'number' | 'customerNumber'>,
    ctx: CallContext,
  ): Promise<'deleted' | 'not_found'> {
    const operation = 'deleteSalesOrder';
    // API v2.0 "Delete salesOrders": DELETE salesOrders({id}) with If-Match, 204 No Content. BC
    // refuses a released order (its Sales Header status test): that refusal is the caller's answer.
    try {
      await this.client.delete('salesOrders', order.id.toLowerCase(), ctx, operation);
      return 'deleted';
    } catch (error) {
      if (error instanceof BackendError && error.details.status === 404) return 'not_found';
      throw error;
    }
  }

  async scanPage<S extends ErpScanSet>(set: S, request: ErpScanRequest, ctx: CallContext): Promise<ErpScanPage<S>> {
    const spec = SCANS[set];
    const operation = `scanPage:${set}`;
    const query: CollectionQuery = {
      select: spec.select,
      ...(spec.expand ? { expand: spec.expand } : {}),
      ...(spec.tracked && request.modifiedSince
        ? { filter: gt('lastModifiedDateTime', dateTime(request.modifiedSince)) }
        : {}),
    };
    const page = await this.client.page(
      set,
      request.nextLink ? { nextLink: request.nextLink } : { query },
      ctx,
      operation,
    );
    let maxModified: string | null = null;
    const rows = page.value.map((row) => {
      const modified = spec.tracked ? (row as { lastModifiedDateTime?: unknown }).lastModifiedDateTime : undefined;
      if (typeof modified === 'string' && (maxModified === null || Date.parse(modified) > Date.parse(maxModified)))
        maxModified = modified;
      return spec.map(row, operation) as ErpScanPage<S>['rows'][number];
    });
    return { rows, nextLink: page.nextLink, maxModified };
  }

  /** Row queries pushed down as $filter/$orderby/$top/$skip/$count (row-query.ts). */
  queryRows<S extends RowSet>(set: S, query: RowQuery, ctx: CallContext): Promise<RowPage<S>> {
    return queryBusinessCentralRows(this.client, set, query, ctx, this.rowReadBudget);
  }

  /** Business Central's webhooks (webhooks/change-feed.ts). */
  changeFeed(options: ErpChangeFeedOptions): ErpChangeFeed {
    return createBusinessCentralChangeFeed(this.client, options, this.logger);
  }

  async ping(ctx: CallContext): Promise<void> {
    await this.client.ping(ctx);
  }

  private readOrders(property: FilterProperty, keys: readonly FilterValue[], operation: string, ctx: CallContext) {
    return this.read(
      {
        entitySet: 'salesOrders',
        keyProperty: property,
        keys,
        query: ORDER_QUERY,
        schema: Wire.SalesOrder,
        map: (o) => toOrder(o, o.salesOrderLines),
        operation,
      },
      ctx,
    );
  }

  private readShipments(property: FilterProperty, keys: readonly string[], operation: string, ctx: CallContext) {
    return this.read(
      {
        entitySet: 'salesShipments',
        keyProperty: property,
        keys,
        query: SHIPMENT_QUERY,
        schema: Wire.SalesShipment,
        map: toShipment,
        operation,
      },
      ctx,
    );
  }

  /** One request per chunk of keys (one chunk unless the batch is large); no keys → no request. */
  private async read<S extends z.ZodType, T>(spec: KeyedRead<S, T>, ctx: CallContext): Promise<T[]> {
    if (spec.keys.length === 0) return [];
    const pages = await Promise.all(
      chunk(spec.keys, MAX_KEYS_PER_REQUEST).map((keys) => {
        const byKey = anyOf(spec.keyProperty, keys);
        const filter = spec.also ? and(byKey, spec.also) : byKey;
        return this.client.list(spec.entitySet, { ...spec.query, filter }, ctx, spec.operation);
      }),
    );
    return decodeRows(spec.schema, pages.flat(), spec.map, spec.operation);
  }
}

/** NewSalesOrder → BC's salesOrder deep-insert body; bad input is refused before any request. */
function toSalesOrderBody(order: NewSalesOrder, operation: string): Record<string, unknown> {
  checkNewSalesOrder(order, 'Business Central', operation);
  return {
    customerNumber: order.customerNumber,
    externalDocumentNumber: order.externalDocumentNumber,
    ...(order.currency ? { currencyCode: order.currency } : {}),
    salesOrderLines: order.lines.map((line) => ({
      lineType: 'Item',
      lineObjectNumber: line.itemNumber,
      quantity: line.quantity,
      ...(line.unitPrice !== undefined ? { unitPrice: decimalToJson(line.unitPrice) } : {}),
      ...(line.discountPercent !== undefined ? { discountPercent: line.discountPercent } : {}),
    })),
  };
}

/**
 * BC takes Edm.Decimal as a JSON number. A validated decimal string with few digits parses to the
 * double whose shortest representation is that same string, so JSON carries it exactly.
 */
function decimalToJson(value: string): number {
  return Number(new Big(value).toString());
}
