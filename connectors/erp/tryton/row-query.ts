// The ERP port's row queries over Tryton: ONE `search_read` with the filter as a Tryton domain, the
// order, `offset` and `limit` (and, when the count is asked for, one `search_count` of the same
// domain). Tryton's domains express what Business Central's $filter cannot (an `or` across fields,
// any negation), so no query is split into several requests; what Tryton cannot evaluate is a field
// it computes without a search method (a due date, what is left to pay, a line amount): such a field
// is refused ('unsupported', naming it), as are orders on fields Tryton cannot sort by.
//
// The port's semantics (../row-query.ts) on top of SQL's:
// - Nulls: a Tryton comparison with NULL is never true, while the port's `ne`, `not in`, and the
//   negations of text functions hold for a null field: those get `or <field> = None`.
// - `not` has no Tryton operator: it is pushed down to the leaves (De Morgan; the negation of each
//   comparison, `in`, text function and null test is another one).
// - Text functions are case-insensitive (`ilike`, the pattern's own % and _ escaped); `eq`, `in` and
//   the ordering comparisons are exact, as the port wants.
// - Fields reached through a One2Many or Many2Many (a customer's addresses, an invoice's orders, a
//   shipment's moves) match when ANY related record matches: the port reads the first address, the
//   first order, so a customer with several addresses matches on any of them. Their negations would
//   mean "some related record differs", not "the field differs": refused.
// - Enums and flags Tryton models otherwise are translated: an order's status to the sale states,
//   an invoice's to the invoice states, a customer's block to the party's active flag, an item's to
//   its active and salable flags, fully shipped to the sale's shipment state; the customer's currency
//   (the company's) and a shipment's carrier (none) are constants, folded before any request.
// - Order: the query's keys, then the set's key, then Tryton's id: total, so paging never repeats or
//   drops a row. Nulls sort first ascending, last descending (the port's order).
import { Big } from 'big.js';
import type { CallContext } from '../../../lib/call-context.js';
import { z } from 'zod';
import type {
  ErpOrderLineRow,
  ErpRow,
  RowCompareOp,
  RowFilter,
  RowPage,
  RowQuery,
  RowSet,
  RowValue,
} from '../row-query.js';
import { checkRowQuery, ErpRowQueryError, ROW_SETS, type RowFieldType } from '../row-query.js';
import { totalOrder } from '../row-evaluate.js';
import type { RowFieldSupport } from '../port.js';
import type { TrytonCall, TrytonClient, TrytonContext } from './client.js';
import type { TrytonCompany } from './company.js';
import {
  decodeRows,
  LINE_SEQUENCE_STEP,
  ORDER_STATES,
  toCustomer,
  toInvoice,
  toItem,
  toOrder,
  toShipment,
  type MappingContext,
} from './mappers.js';
import * as Wire from './records.js';
import { trytonDate, trytonDecimal } from './values.js';

/** A Tryton domain: a leaf [path, operator, value] or ['AND'|'OR', ...domains]. */
type Domain = readonly unknown[];

type Node = { readonly t: 'true' } | { readonly t: 'false' } | { readonly t: 'domain'; readonly domain: Domain };
const TRUE: Node = { t: 'true' };
const FALSE: Node = { t: 'false' };
const leaf = (domain: Domain): Node => ({ t: 'domain', domain });

interface Translation {
  readonly company: TrytonCompany;
}

/** How one port field lives in Tryton. */
interface FieldMap {
  /** The Tryton field path filtered on; absent with `translate`. */
  readonly path?: string;
  /** The path goes through a One2Many or Many2Many: any related record matches (see the header). */
  readonly many?: boolean;
  /** Sortable in Tryton: the order path (usually `path`), or the paths in turn (see `sequence`). */
  readonly order?: string | readonly string[];
  /** A field Tryton models otherwise: the whole comparison, given the operator after negation. */
  readonly translate?: (op: 'eq' | 'ne', value: RowValue, t: Translation) => Node;
  /** A constant in Tryton (the company's currency, a shipment's carrier): its value. */
  readonly constant?: (t: Translation) => RowValue | null;
}

const field = (path: string, options: { order?: boolean; many?: boolean } = {}): FieldMap => ({
  path,
  ...(options.order !== false && !options.many ? { order: path } : {}),
  ...(options.many ? { many: true } : {}),
});

