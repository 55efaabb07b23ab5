// A stand-in for the gateway's Apollo Server in the bridge's unit tests: it validates each operation
// the bridge builds against the REAL supergraph schema (so a wrong field, argument or variable type
// fails here), then executes it with graphql-js over a small in-memory dataset, evaluating RowFilter,
// search, order (key appended), first/skip and totalCount as the ERP subgraph promises to
// (schema/erp.graphql "Row queries"), with a partner's rows limited to its customers. It records
// every operation so tests can check what was asked of the graph.
import { buildASTSchema, execute, GraphQLError, parse, validate } from 'graphql';
import { readSupergraphSdl } from '../../../gateway/supergraph.js';
import type { GatewayContext } from '../../../gateway/context.js';
import type { GraphqlExecutor, GraphqlResult } from '../../../gateway/odata/execute.js';
import type { RowFilter, RowOrder, RowQueryRequest } from '../../../gateway/odata/row-query.js';
import { canSeeCustomer, type Identity, type Role } from '../../../lib/identity.js';

export const SUPERGRAPH_SDL = readSupergraphSdl(
  new URL('../../../schema/supergraph.graphql', import.meta.url).pathname,
);
const schema = buildASTSchema(parse(SUPERGRAPH_SDL), { assumeValidSDL: true });

type Kind = 'string' | 'number' | 'date' | 'boolean';
interface FieldSpec {
  readonly get: (row: any) => unknown;
  readonly kind: Kind;
}
interface RowSet {
  readonly rows: readonly any[];
  readonly key: readonly string[];
  readonly fields: Readonly<Record<string, FieldSpec>>;
  readonly customerOf: (row: any) => string;
}

const money = (amount: string, currency: string) => ({ amount, currency });
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const STATUSES = ['OPEN', 'PAID', 'DRAFT', 'OPEN', 'CANCELED'];
const NAMES = ['Acme Corp', 'Contoso', "O'Neil & Sons", 'Northwind Traders', 'Fabrikam', 'Acme Tools'];
const AS_OF = '2026-11-23T10:00:00.000Z';

export const CUSTOMER_COUNT = 20;
export const INVOICE_COUNT = 137;

export const customers = Array.from({ length: CUSTOMER_COUNT }, (_, index) => {
  const n = index + 1;
  return {
    number: `C${pad(n, 5)}`,
    asOf: AS_OF,
    stale: false,
    name: `${NAMES[index % NAMES.length]} ${n}`,
    phone: n % 4 === 0 ? null : `+1 555 01${pad(n, 2)}`,
    email: `ap${n}@example.com`,
    currency: n % 5 === 0 ? 'EUR' : 'USD',
    address:
      n % 7 === 0
        ? null
        : {
            line1: `${n} Main St`,
            line2: null,
            city: n % 2 ? 'Springfield' : 'Shelbyville',
            state: 'IL',
            postalCode: `6270${n % 10}`,
            country: 'US',
          },
    blocked: n % 6 === 0 ? 'SHIP' : 'NONE',
    credit: {
      asOf: AS_OF,
      stale: false,
      limit: money(`${n * 1000}.00`, 'USD'),
      balance: money(`${n * 100}.50`, 'USD'),
      openOrderExposure: money('250.00', 'USD'),
      available: money(`${n * 900 - 251}.50`, 'USD'),
      overdue: money('0.00', 'USD'),
      onHold: n % 6 === 0,
      holdReason: n % 6 === 0 ? 'Credit limit exceeded' : null,
      paymentTerms: { code: '30D', name: 'Net 30', dueDateCalculation: '30D' },
      currency: 'USD',
    },
  };
});

export const invoices = Array.from({ length: INVOICE_COUNT }, (_, index) => {
  const n = index + 1;
  const date = new Date(Date.UTC(2024, 0, 1) + index * 86_400_000).toISOString().slice(0, 10);
  const due = new Date(Date.UTC(2024, 0, 31) + index * 86_400_000).toISOString().slice(0, 10);
  const currency = n % 9 === 0 ? 'EUR' : 'USD';
  const total = ((n * 37.5) % 1000).toFixed(2);
  return {
    number: `INV-${pad(n, 5)}`,
    customerNumber: `C${pad((index % CUSTOMER_COUNT) + 1, 5)}`,
    asOf: AS_OF,
    stale: false,
    invoiceDate: date,
    dueDate: due,
    status: STATUSES[index % STATUSES.length],
    total: money(total, currency),
    remaining: money(n % 2 ? total : '0.00', currency),
    isOverdue: n % 3 === 0,
    daysOverdue: n % 3 === 0 ? n : 0,
    orderNumber: n % 7 === 0 ? null : `SO-${pad(n, 6)}`,
  };
});

