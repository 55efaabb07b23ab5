// One WHERE comparison (`field op literal`) compiled into a test on a field value, after checking
// the literal's type against the field's the way Salesforce does ("value of filter criterion for
// field 'Amount' must be of type double and should not be enclosed in quotes"). Null semantics
// follow SOQL: `= null` / `!= null` test emptiness; an empty field fails `=`, `<`, `LIKE`, `IN`
// and passes `!=` and `NOT IN`.
import type { Query } from '@jetstreamapp/soql-parser-js';
import { SfApiError, malformedQuery } from '../errors.js';
import { normalizeId } from '../ids.js';
import type { ObjectMeta, Schema } from '../schema.js';
import {
  type Category,
  type Comparable,
  categoryOf,
  comparable,
  compareComparable,
  decodeStringLiteral,
  likePattern,
} from './compare.js';
import { DAY_MS, dateLiteralRange, epochDay } from './date-literals.js';
import { type FieldPath, resolvePath } from './paths.js';
import type { LeafCondition } from './where.js';

type Operand =
  | { readonly kind: 'null' }
  | { readonly kind: 'value'; readonly value: Comparable }
  | { readonly kind: 'range'; readonly start: number; readonly end: number };

export interface CompiledCondition {
  readonly path: FieldPath;
  /** Tests the raw stored value found at `path`. */
  readonly test: (value: unknown) => boolean;
  /** Set for `field = v` / `field IN (...)` with plain values: the values an index can look up. */
  readonly lookupValues: readonly Comparable[] | null;
}

export interface ConditionContext {
  readonly schema: Schema;
  readonly root: ObjectMeta;
  readonly alias: string | undefined;
  /** Today as an epoch day (date literals). */
  readonly today: number;
  /** Runs a semi-join subquery (`Id IN (SELECT AccountId FROM Contact)`), answering its values. */
  readonly semiJoin: (query: Query) => Set<Comparable>;
}

const ACCEPTED: Record<Category, readonly string[]> = {
  text: ['STRING'],
  id: ['STRING'],
  number: ['INTEGER', 'DECIMAL', 'INTEGER_WITH_CURRENCY_PREFIX', 'DECIMAL_WITH_CURRENCY_PREFIX'],
  boolean: ['BOOLEAN'],
  date: ['DATE', 'DATE_LITERAL', 'DATE_N_LITERAL'],
  datetime: ['DATETIME', 'DATE_LITERAL', 'DATE_N_LITERAL'],
};

function typeName(path: FieldPath, category: Category): string {
  if (category === 'number') return path.field.type === 'int' ? 'integer' : 'double';
  if (category === 'datetime') return 'dateTime';
  return category === 'text' ? 'string' : category;
}

function wrongLiteral(path: FieldPath, category: Category): SfApiError {
  const quoted = category === 'text' || category === 'id';
  return new SfApiError(
    400,
    'INVALID_FIELD',
    `value of filter criterion for field '${path.text}' must be of type ${typeName(path, category)} and should ${quoted ? '' : 'not '}be enclosed in quotes`,
  );
}

const invalidOperator = (message: string) => new SfApiError(400, 'INVALID_QUERY_FILTER_OPERATOR', message);

function compileOperand(
  path: FieldPath,
  category: Category,
  literalType: string,
  raw: string,
  dateN: number | undefined,
  today: number,
): Operand {
  if (literalType === 'NULL') return { kind: 'null' };
  if (literalType === 'APEX_BIND_VARIABLE') throw malformedQuery('Bind variables are only allowed in Apex code');
  if (!ACCEPTED[category].includes(literalType)) throw wrongLiteral(path, category);
  switch (literalType) {
    case 'STRING': {
      const text = decodeStringLiteral(raw);
      if (category === 'text') return { kind: 'value', value: text.toLowerCase() };
      const id = normalizeId(text);
      if (!id) throw invalidOperator(`invalid ID field: ${text}`);
      return { kind: 'value', value: id };
    }
    case 'INTEGER':
    case 'DECIMAL':
      return { kind: 'value', value: Number(raw) };
    case 'INTEGER_WITH_CURRENCY_PREFIX':
    case 'DECIMAL_WITH_CURRENCY_PREFIX':
      return { kind: 'value', value: Number(raw.slice(3)) };
    case 'BOOLEAN':
      return { kind: 'value', value: raw.toUpperCase() === 'TRUE' };
    case 'DATE':
      return { kind: 'value', value: epochDay(raw) };
    case 'DATETIME': {
      const value = comparable('datetime', raw);
      if (value === null) throw malformedQuery(`invalid date-time literal: ${raw}`);
      return { kind: 'value', value };
    }
    default: {
      const range = dateLiteralRange(raw, dateN, today);
      if (!range) throw malformedQuery(`unknown date literal: ${raw}`);
      const scale = category === 'datetime' ? DAY_MS : 1;
      return { kind: 'range', start: range.start * scale, end: range.end * scale };
    }
  }
}

