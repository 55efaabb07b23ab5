// What the row-query executor (row-query.ts) reads each row set through: a chunk of rows of one
// $filter in one $orderby, a count, the keys. The customer-facing entity sets are read straight
// from their API v2.0 collections; order lines from the Analytics API, with their orders (below).
import type { CallContext } from '../../../lib/call-context.js';
import { ROW_SETS, type ErpOrderLineRow, type ErpRow, type RowSet } from '../row-query.js';
import type { ErpOrder } from '../port.js';
import type { BusinessCentralClient } from './client.js';
import { decodeRows, toOrder } from './mappers.js';
import { and, anyOf, compare, type ODataFilter } from './odata-filter.js';
import { BC_ROW_SETS, LINE_FIELDS, ORDER_ROWS_QUERY, type BcRowField, type BcRowSet } from './row-fields.js';
import { MAX_OR_TERMS } from './row-plan.js';
import { BRANCH_CONCURRENCY, mapLimited } from './row-scan.js';
import * as Wire from './wire.js';

export interface RowChunk<S extends RowSet> {
  readonly rows: ErpRow<S>[];
  /** `@odata.count` of the filter, when asked for. */
  readonly count: number | null;
  /** Rows asked of BC for this chunk ($top, summed over its requests). */
  readonly asked: number;
}

export interface RowReader<S extends RowSet> {
  readonly set: S;
  /** Port field → the BC property filtered and ordered on (row-fields.ts); a field missing is evaluated on the rows read. */
  readonly fields: Readonly<Record<string, BcRowField>>;
  /** Rows asked of BC, at most, per row returned (order lines also read their orders). */
  readonly rowCost: number;
  /** `top` rows of `filter` from `skip` on, in `orderby`. */
  read(
    filter: ODataFilter | null,
    request: {
      readonly orderby: readonly string[];
      readonly top: number;
      readonly skip: number;
      readonly count: boolean;
    },
  ): Promise<RowChunk<S>>;
  /** How many rows match `filter` ($count, no rows). */
  count(filter: ODataFilter | null): Promise<number>;
  /** The set's key of the first `top` rows of `filter` (to count a union by its distinct keys). */
  keys(filter: ODataFilter | null, top: number): Promise<string[]>;
}

const operationOf = (set: RowSet) => `queryRows:${set}`;

/** The BC properties of the set's key, in key order. */
function keyProperties(set: RowSet, fields: Readonly<Record<string, BcRowField>>): string[] {
  return ROW_SETS[set].key.map((field) => fields[field]!.property);
}

async function readKeys(
  client: BusinessCentralClient,
  entitySet: Parameters<BusinessCentralClient['query']>[0],
  filter: ODataFilter | null,
  properties: string[],
  top: number,
  ctx: CallContext,
  operation: string,
): Promise<string[]> {
  if (top === 0) return [];
  const page = await client.query(
    entitySet,
    { select: properties, orderby: properties, top, ...(filter ? { filter } : {}) },
    ctx,
    operation,
  );
  return (page.rows as Array<Record<string, unknown>>).map((row) =>
    properties.map((p) => String(row[p])).join('\u0000'),
  );
}

/** One of the customer-facing sets, from its own API v2.0 collection. */
export function entitySetReader<S extends Exclude<RowSet, 'salesOrderLines'>>(
  client: BusinessCentralClient,
  set: S,
  ctx: CallContext,
): RowReader<S> {
  const spec = BC_ROW_SETS[set] as BcRowSet<S>;
  const operation = operationOf(set);
  const keys = keyProperties(set, spec.fields);
  return {
    set,
    fields: spec.fields,
    rowCost: 1,
    async read(filter, { orderby, top, skip, count }) {
      const answer = await client.query(
        spec.entitySet,
        { ...spec.query, orderby, top, skip, count, ...(filter ? { filter } : {}) },
        ctx,
        operation,
      );
      const rows = decodeRows(spec.schema, answer.rows, spec.map as (row: unknown) => ErpRow<S>, operation);
      return { rows, count: count ? answer.count : null, asked: top };
    },
    async count(filter) {
      return (
        (
          await client.query(
            spec.entitySet,
            { select: [keys[0]!], top: 0, count: true, ...(filter ? { filter } : {}) },
            ctx,
            operation,
          )
        ).count ?? 0
      );
    },
    keys: (filter, top) => readKeys(client, spec.entitySet, filter, keys, top, ctx, operation),
  };
}

