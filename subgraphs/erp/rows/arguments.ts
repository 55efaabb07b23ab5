// The row-query arguments (where, search, orderBy, first, skip) checked and turned into the ERP
// port's RowQuery. Everything a caller can get wrong is BAD_USER_INPUT naming the argument and the
// place in it (`where.and[1].value`): a RowFilter of exactly one shape, a field of the root field's
// list, an operator its type allows, a value that reads as its type.
import type {
  RowFilter as PortFilter,
  RowOrder as PortOrder,
  RowField,
  RowValue,
} from '../../../connectors/erp/port.js';
import { isDateString, isDecimalString } from '../../../connectors/erp/port.js';
import type { RowFilter, RowFilterOp, RowOrder } from '../__generated__/resolvers-types.js';
import { badUserInput } from '../../shared/errors.js';
import { portFieldOf, type RowCatalogEntry } from './catalog.js';

export const MAX_FIRST = 2000;
/** Values of one IN (schema/erp.graphql). */
export const MAX_IN_VALUES = 200;
const MAX_DEPTH = 12;
const MAX_NODES = 300;
const MAX_ORDER_KEYS = 8;
const MAX_SEARCH_LENGTH = 200;

const ORDERING_TYPES = new Set<RowField<never>['type']>(['text', 'decimal', 'number', 'integer', 'date']);
const COMPARE: Partial<Record<RowFilterOp, 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'>> = {
  EQ: 'eq',
  NE: 'ne',
  GT: 'gt',
  GE: 'ge',
  LT: 'lt',
  LE: 'le',
};
const TEXT: Partial<Record<RowFilterOp, 'contains' | 'startsWith' | 'endsWith'>> = {
  CONTAINS: 'contains',
  STARTS_WITH: 'startsWith',
  ENDS_WITH: 'endsWith',
};

type Read = { readonly ok: true; readonly value: RowValue } | { readonly ok: false; readonly message: string };

/** A filter value text as the field's type (schema/erp.graphql, RowFilter). */
function readValue(def: RowField<never>, text: string): Read {
  const ok = (value: RowValue): Read => ({ ok: true, value });
  const no = (message: string): Read => ({ ok: false, message: `'${text.slice(0, 40)}' is not ${message}` });
  switch (def.type) {
    case 'text':
      return ok(text);
    case 'decimal':
      return isDecimalString(text) ? ok(text) : no('a decimal (e.g. 1234.50)');
    case 'number':
      return isDecimalString(text) ? ok(Number(text)) : no('a number');
    case 'integer':
      return /^-?\d{1,15}$/.test(text) ? ok(Number(text)) : no('an integer');
    case 'boolean':
      return text === 'true' ? ok(true) : text === 'false' ? ok(false) : no('true or false');
    case 'date':
      return isDateString(text) ? ok(text) : no('a date (YYYY-MM-DD)');
    case 'enum': {
      // GraphQL enum names are the port's values in upper case (InvoiceStatus.IN_REVIEW → in_review).
      const values = def.values ?? [];
      const value = text.toLowerCase();
      return text === text.toUpperCase() && values.includes(value)
        ? ok(value)
        : no(`one of ${values.map((v) => v.toUpperCase()).join(', ')}`);
    }
  }
}

