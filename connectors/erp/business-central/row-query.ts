// The ERP port's row queries over Business Central: filtered, ordered, paged and counted in BC
// (row-plan.ts writes the $filter, row-readers.ts says where each set is read), never by reading a
// whole set.
//
// - A filter BC evaluates whole in one $filter, in an order BC sorts by: ONE request, `$top=<top>&
//   $skip=<skip>` and, when the count is asked for, `$count=true` on the same request. The order is
//   always total: the query's keys, then the set's key.
// - A filter that needs several branches (ORs across different fields, long `in` lists: one
//   request each), or with a residual BC cannot evaluate (a negated contains/startswith/endswith;
//   for order lines, a field the line collection does not serve): the branches are read in order a
//   chunk at a time and merged, each row read tested against the whole filter when part of it is a
//   residual, until the page is settled (row-scan.ts). A union of exact branches is settled by its
//   first round: each branch's first skip + top rows, or fewer when the budget asks it.
// - The count, when asked: BC's `@odata.count` of the one request; the sum of the branches' when
//   they are disjoint; for up to three overlapping branches, inclusion–exclusion over `$count`
//   requests of their intersections; for more, the distinct keys of every branch (at most
//   MAX_COUNTED_KEYS). A residual made of negated text conditions (`contains(Name,'x') eq false`,
//   Salesforce's "does not contain") is counted the same way: |A ∧ ¬T| = |A| − |A ∧ T|, each an
//   exact count in BC. Any other residual, and an order BC cannot sort by, read every row the
//   branches match (counted first) and settle the page in memory.
//
// The read budget (DEFAULT_ROW_READ_BUDGET, ErpConnectorOptions.rowReadBudget): the rows a query
// asks BC for ($top), summed over every request it makes: the page for one request; every chunk
// of every branch; the keys read to count; for order lines, the orders read with them. A request
// that would take the query over it is not sent: the query is refused ('limit', naming the budget
// and what to narrow).
import { BackendError } from '../../../lib/backend-error.js';
import type { CallContext } from '../../../lib/call-context.js';
import { rowComparator, rowKey, rowPredicate, totalOrder } from '../row-evaluate.js';
import {
  checkRowQuery,
  DEFAULT_ROW_READ_BUDGET,
  ErpRowQueryError,
  type ErpRow,
  type RowFilter,
  type RowPage,
  type RowQuery,
  type RowSet,
} from '../row-query.js';
import type { BusinessCentralClient } from './client.js';
import { and, type ODataFilter } from './odata-filter.js';
import { MAX_OR_TERMS, planRowFilter, type RowFilterPlan } from './row-plan.js';
import { entitySetReader, orderLineReader, type RowReader } from './row-readers.js';
import { BRANCH_CONCURRENCY, mapLimited, scanBranches } from './row-scan.js';

/** Branches whose union count is computed by inclusion-exclusion (2^n - 1 - n extra counts). */
const MAX_COUNTED_BRANCHES = 3;
/** Keys read to count a union of more branches (their $select is the key alone). */
export const MAX_COUNTED_KEYS = 10_000;
/** Negated text conditions a count is derived for by inclusion-exclusion (2^n counts). */
const MAX_COUNTED_NEGATIONS = 3;

type Plan = Extract<RowFilterPlan, { kind: 'branches' }>;

/** A query past a bound (the budget, the keys a count may read, what BC accepts): a narrower one runs. */
function overLimit(set: RowSet, message: string, part: ErpRowQueryError['part'] = 'filter'): ErpRowQueryError {
  return new ErpRowQueryError('limit', `${set}: ${message}`, part);
}

/** 79984 → 79,984 (the messages are read by people). */
const thousands = (n: number) => n.toLocaleString('en-US');