/** An enum or flag matched against sets of Tryton values: `values[portValue]` (empty: matches nothing). */
function valueSets(path: string, values: Readonly<Record<string, readonly unknown[]>>): FieldMap {
  return {
    translate: (op, value) => {
      const wanted = values[String(value)] ?? [];
      if (wanted.length === 0) return op === 'eq' ? FALSE : TRUE;
      return leaf([path, op === 'eq' ? 'in' : 'not in', wanted]);
    },
  };
}

const ORDER_STATE_OF: Readonly<Record<string, readonly string[]>> = {
  draft: ['quotation'],
  in_review: [],
  open: ['confirmed'],
  released: ['processing', 'done'],
};
const INVOICE_STATE_OF: Readonly<Record<string, readonly string[]>> = {
  draft: ['draft'],
  in_review: ['validated'],
  open: ['posted'],
  paid: ['paid'],
  canceled: ['cancelled'],
  corrective: [],
};

interface SetMap<S extends RowSet> {
  readonly model: string;
  /** Rows that are rows of the set at all (numbered, posted, ...). */
  readonly base: Domain | ((company: TrytonCompany) => Domain);
  readonly fields: Readonly<Record<string, FieldMap>>;
  readonly read: readonly string[];
  readonly context?: (company: TrytonCompany) => TrytonContext;
  readonly decode: (rows: readonly unknown[], mapping: MappingContext, operation: string) => Array<ErpRow<S>>;
}

const decodeWith =
  <Z extends z.ZodType, T>(schema: Z, map: (row: z.infer<Z>, mapping: MappingContext) => T | null) =>
  (rows: readonly unknown[], mapping: MappingContext, operation: string) =>
    decodeRows(schema, rows, (row) => map(row, mapping), operation);

/** A sale line with what the port's line row needs of its sale. */
const SaleLineRow = Wire.SaleLine.extend({
  id: z.number().int(),
  'sale.': z.object({
    number: z.string().nullable(),
    state: z.string(),
    shipping_date: z.string().nullable(),
    'party.': z.object({ code: z.string().nullable() }).nullable(),
    'currency.': z.object({ code: z.string().nullable() }).nullable(),
    'lines.': z.array(z.object({ id: z.number().int(), type: z.string() })),
  }),
});

function toLineRow(row: z.infer<typeof SaleLineRow>, mapping: MappingContext): ErpOrderLineRow | null {
  const sale = row['sale.'];
  if (!sale.number) return null;
  // The line's place among its sale's item lines, as the order read numbers them (mappers.ts).
  const position = sale['lines.'].filter((l) => l.type === 'line').findIndex((l) => l.id === row.id);
  const asSale: Wire.Sale = {
    id: 0,
    number: sale.number,
    reference: null,
    state: sale.state,
    shipment_state: 'none',
    'party.': sale['party.'],
    sale_date: null,
    shipping_date: sale.shipping_date,
    'currency.': sale['currency.'],
    untaxed_amount: null,
    total_amount: null,
    create_date: '1970-01-01T00:00:00.000Z',
    'lines.': [row],
  };
  const order = toOrder(asSale, mapping);
  const line = order?.lines[0];
  if (!order || !line || position < 0) return null;
  return {
    ...line,
    sequence: (position + 1) * LINE_SEQUENCE_STEP,
    orderNumber: order.number,
    customerNumber: order.customerNumber,
    currency: order.currency,
  };
}

const ORDER_FIELDS: Readonly<Record<string, FieldMap>> = {
  number: field('number'),
  customerNumber: field('party.code'),
  externalDocumentNumber: field('reference'),
  orderDate: field('sale_date'),
  requestedDeliveryDate: field('shipping_date'),
  status: valueSets('state', ORDER_STATE_OF),
  fullyShipped: {
    translate: (op, value) => leaf(['shipment_state', (op === 'eq') === (value === true) ? '=' : '!=', 'sent']),
  },
  currency: field('currency.code'),
};

