// A parsed $filter (filter-ast.ts) as the graph's RowFilter (row-query.ts), so the ERP evaluates it
// (pushed down, never applied in memory). Field names are the row query's filter fields
// (entity-model.ts `field`); values are strings typed by the property, as RowFilter reads them.
//
// Where OData and RowFilter differ, the filter is rewritten to mean exactly what the OData filter
// means, so rows come back "with exactly that value" (Salesforce hides rows that do not):
// - `contains(X,'s') eq true` / `ne false` is the contains; `eq false` / `ne true` its negation.
// - Enum-typed properties (served as strings) are compared against the enum's value names here:
//   `Status eq 'Open'` matches nothing (not an error), `contains(Status,'PE')` becomes
//   `Status in ('OPEN')`, `gt`/`lt` become the `in` list of the names that compare so.
// - A date property compared with a date-time is compared as that date at midnight UTC (how
//   Salesforce maps Edm.Date); an integer property compared with a fraction rounds the bound, and
//   so does a decimal one with more fraction digits than the ERP keeps; a number or date beyond the
//   ERP's range (1e20, 9999-12-31T23:59:59-14:00) makes the comparison constant.
// - Parts that are always true or false (`eq null` on a property that is never null, an enum value
//   that does not exist) are folded away; a filter that is false as a whole is reported as `false`,
//   and the caller answers with no rows without asking the ERP.
import { Big } from 'big.js';
import type { Identity } from '../../lib/identity.js';
import { canRead } from './access.js';
import { badRequest, notImplemented, OdataError, OdataErrorCode } from './errors.js';
import type { ComparisonOperator, FilterExpr, Literal, LiteralExpr } from './filter-ast.js';
import { notQueryableReason, type EntitySet, type ModelProperty } from './model.js';
import type { RowFilter, RowFilterOp } from './row-query.js';

/** A filter, or a constant when it does not depend on the row. */
export type Translated = RowFilter | boolean;

/** Values per IN comparison the schema accepts; longer lists become an `or` of several. */
const IN_CHUNK = 200;

const OPS: Record<ComparisonOperator, RowFilterOp> = { eq: 'EQ', ne: 'NE', gt: 'GT', ge: 'GE', lt: 'LT', le: 'LE' };
const MIRRORED: Record<ComparisonOperator, ComparisonOperator> = {
  eq: 'eq',
  ne: 'ne',
  gt: 'lt',
  ge: 'le',
  lt: 'gt',
  le: 'ge',
};
const TARGET = '$filter';

export function translateFilter(expr: FilterExpr, set: EntitySet, identity: Identity): Translated {
  return new Translator(set, identity).predicate(expr);
}

export function and(parts: readonly Translated[]): Translated {
  if (parts.includes(false)) return false;
  const filters = parts
    .filter((part): part is RowFilter => part !== true)
    .flatMap((part) => ('and' in part ? part.and : [part]));
  if (filters.length === 0) return true;
  return filters.length === 1 ? filters[0]! : { and: filters };
}

export function or(parts: readonly Translated[]): Translated {
  if (parts.includes(true)) return true;
  const filters = parts
    .filter((part): part is RowFilter => part !== false)
    .flatMap((part) => ('or' in part ? part.or : [part]));
  if (filters.length === 0) return false;
  return filters.length === 1 ? filters[0]! : { or: filters };
}

export function not(part: Translated): Translated {
  if (typeof part === 'boolean') return !part;
  return 'not' in part ? part.not : { not: part };
}

const describe = (literal: Literal) =>
  literal.type === 'string' ? `'${literal.text.replaceAll("'", "''")}'` : literal.text;
const isBooleanLiteral = (expr: FilterExpr): expr is LiteralExpr =>
  expr.kind === 'literal' && expr.literal.type === 'boolean';
const isBooleanShaped = (expr: FilterExpr) => ['and', 'or', 'not', 'compare', 'in', 'call'].includes(expr.kind);

class Translator {
  constructor(
    private readonly set: EntitySet,
    private readonly identity: Identity,
  ) {}

