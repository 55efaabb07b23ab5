// Binds a parsed $filter to an entity type (every property must exist, operand types must be
// compatible) and compiles it into a predicate over rows. Binding errors are the client's: they
// carry the messages Microsoft.OData.Core gives ("Could not find a property named ...", "A binary
// operator with incompatible types was detected ...").
//
// Comparison semantics: strings compare ordinally and case-sensitively, as Business Central's filters
// do (an AL filter without its `@` operator; so an equality index agrees with a scan), and so do
// contains/startswith/endswith; `tolower(p)` / `toupper(p)` fold case, which is how a client asks
// BC for a case-insensitive match. GUIDs compare case-insensitively; dates as 'YYYY-MM-DD'; date-times as instants (a date
// literal against a date-time property means midnight UTC). `null` equals only null/missing values;
// an ordering comparison (gt, ge, lt, le) with null on either side is false.
import { EDM_TYPE, qualifiedName, type EntityTypeDef, type PropertyType } from '../entity-sets.js';
import type { CompareOp, FilterNode, Literal, Operand } from './filter.js';

export class FilterBindError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterBindError';
  }
}

export type Row = Readonly<Record<string, unknown>>;
export type Predicate = (row: Row) => boolean;

type ValueKind = 'string' | 'guid' | 'number' | 'boolean' | 'date' | 'datetime' | 'null';

interface Bound {
  kind: ValueKind;
  edm: string;
  /** A constant (literal) operand. */
  literal: boolean;
  get: (row: Row) => unknown;
}

const OP_NAMES: Record<CompareOp, string> = {
  eq: 'Equal',
  ne: 'NotEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
};

function kindOfProperty(type: PropertyType): ValueKind | null {
  switch (type) {
    case 'decimal':
    case 'integer':
      return 'number';
    case 'stringCollection':
      return null;
    default:
      return type;
  }
}

function literalEdm(literal: Literal): string {
  switch (literal.type) {
    case 'number':
      return literal.integer ? 'Edm.Int32' : 'Edm.Decimal';
    case 'null':
      return '<null>';
    case 'datetime':
      return 'Edm.DateTimeOffset';
    default:
      return EDM_TYPE[literal.type];
  }
}

function bindOperand(operand: Operand, type: EntityTypeDef): Bound {
  if (operand.kind === 'call') {
    const arg = bindOperand(operand.arg, type);
    if (arg.kind !== 'string' && arg.kind !== 'null') {
      throw new FilterBindError(`The function '${operand.name}' requires an Edm.String argument; found '${arg.edm}'.`);
    }
    const fold = operand.name === 'tolower' ? (v: string) => v.toLowerCase() : (v: string) => v.toUpperCase();
    return {
      kind: 'string',
      edm: 'Edm.String',
      literal: arg.literal,
      get: (row) => {
        const value = arg.get(row);
        return value === null || value === undefined ? null : fold(String(value));
      },
    };
  }
  if (operand.kind === 'property') {
    const propertyType = type.properties[operand.name];
    if (propertyType === undefined) {
      throw new FilterBindError(`Could not find a property named '${operand.name}' on type '${qualifiedName(type)}'.`);
    }
    const kind = kindOfProperty(propertyType);
    if (kind === null) {
      throw new FilterBindError(`The property '${operand.name}' is a collection and cannot be used in $filter.`);
    }
    const name = operand.name;
    return { kind, edm: EDM_TYPE[propertyType], literal: false, get: (row) => row[name] ?? null };
  }
  const value = operand.value;
  const kind: ValueKind = operand.type === 'number' ? 'number' : operand.type;
  return { kind, edm: literalEdm(operand), literal: true, get: () => value };
}

function compatible(a: ValueKind, b: ValueKind): boolean {
  if (a === 'null' || b === 'null' || a === b) return true;
  // Date literals promote to date-times (midnight UTC); the reverse mixes a day with an instant.
  return (a === 'date' && b === 'datetime') || (a === 'datetime' && b === 'date');
}

type Comparable = string | number | boolean | null;

/**
 * A function putting values of one kind into comparable form: GUIDs lower-cased, date-times (and
 * dates compared with date-times) as epoch milliseconds, null/missing as null.
 */
