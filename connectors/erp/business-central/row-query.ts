// The ERP port's row queries over Business Central API v2.0: one filtered, ordered, paged collection
// request ($filter/$orderby/$top/$skip/$count, row-plan.ts writes the filter), never a read of the
// whole set.
//
// - A filter BC can evaluate in one $filter: ONE request, `$top=<top>&$skip=<skip>` and, when the
//   count is asked for, `$count=true` on the same request. The order is always total: the query's
//   keys, then the set's key.
// - A filter that needs several branches (ORs across different properties, or a very long `in`):
//   one request per branch for the first skip+top rows of each (at most MAX_UNION_WINDOW), merged
//   in the same order, duplicates dropped. The count: the sum when the branches are disjoint; the
//   number of distinct rows when every branch came back whole; else, for up to three branches, by
//   inclusion-exclusion over `$count` requests of their intersections; for more, by reading just
//   the keys of every branch when they hold at most MAX_COUNTED_KEYS rows together; else refused.
// - Sales order lines: BC serves lines under their order (salesOrders(id)/salesOrderLines) and as a
//   top-level salesOrderLines set that REQUIRES a documentId filter and then loads the lines of the
//   first matching order only ("You must specify a document id to get the lines"; codeunit
//   "Sales Order Aggregator", LoadLines: SetFilter(Id, ...) + FindFirst). Neither can filter, order
//   or page lines across orders. So the conditions on the line's order (orderNumber, customerNumber:
//   a partner's scope included) go to BC as a salesOrders $filter with the lines expanded, bounded
//   to MAX_LINE_ORDERS orders, and the rest of the filter, the order and the page are applied to
//   those orders' lines in memory (row-evaluate.ts). A query that matches more orders is refused.
import type { CallContext } from '../../../lib/call-context.js';
import { applyRowQuery, rowComparator, rowKey, totalOrder } from '../row-evaluate.js';
import { checkRowQuery, ErpRowQueryError, type ErpOrderLineRow, type ErpRow, type RowFilter, type RowPage, type RowQuery, type RowSet } from '../row-query.js';
import type { BusinessCentralClient } from './client.js';
import { decodeRows, toOrder } from './mappers.js';
import { and, type ODataFilter } from './odata-filter.js';
import { BC_ROW_SETS, LINE_HEADER_FIELDS, ORDER_ROWS_QUERY, type BcRowSet } from './row-fields.js';
import { planRowFilter } from './row-plan.js';
import * as Wire from './wire.js';

/** Rows (skip + top) read per branch when a query is a union of branches. */
export const MAX_UNION_WINDOW = 5_000;
/** Orders whose lines one order-line query may read. */
export const MAX_LINE_ORDERS = 2_000;
/** Branch requests in flight at once for one query (BC also limits concurrent requests per user). */
const BRANCH_CONCURRENCY = 4;
/** Branches whose union count is computed by inclusion-exclusion (2^n - 1 - n extra counts). */
const MAX_COUNTED_BRANCHES = 3;
/** Keys read to count a union of more branches (their $select is the key alone). */
export const MAX_COUNTED_KEYS = 10_000;

function unsupported(set: RowSet, message: string, part: ErpRowQueryError['part'] = 'filter'): ErpRowQueryError {
  return new ErpRowQueryError('unsupported', `${set}: ${message}`, part);
}

