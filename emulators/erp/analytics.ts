// Business Central's Analytics API (api-analytics/api-analytics-overview.md): read-only query APIs
// published by Microsoft under /api/microsoft/analytics/v1.0/companies({id})/<entitySet>, with the
// same OAuth tokens and the same OData query options as the API v2.0. The emulator serves the one
// the ERP adapter reads, `salesLines` (query 37024 "Sales Line V2 - PBI API"): every sales line as
// a row of its own, joined to its document header, so lines can be filtered, ordered, paged and
// counted across documents, which the API v2.0 cannot do (order-lines.ts).
//
// The query's rows are derived from the sales orders (the only sales documents the emulator
// holds), rebuilt whenever an order changes; lines of other types than Item, G/L Account and
// Resource are left out, as the query's DataItemTableFilter does. A query has no key and no ETag:
// no `salesLines(...)` lookups, no `@odata.etag`.
import express, { type Request, type Response } from 'express';
import { ANALYTICS_SETS, type EntitySetDef } from './entity-sets.js';
import { BcError, segmentNotFound } from './errors.js';
import { countRows } from './odata/collection-query.js';
import type { Row } from './odata/evaluate.js';
import { parseQueryOptions, type FilterRules } from './odata/query-options.js';
import { noteRows, origin, queryParams, sendCollection, sendCount } from './odata/respond.js';
import type { Json } from './representation.js';
import type { ErpStore } from './store.js';
import { Table } from './table.js';
import type { BcSalesOrder, BcSalesOrderLine } from '../seed/types.js';

export const ANALYTICS_PREFIX = '/api/microsoft/analytics/v1.0';

const SALES_LINES = ANALYTICS_SETS.get('salesLines')!;
/** "Sales Line".Type values the query keeps (DataItemTableFilter). */
const LINE_TYPES = new Set(['Item', 'Account', 'Resource']);

type SalesLineRow = Row & { readonly id: string };

/** Decimal quantities without binary noise (the API serves decimals as numbers). */
const quantity = (n: number) => Math.round(n * 100_000) / 100_000;

function salesLineRow(order: BcSalesOrder, line: BcSalesOrderLine): SalesLineRow {
  return {
    // Not served (a query has no key): the table's own handle on the row.
    id: line.id,
    orderNo: order.number,
    documentType: 'Order',
    billToCustomerNo: order.customerNumber,
    sellToCustomerNo: order.customerNumber,
    orderDate: order.orderDate,
    documentDate: order.orderDate,
    salesLineDocumentType: 'Order',
    type: line.lineType,
    description: line.description,
    documentNo: order.number,
    lineNo: line.sequence,
    itemNo: line.lineObjectNumber,
    // The seed sells in each item's base unit of measure: base quantities are the line's.
    quantityBase: line.quantity,
    outstandingQuantity: quantity(line.quantity - line.shippedQuantity),
    amount: line.netAmount,
    shipmentDate: line.shipmentDate,
    requestedDeliveryDate: order.requestedDeliveryDate,
    quantityShippedBase: line.shippedQuantity,
    quantityInvoiced: line.invoicedQuantity,
  };
}

/** The salesLines rows, derived from the orders and rebuilt when the orders table changed. */
function salesLinesView(store: ErpStore): () => Table<SalesLineRow> {
  let built: { version: number; table: Table<SalesLineRow> } | null = null;
  return () => {
    const orders = store.table('salesOrders');
    if (built?.version !== orders.version) {
      const rows = orders
        .all()
        .flatMap((order) =>
          order.salesOrderLines
            .filter((line) => LINE_TYPES.has(line.lineType))
            .map((line) => salesLineRow(order, line)),
        );
      built = {
        version: orders.version,
        table: new Table<SalesLineRow>(SALES_LINES.indexed, SALES_LINES.type.properties, rows),
      };
    }
    return built.table;
  };
}

function project(set: EntitySetDef, select: readonly string[] | null): (row: Row) => Json {
  const names = select ?? Object.keys(set.type.properties);
  return (row) => Object.fromEntries(names.map((name) => [name, row[name] ?? null]));
}

const COLLECTION = /^\/companies\(([0-9a-fA-F-]{36})\)\/([A-Za-z]+)(\/\$count)?\/?$/;

export function createAnalyticsRouter(options: {
  store: ErpStore;
  pageSize: number;
  filterRules: FilterRules;
}): express.Router {
  const { store, pageSize, filterRules } = options;
  const salesLines = salesLinesView(store);
  const router = express.Router();
  router.all(/.*/, (req: Request, res: Response) => {
    if (req.method !== 'GET') {
      throw new BcError(
        405,
        'BadRequest_MethodNotAllowed',
        `'${req.method}' requests are not allowed: the Analytics API is read-only.`,
        { Allow: 'GET' },
      );
    }
    const match = COLLECTION.exec(req.path);
    const set = match ? ANALYTICS_SETS.get(match[2]!) : undefined;
    if (!match || !set) throw segmentNotFound(req.path.split('/').filter(Boolean).at(-1) ?? req.path);
    if (match[1]!.toLowerCase() !== store.company.id.toLowerCase()) throw segmentNotFound(`companies(${match[1]})`);
    const params = queryParams(req);
    const source = salesLines();
    if (match[3]) {
      const counted = countRows(source, parseQueryOptions(params, set.type, 'count', filterRules));
      noteRows(res, 0, counted.scanned);
      sendCount(res, counted.count);
      return;
    }
    const query = parseQueryOptions(params, set.type, 'collection', filterRules);
    if (query.expand.length > 0) throw segmentNotFound(query.expand[0]!.navigation);
    const projection = query.select ? `(${query.select.join(',')})` : '';
    sendCollection(req, res, {
      source,
      type: set.type,
      context: `${origin(req)}${ANALYTICS_PREFIX}/$metadata#companies(${store.company.id})/${set.name}${projection}`,
      params,
      query,
      pageSize,
      project: project(set, query.select),
    });
  });
  return router;
}