/** Only order lines: the query also serves quotes', invoices' and credit memos' lines. */
const ORDERS_ONLY = compare('documentType', 'eq', 'Order');

/**
 * Order lines. Business Central's API v2.0 has no collection of lines across orders: its top-level
 * salesOrderLines needs an `id` or `documentId` filter and serves one order's lines ("You must
 * specify an Id or a Document Id to get the lines", page "APIV2 - Sales Order Lines"), and lines
 * under salesOrders can be filtered, ordered and paged only within their order. The Analytics API's
 * salesLines (api-analytics/resources/dynamics_salesline.md) is that collection: every sales line a
 * row, filterable, orderable, pageable and countable across documents. So the lines of a page are
 * found there (`documentType eq 'Order'` and the plan's filter, in the query's order: its keys and
 * its count cost what the page costs, at any volume), and then read with their orders from the API
 * v2.0 (salesOrders by number, lines expanded, MAX_OR_TERMS orders a request): the query does not
 * serve unit price, discount, unit of measure or the line's quantity in its own unit, nor the
 * order's currency. A line gone between the two reads (its order deleted or changed meanwhile) is
 * left out of the page.
 */
export function orderLineReader(client: BusinessCentralClient, ctx: CallContext): RowReader<'salesOrderLines'> {
  const operation = operationOf('salesOrderLines');
  const withOrdersOnly = (filter: ODataFilter | null) => (filter ? and(ORDERS_ONLY, filter) : ORDERS_ONLY);
  // The orders read so far by this query (its chunks overlap on orders when a page ends mid-order).
  const orders = new Map<string, ErpOrder | null>();

  async function readOrders(numbers: readonly string[]): Promise<number> {
    const missing = [...new Set(numbers)].filter((number) => !orders.has(number));
    const chunks: string[][] = [];
    for (let i = 0; i < missing.length; i += MAX_OR_TERMS) chunks.push(missing.slice(i, i + MAX_OR_TERMS));
    await mapLimited(chunks, BRANCH_CONCURRENCY, async (chunk) => {
      const answer = await client.query(
        'salesOrders',
        { ...ORDER_ROWS_QUERY, filter: anyOf('number', chunk), top: chunk.length },
        ctx,
        operation,
      );
      for (const number of chunk) orders.set(number, null);
      for (const order of decodeRows(Wire.SalesOrder, answer.rows, (o) => toOrder(o, o.salesOrderLines), operation))
        orders.set(order.number, order);
    });
    return missing.length;
  }

  function lineRow(orderNumber: string, sequence: number): ErpOrderLineRow | null {
    const order = orders.get(orderNumber);
    const line = order?.lines.find((candidate) => candidate.sequence === sequence);
    return order && line
      ? { ...line, orderNumber: order.number, customerNumber: order.customerNumber, currency: order.currency }
      : null;
  }

  return {
    set: 'salesOrderLines',
    fields: LINE_FIELDS,
    rowCost: 2,
    async read(filter, { orderby, top, skip, count }) {
      const answer = await client.query(
        'salesLines',
        { filter: withOrdersOnly(filter), select: Wire.selectOf(Wire.SalesLineKey), orderby, top, skip, count },
        ctx,
        operation,
      );
      const keys = decodeRows(Wire.SalesLineKey, answer.rows, (row) => row, operation);
      const ordersRead = await readOrders(keys.map((key) => key.documentNo));
      const rows = keys
        .map((key) => lineRow(key.documentNo, key.lineNo))
        .filter((row): row is ErpOrderLineRow => row !== null);
      return { rows, count: count ? answer.count : null, asked: top + ordersRead };
    },
    async count(filter) {
      return (
        (
          await client.query(
            'salesLines',
            { filter: withOrdersOnly(filter), select: ['documentNo'], top: 0, count: true },
            ctx,
            operation,
          )
        ).count ?? 0
      );
    },
    keys: (filter, top) =>
      readKeys(
        client,
        'salesLines',
        withOrdersOnly(filter),
        keyProperties('salesOrderLines', LINE_FIELDS),
        top,
        ctx,
        operation,
      ),
  };
}