async function mapLimited<T, U>(items: readonly T[], limit: number, fn: (item: T) => Promise<U>): Promise<U[]> {
  const out = new Array<U>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export async function queryBusinessCentralRows<S extends RowSet>(
  client: BusinessCentralClient,
  set: S,
  query: RowQuery,
  ctx: CallContext,
): Promise<RowPage<S>> {
  checkRowQuery(set, query);
  if (set === 'salesOrderLines') return (await queryOrderLines(client, query, ctx)) as RowPage<S>;
  return queryEntitySet(client, set as Exclude<S, 'salesOrderLines'>, query, ctx) as Promise<RowPage<S>>;
}

async function queryEntitySet<S extends Exclude<RowSet, 'salesOrderLines'>>(
  client: BusinessCentralClient,
  set: S,
  query: RowQuery,
  ctx: CallContext,
): Promise<RowPage<S>> {
  const spec = BC_ROW_SETS[set] as BcRowSet<S>;
  const operation = `queryRows:${set}`;
  const plan = planRowFilter(set, spec.fields, query.filter);
  if (plan.kind === 'nothing') return { rows: [], totalCount: query.count ? 0 : null };
  const orderby = totalOrder(set, query.orderBy).map((order) => {
    const field = Object.hasOwn(spec.fields, order.field) ? spec.fields[order.field] : undefined;
    if (!field) throw unsupported(set, `'${order.field}' cannot be ordered by in the ERP`, 'order');
    return order.descending ? `${field.property} desc` : field.property;
  });
  const decode = (rows: readonly unknown[]) => decodeRows(spec.schema, rows, spec.map as (row: unknown) => ErpRow<S>, operation);
  const request = (filter: ODataFilter | null, top: number, extra: { skip?: number; count?: boolean }) =>
    client.query(spec.entitySet, { ...spec.query, orderby, top, ...(filter ? { filter } : {}), ...extra }, ctx, operation);
  const skip = query.skip ?? 0;
  const count = query.count === true;

  if (plan.branches.length === 1) {
    const answer = await request(plan.branches[0]!, query.top, { skip, count });
    return { rows: decode(answer.rows), totalCount: count ? answer.count : null };
  }

  const window = skip + query.top;
  if (window > MAX_UNION_WINDOW) {
    throw unsupported(set, `a filter that ORs different fields pages through its first ${MAX_UNION_WINDOW} rows only (skip + first)`, 'page');
  }
  const answers = await mapLimited(plan.branches, BRANCH_CONCURRENCY, (filter) => request(filter, window, { count }));
  const distinct = new Map<string, ErpRow<S>>();
  for (const answer of answers) {
    for (const row of decode(answer.rows)) {
      const key = rowKey(set, row);
      if (!distinct.has(key)) distinct.set(key, row);
    }
  }
  const ordered = [...distinct.values()].sort(rowComparator(set, query.orderBy));
  const rows = ordered.slice(skip, window);
  if (!count) return { rows, totalCount: null };
  if (plan.disjoint) return { rows, totalCount: answers.reduce((sum, a) => sum + (a.count ?? 0), 0) };
  if (answers.every((a) => a.rows.length === a.count)) return { rows, totalCount: distinct.size };
  const branches = plan.branches as ODataFilter[];
  if (branches.length > MAX_COUNTED_BRANCHES) {
    const matched = answers.reduce((sum, a) => sum + (a.count ?? 0), 0);
    if (matched > MAX_COUNTED_KEYS) {
      throw unsupported(set, `the total count of a filter that ORs more than ${MAX_COUNTED_BRANCHES} different fields is available up to ${MAX_COUNTED_KEYS} matches; ask without it`);
    }
    // The distinct keys of every branch: small rows, one request per branch (BC pages 20,000).
    const keyProperties = totalOrder(set).map((o) => spec.fields[o.field]!.property);
    const keys = new Set<string>();
    await mapLimited(
      branches.map((filter, i) => ({ filter, rows: answers[i]!.count ?? 0 })),
      BRANCH_CONCURRENCY,
      async ({ filter, rows }) => {
        if (rows === 0) return;
        const page = await client.query(spec.entitySet, { filter, select: keyProperties, orderby: keyProperties, top: rows }, ctx, operation);
        for (const row of page.rows as Array<Record<string, unknown>>) keys.add(keyProperties.map((p) => String(row[p])).join('\u0000'));
      },
    );
    return { rows, totalCount: keys.size };
  }
  // |A ∪ B ∪ C| = Σ|A| − Σ|A ∩ B| + |A ∩ B ∩ C|: each intersection is an `and` of branches, one $count.
  let total = answers.reduce((sum, a) => sum + (a.count ?? 0), 0);
  for (let mask = 1; mask < 1 << branches.length; mask += 1) {
    const members = branches.filter((_, i) => mask & (1 << i));
    if (members.length < 2) continue;
    const { count: overlap } = await request(and(...members), 0, { count: true });
    total += (members.length % 2 === 0 ? -1 : 1) * (overlap ?? 0);
  }
  return { rows, totalCount: total };
}

/** The fields a filter reads. */
function fieldsOf(filter: RowFilter, out = new Set<string>()): Set<string> {
  if (filter.kind === 'and' || filter.kind === 'or') for (const f of filter.filters) fieldsOf(f, out);
  else if (filter.kind === 'not') fieldsOf(filter.filter, out);
  else out.add(filter.field);
  return out;
}

function conjunctsOf(filter: RowFilter | undefined): RowFilter[] {
  if (!filter) return [];
  return filter.kind === 'and' ? filter.filters.flatMap(conjunctsOf) : [filter];
}

async function queryOrderLines(client: BusinessCentralClient, query: RowQuery, ctx: CallContext): Promise<RowPage<'salesOrderLines'>> {
  const set = 'salesOrderLines';
  const operation = `queryRows:${set}`;
  // Conditions on the line's order only: evaluated by BC, on salesOrders.
  const onOrder = conjunctsOf(query.filter).filter((c) => [...fieldsOf(c)].every((f) => Object.hasOwn(LINE_HEADER_FIELDS, f)));
  const plan = planRowFilter(set, LINE_HEADER_FIELDS, onOrder.length > 0 ? { kind: 'and', filters: onOrder } : undefined);
  if (plan.kind === 'nothing') return { rows: [], totalCount: query.count ? 0 : null };
  const answers = await mapLimited(plan.branches, BRANCH_CONCURRENCY, (filter) =>
    client.query('salesOrders', { ...ORDER_ROWS_QUERY, orderby: ['number'], top: MAX_LINE_ORDERS + 1, ...(filter ? { filter } : {}) }, ctx, operation),
  );
  const orders = new Map<string, ReturnType<typeof toOrder>>();
  for (const answer of answers) {
    for (const order of decodeRows(Wire.SalesOrder, answer.rows, (o) => toOrder(o, o.salesOrderLines), operation)) orders.set(order.number, order);
  }
  if (orders.size > MAX_LINE_ORDERS) {
    throw unsupported(set, `order lines are read through their orders, at most ${MAX_LINE_ORDERS} per query: filter by orderNumber or customerNumber`);
  }
  const lines: ErpOrderLineRow[] = [...orders.values()].flatMap((order) =>
    order.lines.map((line) => ({ ...line, orderNumber: order.number, customerNumber: order.customerNumber, currency: order.currency })),
  );
  return applyRowQuery(set, lines, query);
}