/** A query over the read budget: what it would read, the budget, and what to narrow. */
function overBudget(
  set: RowSet,
  budget: number,
  what: string,
  narrow: string,
  part: ErpRowQueryError['part'],
): ErpRowQueryError {
  return overLimit(set, `${what}, over the ERP read budget of ${thousands(budget)} rows per query; ${narrow}`, part);
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
    const reader = (
      set === 'salesOrderLines'
        ? orderLineReader(client, ctx)
        : entitySetReader(client, set as Exclude<S, 'salesOrderLines'>, ctx)
    ) as RowReader<S>;
    return await executeRowQuery(reader, query, budget);
  } catch (error) {
    throw refusedByBc(set, error);
  }
}

/**
 * BC refusing a row query with a 4xx of its own (400: a filter it cannot evaluate, 'unsupported';
 * 414/431: a URL too long, a 'limit') is about this query, not an outage: a refusal the caller can
 * act on, never an internal error. The message names no BC payload. Other failures pass unchanged.
 */
function refusedByBc(set: RowSet, error: unknown): unknown {
  if (!(error instanceof BackendError) || error instanceof ErpRowQueryError || error.failure !== 'rejected')
    return error;
  const status = error.details.status;
  if (status === undefined || status < 400 || status >= 500) return error;
  const tooLong = status === 414 || status === 431;
  const why = tooLong ? 'the filter is too long for the ERP' : `the ERP refused the query (HTTP ${status})`;
  const refusal = new ErpRowQueryError(
    tooLong ? 'limit' : 'unsupported',
    `${set}: ${why}; simplify or narrow the filter`,
  );
  (refusal as { cause?: unknown }).cause = error;
  return refusal;
}

/** Why a filter takes several requests or tests rows as they are read, for the budget messages. */
function whyScanned(plan: Plan): string {
  if (!plan.exact)
    return 'the ERP cannot evaluate part of it (a negated contains, startswith or endswith, or a field it does not filter on), so rows are tested as they are read';
  return plan.disjoint ? `it lists more than ${MAX_OR_TERMS} values of one field` : 'it ORs different fields';
}

async function executeRowQuery<S extends RowSet>(
  reader: RowReader<S>,
  query: RowQuery,
  budget: number,
): Promise<RowPage<S>> {
  const { set } = reader;
  const plan = planRowFilter(set, reader.fields, query.filter);
  if (plan.kind === 'nothing') return { rows: [], totalCount: query.count ? 0 : null };
  const skip = query.skip ?? 0;
  const window = skip + query.top;
  const count = query.count === true;
  // BC sorts by the query's order when it has every key of it; otherwise by the set's key, and
  // the page is settled in memory over every row read.
  const order = totalOrder(set, query.orderBy);
  const sorted = order.every((o) => Object.hasOwn(reader.fields, o.field));
  const orderby = (sorted ? order : totalOrder(set)).map(
    (o) => `${reader.fields[o.field]!.property}${o.descending ? ' desc' : ''}`,
  );
  const read = (filter: ODataFilter | null, request: { top: number; skip: number; count: boolean }) =>
    reader.read(filter, { orderby, ...request });

  if (plan.exact && plan.branches.length === 1 && sorted) {
    // BC skips on its side: the request returns `top` rows however deep the page.
    if (query.top * reader.rowCost > budget)
      throw overBudget(set, budget, `a page of ${thousands(query.top)} rows`, 'ask for a smaller page (first)', 'page');
    const answer = await read(plan.branches[0]!, { top: query.top, skip, count });
    return { rows: answer.rows, totalCount: count ? answer.count : null };
  }

  let total: number | null = null;
  if (count && !plan.exact) total = await countByNegation(reader, query.filter!, budget);
  if (!sorted || (count && !plan.exact && total === null)) return readWhole(reader, plan, query, budget, read);

  const scan = await scanBranches({
    branches: plan.branches.map((filter, i) => ({ filter, bound: plan.bounds[i]! })),
    read: (branch, request) => read(branch.filter, request),
    rowCost: reader.rowCost,
    compare: rowComparator(set, query.orderBy),
    key: (row: ErpRow<S>) => rowKey(set, row),
    accept: plan.exact ? () => true : rowPredicate(set, query.filter!),
    window,
    count: count && plan.exact,
    budget,
    overBudget: () =>
      overBudget(
        set,
        budget,
        `finding the first ${thousands(window)} rows (skip + first) of this filter takes more rows than that (${whyScanned(plan)})`,
        `${skip > 0 ? 'lower skip or first' : 'ask for fewer rows (first)'}, or narrow the filter (e.g. to one customer)`,
        skip > 0 ? 'page' : 'filter',
      ),
  });
  const page = scan.rows.slice(skip, window);
  if (!count) return { rows: page, totalCount: null };
  if (scan.complete) return { rows: page, totalCount: scan.rows.length };
  total ??= await countExact(reader, plan, scan.counts, budget, scan.asked);
  return { rows: page, totalCount: total };
}