const SETS: { readonly [S in RowSet]: SetMap<S> } = {
  customers: {
    model: 'party.party',
    // Tryton keeps one party table: every party but the company's own is taken for a customer.
    base: (company) => [
      ['code', '!=', null],
      ['id', '!=', company.party],
    ],
    fields: {
      number: field('code'),
      name: field('name'),
      currency: { constant: (t) => t.company.currency },
      blocked: {
        translate: (op, value) => {
          const active = value === 'none' ? true : value === 'all' ? false : null;
          if (active === null) return op === 'eq' ? FALSE : TRUE;
          return leaf(['active', '=', op === 'eq' ? active : !active]);
        },
      },
      city: field('addresses.city', { many: true }),
      country: field('addresses.country.code', { many: true }),
      postalCode: field('addresses.postal_code', { many: true }),
    },
    read: Wire.fieldsOf(Wire.Party),
    context: (company) => ({ ...company.context, active_test: false }),
    decode: decodeWith(Wire.Party, toCustomer),
  },
  salesInvoices: {
    model: 'account.invoice',
    base: [
      ['type', '=', 'out'],
      ['number', '!=', null],
    ],
    fields: {
      number: field('number'),
      customerNumber: field('party.code'),
      orderNumber: field('sales.number', { many: true }),
      externalDocumentNumber: field('sales.reference', { many: true }),
      invoiceDate: field('invoice_date'),
      status: valueSets('state', INVOICE_STATE_OF),
      currency: field('currency.code'),
      totalExcludingTax: field('untaxed_amount', { order: false }),
      totalIncludingTax: field('total_amount', { order: false }),
    },
    read: Wire.fieldsOf(Wire.Invoice),
    decode: decodeWith(Wire.Invoice, toInvoice),
  },
  salesOrders: {
    model: 'sale.sale',
    base: [
      ['state', 'in', ORDER_STATES],
      ['number', '!=', null],
    ],
    fields: ORDER_FIELDS,
    read: Wire.fieldsOf(Wire.Sale),
    decode: decodeWith(Wire.Sale, toOrder),
  },
  salesOrderLines: {
    model: 'sale.line',
    base: [
      ['type', '=', 'line'],
      ['sale.state', 'in', ORDER_STATES],
      ['sale.number', '!=', null],
    ],
    fields: {
      orderNumber: field('sale.number'),
      customerNumber: field('sale.party.code'),
      // The line's place in its sale (mappers.ts numbers them in Tryton's line order): sortable in
      // that order, not comparable to a value.
      sequence: { order: ['sequence', 'id'] },
      itemNumber: field('product.code'),
      description: field('description'),
      quantity: field('quantity'),
      unitOfMeasure: field('unit.symbol'),
      unitPrice: field('base_price'),
      currency: field('sale.currency.code'),
    },
    read: [
      'id',
      ...Wire.fieldsOf(Wire.SaleLine),
      'sale.number',
      'sale.state',
      'sale.shipping_date',
      'sale.party.code',
      'sale.currency.code',
      'sale.lines.type',
    ],
    decode: decodeWith(SaleLineRow, toLineRow),
  },
  salesShipments: {
    model: 'stock.shipment.out',
    base: [
      ['state', '=', 'done'],
      ['number', '!=', null],
    ],
    fields: {
      number: field('number'),
      customerNumber: field('customer.code'),
      orderNumber: field('moves.sale.number', { many: true }),
      shipmentDate: field('effective_date'),
      carrier: { constant: () => null },
      trackingNumber: field('reference'),
    },
    read: Wire.fieldsOf(Wire.Shipment),
    decode: decodeWith(Wire.Shipment, (s) => toShipment(s)),
  },
  items: {
    model: 'product.product',
    base: [['code', '!=', null]],
    fields: {
      number: field('code'),
      name: field('name'),
      category: field('categories.name', { many: true }),
      unitOfMeasure: field('default_uom.symbol'),
      inventory: field('quantity', { order: false }),
      blocked: {
        translate: (op, value) => {
          const blocked = (op === 'eq') === (value === true);
          return leaf(
            blocked
              ? ['OR', ['active', '=', false], ['salable', '=', false]]
              : ['AND', ['active', '=', true], ['salable', '=', true]],
          );
        },
      },
    },
    read: Wire.fieldsOf(Wire.Product),
    context: (company) => ({
      ...company.context,
      active_test: false,
      locations: [company.warehouse],
      with_childs: true,
    }),
    decode: decodeWith(Wire.Product, toItem),
  },
};

/** What the adapter declares (ErpCapabilities.rowFields): the fields each set filters and orders on. */
export const TRYTON_ROW_FIELDS: { readonly [S in RowSet]: RowFieldSupport } = Object.fromEntries(
  Object.entries(SETS).map(([set, spec]) => {
    const fields = Object.entries(spec.fields as Record<string, FieldMap>);
    return [
      set,
      {
        filter: fields
          .filter(([, f]) => f.path !== undefined || f.translate !== undefined || f.constant !== undefined)
          .map(([name]) => name),
        // Constants sort as a no-op: ordering by them is allowed.
        order: fields.filter(([, f]) => f.order !== undefined || f.constant !== undefined).map(([name]) => name),
      },
    ];
  }),
) as unknown as { readonly [S in RowSet]: RowFieldSupport };

