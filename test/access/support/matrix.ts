// The auth matrix (issue 5 tests: "every role against every protected field and mutation"), shared
// by the unit-level, subgraph-level and end-to-end runs. Two halves that must agree:
// - ACCESS_MATRIX, written out by hand: who may select each protected coordinate. A rule dropped from
//   (or added to) the SDL makes protectedCoordinates() differ from it, and the test fails.
// - operations generated from the schema: for each coordinate, the shortest selection reaching it
//   from a few entry points with real-looking arguments, and which coordinates on that path a role
//   may not select, so the expected refusal is computed, not hand-copied.
import { ROLES, type Role } from '../../../lib/identity.js';
import { fieldRule, satisfies, type AccessPolicy, type SchemaCoordinate } from '../../../schema/access.js';

const NON_PARTNER: readonly Role[] = ['sales', 'service', 'finance', 'integration'];

/** Who may select each protected schema coordinate (types: fragments on them; fields: selecting them). */
export const ACCESS_MATRIX: Readonly<Record<SchemaCoordinate, readonly Role[]>> = {
  // Salesforce records partners never see (type-level rules)...
  User: NON_PARTNER,
  Contact: NON_PARTNER,
  Opportunity: NON_PARTNER,
  Quote: NON_PARTNER,
  QuoteLine: NON_PARTNER,
  Case: NON_PARTNER,
  // ...so neither any field returning them.
  'Account.owner': NON_PARTNER,
  'Account.contacts': NON_PARTNER,
  'Account.opportunities': NON_PARTNER,
  'Account.quotes': NON_PARTNER,
  'Account.cases': NON_PARTNER,
  'Query.quote': NON_PARTNER,
  'Quote.lines': NON_PARTNER,
  'Order.quote': NON_PARTNER,
  'SubmitQuotePayload.quote': NON_PARTNER,
  'QuoteValidation.quote': NON_PARTNER,
  // Credit internals (partners see onHold, payment terms and currency).
  'Credit.limit': NON_PARTNER,
  'Credit.balance': NON_PARTNER,
  'Credit.openOrderExposure': NON_PARTNER,
  'Credit.available': NON_PARTNER,
  'Credit.overdue': NON_PARTNER,
  'Credit.holdReason': NON_PARTNER,
  // ...and the customer's block, which the hold reason is derived from.
  'Customer.blocked': NON_PARTNER,
  // Who may do what: service cannot submit quotes; finance reads, validates, writes nothing.
  'Mutation.updateAccount': ['sales', 'service', 'integration'],
  'Query.validateQuote': ['sales', 'finance', 'integration'],
  'Mutation.submitQuote': ['sales', 'integration'],
};

/**
 * The gateway's entry points: an in-scope account of P-NORTHWIND (so partner row scoping lets the
 * open controls through), the same customer's ERP record, and for the quote fields and mutations, ids no record has (nothing is
 * written, and the check happens before any of it runs anyway).
 */
export const GATEWAY_ENTRIES: readonly Entry[] = [
  {
    operation: 'query',
    open: 'accountByErpNumber(erpCustomerNumber: "C00001") {',
    closes: 1,
    type: 'Account',
    coordinates: ['Query.accountByErpNumber'],
  },
  {
    operation: 'query',
    open: 'quote(id: "0Q0000000000000AAA") {',
    closes: 1,
    type: 'Quote',
    coordinates: ['Query.quote'],
  },
  {
    operation: 'query',
    open: 'validateQuote(quoteId: "0Q0000000000000AAA") {',
    closes: 1,
    type: 'QuoteValidation',
    coordinates: ['Query.validateQuote'],
  },
  {
    operation: 'mutation',
    open: 'submitQuote(input: { quoteId: "0Q0000000000000AAA", idempotencyKey: "access-matrix-0001" }) {',
    closes: 1,
    type: 'SubmitQuotePayload',
    coordinates: ['Mutation.submitQuote'],
  },
  {
    operation: 'mutation',
    open: 'updateAccount(input: { id: "001000000000000AAA" }) {',
    closes: 1,
    type: 'UpdateAccountPayload',
    coordinates: ['Mutation.updateAccount'],
  },
  // The ERP's customer record is reached through the row queries only.
  {
    operation: 'query',
    open: 'customers(where: { field: "number", op: EQ, value: "C00001" }, first: 1) { nodes {',
    closes: 2,
    type: 'Customer',
    coordinates: ['Query.customers', 'CustomerPage.nodes'],
  },
];