/**
 * Every row the branches match, read (counted first, and refused when more than the budget), then
 * filtered, ordered and paged in memory: for an order BC cannot sort by, or a count of a residual
 * that cannot be derived from counts.
 */
async function readWhole<S extends RowSet>(
  reader: RowReader<S>,
  plan: Plan,
  query: RowQuery,
  budget: number,
  read: (
    filter: ODataFilter | null,
    request: { top: number; skip: number; count: boolean },
  ) => ReturnType<RowReader<S>['read']>,
): Promise<RowPage<S>> {
  const { set } = reader;
  const counts = await mapLimited(plan.branches, BRANCH_CONCURRENCY, (filter) => reader.count(filter));
  const matched = counts.reduce((sum, n, i) => sum + Math.min(n, plan.bounds[i]!), 0);
  const why = query.count && !plan.exact ? 'to count it' : 'to sort it';
  const overflow = () =>
    overBudget(
      set,
      budget,
      `this query reads every row its filter may match (${thousands(matched)}) ${why}, as the ERP cannot ${why === 'to count it' ? 'evaluate all of the filter' : 'sort by that field'}`,
      `narrow the filter (e.g. to one customer)${query.count ? ', or ask without totalCount' : ''}`,
      'filter',
    );
  if (matched * reader.rowCost > budget) throw overflow();
  const scan = await scanBranches({
    branches: plan.branches.map((filter, i) => ({ filter, bound: Math.min(counts[i]!, plan.bounds[i]!) })),
    read: (branch, request) => read(branch.filter, request),
    rowCost: reader.rowCost,
    compare: rowComparator(set, query.orderBy),
    key: (row: ErpRow<S>) => rowKey(set, row),
    accept: plan.exact ? () => true : rowPredicate(set, query.filter!),
    window: Number.POSITIVE_INFINITY,
    count: false,
    budget,
    overBudget: overflow,
  });
  const skip = query.skip ?? 0;
  return { rows: scan.rows.slice(skip, skip + query.top), totalCount: query.count ? scan.rows.length : null };
}

/**
 * The exact count of a plan without a residual (`known`: branch counts already read, by index;
 * `asked`: rows the query has asked for already, against `budget`).
 */