function unsupported(set: RowSet, message: string, part: ErpRowQueryError['part'] = 'filter'): ErpRowQueryError {
  return new ErpRowQueryError('unsupported', `${set}: ${message}`, part);
}

const NEGATED: Record<RowCompareOp, RowCompareOp> = { eq: 'ne', ne: 'eq', gt: 'le', ge: 'lt', lt: 'ge', le: 'gt' };
const OPERATOR: Record<RowCompareOp, string> = { eq: '=', ne: '!=', gt: '>', ge: '>=', lt: '<', le: '<=' };

function wireValue(type: RowFieldType, value: RowValue): unknown {
  if (type === 'decimal') return trytonDecimal(String(value));
  if (type === 'date') return trytonDate(String(value));
  return value;
}

/** `%` and `_` of the searched text are literal; Tryton escapes with a backslash (tools.escape_wildcard). */
function likePattern(op: 'contains' | 'startsWith' | 'endsWith', value: string): string {
  const escaped = value.replace(/[\\%_]/g, (c) => `\\${c}`);
  return op === 'contains' ? `%${escaped}%` : op === 'startsWith' ? `${escaped}%` : `%${escaped}`;
}

function compareConstant(type: RowFieldType, actual: RowValue | null, op: RowCompareOp, literal: RowValue): boolean {
  if (actual === null) return op === 'ne';
  const c =
    type === 'decimal'
      ? new Big(actual as string).cmp(new Big(literal as string))
      : actual < literal
        ? -1
        : actual > literal
          ? 1
          : 0;
  return { eq: c === 0, ne: c !== 0, gt: c > 0, ge: c >= 0, lt: c < 0, le: c <= 0 }[op];
}

function combine(kind: 'AND' | 'OR', nodes: readonly Node[]): Node {
  const absorbing = kind === 'AND' ? 'false' : 'true';
  const domains: Domain[] = [];
  for (const node of nodes) {
    if (node.t === absorbing) return node;
    if (node.t === 'domain') domains.push(node.domain);
  }
  if (domains.length === 0) return kind === 'AND' ? TRUE : FALSE;
  return domains.length === 1 ? leaf(domains[0]!) : leaf([kind, ...domains]);
}

/** The port's result on a null field when the (possibly negated) predicate is asked. */
function withNullFix(domain: Domain, path: string, nullPasses: boolean, nullable: boolean): Node {
  return leaf(nullable && nullPasses ? ['OR', domain, [path, '=', null]] : domain);
}

export function translateFilter<S extends RowSet>(set: S, filter: RowFilter, t: Translation): Node {
  const spec = SETS[set] as SetMap<RowSet>;
  const portFields = ROW_SETS[set].fields as Readonly<Record<string, { type: RowFieldType; nullable: boolean }>>;
  const mapOf = (name: string) => {
    const map = Object.hasOwn(spec.fields, name) ? spec.fields[name] : undefined;
    if (!map || (!map.path && !map.translate && !map.constant))
      throw unsupported(set, `'${name}' cannot be filtered in Tryton`);
    return { map, port: portFields[name]! };
  };
  const negationOf = (name: string, map: FieldMap) => {
    if (map.many)
      throw unsupported(set, `a negated condition on '${name}' cannot be evaluated by Tryton (it reads a list)`);
  };
  const walk = (f: RowFilter, negate: boolean): Node => {
    switch (f.kind) {
      case 'and':
      case 'or':
        return combine(
          (f.kind === 'and') !== negate ? 'AND' : 'OR',
          f.filters.map((inner) => walk(inner, negate)),
        );
      case 'not':
        return walk(f.filter, !negate);
      case 'null': {
        const { map, port } = mapOf(f.field);
        const isNull = f.isNull !== negate;
        if (map.constant) return (map.constant(t) === null) === isNull ? TRUE : FALSE;
        if (!port.nullable || !map.path) return isNull ? FALSE : TRUE;
        if (negate) negationOf(f.field, map);
        return leaf([map.path, isNull ? '=' : '!=', null]);
      }
      case 'in': {
        const { map, port } = mapOf(f.field);
        if (map.constant || map.translate) {
          // One comparison per value: any of them, or (negated) none of them.
          return combine(
            negate ? 'AND' : 'OR',
            f.values.map((value) => walk({ kind: 'compare', field: f.field, op: 'eq', value }, negate)),
          );
        }
        if (negate) negationOf(f.field, map);
        const values = f.values.map((value) => wireValue(port.type, value));
        return negate
          ? withNullFix([map.path!, 'not in', values], map.path!, true, port.nullable)
          : leaf([map.path!, 'in', values]);
      }
      case 'text': {
        const { map, port } = mapOf(f.field);
        const pattern = likePattern(f.op, f.value);
        if (map.constant) {
          const actual = map.constant(t);
          const matches = typeof actual === 'string' && new RegExp(`^${likeRegExp(pattern)}$`, 'is').test(actual);
          return matches !== negate ? TRUE : FALSE;
        }
        if (!map.path) throw unsupported(set, `'${f.field}' cannot be searched as text in Tryton`);
        if (negate) negationOf(f.field, map);
        return negate
          ? withNullFix([map.path, 'not ilike', pattern], map.path, true, port.nullable)
          : leaf([map.path, 'ilike', pattern]);
      }
      case 'compare': {
        const { map, port } = mapOf(f.field);
        const op = negate ? NEGATED[f.op] : f.op;
        if (map.constant) return compareConstant(port.type, map.constant(t), op, f.value) ? TRUE : FALSE;
        if (map.translate) return map.translate(op as 'eq' | 'ne', f.value, t);
        if (negate) negationOf(f.field, map);
        // The port: a null field passes `ne` only (and so the negation of any other comparison);
        // Tryton's SQL: a null passes no comparison.
        return withNullFix(
          [map.path!, OPERATOR[op], wireValue(port.type, f.value)],
          map.path!,
          (f.op === 'ne') !== negate,
          port.nullable,
        );
      }
    }
  };
  return walk(filter, false);
}