/** Open coordinates checked alongside, so the matrix also shows every role (partners too) gets them. */
export const OPEN_CONTROLS: readonly SchemaCoordinate[] = [
  'Query.accountByErpNumber',
  'Account.name',
  'Credit.onHold',
  'Credit.paymentTerms',
  'Account.openInvoices',
  'Account.orders',
  'Account.shipments',
];

/** Every coordinate the policy restricts, with the roles it lets through (fields: own rule and return type's). */
export function protectedCoordinates(policy: AccessPolicy): Map<SchemaCoordinate, Role[]> {
  const allowed = (rule: Parameters<typeof satisfies>[0]) => ROLES.filter((role) => satisfies(rule, [role]));
  const result = new Map<SchemaCoordinate, Role[]>();
  for (const [type, rule] of policy.rules.types) result.set(type, allowed(rule));
  for (const type of Object.values(policy.schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    const fields = fieldsOf(type);
    for (const field of Object.values(fields ?? {})) {
      const rule = fieldRule(policy.rules, type.name, field.name, namedTypeName(field.type));
      if (rule) result.set(`${type.name}.${field.name}`, allowed(rule));
    }
  }
  return result;
}

/** Where generated operations start: the opening of a root selection, and what it selects into. */
export interface Entry {
  readonly operation: 'query' | 'mutation';
  /** E.g. `accountByErpNumber(erpCustomerNumber: "C00001") {`, or `_entities(...) { ... on Account {`. */
  readonly open: string;
  /** Closing braces `open` needs. */
  readonly closes: number;
  /** The type `open` selects from. */
  readonly type: string;
  /** The coordinates `open` itself selects (root field; an entity fragment's type). */
  readonly coordinates: readonly SchemaCoordinate[];
  /** Variable definitions `open` uses, e.g. `$representations: [_Any!]!` (values given when sent). */
  readonly variables?: string;
}

export interface MatrixCase {
  readonly coordinate: SchemaCoordinate;
  readonly operation: 'query' | 'mutation';
  readonly query: string;
  /** Every restricted or open coordinate the query selects, in document order. */
  readonly selects: readonly SchemaCoordinate[];
}

interface Route {
  readonly entry: Entry;
  /** Fields after the entry, each with its parent type. */
  readonly fields: readonly { readonly parent: string; readonly name: string; readonly composite: boolean }[];
}

/**
 * One case per coordinate (the matrix's and the controls), by the shortest route from the entries
 * (breadth first, entries and fields in order; fields with required arguments are not followed).
 * Throws for a coordinate no entry reaches: add an entry.
 */
export function matrixCases(
  policy: AccessPolicy,
  entries: readonly Entry[],
  coordinates: Iterable<SchemaCoordinate>,
): MatrixCase[] {
  const routes = new Map<SchemaCoordinate, Route>();
  // A field returning a type: how a fragment on that type is reached.
  const typeRoutes = new Map<string, Route>();
  const queue: Route[] = [];
  const seenTypes = new Set<string>();
  for (const entry of entries) {
    const route: Route = { entry, fields: [] };
    for (const coordinate of entry.coordinates) if (!routes.has(coordinate)) routes.set(coordinate, route);
    if (!typeRoutes.has(entry.type)) typeRoutes.set(entry.type, route);
    queue.push(route);
  }
  while (queue.length > 0) {
    const route = queue.shift()!;
    const typeName = route.fields.at(-1)?.name ? returnTypeOf(policy, route) : route.entry.type;
    if (seenTypes.has(`${route.entry.operation}:${typeName}`)) continue;
    seenTypes.add(`${route.entry.operation}:${typeName}`);
    for (const field of Object.values(fieldsOf(policy.schema.getType(typeName)!) ?? {})) {
      if ((field.args ?? []).some((arg) => String(arg.type).endsWith('!') && arg.defaultValue === undefined)) continue;
      const returns = policy.schema.getType(namedTypeName(field.type))!;
      const next: Route = {
        entry: route.entry,
        fields: [...route.fields, { parent: typeName, name: field.name, composite: fieldsOf(returns) !== null }],
      };
      const coordinate = `${typeName}.${field.name}`;
      if (!routes.has(coordinate)) routes.set(coordinate, next);
      if (!typeRoutes.has(returns.name)) typeRoutes.set(returns.name, next);
      if (fieldsOf(returns) !== null) queue.push(next);
    }
  }
  const cases: MatrixCase[] = [];
  for (const coordinate of coordinates) {
    const isType = !coordinate.includes('.');
    const route = isType ? typeRoutes.get(coordinate) : routes.get(coordinate);
    if (!route) throw new Error(`No route from the entries to ${coordinate}: add an entry point`);
    const fragment = isType && !route.entry.coordinates.includes(coordinate) ? coordinate : null;
    cases.push({ coordinate, ...render(route, fragment) });
  }
  return cases;
}

function render(route: Route, fragmentOn: string | null): Omit<MatrixCase, 'coordinate'> {
  const { entry, fields } = route;
  const leaf = fragmentOn ? `{ ... on ${fragmentOn} { __typename } }` : '{ __typename }';
  let inner = fields.length > 0 ? '' : fragmentOn ? `... on ${fragmentOn} { __typename }` : '__typename';
  for (let i = fields.length - 1; i >= 0; i--) {
    const field = fields[i]!;
    inner =
      i < fields.length - 1 ? `${field.name} { ${inner} }` : field.composite ? `${field.name} ${leaf}` : field.name;
  }
  const selects = [
    ...entry.coordinates,
    ...fields.map((field) => `${field.parent}.${field.name}`),
    ...(fragmentOn ? [fragmentOn] : []),
  ];
  const head = entry.variables ? `${entry.operation}(${entry.variables})` : entry.operation;
  return {
    operation: entry.operation,
    query: `${head} { ${entry.open} ${inner} ${'}'.repeat(entry.closes)} }`,
    selects,
  };
}

function returnTypeOf(policy: AccessPolicy, route: Route): string {
  const last = route.fields.at(-1)!;
  return namedTypeName(fieldsOf(policy.schema.getType(last.parent)!)![last.name]!.type);
}

/** What a role may not select of a case: the coordinates the gateway or subgraph must name. */
export function expectedRefusal(matrixCase: MatrixCase, role: Role): SchemaCoordinate[] {
  return matrixCase.selects.filter(
    (coordinate) => coordinate in ACCESS_MATRIX && !ACCESS_MATRIX[coordinate]!.includes(role),
  );
}

// Duck-typed (see schema/access.ts: the schema may come from another graphql-js build).
type Field = { name: string; type: unknown; args?: readonly { type: unknown; defaultValue: unknown }[] };
function fieldsOf(type: unknown): Record<string, Field> | null {
  const getFields = (type as { getFields?: () => Record<string, Field> }).getFields;
  const tag = (type as { [Symbol.toStringTag]?: string })[Symbol.toStringTag];
  return typeof getFields === 'function' && tag !== 'GraphQLInputObjectType' ? getFields.call(type) : null;
}
function namedTypeName(type: unknown): string {
  let current = type as { ofType?: unknown; name?: string };
  while (current.ofType) current = current.ofType as typeof current;
  return current.name!;
}
