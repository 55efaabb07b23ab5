// A small $filter BUILDER (not a parser) for the Business Central API: the only way the adapter
// makes a filter, so user input can only ever become a literal. OData v4 ABNF (odata-abnf-construction-
// rules, "primitiveLiteral"): a string is SQUOTE ... SQUOTE with an embedded quote doubled ("O''Brien");
// a GUID, a date, a number and a boolean are unquoted. Property names come from the fixed allow-list
// below (code, never input). URL encoding of the finished expression is the HTTP client's job.

/** Every property the adapter filters on. Checked at run time too, so a cast cannot smuggle one in. */
export const FILTERABLE_PROPERTIES = [
  'id',
  'number',
  'customerNumber',
  'externalDocumentNumber',
  'orderNumber',
  'status',
  'lastModifiedDateTime',
  // Row queries (row-fields.ts): the properties the port's row fields map to.
  'displayName',
  'phoneNumber',
  'email',
  'currencyCode',
  'blocked',
  'city',
  'state',
  'country',
  'postalCode',
  'invoiceDate',
  'dueDate',
  'totalAmountExcludingTax',
  'totalAmountIncludingTax',
  'remainingAmount',
  'orderDate',
  'requestedDeliveryDate',
  'fullyShipped',
  'shipmentDate',
  'shippingAgentCode',
  'packageTrackingNo',
  'itemCategoryCode',
  'baseUnitOfMeasureCode',
  'unitPrice',
  'inventory',
  // Analytics API salesLines (row-fields.ts LINE_FIELDS).
  'documentType',
  'documentNo',
  'sellToCustomerNo',
  'lineNo',
  'itemNo',
  'description',
  'amount',
  'quantityInvoiced',
] as const;

export type FilterProperty = (typeof FILTERABLE_PROPERTIES)[number];

const ALLOWED = new Set<string>(FILTERABLE_PROPERTIES);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A value that must be written unquoted (GUID or date); made only by guid() / date(). */
class TypedLiteral {
  constructor(readonly text: string) {}
}

export type FilterValue = string | number | boolean | TypedLiteral;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** A GUID literal (OData v4 guidValue: 8-4-4-4-12 hex digits, no quotes). */
export function guid(value: string): TypedLiteral {
  if (!isGuid(value)) throw new TypeError(`not a GUID: ${JSON.stringify(value)}`);
  return new TypedLiteral(value.toLowerCase());
}

/** A date literal (OData v4 dateValue: YYYY-MM-DD, no quotes); must be a real calendar day. */
export function date(value: string): TypedLiteral {
  const m = DATE.exec(value);
  const d = m ? new Date(`${value}T00:00:00Z`) : null;
  if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw new TypeError(`not a date (YYYY-MM-DD): ${JSON.stringify(value)}`);
  }
  return new TypedLiteral(value);
}

/** A decimal literal (OData v4 decimalValue: unquoted, e.g. 1234.50); only plain decimal notation. */
export function decimal(value: string): TypedLiteral {
  if (!/^-?\d{1,15}(\.\d{1,10})?$/.test(value)) throw new TypeError(`not a decimal: ${JSON.stringify(value)}`);
  return new TypedLiteral(value);
}

/** A dateTimeOffset literal (OData v4: unquoted ISO 8601 instant, e.g. 2026-01-02T03:04:05.000Z). */
export function dateTime(value: string): TypedLiteral {
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(t))
    throw new TypeError(`not an ISO instant: ${JSON.stringify(value)}`);
  return new TypedLiteral(new Date(t).toISOString());
}

/** Formats one literal. Strings are ALWAYS quoted, whatever they contain. */
export function literal(value: FilterValue): string {
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof TypedLiteral) return value.text;
  throw new TypeError('unsupported filter value');
}

const BUILDER = Symbol('odata-filter-builder');

/** A finished $filter expression. Only this module's builders can make one. */
export class ODataFilter {
  readonly #text: string;
  /**
   * It nests a function call (`contains(tolower(p),'x')`), which Business Central evaluates only
   * at `$schemaversion=2.1` or later (webservices/use-filter-expressions-in-odata-uris, "Nested
   * function calls"): the client then sends that schema version.
   */
  readonly nestedFunctions: boolean;