async function countExact<S extends RowSet>(
  reader: RowReader<S>,
  plan: Plan,
  known: readonly (number | null)[],
  budget: number,
  asked: number,
): Promise<number> {
  const { set } = reader;
  const counts = await mapLimited(plan.branches, BRANCH_CONCURRENCY, (filter, i) =>
    known[i] != null ? Promise.resolve(known[i]!) : reader.count(filter),
  );
  if (plan.branches.length === 1 || plan.disjoint) return counts.reduce((sum, n) => sum + n, 0);
  const branches = plan.branches as ODataFilter[];
  if (branches.length <= MAX_COUNTED_BRANCHES) {
    // |A ∪ B ∪ C| = Σ|A| − Σ|A ∩ B| + |A ∩ B ∩ C|: each intersection is an `and` of branches, one $count.
    let total = counts.reduce((sum, n) => sum + n, 0);
    for (let mask = 1; mask < 1 << branches.length; mask += 1) {
      const members = branches.filter((_, i) => mask & (1 << i));
      if (members.length < 2) continue;
      total += (members.length % 2 === 0 ? -1 : 1) * (await reader.count(and(...members)));
    }
    return total;
  }
  const matched = counts.reduce((sum, n) => sum + n, 0);
  if (matched > MAX_COUNTED_KEYS) {
    throw overLimit(
      set,
      `the total count of a filter that ORs more than ${MAX_COUNTED_BRANCHES} different fields is available up to ${thousands(MAX_COUNTED_KEYS)} matches; ask without it`,
    );
  }
  // Only now is it known how many keys the count needs: refused before reading them when they
  // would take the query over its budget.
  if (asked + matched > budget) {
    throw overBudget(
      set,
      budget,
      `counting this filter (it ORs more than ${MAX_COUNTED_BRANCHES} different fields) means reading the keys of its ${thousands(matched)} matches after the rows of the page`,
      'ask without totalCount, or narrow the filter (e.g. to a customer)',
      'filter',
    );
  }
  const keys = new Set<string>();
  await mapLimited(branches, BRANCH_CONCURRENCY, async (filter, i) => {
    for (const key of await reader.keys(filter, counts[i]!)) keys.add(key);
  });
  return keys.size;
}

/**
 * The filter as `A and not T1 and ... not Tn`, each Ti a text condition (contains, startsWith,
 * endsWith), when it is of that form (after pushing `not` to the leaves); null otherwise.
 */
function negatedTexts(filter: RowFilter): { rest: RowFilter[]; texts: RowFilter[] } | null {
  const out = { rest: [] as RowFilter[], texts: [] as RowFilter[] };
  const walk = (f: RowFilter, negate: boolean): void => {
    if ((f.kind === 'and' && !negate) || (f.kind === 'or' && negate)) for (const part of f.filters) walk(part, negate);
    else if (f.kind === 'not') walk(f.filter, !negate);
    else if (f.kind === 'text' && negate) out.texts.push(f);
    else out.rest.push(negate ? { kind: 'not', filter: f } : f);
  };
  walk(filter, false);
  return out.texts.length > 0 ? out : null;
}

/**
 * The count of `A and not T1 ... and not Tn` (n at most MAX_COUNTED_NEGATIONS) by inclusion–
 * exclusion: Σ over subsets S of (−1)^|S| · |A and (T in S)|, each an exact count in BC (BC can
 * evaluate a text condition, not its negation). Null when the filter is not of that form.
 */
async function countByNegation<S extends RowSet>(
  reader: RowReader<S>,
  filter: RowFilter,
  budget: number,
): Promise<number | null> {
  const split = negatedTexts(filter);
  if (!split || split.texts.length > MAX_COUNTED_NEGATIONS) return null;
  const plans: Array<{ sign: number; plan: RowFilterPlan }> = [];
  for (let mask = 0; mask < 1 << split.texts.length; mask += 1) {
    const parts = [...split.rest, ...split.texts.filter((_, i) => mask & (1 << i))];
    const plan = planRowFilter(
      reader.set,
      reader.fields,
      parts.length === 0 ? undefined : { kind: 'and', filters: parts },
    );
    if (plan.kind === 'branches' && !plan.exact) return null;
    plans.push({ sign: popcount(mask) % 2 === 0 ? 1 : -1, plan });
  }
  let total = 0;
  for (const { sign, plan } of plans)
    if (plan.kind === 'branches') total += sign * (await countExact(reader, plan, [], budget, 0));
  return total;
}

function popcount(n: number): number {
  let bits = 0;
  for (let m = n; m > 0; m >>= 1) bits += m & 1;
  return bits;
}