  predicate(expr: FilterExpr): Translated {
    switch (expr.kind) {
      case 'and':
        return and([this.predicate(expr.left), this.predicate(expr.right)]);
      case 'or':
        return or([this.predicate(expr.left), this.predicate(expr.right)]);
      case 'not':
        return not(this.predicate(expr.operand));
      case 'compare':
        return this.compare(expr.operator, expr.left, expr.right, expr.position);
      case 'in':
        return this.in(expr.operand, expr.values);
      case 'call':
        return this.stringFunction(expr);
      case 'property': {
        const property = this.property(expr);
        if (property.type !== 'Edm.Boolean')
          throw this.error(`${property.name} is not Boolean; compare it with a value`, expr.position);
        return this.comparison(property, 'eq', { type: 'boolean', text: 'true' }, expr.position);
      }
      case 'literal':
        if (expr.literal.type === 'boolean') return expr.literal.text === 'true';
        throw this.error(`${describe(expr.literal)} is not a condition`, expr.position);
    }
  }

  private compare(operator: ComparisonOperator, left: FilterExpr, right: FilterExpr, position: number): Translated {
    // Salesforce's search form: contains(Name,'Acme') eq true (and any condition compared with a Boolean).
    const [condition, flag] =
      isBooleanLiteral(right) && isBooleanShaped(left)
        ? [left, right]
        : isBooleanLiteral(left) && isBooleanShaped(right)
          ? [right, left]
          : [null, null];
    if (condition && flag) {
      if (operator !== 'eq' && operator !== 'ne')
        throw this.error(`a condition can only be compared with eq or ne`, position);
      const wanted = (flag.literal.text === 'true') === (operator === 'eq');
      const translated = this.predicate(condition);
      return wanted ? translated : not(translated);
    }
    if (left.kind === 'property' && right.kind === 'literal')
      return this.comparison(this.property(left), operator, right.literal, position);
    if (left.kind === 'literal' && right.kind === 'property')
      return this.comparison(this.property(right), MIRRORED[operator], left.literal, position);
    if (left.kind === 'property' && right.kind === 'property')
      throw this.unsupported('comparing two properties', position);
    if (left.kind === 'literal' && right.kind === 'literal') throw this.unsupported('comparing two literals', position);
    throw this.error(`"${operator}" compares a property with a value`, position);
  }

  private property(expr: FilterExpr): ModelProperty {
    if (expr.kind !== 'property') throw this.error('expected a property', expr.position);
    const property = this.set.property(expr.name);
    if (!property) throw this.error(`${this.set.name} has no property ${expr.name}`, expr.position);
    if (!canRead(this.identity, property)) {
      throw new OdataError(
        403,
        OdataErrorCode.FORBIDDEN,
        `$filter: your role may not read ${property.name} (position ${expr.position}).`,
        TARGET,
      );
    }
    if (property.field === undefined)
      throw this.error(`${property.name} cannot be used in a filter (${notQueryableReason(property)})`, expr.position);
    return property;
  }

  private comparison(
    property: ModelProperty,
    operator: ComparisonOperator,
    literal: Literal,
    position: number,
  ): Translated {
    const field = property.field!;
    if (literal.type === 'null') {
      if (operator !== 'eq' && operator !== 'ne') throw this.error(`null can only be compared with eq or ne`, position);
      if (!property.nullable) return operator === 'ne';
      return { field, op: operator === 'eq' ? 'IS_NULL' : 'IS_NOT_NULL' };
    }
    if (property.enumValues)
      return this.enumComparison(property, (name) => compareStrings(name, literal.text, operator), literal, position);
    const value = this.coerce(property, operator, literal, position);
    // A bound beyond every value holds for every row that has a value (null compares with nothing).
    if (value === true && property.nullable && operator !== 'ne') return { field, op: 'IS_NOT_NULL' };
    if (typeof value === 'boolean') return value;
    return { field, op: OPS[value.operator], value: value.text };
  }

