// Runs a collection request over a row source: candidates (from an index when the filter allows),
// filter, order, count, then one page. Ordering is always total — the $orderby keys, then the row's
// ordinal (its primary-key position) — so server-driven paging by $skiptoken serves every row
// exactly once.
import type { EntityTypeDef, PropertyType } from '../entity-sets.js';
import type { Row } from './evaluate.js';
import { planIndex } from './index-plan.js';
import type { QueryOptions } from './query-options.js';
import type { KeyValue, SkipToken } from './skiptoken.js';

export interface RowSource<T extends Row> {
  /** Every row, in ordinal order. */
  all(): readonly T[];
  /** The row's stable position in its table (insertion order, never reused). */
  ordinal(row: T): number;
  /** Properties `lookup` answers for. */
  readonly indexed: ReadonlySet<string>;
  /** Rows whose `property` equals one of `values`, deduplicated, in ordinal order. */
  lookup(property: string, values: readonly string[]): readonly T[];
}

export interface Page<T> {
  rows: T[];
  /** Matching rows in total (ignores $top/$skip/paging), when $count=true. */
  count: number | null;
  /** Present when more rows remain: the token of the next page and the $top still to serve. */
  next: { skipToken: SkipToken; top: number | null } | null;
  /** Rows the request looked at: the index's candidates, or the whole table (GET /__emulator/stats). */
  scanned: number;
}

function sortValue(type: PropertyType | undefined, value: unknown, members?: readonly string[]): KeyValue {
  if (value === null || value === undefined) return null;
  if (members) {
    // An enum sorts by its ordinal; a value outside the members after them all.
    const ordinal = members.indexOf(String(value));
    return ordinal < 0 ? members.length : ordinal;
  }
  if (type === 'datetime') return Date.parse(String(value));
  if (type === 'guid') return String(value).toLowerCase();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}

function compareValues(a: KeyValue, b: KeyValue): number {
  if (a === b) return 0;
  // Nulls sort first in ascending order, as SQL Server (Business Central's store) sorts them.
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function matchingRows<T extends Row>(
  source: RowSource<T>,
  options: QueryOptions,
): { rows: readonly T[]; scanned: number } {
  const filter = options.filter;
  if (!filter) return { rows: source.all(), scanned: source.all().length };
  const plan = planIndex(filter.ast, source.indexed);
  const candidates = plan ? source.lookup(plan.property, plan.values) : source.all();
  return { rows: candidates.filter(filter.predicate), scanned: candidates.length };
}

export function countRows<T extends Row>(
  source: RowSource<T>,
  options: QueryOptions,
): { count: number; scanned: number } {
  const { rows, scanned } = matchingRows(source, options);
  return { count: rows.length, scanned };
}

export function queryCollection<T extends Row>(
  source: RowSource<T>,
  type: EntityTypeDef,
  options: QueryOptions,
  pageSize: number,
): Page<T> {
  const keyOf = (row: T): KeyValue[] => [
    ...options.orderBy.map(({ property }) =>
      sortValue(type.properties[property], row[property], type.enumOrder?.[property]),
    ),
    source.ordinal(row),
  ];
  const directions = [...options.orderBy.map(({ descending }) => (descending ? -1 : 1)), 1];
  const compareKeys = (a: KeyValue[], b: KeyValue[]): number => {
    for (let i = 0; i < directions.length; i += 1) {
      const c = compareValues(a[i] ?? null, b[i] ?? null);
      if (c !== 0) return c * directions[i]!;
    }
    return 0;
  };

  const { rows: matched, scanned } = matchingRows(source, options);
  let ordered: readonly T[] = matched;
  let keys: KeyValue[][] | null = null;
  if (options.orderBy.length > 0) {
    const decorated = matched.map((row) => ({ row, key: keyOf(row) }));
    decorated.sort((a, b) => compareKeys(a.key, b.key));
    ordered = decorated.map((d) => d.row);
    keys = decorated.map((d) => d.key);
  }
  const keyAt = (i: number) => (keys ? keys[i]! : keyOf(ordered[i]!));

  let start: number;
  if (options.skipToken) {
    // First row strictly after the token's key (binary search over the total order).
    const token = options.skipToken.key;
    let lo = 0;
    let hi = ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(keyAt(mid), token) <= 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  } else {
    start = Math.min(options.skip, ordered.length);
  }
  const limit = options.top === null ? pageSize : Math.min(options.top, pageSize);
  const rows = ordered.slice(start, start + limit);
  const remainingTop = options.top === null ? null : options.top - rows.length;
  const more = start + rows.length < ordered.length && rows.length > 0 && (remainingTop === null || remainingTop > 0);
  return {
    rows,
    count: options.count ? ordered.length : null,
    next: more ? { skipToken: { key: keyAt(start + rows.length - 1) }, top: remainingTop } : null,
    scanned,
  };
}
