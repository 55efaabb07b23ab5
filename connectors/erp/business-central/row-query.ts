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
//   a partner's scope included) go to BC as a salesOrders $filter with the lines expanded, and the
//   rest of the filter, the order and the page are applied to those orders' lines in memory
//   (row-evaluate.ts). Which orders are read:
//   - lines in order-number order (no orderBy, or orderNumber first: the default is orderNumber,
//     sequence) without a count: orders in that order, a chunk at a time, only until skip + top
//     matching lines are known (`orderLines(first: 1)` reads one order, not every order);
//   - otherwise (another order, or a count) every matching order: their number is asked first
//     ($count with $top=0, no rows), unless the filter names the orders (orderNumber eq / in), and
//     the query is refused when more than MAX_LINE_ORDERS (and the budget) would be read.
//
// The read budget (DEFAULT_ROW_READ_BUDGET, ErpConnectorOptions.rowReadBudget): the rows a query asks
// BC for ($top), summed over every request it makes: `top` for one request; branches x (skip + top)
// for a union; the keys read to count a union; for order lines, the orders read (each with its lines
// expanded, as one row). What the plan tells is checked before the first request; what only BC's
// answers tell (how many keys a count needs, how many orders hold skip + top lines) is checked before
// the request that would go over. Either way the query is refused ('unsupported', naming the budget
// and what to narrow) rather than asking BC for more.
import { BackendError } from '../../../lib/backend-error.js';
import type { CallContext } from '../../../lib/call-context.js';
import { applyRowQuery, rowComparator, rowKey, rowPredicate, totalOrder } from '../row-evaluate.js';
import {
  checkRowQuery,
  DEFAULT_ROW_READ_BUDGET,
  ErpRowQueryError,
  type ErpOrderLineRow,
  type ErpRow,
  type RowFilter,
  type RowPage,
  type RowQuery,
  type RowSet,
} from '../row-query.js';
import type { ErpOrder } from '../port.js';
import type { BusinessCentralClient } from './client.js';
import { decodeRows, toOrder } from './mappers.js';
import { and, type ODataFilter } from './odata-filter.js';
import { BC_ROW_SETS, LINE_HEADER_FIELDS, ORDER_ROWS_QUERY, type BcRowSet } from './row-fields.js';
import { MAX_OR_TERMS, planRowFilter } from './row-plan.js';
import * as Wire from './wire.js';

/** Rows (skip + top) read per branch when a query is a union of branches. */
export const MAX_UNION_WINDOW = 5_000;
/** Orders whose lines one order-line query may read (also within the read budget). */
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

/** 79984 → 79,984 (the messages are read by people). */
const thousands = (n: number) => n.toLocaleString('en-US');

/** A query over the read budget: what it would read, the budget, and what to narrow. */
function overBudget(set: RowSet, budget: number, what: string, narrow: string, part: ErpRowQueryError['part']): ErpRowQueryError {
  return unsupported(set, `${what}, over the ERP read budget of ${thousands(budget)} rows per query; ${narrow}`, part);
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
  budget: number = DEFAULT_ROW_READ_BUDGET,
): Promise<RowPage<S>> {
  checkRowQuery(set, query);
  try {
    if (set === 'salesOrderLines') return (await queryOrderLines(client, query, ctx, budget)) as RowPage<S>;
    return (await queryEntitySet(client, set as Exclude<S, 'salesOrderLines'>, query, ctx, budget)) as RowPage<S>;
  } catch (error) {
    throw refusedByBc(set, error);
  }
}

/**
 * BC refusing a row query with a 4xx of its own (400: a filter it cannot evaluate; 414/431: a URL
 * too long) is about this query, not an outage: a refusal the caller can act on ('unsupported'),
 * never an internal error. The message names no BC payload. Other failures pass unchanged.
 */