function normalizer(kind: ValueKind, asInstant: boolean): (value: unknown) => Comparable {
  if (asInstant) {
    // A bare date means midnight UTC.
    return (value) =>
      value === null || value === undefined
        ? null
        : Date.parse(String(value).length === 10 ? `${String(value)}T00:00:00Z` : String(value));
  }
  switch (kind) {
    case 'guid':
      return (value) => (value === null || value === undefined ? null : String(value).toLowerCase());
    case 'number':
      return (value) =>
        value === null || value === undefined ? null : typeof value === 'number' ? value : Number(value);
    case 'boolean':
      return (value) => (value === null || value === undefined ? null : value === true);
    default:
      return (value) =>
        value === null || value === undefined ? null : typeof value === 'string' ? value : String(value);
  }
}

const COMPARATORS: Record<CompareOp, (a: string | number | boolean, b: string | number | boolean) => boolean> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
};

function compileCompare(op: CompareOp, left: Bound, right: Bound): Predicate {
  if (!compatible(left.kind, right.kind)) {
    throw new FilterBindError(
      `A binary operator with incompatible types was detected. Found operand types '${left.edm}' and '${right.edm}' for operator kind '${OP_NAMES[op]}'.`,
    );
  }
  const asInstant = left.kind === 'datetime' || right.kind === 'datetime';
  const normLeft = normalizer(left.kind === 'null' ? right.kind : left.kind, asInstant);
  const normRight = normalizer(right.kind === 'null' ? left.kind : right.kind, asInstant);
  const compare = COMPARATORS[op];
  const withNull = (a: Comparable, b: Comparable) => (op === 'eq' ? a === b : op === 'ne' ? a !== b : false);
  // Literals are normalised once, not per row: scans of tens of thousands of rows stay cheap.
  if (right.literal) {
    const b = normRight(right.get({}));
    return (row) => {
      const a = normLeft(left.get(row));
      return a === null || b === null ? withNull(a, b) : compare(a, b);
    };
  }
  if (left.literal) {
    const a = normLeft(left.get({}));
    return (row) => {
      const b = normRight(right.get(row));
      return a === null || b === null ? withNull(a, b) : compare(a, b);
    };
  }
  return (row) => {
    const a = normLeft(left.get(row));
    const b = normRight(right.get(row));
    return a === null || b === null ? withNull(a, b) : compare(a, b);
  };
}

function compileFunction(name: 'contains' | 'startswith' | 'endswith', args: [Bound, Bound]): Predicate {
  for (const arg of args) {
    if (arg.kind !== 'string' && arg.kind !== 'null') {
      throw new FilterBindError(`The function '${name}' requires Edm.String arguments; found '${arg.edm}'.`);
    }
  }
  const [haystack, needle] = args;
  const test =
    name === 'contains'
      ? (h: string, n: string) => h.includes(n)
      : name === 'startswith'
        ? (h: string, n: string) => h.startsWith(n)
        : (h: string, n: string) => h.endsWith(n);
  return (row) => {
    const h = haystack.get(row);
    const n = needle.get(row);
    if (h === null || h === undefined || n === null || n === undefined) return false;
    return test(String(h), String(n));
  };
}

/** Type-checks `node` against `type` and returns a predicate; throws FilterBindError. */
export function compileFilter(node: FilterNode, type: EntityTypeDef): Predicate {
  switch (node.kind) {
    case 'or': {
      const left = compileFilter(node.left, type);
      const right = compileFilter(node.right, type);
      return (row) => left(row) || right(row);
    }
    case 'and': {
      const left = compileFilter(node.left, type);
      const right = compileFilter(node.right, type);
      return (row) => left(row) && right(row);
    }
    case 'not': {
      const inner = compileFilter(node.operand, type);
      return (row) => !inner(row);
    }
    case 'compare':
      return compileCompare(node.op, bindOperand(node.left, type), bindOperand(node.right, type));
    case 'function':
      return compileFunction(node.name, [bindOperand(node.args[0], type), bindOperand(node.args[1], type)]);
    case 'value': {
      const bound = bindOperand(node.operand, type);
      if (bound.kind !== 'boolean') {
        throw new FilterBindError(
          `The $filter expression must evaluate to a single boolean value; found '${bound.edm}'.`,
        );
      }
      return (row) => bound.get(row) === true;
    }
  }
}