  /** The value sent for a comparison of `property` with `literal`, after the conversions the header lists. */
  private coerce(
    property: ModelProperty,
    operator: ComparisonOperator,
    literal: Literal,
    position: number,
  ): { operator: ComparisonOperator; text: string } | boolean {
    const mismatch = () =>
      this.error(`${property.name} is ${property.type}; ${describe(literal)} is not a value of that type`, position);
    switch (property.type) {
      case 'Edm.String':
        if (literal.type !== 'string') throw mismatch();
        return { operator, text: literal.text };
      case 'Edm.Boolean':
        if (literal.type !== 'boolean') throw mismatch();
        if (operator !== 'eq' && operator !== 'ne')
          throw this.error(`${property.name} is Boolean: compare it with eq or ne`, position);
        return { operator, text: literal.text };
      case 'Edm.Int32':
      case 'Edm.Int64':
        if (literal.type !== 'int' && literal.type !== 'decimal') throw mismatch();
        return numericBound(operator, new Big(literal.text), 0);
      case 'Edm.Decimal':
      case 'Edm.Double':
        if (literal.type !== 'int' && literal.type !== 'decimal') throw mismatch();
        return numericBound(operator, new Big(literal.text), MAX_FRACTION_DIGITS);
      case 'Edm.Date':
        if (literal.type === 'date') return { operator, text: literal.text };
        if (literal.type !== 'dateTimeOffset') throw mismatch();
        return dateBound(operator, literal.text);
      case 'Edm.DateTimeOffset':
        if (literal.type === 'dateTimeOffset') return { operator, text: literal.text };
        if (literal.type !== 'date') throw mismatch();
        return { operator, text: `${literal.text}T00:00:00Z` };
    }
  }

  private enumComparison(
    property: ModelProperty,
    matches: (name: string) => boolean,
    literal: Literal,
    position: number,
  ): Translated {
    if (literal.type !== 'string')
      throw this.error(
        `${property.name} is ${property.type}; ${describe(literal)} is not a value of that type`,
        position,
      );
    const names = property.enumValues!.filter(matches);
    if (names.length === 0) return false;
    // Every value matches: true, unless the property can be null (null matches no comparison).
    if (names.length === property.enumValues!.length && !property.nullable) return true;
    return names.length === 1
      ? { field: property.field!, op: 'EQ', value: names[0]! }
      : { field: property.field!, op: 'IN', values: names };
  }

  private in(operand: FilterExpr, values: readonly LiteralExpr[]): Translated {
    const property = this.property(operand);
    const parts = values.map((value) => this.comparison(property, 'eq', value.literal, value.position));
    const equalities = new Set<string>();
    const rest: Translated[] = [];
    for (const part of parts) {
      if (typeof part !== 'boolean' && 'op' in part && part.op === 'EQ') equalities.add(part.value!);
      else if (typeof part !== 'boolean' && 'op' in part && part.op === 'IN')
        part.values!.forEach((value) => equalities.add(value));
      else rest.push(part);
    }
    const distinct = [...equalities];
    const chunks: Translated[] = [];
    for (let start = 0; start < distinct.length; start += IN_CHUNK) {
      const chunk = distinct.slice(start, start + IN_CHUNK);
      chunks.push(
        chunk.length === 1
          ? { field: property.field!, op: 'EQ', value: chunk[0]! }
          : { field: property.field!, op: 'IN', values: chunk },
      );
    }
    return or([...chunks, ...rest]);
  }

  private stringFunction(expr: Extract<FilterExpr, { kind: 'call' }>): Translated {
    const [subject, argument] = expr.args;
    if (subject.kind !== 'property' || argument.kind !== 'literal') {
      throw this.unsupported(`${expr.name}() other than ${expr.name}(Property,'text')`, expr.position);
    }
    const property = this.property(subject);
    if (property.type !== 'Edm.String')
      throw this.error(`${expr.name}() needs a string property; ${property.name} is ${property.type}`, expr.position);
    if (argument.literal.type !== 'string')
      throw this.error(`the second argument of ${expr.name}() must be a string literal`, argument.position);
    const text = argument.literal.text;
    if (property.enumValues) {
      // The ERP's CONTAINS / STARTS_WITH / ENDS_WITH are case-insensitive; matched the same way here.
      const needle = text.toLowerCase();
      const test = {
        contains: (name: string) => name.toLowerCase().includes(needle),
        startswith: (name: string) => name.toLowerCase().startsWith(needle),
        endswith: (name: string) => name.toLowerCase().endsWith(needle),
      }[expr.name];
      return this.enumComparison(property, test, argument.literal, expr.position);
    }
    const op: RowFilterOp =
      expr.name === 'contains' ? 'CONTAINS' : expr.name === 'startswith' ? 'STARTS_WITH' : 'ENDS_WITH';
    return { field: property.field!, op, value: text };
  }

  private error(message: string, position: number): OdataError {
    return badRequest(`$filter: ${message} (position ${position}).`, TARGET);
  }