  constructor(token: typeof BUILDER, text: string, nestedFunctions = false) {
    if (token !== BUILDER) throw new TypeError('use eq()/anyOf()/and() to build a filter');
    this.#text = text;
    this.nestedFunctions = nestedFunctions;
  }

  toString(): string {
    return this.#text;
  }
}

function property(name: FilterProperty): string {
  if (!ALLOWED.has(name)) throw new TypeError(`property not filterable: ${JSON.stringify(name)}`);
  return name;
}

/** `prop eq literal` */
export function eq(prop: FilterProperty, value: FilterValue): ODataFilter {
  return new ODataFilter(BUILDER, `${property(prop)} eq ${literal(value)}`);
}

/** `prop gt literal` (the replica's delta scans: lastModifiedDateTime gt <instant>). */
export function gt(prop: FilterProperty, value: FilterValue): ODataFilter {
  return new ODataFilter(BUILDER, `${property(prop)} gt ${literal(value)}`);
}

/** `(prop eq 'a' or prop eq 'b' ...)`: always parenthesized, so it composes under `and`. */
export function anyOf(prop: FilterProperty, values: readonly FilterValue[]): ODataFilter {
  if (values.length === 0) throw new RangeError('anyOf needs at least one value (an empty set matches nothing)');
  const name = property(prop);
  return new ODataFilter(BUILDER, `(${values.map((v) => `${name} eq ${literal(v)}`).join(' or ')})`);
}

/**
 * `a and b ...`. Operands are eq (atomic), anyOf (parenthesized) or and (associative), so no operand
 * can change the meaning of another: `or` never appears unparenthesized.
 */
export function and(...filters: ODataFilter[]): ODataFilter {
  if (filters.length === 0) throw new RangeError('and needs at least one operand');
  if (filters.length === 1) return filters[0]!;
  return new ODataFilter(
    BUILDER,
    filters.map((f) => f.toString()).join(' and '),
    filters.some((f) => f.nestedFunctions),
  );
}

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
const COMPARISONS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

/** `prop <op> literal` for any of OData's six comparison operators. */
export function compare(prop: FilterProperty, op: ComparisonOperator, value: FilterValue): ODataFilter {
  if (!COMPARISONS.has(op)) throw new TypeError(`not a comparison operator: ${JSON.stringify(op)}`);
  return new ODataFilter(BUILDER, `${property(prop)} ${op} ${literal(value)}`);
}

export type StringFunction = 'contains' | 'startswith' | 'endswith';
const STRING_FUNCTIONS = new Set<string>(['contains', 'startswith', 'endswith']);

/**
 * `contains(prop,'text')` (or startswith / endswith). Business Central compares text case-sensitively
 * (an AL filter without its `@` operator); with ignoreCase the property is lowered, `tolower(prop)`,
 * and so is the text, which makes the call nested (see ODataFilter.nestedFunctions).
 */
export function stringFunction(
  fn: StringFunction,
  prop: FilterProperty,
  text: string,
  options: { ignoreCase: boolean },
): ODataFilter {
  if (!STRING_FUNCTIONS.has(fn)) throw new TypeError(`not a string function: ${JSON.stringify(fn)}`);
  if (typeof text !== 'string') throw new TypeError('a string function takes a text value');
  const name = property(prop);
  return options.ignoreCase
    ? new ODataFilter(BUILDER, `${fn}(tolower(${name}),${literal(text.toLowerCase())})`, true)
    : new ODataFilter(BUILDER, `${fn}(${name},${literal(text)})`);
}

/**
 * `(a or b ...)`: always parenthesized, so it composes under `and`. Business Central refuses an
 * `or` across different properties ("The 'OR' operator is not supported on distinct fields on an
 * OData filter", webservices/odata-known-limitations): callers `or` conditions of one property only.
 */
export function or(...filters: ODataFilter[]): ODataFilter {
  if (filters.length === 0) throw new RangeError('or needs at least one operand');
  return new ODataFilter(
    BUILDER,
    `(${filters.map((f) => f.toString()).join(' or ')})`,
    filters.some((f) => f.nestedFunctions),
  );
}