/** `where` as the port's filter. */
export function readWhere(entry: RowCatalogEntry, rootField: string, where: RowFilter): PortFilter {
  let nodes = 0;
  const fail = (path: string, message: string) => badUserInput('where', `${path}: ${message}`);
  const valueOf = (def: RowField<never>, text: string, path: string): RowValue => {
    const read = readValue(def, text);
    if (!read.ok) throw fail(path, read.message);
    return read.value;
  };

  const read = (input: RowFilter, path: string, depth: number): PortFilter => {
    nodes += 1;
    if (nodes > MAX_NODES || depth > MAX_DEPTH)
      throw fail(path, `a filter has at most ${MAX_NODES} parts, nested at most ${MAX_DEPTH} deep`);
    const shapes = (['and', 'or', 'not', 'field'] as const).filter((k) => input[k] != null);
    const comparisonParts = input.op != null || input.value != null || input.values != null;
    if (shapes.length !== 1 || (shapes[0] !== 'field' && comparisonParts)) {
      throw fail(path, 'give exactly one of and, or, not, or a comparison (field and op, with value or values)');
    }
    if (input.and != null || input.or != null) {
      const kind = input.and != null ? 'and' : 'or';
      const list = (input.and ?? input.or)!;
      if (list.length === 0) throw fail(`${path}.${kind}`, 'must list at least one filter');
      return { kind, filters: list.map((f, i) => read(f, `${path}.${kind}[${i}]`, depth + 1)) };
    }
    if (input.not != null) return { kind: 'not', filter: read(input.not, `${path}.not`, depth + 1) };

    const name = input.field!;
    const field = portFieldOf(entry, name);
    if (!field)
      throw fail(
        `${path}.field`,
        `'${name}' is not a field of ${rootField}; known: ${Object.keys(entry.fields).join(', ')}`,
      );
    const op = input.op;
    if (op == null) throw fail(`${path}.op`, 'a comparison needs an op');
    const { def } = field;
    if (op === 'IS_NULL' || op === 'IS_NOT_NULL') {
      if (input.value != null || input.values != null) throw fail(path, `${op} takes neither value nor values`);
      return { kind: 'null', field: field.name, isNull: op === 'IS_NULL' };
    }
    if (op === 'IN') {
      if (input.value != null) throw fail(`${path}.value`, 'IN takes values, not value');
      const values = input.values;
      if (values == null || values.length === 0 || values.length > MAX_IN_VALUES)
        throw fail(`${path}.values`, `IN takes 1 to ${MAX_IN_VALUES} values`);
      return { kind: 'in', field: field.name, values: values.map((v, i) => valueOf(def, v, `${path}.values[${i}]`)) };
    }
    if (input.values != null) throw fail(`${path}.values`, `${op} takes value, not values`);
    if (input.value == null) throw fail(`${path}.value`, `${op} needs a value`);
    const text = TEXT[op];
    if (text) {
      if (def.type !== 'text') throw fail(`${path}.op`, `${op} applies to text fields; '${name}' is not one`);
      return { kind: 'text', field: field.name, op: text, value: input.value };
    }
    const compare = COMPARE[op]!;
    if (compare !== 'eq' && compare !== 'ne' && !ORDERING_TYPES.has(def.type)) {
      throw fail(`${path}.op`, `${op} does not apply to '${name}' (${def.type === 'enum' ? 'an enum' : 'a boolean'})`);
    }
    return { kind: 'compare', field: field.name, op: compare, value: valueOf(def, input.value, `${path}.value`) };
  };

  return read(where, 'where', 0);
}

/** `search`: a case-insensitive substring of any of the root field's search fields; null when blank. */
export function readSearch(entry: RowCatalogEntry, search: string | null | undefined): PortFilter | null {
  if (search == null) return null;
  const text = search.trim();
  if (text === '') return null;
  if (text.length > MAX_SEARCH_LENGTH) throw badUserInput('search', `search: at most ${MAX_SEARCH_LENGTH} characters`);
  const filters: PortFilter[] = entry.search.map((name) => ({
    kind: 'text',
    field: entry.fields[name]!,
    op: 'contains',
    value: text,
  }));
  return filters.length === 1 ? filters[0]! : { kind: 'or', filters };
}

export function readOrderBy(
  entry: RowCatalogEntry,
  rootField: string,
  orderBy: readonly RowOrder[] | null | undefined,
): PortOrder[] {
  if (orderBy == null) return [];
  if (orderBy.length > MAX_ORDER_KEYS) throw badUserInput('orderBy', `orderBy: at most ${MAX_ORDER_KEYS} keys`);
  return orderBy.map((order, i) => {
    const field = portFieldOf(entry, order.field);
    if (!field)
      throw badUserInput(
        'orderBy',
        `orderBy[${i}].field: '${order.field}' is not a field of ${rootField}; known: ${Object.keys(entry.fields).join(', ')}`,
      );
    return order.descending ? { field: field.name, descending: true } : { field: field.name };
  });
}

export function readPaging(first: number, skip: number | null | undefined): { top: number; skip: number } {
  if (!Number.isSafeInteger(first) || first < 1 || first > MAX_FIRST)
    throw badUserInput('first', `first must be 1 to ${MAX_FIRST}`);
  const offset = skip ?? 0;
  if (!Number.isSafeInteger(offset) || offset < 0) throw badUserInput('skip', 'skip must be 0 or more');
  return { top: first, skip: offset };
}