  private unsupported(message: string, position: number): OdataError {
    return notImplemented(`$filter: ${message} is not supported (position ${position}).`, TARGET);
  }
}

function compareStrings(a: string, b: string, operator: ComparisonOperator): boolean {
  switch (operator) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
  }
}

/**
 * The ERP's numbers (connectors/erp/row-query.ts, isDecimalString): under 10^15 in magnitude, at most
 * 10 fraction digits. A literal beyond them is folded or rounded here, so it never reaches the ERP
 * as a value it would refuse.
 */
const MAX_FRACTION_DIGITS = 10;
const NUMBER_LIMIT = new Big('1e15');

/** A comparison with a value above (or below) every value the ERP holds: the same for every row. */
function beyondRange(operator: ComparisonOperator, above: boolean): boolean {
  switch (operator) {
    case 'eq':
      return false;
    case 'ne':
      return true;
    case 'gt':
    case 'ge':
      return !above;
    case 'lt':
    case 'le':
      return above;
  }
}

/**
 * A number property (`dp` fraction digits at most: 0 for integers) against x: out of range folds;
 * with more digits, eq never, ne always, bounds round to the values that compare the same.
 */
function numericBound(
  operator: ComparisonOperator,
  value: Big,
  dp: number,
): { operator: ComparisonOperator; text: string } | boolean {
  if (value.abs().gte(NUMBER_LIMIT)) return beyondRange(operator, value.gt(0));
  const bound = scaledBound(operator, value, dp);
  if (typeof bound !== 'boolean' && new Big(bound.text).abs().gte(NUMBER_LIMIT))
    return beyondRange(operator, value.gt(0));
  return bound;
}

/** A property with `dp` fraction digits against x: eq never, ne always; bounds round to the values that compare the same. */
function scaledBound(
  operator: ComparisonOperator,
  value: Big,
  dp: number,
): { operator: ComparisonOperator; text: string } | boolean {
  const towardZero = value.round(dp, Big.roundDown);
  const text = (n: Big) => (dp === 0 ? n.toFixed(0) : n.toFixed());
  if (value.eq(towardZero)) return { operator, text: text(towardZero) };
  // n > x and n ≥ x both mean n > floor(x); n < x and n ≤ x both mean n ≤ floor(x).
  const floor = text(value.lt(0) ? value.round(dp, Big.roundUp) : towardZero);
  switch (operator) {
    case 'eq':
      return false;
    case 'ne':
      return true;
    case 'gt':
    case 'ge':
      return { operator: 'gt', text: floor };
    case 'lt':
    case 'le':
      return { operator: 'le', text: floor };
  }
}

/**
 * A date D (at midnight UTC) against an instant t: with f = the date of t in UTC, D > t ⇔ D > f;
 * D ≥ t ⇔ D ≥ f when t is midnight, else D > f; D < t ⇔ D < f when t is midnight, else D ≤ f;
 * D ≤ t ⇔ D ≤ f; D = t only when t is midnight.
 */
function dateBound(
  operator: ComparisonOperator,
  dateTime: string,
): { operator: ComparisonOperator; text: string } | boolean {
  // Date.parse handles milliseconds; finer fractions only matter for the midnight test.
  const fraction = /\.(\d+)/.exec(dateTime)?.[1] ?? '';
  const instant = Date.parse(dateTime.replace(/\.\d+/, fraction ? `.${fraction.slice(0, 3).padEnd(3, '0')}` : ''));
  const midnight = instant % 86_400_000 === 0 && /^0*$/.test(fraction.slice(3));
  const date = new Date(instant - (((instant % 86_400_000) + 86_400_000) % 86_400_000)).toISOString().slice(0, 10);
  // Past 9999-12-31 in UTC (toISOString's `+010000-…`): after every date the ERP holds.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return beyondRange(operator, instant > 0);
  switch (operator) {
    case 'eq':
      return midnight ? { operator, text: date } : false;
    case 'ne':
      return midnight ? { operator, text: date } : true;
    case 'gt':
      return { operator: 'gt', text: date };
    case 'ge':
      return { operator: midnight ? 'ge' : 'gt', text: date };
    case 'lt':
      return { operator: midnight ? 'lt' : 'le', text: date };
    case 'le':
      return { operator: 'le', text: date };
  }
}
