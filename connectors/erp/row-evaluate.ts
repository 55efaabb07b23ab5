// Row queries evaluated in memory over port records, with exactly the semantics documented in
// row-query.ts. Adapters use it only over sets they have already bounded (Business Central's order
// lines: see business-central/row-query.ts), and to merge the pages of several ERP requests in the
// ERP's order; test fakes use it to answer queryRows.
import { Big } from 'big.js';
import {
  ROW_SETS,
  type ErpRow,
  type RowField,
  type RowFilter,
  type RowOrder,
  type RowPage,
  type RowQuery,
  type RowSet,
  type RowSetDef,
  type RowValue,
} from './row-query.js';

type Comparable = string | number | boolean;

function fieldOf<S extends RowSet>(set: S, name: string): RowField<ErpRow<S>> {
  const def = ROW_SETS[set] as RowSetDef<ErpRow<S>>;
  const field = Object.hasOwn(def.fields, name) ? def.fields[name] : undefined;
  if (!field) throw new TypeError(`${set}: no field '${name}'`);
  return field;
}

/**
 * Orders two non-null values of one field: decimals as numbers, enums by their place in the port's
 * list of values (Business Central's ordinal order), the rest natively.
 */
function compareValues(field: RowField<never>, a: RowValue, b: RowValue): number {
  if (field.type === 'decimal') return new Big(a as string).cmp(new Big(b as string));
  if (field.type === 'enum') {
    const values = field.values ?? [];
    return values.indexOf(a as string) - values.indexOf(b as string);
  }
  const x = a as Comparable;
  const y = b as Comparable;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The filter as a predicate over the set's port records. */
export function rowPredicate<S extends RowSet>(set: S, filter: RowFilter): (row: ErpRow<S>) => boolean {
  switch (filter.kind) {
    case 'and': {
      const parts = filter.filters.map((f) => rowPredicate(set, f));
      return (row) => parts.every((p) => p(row));
    }
    case 'or': {
      const parts = filter.filters.map((f) => rowPredicate(set, f));
      return (row) => parts.some((p) => p(row));
    }
    case 'not': {
      const inner = rowPredicate(set, filter.filter);
      return (row) => !inner(row);
    }
    case 'null': {
      const field = fieldOf(set, filter.field);
      return (row) => (field.read(row) === null) === filter.isNull;
    }
    case 'in': {
      const field = fieldOf(set, filter.field);
      return (row) => {
        const value = field.read(row);
        return value !== null && filter.values.some((v) => compareValues(field, value, v) === 0);
      };
    }
    case 'text': {
      const field = fieldOf(set, filter.field);
      const needle = filter.value.toLowerCase();
      const test =
        filter.op === 'contains'
          ? (h: string) => h.includes(needle)
          : filter.op === 'startsWith'
            ? (h: string) => h.startsWith(needle)
            : (h: string) => h.endsWith(needle);
      return (row) => {
        const value = field.read(row);
        return typeof value === 'string' && test(value.toLowerCase());
      };
    }
    case 'compare': {
      const field = fieldOf(set, filter.field);
      const { op, value: literal } = filter;
      return (row) => {
        const value = field.read(row);
        if (value === null) return op === 'ne';
        const c = compareValues(field, value, literal);
        switch (op) {
          case 'eq':
            return c === 0;
          case 'ne':
            return c !== 0;
          case 'gt':
            return c > 0;
          case 'ge':
            return c >= 0;
          case 'lt':
            return c < 0;
          case 'le':
            return c <= 0;
        }
      };
    }
  }
}

/** The order keys of a query with the set's key appended (ascending), so the order is total. */
export function totalOrder(set: RowSet, orderBy: readonly RowOrder[] = []): RowOrder[] {
  const keys = ROW_SETS[set].key.filter((key) => !orderBy.some((o) => o.field === key));
  return [...orderBy, ...keys.map((field) => ({ field }))];
}

/**
 * Compares rows in the total order of `orderBy` (the set's key appended). Nulls sort first in
 * ascending order, last in descending order, as SQL Server (Business Central's store) sorts blanks.
 */
export function rowComparator<S extends RowSet>(
  set: S,
  orderBy: readonly RowOrder[] = [],
): (a: ErpRow<S>, b: ErpRow<S>) => number {
  const keys = totalOrder(set, orderBy).map((o) => ({
    field: fieldOf(set, o.field),
    direction: o.descending ? -1 : 1,
  }));
  return (a, b) => {
    for (const { field, direction } of keys) {
      const x = field.read(a);
      const y = field.read(b);
      const c = x === null ? (y === null ? 0 : -1) : y === null ? 1 : compareValues(field, x, y);
      if (c !== 0) return c * direction;
    }
    return 0;
  };
}

/** The set's key of a row, as one string (for de-duplicating rows read by several requests). */
export function rowKey<S extends RowSet>(set: S, row: ErpRow<S>): string {
  return ROW_SETS[set].key.map((key) => String(fieldOf(set, key).read(row))).join('\u0000');
}

/** A whole query over rows already in memory: filter, total order, count, page. */
export function applyRowQuery<S extends RowSet>(set: S, rows: readonly ErpRow<S>[], query: RowQuery): RowPage<S> {
  const matching = query.filter ? rows.filter(rowPredicate(set, query.filter)) : [...rows];
  matching.sort(rowComparator(set, query.orderBy));
  const skip = query.skip ?? 0;
  return { rows: matching.slice(skip, skip + query.top), totalCount: query.count ? matching.length : null };
}