export const orderLines = invoices.slice(0, 30).flatMap((invoice, index) =>
  [10000, 20000].map((sequence) => ({
    orderNumber: `SO-${pad(index + 1, 6)}`,
    customerNumber: invoice.customerNumber,
    sequence,
    itemNumber: `ITEM-${sequence / 10000}`,
    description: `Widget ${sequence / 10000}`,
    quantity: 2.5,
    unitOfMeasure: 'PCS',
    unitPrice: money('12.34567', 'USD'),
    discountPercent: 0,
    amount: money('30.86', 'USD'),
    shippedQuantity: 0,
    invoicedQuantity: 0,
    shipmentDate: null,
  })),
);

const SETS: Record<string, RowSet> = {
  customers: {
    rows: customers,
    key: ['number'],
    customerOf: (row) => row.number,
    fields: {
      number: { get: (r) => r.number, kind: 'string' },
      name: { get: (r) => r.name, kind: 'string' },
      phone: { get: (r) => r.phone, kind: 'string' },
      email: { get: (r) => r.email, kind: 'string' },
      currency: { get: (r) => r.currency, kind: 'string' },
      blocked: { get: (r) => r.blocked, kind: 'string' },
      city: { get: (r) => r.address?.city ?? null, kind: 'string' },
      country: { get: (r) => r.address?.country ?? null, kind: 'string' },
      postalCode: { get: (r) => r.address?.postalCode ?? null, kind: 'string' },
    },
  },
  invoices: {
    rows: invoices,
    key: ['number'],
    customerOf: (row) => row.customerNumber,
    fields: {
      number: { get: (r) => r.number, kind: 'string' },
      customerNumber: { get: (r) => r.customerNumber, kind: 'string' },
      orderNumber: { get: (r) => r.orderNumber, kind: 'string' },
      invoiceDate: { get: (r) => r.invoiceDate, kind: 'date' },
      dueDate: { get: (r) => r.dueDate, kind: 'date' },
      status: { get: (r) => r.status, kind: 'string' },
      currency: { get: (r) => r.total.currency, kind: 'string' },
      total: { get: (r) => r.total.amount, kind: 'number' },
      remaining: { get: (r) => r.remaining.amount, kind: 'number' },
    },
  },
  orderLines: {
    rows: orderLines,
    key: ['orderNumber', 'sequence'],
    customerOf: (row) => row.customerNumber,
    fields: {
      orderNumber: { get: (r) => r.orderNumber, kind: 'string' },
      sequence: { get: (r) => r.sequence, kind: 'number' },
      customerNumber: { get: (r) => r.customerNumber, kind: 'string' },
      itemNumber: { get: (r) => r.itemNumber, kind: 'string' },
      description: { get: (r) => r.description, kind: 'string' },
      quantity: { get: (r) => r.quantity, kind: 'number' },
      unitPrice: { get: (r) => r.unitPrice.amount, kind: 'number' },
    },
  },
};

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argumentName: 'where' } });
}

