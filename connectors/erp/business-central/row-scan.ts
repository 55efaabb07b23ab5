// Reading the rows of a row query that Business Central cannot answer in one request: a union of
// branches (one request each, row-plan.ts), a filter with a residual BC cannot evaluate, or both.
// Every branch is read in the query's total order, from its first row, a chunk at a time ($top and
// $skip per branch), and the chunks are merged in that order without duplicates. A row is settled
// once no branch still being read can yield one before it (the frontier: the earliest last row read
// among those branches); settled rows that pass `accept` (the whole filter, for a residual) are the
// answer's rows, and reading stops as soon as the window (skip + top) is settled, or every branch
// is read to its end.
//
// The read budget (row-query.ts): every chunk's $top counts, and a round of chunks that would go
// over the budget is first shrunk to what is left, then refused ('limit', naming the budget) when
// nothing is left, before its requests are sent.
import type { ErpRowQueryError } from '../row-query.js';

export interface ScanBranch {
  /** At most this many rows can match (an `in` on the key); Infinity when unknown. */
  readonly bound: number;
}

export interface ScanOptions<B extends ScanBranch, R> {
  readonly branches: readonly B[];
  /** One chunk of a branch: `top` rows from `skip` on, in the query's total order, and the rows it asked BC for. */
  readonly read: (
    branch: B,
    request: { top: number; skip: number; count: boolean },
  ) => Promise<{ rows: R[]; count: number | null; asked: number }>;
  /** Rows BC is asked for, at most, per row of a chunk (order lines also read their orders). */
  readonly rowCost: number;
  /** The query's total order (its keys, then the set's key). */
  readonly compare: (a: R, b: R) => number;
  /** The set's key of a row, to drop a row two branches both yield. */
  readonly key: (row: R) => string;
  /** Whether a row belongs in the answer (the whole filter, when part of it is a residual). */
  readonly accept: (row: R) => boolean;
  /**
   * Rows of the answer wanted (skip + top); Infinity to read every branch to its end, which needs
   * every branch bounded (by its count, read first).
   */
  readonly window: number;
  /** Ask BC for each branch's count on its first chunk (`$count=true`). */
  readonly count: boolean;
  /** Rows the query may still ask for, and the refusal when that is not enough. */
  readonly budget: number;
  readonly overBudget: () => ErpRowQueryError;
  /**
   * Rows asked per branch in the first round; default the window, which settles a union of exact
   * branches in one round (each branch's first `window` rows hold every row of the union's first
   * `window` it has).
   */
  readonly firstChunk?: number;
}

export interface ScanResult<R> {
  /** The settled rows that passed `accept`, in order: at least the window's, or all of them. */
  readonly rows: R[];
  /** Every branch was read to its end: `rows` are all the rows there are. */
  readonly complete: boolean;
  /** Each branch's `@odata.count`, when asked for. */
  readonly counts: (number | null)[];
  /** Rows asked of BC ($top summed). */
  readonly asked: number;
}

/** Never ask a branch for fewer rows than this (a round trip costs more than a few rows). */
const MIN_CHUNK = 50;
/** Branch requests in flight at once for one query (BC also limits concurrent requests per user). */
export const BRANCH_CONCURRENCY = 4;

export async function mapLimited<T, U>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<U>,
): Promise<U[]> {
  const out = new Array<U>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export async function scanBranches<B extends ScanBranch, R>(options: ScanOptions<B, R>): Promise<ScanResult<R>> {
  const { branches, compare, key, accept, window } = options;
  const cursors = branches.map((branch) => ({
    branch,
    offset: 0,
    done: branch.bound <= 0,
    last: null as R | null,
    count: null as number | null,
  }));
  const seen = new Map<string, R>();
  let asked = 0;
  let round = 0;
  let wanted = options.firstChunk ?? window;
  for (;;) {
    const active = cursors.filter((cursor) => !cursor.done);
    if (active.length === 0) break;
    // This round's chunk per branch: what is still wanted, never past a branch's bound.
    let sizes = active.map((cursor) => Math.max(1, Math.min(wanted, cursor.branch.bound - cursor.offset)));
    if (!sizes.every(Number.isFinite))
      throw new TypeError('scanBranches: reading to the end needs every branch bounded');
    const left = Math.floor((options.budget - asked) / options.rowCost);
    const total = sizes.reduce((sum, size) => sum + size, 0);
    if (total > left) {
      if (left < active.length) throw options.overBudget();
      const scale = left / total;
      sizes = sizes.map((size) => Math.max(1, Math.floor(size * scale)));
    }
    const first = round === 0;
    const answers = await mapLimited(active, BRANCH_CONCURRENCY, (cursor, i) =>
      options.read(cursor.branch, { top: sizes[i]!, skip: cursor.offset, count: options.count && first }),
    );
    round += 1;
    active.forEach((cursor, i) => {
      const answer = answers[i]!;
      asked += answer.asked;
      if (first) cursor.count = answer.count;
      for (const row of answer.rows) {
        const k = key(row);
        if (!seen.has(k)) seen.set(k, row);
      }
      cursor.offset += answer.rows.length;
      cursor.done = answer.rows.length < sizes[i]! || cursor.offset >= cursor.branch.bound;
      if (answer.rows.length > 0) cursor.last = answer.rows.at(-1)!;
    });
    // Settled: every row up to the earliest last row of a branch still being read.
    let frontier: R | null = null;
    for (const cursor of cursors)
      if (!cursor.done && (frontier === null || compare(cursor.last!, frontier) < 0)) frontier = cursor.last;
    if (frontier === null) break;
    const settled = [...seen.values()].filter((row) => compare(row, frontier!) <= 0);
    const found = settled.filter(accept).length;
    if (found >= window)
      return {
        rows: sorted(settled.filter(accept), compare),
        complete: false,
        counts: cursors.map((c) => c.count),
        asked,
      };
    // The next round: enough rows at the rate of accepted rows per settled row seen so far (twice
    // the last round while none was accepted), split over the branches still being read.
    const rate = settled.length > 0 ? found / settled.length : 0;
    const stillActive = cursors.filter((cursor) => !cursor.done).length;
    const perBranch = rate > 0 ? Math.ceil((((window - found) / rate) * 1.25) / stillActive) : Math.max(...sizes) * 2;
    wanted = Math.max(MIN_CHUNK, perBranch);
  }
  return {
    rows: sorted([...seen.values()].filter(accept), compare),
    complete: true,
    counts: cursors.map((c) => c.count),
    asked,
  };
}

function sorted<R>(rows: R[], compare: (a: R, b: R) => number): R[] {
  return rows.sort(compare);
}