function equals(v: Comparable | null, operand: Operand): boolean {
  if (operand.kind === 'null') return v === null;
  if (v === null) return false;
  if (operand.kind === 'value') return v === operand.value;
  return (v as number) >= operand.start && (v as number) < operand.end;
}

function ordered(op: string, v: Comparable | null, operand: Operand): boolean {
  if (v === null || operand.kind === 'null') return false;
  if (operand.kind === 'range') {
    const n = v as number;
    if (op === '<') return n < operand.start;
    if (op === '<=') return n < operand.end;
    if (op === '>') return n >= operand.end;
    return n >= operand.start;
  }
  const c = compareComparable(v, operand.value);
  if (op === '<') return c < 0;
  if (op === '<=') return c <= 0;
  if (op === '>') return c > 0;
  return c >= 0;
}

function asList<T>(x: T | T[] | undefined): T[] {
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
}

export function compileCondition(cond: LeafCondition, ctx: ConditionContext): CompiledCondition {
  if (!('field' in cond) || typeof cond.field !== 'string') {
    throw malformedQuery('functions in WHERE conditions are not supported by this emulator');
  }
  const path = resolvePath(ctx.schema, ctx.root, cond.field, ctx.alias);
  const category = categoryOf(path.field);
  const op = cond.operator.toUpperCase();
  const read = (value: unknown) => comparable(category, value);

  if ('valueQuery' in cond && cond.valueQuery) {
    if (op !== 'IN' && op !== 'NOT IN') throw invalidOperator('semi-join subqueries need IN or NOT IN');
    if (category !== 'id') throw invalidOperator(`semi-join subqueries can only filter id fields, not '${path.text}'`);
    const values = ctx.semiJoin(cond.valueQuery);
    const test = (value: unknown) => {
      const v = read(value);
      const found = v !== null && values.has(v);
      return op === 'IN' ? found : !found;
    };
    return { path, test, lookupValues: op === 'IN' ? [...values] : null };
  }

  const rawValues = asList((cond as { value?: string | string[] }).value);
  const literalTypes = asList(cond.literalType as string | string[] | undefined);
  const dateNs = asList((cond as { dateLiteralVariable?: number | number[] }).dateLiteralVariable);
  const operands = rawValues.map((raw, i) =>
    compileOperand(
      path,
      category,
      literalTypes[i] ?? literalTypes[0] ?? 'STRING',
      raw,
      dateNs[i] ?? dateNs[0],
      ctx.today,
    ),
  );
  const plain = operands.every((o) => o.kind === 'value')
    ? operands.map((o) => (o as { value: Comparable }).value)
    : null;

  switch (op) {
    case '=':
    case '!=': {
      const operand = operands[0]!;
      const negate = op === '!=';
      return {
        path,
        test: (value) => equals(read(value), operand) !== negate,
        lookupValues: negate ? null : plain,
      };
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const operand = operands[0]!;
      return { path, test: (value) => ordered(op, read(value), operand), lookupValues: null };
    }
    case 'LIKE': {
      if (category !== 'text')
        throw invalidOperator(`invalid operator on field '${path.text}': LIKE needs a text field`);
      if (literalTypes[0] !== 'STRING') throw wrongLiteral(path, category);
      const regex = likePattern(rawValues[0]!);
      return {
        path,
        test: (value) => value !== null && value !== undefined && regex.test(String(value)),
        lookupValues: null,
      };
    }
    case 'IN':
    case 'NOT IN': {
      const set = plain ? new Set(plain) : null;
      const found = (v: Comparable | null) =>
        set ? v !== null && set.has(v) : operands.some((operand) => equals(v, operand));
      const negate = op === 'NOT IN';
      return { path, test: (value) => found(read(value)) !== negate, lookupValues: negate ? null : plain };
    }
    default:
      throw invalidOperator(`${op} applies only to multi-select picklist fields, and '${path.text}' is not one`);
  }
}