function typed(kind: Kind, value: string): string | number | boolean {
  if (kind === 'number') {
    if (!/^-?\d+(\.\d+)?$/.test(value)) throw badInput(`"${value}" is not a number`);
    return Number(value);
  }
  if (kind === 'boolean') return value === 'true';
  if (kind === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw badInput(`"${value}" is not a date`);
  return value;
}

function compare(a: unknown, b: string | number | boolean): number {
  if (typeof b === 'number') return Number(a) - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function matches(filter: RowFilter, row: any, set: RowSet): boolean {
  if ('and' in filter) return filter.and.every((part) => matches(part, row, set));
  if ('or' in filter) return filter.or.some((part) => matches(part, row, set));
  if ('not' in filter) return !matches(filter.not, row, set);
  const spec = set.fields[filter.field];
  if (!spec) throw badInput(`${filter.field} is not a filterable field`);
  const actual = spec.get(row);
  const text = actual === null || actual === undefined ? null : String(actual).toLowerCase();
  switch (filter.op) {
    case 'IS_NULL':
      return actual === null || actual === undefined;
    case 'IS_NOT_NULL':
      return actual !== null && actual !== undefined;
    case 'IN':
      return actual !== null && filter.values!.some((value) => compare(actual, typed(spec.kind, value)) === 0);
    case 'CONTAINS':
      return text !== null && text.includes(filter.value!.toLowerCase());
    case 'STARTS_WITH':
      return text !== null && text.startsWith(filter.value!.toLowerCase());
    case 'ENDS_WITH':
      return text !== null && text.endsWith(filter.value!.toLowerCase());
    default: {
      if (actual === null || actual === undefined) return filter.op === 'NE';
      const difference = compare(actual, typed(spec.kind, filter.value!));
      return {
        EQ: difference === 0,
        NE: difference !== 0,
        GT: difference > 0,
        GE: difference >= 0,
        LT: difference < 0,
        LE: difference <= 0,
      }[filter.op];
    }
  }
}

function page(
  set: RowSet,
  args: {
    where?: RowFilter | null;
    search?: string | null;
    orderBy?: RowOrder[] | null;
    first: number;
    skip?: number | null;
  },
  identity: Identity,
) {
  if (args.first < 1 || args.first > 2000) throw badInput('first must be 1..2000');
  let rows = set.rows.filter((row) => canSeeCustomer(identity, set.customerOf(row)));
  if (args.where) rows = rows.filter((row) => matches(args.where!, row, set));
  if (args.search) {
    const needle = args.search.toLowerCase();
    rows = rows.filter((row) =>
      Object.values(set.fields).some(
        (spec) =>
          spec.kind === 'string' &&
          String(spec.get(row) ?? '')
            .toLowerCase()
            .includes(needle),
      ),
    );
  }
  const order = [...(args.orderBy ?? []), ...set.key.map((field) => ({ field, descending: false }))];
  for (const item of order) if (!set.fields[item.field]) throw badInput(`${item.field} is not sortable`);
  rows = [...rows].sort((a, b) => {
    for (const item of order) {
      const spec = set.fields[item.field]!;
      const [x, y] = [spec.get(a), spec.get(b)];
      if (x === y) continue;
      if (x === null || x === undefined) return item.descending ? 1 : -1;
      if (y === null || y === undefined) return item.descending ? -1 : 1;
      const difference = spec.kind === 'number' ? Number(x) - Number(y) : String(x) < String(y) ? -1 : 1;
      if (difference !== 0) return item.descending ? -difference : difference;
    }
    return 0;
  });
  const skip = args.skip ?? 0;
  return { totalCount: () => rows.length, nodes: () => rows.slice(skip, skip + args.first) };
}

export interface FakeGraph {
  readonly execute: GraphqlExecutor;
  readonly operations: RowQueryRequest[];
  /** Fails the next operations with this GraphQL error (e.g. ERP_UNAVAILABLE); null restores. */
  failWith(error: { message: string; extensions: { code: string } } | null): void;
}

export function fakeGraph(): FakeGraph {
  const operations: RowQueryRequest[] = [];
  let failure: { message: string; extensions: { code: string } } | null = null;
  const root = Object.fromEntries(
    ['customers', 'invoices', 'orders', 'orderLines', 'shipments', 'products'].map((field) => [
      field,
      (args: any, context: GatewayContext) =>
        SETS[field] ? page(SETS[field], args, context.identity) : { totalCount: 0, nodes: [] },
    ]),
  );
  return {
    operations,
    failWith: (error) => {
      failure = error;
    },
    async execute(request, context): Promise<GraphqlResult> {
      operations.push(request);
      const document = parse(request.query);
      const invalid = validate(schema, document);
      if (invalid.length > 0)
        throw new Error(
          `the bridge built an invalid operation: ${invalid.map((e) => e.message).join('; ')}\n${request.query}`,
        );
      if (failure) return { data: null, errors: [failure] };
      const result = await execute({
        schema,
        document,
        rootValue: root,
        contextValue: context,
        variableValues: request.variables,
        operationName: request.operationName,
      });
      return {
        data: result.data as Record<string, unknown> | null,
        errors: result.errors?.map((error) => error.toJSON()),
      };
    },
  };
}

export function identity(role: Role, customers: readonly string[] = []): Identity {
  return {
    subject: `test-${role}`,
    issuer: 'urn:test',
    role,
    scopes: [role],
    partner: role === 'partner' ? { id: 'P-TEST', customers: new Set(customers) } : null,
  };
}