function refusedByBc(set: RowSet, error: unknown): unknown {
  if (!(error instanceof BackendError) || error instanceof ErpRowQueryError || error.failure !== 'rejected') return error;
  const status = error.details.status;
  if (status === undefined || status < 400 || status >= 500) return error;
  const why = status === 414 || status === 431 ? 'the filter is too long for the ERP' : `the ERP refused the query (HTTP ${status})`;
  const refusal = unsupported(set, `${why}; simplify or narrow the filter`);
  (refusal as { cause?: unknown }).cause = error;
  return refusal;
}

async function queryEntitySet<S extends Exclude<RowSet, 'salesOrderLines'>>(
  client: BusinessCentralClient,
  set: S,
  query: RowQuery,
  ctx: CallContext,
  budget: number,
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
    // BC skips on its side: the request returns `top` rows however deep the page.
    if (query.top > budget) throw overBudget(set, budget, `a page of ${thousands(query.top)} rows`, 'ask for a smaller page (first)', 'page');
    const answer = await request(plan.branches[0]!, query.top, { skip, count });
    return { rows: decode(answer.rows), totalCount: count ? answer.count : null };
  }

  const window = skip + query.top;
  if (window > MAX_UNION_WINDOW) {
    throw unsupported(set, `a filter that ORs different fields pages through its first ${MAX_UNION_WINDOW} rows only (skip + first)`, 'page');
  }
  // Every branch must be read from its first row to the end of the page: BC cannot skip a union.
  const planned = plan.branches.length * window;
  if (planned > budget) {
    const why = plan.disjoint ? `it lists more than ${MAX_OR_TERMS} values of one field` : 'it ORs different fields';
    throw overBudget(
      set,
      budget,
      `this filter takes ${plan.branches.length} ERP requests (${why}) of skip + first = ${thousands(window)} rows each, ${thousands(planned)} rows`,
      `${skip > 0 ? 'lower skip or first' : 'ask for fewer rows (first)'}, or narrow the filter (e.g. to one customer) so that it takes fewer requests`,
      skip > 0 ? 'page' : 'filter',
    );
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
  const page = ordered.slice(skip, window);
  if (!count) return { rows: page, totalCount: null };
  if (plan.disjoint) return { rows: page, totalCount: answers.reduce((sum, a) => sum + (a.count ?? 0), 0) };
  if (answers.every((a) => a.rows.length === a.count)) return { rows: page, totalCount: distinct.size };
  const branches = plan.branches as ODataFilter[];
  if (branches.length > MAX_COUNTED_BRANCHES) {
    const matched = answers.reduce((sum, a) => sum + (a.count ?? 0), 0);
    if (matched > MAX_COUNTED_KEYS) {
      throw unsupported(set, `the total count of a filter that ORs more than ${MAX_COUNTED_BRANCHES} different fields is available up to ${MAX_COUNTED_KEYS} matches; ask without it`);
    }
    // Only now is it known how many keys the count needs: refused before reading them when they
    // would take the query over its budget.
    if (planned + matched > budget) {
      throw overBudget(
        set,
        budget,
        `counting this filter (it ORs more than ${MAX_COUNTED_BRANCHES} different fields) means reading the keys of its ${thousands(matched)} matches after ${thousands(planned)} rows`,
        'ask without totalCount, or narrow the filter (e.g. to a customer)',
        'filter',
      );
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
    return { rows: page, totalCount: keys.size };
  }
  // |A ∪ B ∪ C| = Σ|A| − Σ|A ∩ B| + |A ∩ B ∩ C|: each intersection is an `and` of branches, one $count.
  let total = answers.reduce((sum, a) => sum + (a.count ?? 0), 0);
  for (let mask = 1; mask < 1 << branches.length; mask += 1) {
    const members = branches.filter((_, i) => mask & (1 << i));
    if (members.length < 2) continue;
    const { count: overlap } = await request(and(...members), 0, { count: true });
    total += (members.length % 2 === 0 ? -1 : 1) * (overlap ?? 0);
  }
  return { rows: page, totalCount: total };
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

/**
 * The most orders a filter on the order's fields can match, when it names them (orderNumber eq or
 * in; `and` the fewest of its parts, `or` the sum); Infinity when it does not.
 */
function namedOrders(filter: RowFilter): number {
  switch (filter.kind) {
    case 'and':
      return Math.min(...filter.filters.map(namedOrders));
    case 'or':
      return filter.filters.reduce((sum, f) => sum + namedOrders(f), 0);
    case 'compare':
      return filter.field === 'orderNumber' && filter.op === 'eq' ? 1 : Number.POSITIVE_INFINITY;
    case 'in':
      return filter.field === 'orderNumber' ? filter.values.length : Number.POSITIVE_INFINITY;
    default:
      return Number.POSITIVE_INFINITY;
  }
}

/** Lines come in order-number order: no orderBy (orderNumber, sequence), or orderNumber first. */
function linesInOrderNumberOrder(query: RowQuery): { descending: boolean } | null {
  const first = query.orderBy?.[0];
  if (!first) return { descending: false };
  return first.field === 'orderNumber' ? { descending: first.descending === true } : null;
}

type LineOrderReader = (filter: ODataFilter | null, request: { top: number; skip?: number; orderby: string[] }) => Promise<ErpOrder[]>;

async function queryOrderLines(client: BusinessCentralClient, query: RowQuery, ctx: CallContext, budget: number): Promise<RowPage<'salesOrderLines'>> {
  const set = 'salesOrderLines';
  const operation = `queryRows:${set}`;
  // Conditions on the line's order only: evaluated by BC, on salesOrders.
  const onOrder = conjunctsOf(query.filter).filter((c) => [...fieldsOf(c)].every((f) => Object.hasOwn(LINE_HEADER_FIELDS, f)));
  const orderFilter: RowFilter | undefined = onOrder.length > 0 ? { kind: 'and', filters: onOrder } : undefined;
  const plan = planRowFilter(set, LINE_HEADER_FIELDS, orderFilter);
  if (plan.kind === 'nothing') return { rows: [], totalCount: query.count ? 0 : null };
  const limit = Math.min(budget, MAX_LINE_ORDERS);
  const read: LineOrderReader = async (filter, request) => {
    const answer = await client.query('salesOrders', { ...ORDER_ROWS_QUERY, ...request, ...(filter ? { filter } : {}) }, ctx, operation);
    return decodeRows(Wire.SalesOrder, answer.rows, (o) => toOrder(o, o.salesOrderLines), operation);
  };
  const inOrder = linesInOrderNumberOrder(query);
  const orders =
    inOrder && !query.count
      ? await readOrdersUpToWindow(read, plan.branches, query, inOrder.descending, limit, budget)
      : await readMatchingOrders(client, read, plan.branches, orderFilter, limit, budget, ctx, operation);
  const lines: ErpOrderLineRow[] = orders.flatMap((order) =>
    order.lines.map((line) => ({ ...line, orderNumber: order.number, customerNumber: order.customerNumber, currency: order.currency })),
  );
  return applyRowQuery(set, lines, query);
}

/** More orders than a line query may read: `deep` when skip is what takes it there. */
function tooManyOrders(limit: number, budget: number, what: string, deep: boolean): ErpRowQueryError {
  return unsupported(
    'salesOrderLines',
    `${what}; order lines are read through their orders, at most ${thousands(limit)} orders per query (the ERP read budget is ` +
      `${thousands(budget)} rows, an order with its lines one row): filter by orderNumber or customerNumber${deep ? ', or lower skip' : ''}`,
    deep ? 'page' : 'filter',
  );
}

/** Every order the branches match, each read once; refused before reading when more than `limit`. */
async function readMatchingOrders(
  client: BusinessCentralClient,
  read: LineOrderReader,
  branches: readonly (ODataFilter | null)[],
  orderFilter: RowFilter | undefined,
  limit: number,
  budget: number,
  ctx: CallContext,
  operation: string,
): Promise<ErpOrder[]> {
  // Orders the filter names are known not to be more than that; otherwise BC counts them first.
  const named = orderFilter ? namedOrders(orderFilter) : Number.POSITIVE_INFINITY;
  let tops: number[];
  if (named * branches.length <= limit) tops = branches.map(() => named);
  else {
    const counts = await mapLimited(branches, BRANCH_CONCURRENCY, async (filter) => {
      const answer = await client.query('salesOrders', { select: ['number'], top: 0, count: true, ...(filter ? { filter } : {}) }, ctx, operation);
      return answer.count ?? 0;
    });
    const matched = counts.reduce((sum, n) => sum + n, 0);
    if (matched > limit) throw tooManyOrders(limit, budget, `this query matches ${thousands(matched)} orders`, false);
    tops = counts;
  }
  const answers = await mapLimited(
    branches.map((filter, i) => ({ filter, top: tops[i]! })),
    BRANCH_CONCURRENCY,
    ({ filter, top }) => (top > 0 ? read(filter, { top, orderby: ['number'] }) : Promise.resolve([])),
  );
  const orders = new Map<string, ErpOrder>();
  for (const order of answers.flat()) orders.set(order.number, order);
  return [...orders.values()];
}

/**
 * The orders holding the first skip + top matching lines when lines come in order-number order:
 * each branch read in that order a chunk at a time (the first chunk as many orders as lines wanted,
 * the next ones sized by the lines per order seen so far), until the orders read through every
 * branch (up to the lowest last order number among branches not yet exhausted) hold enough lines.
 */
async function readOrdersUpToWindow(
  read: LineOrderReader,
  branches: readonly (ODataFilter | null)[],
  query: RowQuery,
  descending: boolean,
  limit: number,
  budget: number,
): Promise<ErpOrder[]> {
  const window = (query.skip ?? 0) + query.top;
  const matches = query.filter ? rowPredicate('salesOrderLines', query.filter) : () => true;
  const orderby = [descending ? 'number desc' : 'number'];
  const before = (a: string, b: string) => (descending ? a > b : a < b);
  const cursors = branches.map((filter) => ({ filter, offset: 0, done: false, last: null as string | null }));
  const orders = new Map<string, ErpOrder>();
  let asked = 0;
  let chunk = window;
  for (;;) {
    const active = cursors.filter((cursor) => !cursor.done);
    const top = Math.min(chunk, Math.floor((limit - asked) / active.length));
    if (top < 1) throw tooManyOrders(limit, budget, `the first ${thousands(window)} lines (skip + first) are not within the first ${thousands(asked)} orders`, (query.skip ?? 0) > 0);
    asked += top * active.length;
    const answers = await mapLimited(active, BRANCH_CONCURRENCY, (cursor) => read(cursor.filter, { top, skip: cursor.offset, orderby }));
    active.forEach((cursor, i) => {
      const page = answers[i]!;
      for (const order of page) orders.set(order.number, order);
      cursor.offset += page.length;
      cursor.done = page.length < top;
      if (page.length > 0) cursor.last = page.at(-1)!.number;
    });
    // Orders up to the frontier are complete: no branch still open can add one before it.
    let frontier: string | null = null;
    for (const cursor of cursors) if (!cursor.done && (frontier === null || before(cursor.last!, frontier))) frontier = cursor.last;
    const complete = [...orders.values()].filter((order) => frontier === null || !before(frontier, order.number));
    let found = 0;
    for (const order of complete) {
      for (const line of order.lines) {
        if (matches({ ...line, orderNumber: order.number, customerNumber: order.customerNumber, currency: order.currency })) found += 1;
      }
    }
    if (frontier === null || found >= window) return complete;
    // The next chunk: enough orders at the rate of matching lines per order seen so far (twice the
    // last chunk while none matched), with a margin.
    const perOrder = found / Math.max(1, complete.length);
    chunk = perOrder > 0 ? Math.ceil(((window - found) / perOrder) * 1.25) + 1 : top * 2;
  }
}