/** A LIKE pattern (escaped as likePattern writes it) as a regular expression body. */
function likeRegExp(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) out += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') out += '.*';
    else if (c === '_') out += '.';
    else out += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}

export interface RowQueryEnvironment {
  readonly company: (call: TrytonCall) => Promise<TrytonCompany>;
  readonly today: () => string;
  readonly budget: number;
}

export async function queryTrytonRows<S extends RowSet>(
  client: TrytonClient,
  set: S,
  query: RowQuery,
  ctx: CallContext,
  env: RowQueryEnvironment,
): Promise<RowPage<S>> {
  checkRowQuery(set, query);
  const spec = SETS[set] as unknown as SetMap<S>;
  if (query.top > env.budget) {
    throw unsupported(
      set,
      `a page of ${query.top} rows is over the ERP read budget of ${env.budget} rows per query; ask for a smaller page (first)`,
      'page',
    );
  }
  const order = totalOrder(set, query.orderBy).flatMap((o) => {
    const map = Object.hasOwn(spec.fields, o.field) ? spec.fields[o.field] : undefined;
    if (map?.constant) return [];
    if (!map?.order) throw unsupported(set, `'${o.field}' cannot be ordered by in Tryton`, 'order');
    // Nulls first ascending, last descending (the port's order). Tryton's own line sequence may be
    // empty too: its lines come in that order.
    const nullable =
      (ROW_SETS[set].fields as Record<string, { nullable: boolean }>)[o.field]!.nullable || Array.isArray(map.order);
    const direction = o.descending ? (nullable ? 'DESC NULLS LAST' : 'DESC') : nullable ? 'ASC NULLS FIRST' : 'ASC';
    return (Array.isArray(map.order) ? map.order : [map.order as string]).map((path) => [path, direction] as const);
  });
  const tieBreak = [['id', 'ASC'] as const];

  const call = client.begin(ctx, `queryRows:${set}`);
  const company = await env.company(call);
  const node = query.filter ? translateFilter(set, query.filter, { company }) : TRUE;
  if (node.t === 'false') return { rows: [], totalCount: query.count ? 0 : null };
  const base = typeof spec.base === 'function' ? spec.base(company) : spec.base;
  const domain: Domain = node.t === 'domain' ? [...base, node.domain] : base;
  const context = spec.context ? spec.context(company) : company.context;
  const [rows, count] = await Promise.all([
    client.searchRead(call, spec.model, {
      domain,
      fields: spec.read,
      offset: query.skip ?? 0,
      limit: query.top,
      order: [...order, ...tieBreak],
      context,
    }),
    query.count ? client.searchCount(call, spec.model, domain, context) : Promise.resolve(null),
  ]);
  const mapping: MappingContext = { currency: company.currency, today: env.today() };
  return { rows: spec.decode(rows, mapping, call.operation), totalCount: count };
}
