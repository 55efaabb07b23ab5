// Row queries of the ERP port: a filtered, ordered page of one entity set,
// evaluated by the ERP rather than in memory after fetching everything. The filter is a
// backend-neutral tree over the port's own field names (ROW_SETS below, never a backend's property
// names); each adapter translates it (business-central/row-query.ts: $filter/$orderby/$top/$skip/
// $count) or refuses what its backend cannot evaluate with ErpRowQueryError.
//
// Semantics every adapter must honour (and row-evaluate.ts implements for in-memory evaluation):
// - Two-valued logic: every predicate is true or false for every row, and `not` is its negation.
// - A null field (a nullable field without a value) equals nothing, so `eq` is false and `ne` true;
//   `gt/ge/lt/le` and the text functions are false on it; `isNull` tests it.
// - `eq`, `ne`, ordering and `in` on text are exact and case-sensitive (Business Central filters
//   are, without its `@` operator); `contains`, `startsWith` and `endsWith` ignore case.
// - Decimals are decimal strings compared as numbers, dates are YYYY-MM-DD compared as dates,
//   enums are the port's lowercase values, listed in Business Central's ordinal order, which is
//   how they sort; ordering comparisons (gt/ge/lt/le) do not apply to enums and booleans.
// - Rows come in a total order: the orderBy keys, then the set's key (ascending), so paging with
//   skip never repeats or drops a row.
import { BackendError } from '../../lib/backend-error.js';
import type { ErpCustomer, ErpInvoice, ErpItem, ErpOrder, ErpOrderLine, ErpShipment } from './port.js';

/** The entity sets a row query can read (Business Central's entity set names). */
export const ROW_SET_NAMES = [
  'customers',
  'salesInvoices',
  'salesOrders',
  'salesOrderLines',
  'salesShipments',
  'items',
] as const;
export type RowSet = (typeof ROW_SET_NAMES)[number];

/** A sales order line as a row of its own: the line plus its order's number, customer and currency. */
export type ErpOrderLineRow = ErpOrderLine & {
  readonly orderNumber: string;
  readonly customerNumber: string;
  readonly currency: string;
};

export interface ErpRowTypes {
  customers: ErpCustomer;
  salesInvoices: ErpInvoice;
  salesOrders: ErpOrder;
  salesOrderLines: ErpOrderLineRow;
  salesShipments: ErpShipment;
  items: ErpItem;
}
export type ErpRow<S extends RowSet> = ErpRowTypes[S];

/** A literal in a filter: text, decimal (string), date (string) and enum values are strings. */
export type RowValue = string | number | boolean;

export type RowFieldType = 'text' | 'decimal' | 'number' | 'integer' | 'boolean' | 'date' | 'enum';

export interface RowField<R> {
  readonly type: RowFieldType;
  /** The field can have no value (null in the port's record). */
  readonly nullable: boolean;
  /** For enums: the port values. */
  readonly values?: readonly string[];
  /** The field's value in a port record. */
  read(row: R): RowValue | null;
}

export interface RowSetDef<R> {
  /** The set's key, appended to every order so that paging is stable. */
  readonly key: readonly string[];
  readonly fields: Readonly<Record<string, RowField<R>>>;
}

const text = <R>(read: (row: R) => string | null, nullable = false): RowField<R> => ({ type: 'text', nullable, read });
const decimal = <R>(read: (row: R) => string): RowField<R> => ({ type: 'decimal', nullable: false, read });
const number = <R>(read: (row: R) => number): RowField<R> => ({ type: 'number', nullable: false, read });
const integer = <R>(read: (row: R) => number): RowField<R> => ({ type: 'integer', nullable: false, read });
const boolean = <R>(read: (row: R) => boolean): RowField<R> => ({ type: 'boolean', nullable: false, read });
const date = <R>(read: (row: R) => string | null, nullable = false): RowField<R> => ({ type: 'date', nullable, read });
const enumOf = <R>(values: readonly string[], read: (row: R) => string): RowField<R> => ({
  type: 'enum',
  nullable: false,
  values,
  read,
});

export const INVOICE_STATUSES = ['draft', 'in_review', 'open', 'paid', 'canceled', 'corrective'] as const;
export const ORDER_STATUSES = ['draft', 'in_review', 'open', 'released'] as const;
export const CUSTOMER_BLOCKS = ['none', 'ship', 'invoice', 'all'] as const;

/** What each set's rows can be filtered and ordered by: the port's field names and types. */
export const ROW_SETS: { readonly [S in RowSet]: RowSetDef<ErpRow<S>> } = {
  customers: {
    key: ['number'],
    fields: {
      number: text((c) => c.number),
      name: text((c) => c.name),
      phone: text((c) => c.phone, true),
      email: text((c) => c.email, true),
      currency: text((c) => c.currency),
      blocked: enumOf(CUSTOMER_BLOCKS, (c) => c.blocked),
      city: text((c) => c.address.city, true),
      state: text((c) => c.address.state, true),
      country: text((c) => c.address.country, true),
      postalCode: text((c) => c.address.postalCode, true),
    },
  },
  salesInvoices: {
    key: ['number'],
    fields: {
      number: text((i) => i.number),
      customerNumber: text((i) => i.customerNumber),
      orderNumber: text((i) => i.orderNumber, true),
      externalDocumentNumber: text((i) => i.externalDocumentNumber, true),
      invoiceDate: date((i) => i.invoiceDate),
      dueDate: date((i) => i.dueDate),
      status: enumOf(INVOICE_STATUSES, (i) => i.status),
      currency: text((i) => i.currency),
      totalExcludingTax: decimal((i) => i.totalExcludingTax),
      totalIncludingTax: decimal((i) => i.totalIncludingTax),
      remaining: decimal((i) => i.remaining),
    },
  },
  salesOrders: {
    key: ['number'],
    fields: {
      number: text((o) => o.number),
      customerNumber: text((o) => o.customerNumber),
      externalDocumentNumber: text((o) => o.externalDocumentNumber, true),
      orderDate: date((o) => o.orderDate),
      requestedDeliveryDate: date((o) => o.requestedDeliveryDate, true),
      status: enumOf(ORDER_STATUSES, (o) => o.status),
      fullyShipped: boolean((o) => o.fullyShipped),
      currency: text((o) => o.currency),
      totalExcludingTax: decimal((o) => o.totalExcludingTax),
      totalIncludingTax: decimal((o) => o.totalIncludingTax),
    },
  },
  salesOrderLines: {
    key: ['orderNumber', 'sequence'],
    fields: {
      orderNumber: text((l) => l.orderNumber),
      customerNumber: text((l) => l.customerNumber),
      sequence: integer((l) => l.sequence),
      itemNumber: text((l) => l.itemNumber),
      description: text((l) => l.description),
      quantity: number((l) => l.quantity),
      unitOfMeasure: text((l) => l.unitOfMeasure),
      unitPrice: decimal((l) => l.unitPrice),
      discountPercent: number((l) => l.discountPercent),
      amount: decimal((l) => l.amount),
      shippedQuantity: number((l) => l.shippedQuantity),
      invoicedQuantity: number((l) => l.invoicedQuantity),
      shipmentDate: date((l) => l.shipmentDate, true),
    },
  },
  salesShipments: {
    key: ['number'],
    fields: {
      number: text((s) => s.number),
      customerNumber: text((s) => s.customerNumber),
      orderNumber: text((s) => s.orderNumber),
      shipmentDate: date((s) => s.shipmentDate),
      carrier: text((s) => s.carrier, true),
      trackingNumber: text((s) => s.trackingNumber, true),
    },
  },
  items: {
    key: ['number'],
    fields: {
      number: text((i) => i.number),
      name: text((i) => i.name),
      category: text((i) => i.category, true),
      unitOfMeasure: text((i) => i.unitOfMeasure),
      unitPrice: decimal((i) => i.unitPrice),
      inventory: number((i) => i.inventory),
      blocked: boolean((i) => i.blocked),
    },
  },
};

export type RowCompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type RowTextOp = 'contains' | 'startsWith' | 'endsWith';

export type RowFilter =
  | { readonly kind: 'and'; readonly filters: readonly RowFilter[] }
  | { readonly kind: 'or'; readonly filters: readonly RowFilter[] }
  | { readonly kind: 'not'; readonly filter: RowFilter }
  | { readonly kind: 'compare'; readonly field: string; readonly op: RowCompareOp; readonly value: RowValue }
  /** Case-insensitive. */
  | { readonly kind: 'text'; readonly field: string; readonly op: RowTextOp; readonly value: string }
  | { readonly kind: 'in'; readonly field: string; readonly values: readonly RowValue[] }
  | { readonly kind: 'null'; readonly field: string; readonly isNull: boolean };

export interface RowOrder {
  readonly field: string;
  readonly descending?: boolean;
}

export interface RowQuery {
  readonly filter?: RowFilter;
  readonly orderBy?: readonly RowOrder[];
  /** Rows to return: 1..MAX_ROW_PAGE. */
  readonly top: number;
  /** Rows to skip first (default 0). */
  readonly skip?: number;
  /** Also count every row matching the filter (ignoring top and skip). */
  readonly count?: boolean;
}

export interface RowPage<S extends RowSet> {
  readonly rows: Array<ErpRow<S>>;
  /** Rows matching the filter in all; null unless the query asked for the count. */
  readonly totalCount: number | null;
}

/** Salesforce Connect's largest page (Salesforce Help, Client-Driven and Server-Driven Paging); also ours. */
export const MAX_ROW_PAGE = 2000;
/**
 * Rows one row query may ask of the ERP, whatever its page (ErpConnectorOptions.rowReadBudget): an
 * adapter that needs several requests for one query (one per branch of a filter its backend cannot
 * evaluate at once, a window of skip + top rows each, keys read to count) adds up the rows it would
 * ask for and refuses the query ('limit', naming the budget) before asking for more. A page
 * is never more than MAX_ROW_PAGE rows, so the budget is at least that.
 */
export const DEFAULT_ROW_READ_BUDGET = 10_000;
/**
 * Values of one `in`: a partner's whole scope (lib/identity.ts MAX_PARTNER_CUSTOMERS) fits; the
 * GraphQL schema allows callers' own IN lists 200.
 */
export const MAX_IN_VALUES = 1000;

/**
 * The query was not run: it is malformed ('invalid': a field the set lacks, a value that is not of
 * the field's type), the ERP cannot evaluate it at all ('unsupported'), or it would take the ERP
 * past a bound ('limit': the read budget, the requests one query may make, the length of a
 * filter), which a narrower query stays within. A 'rejected' BackendError, so the shield neither
 * retries it nor counts it against the circuit; the message names fields and limits only, never
 * data, and is meant to be shown to the caller.
 */
export class ErpRowQueryError extends BackendError {
  constructor(
    readonly reason: 'invalid' | 'unsupported' | 'limit',
    message: string,
    /** The part of the query at fault. */
    readonly part: 'filter' | 'order' | 'page' = 'filter',
  ) {
    const backendCode = {
      invalid: 'Connector_InvalidRowQuery',
      unsupported: 'Connector_RowQueryNotSupported',
      limit: 'Connector_RowQueryOverLimit',
    }[reason];
    super('erp', 'rejected', message, { backendCode });
  }
}

const DECIMAL = /^-?\d{1,15}(\.\d{1,10})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDecimalString(value: string): boolean {
  return DECIMAL.test(value);
}

export function isDateString(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Whether `value` is a literal of the field's type (see RowValue). */
export function isValueOf(field: RowField<never>, value: unknown): value is RowValue {
  switch (field.type) {
    case 'text':
      return typeof value === 'string';
    case 'decimal':
      return typeof value === 'string' && isDecimalString(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && isDateString(value);
    case 'enum':
      return typeof value === 'string' && (field.values ?? []).includes(value);
  }
}

/**
 * Checks a query against its set (fields, value types, ops per type, bounds). Adapters call it
 * before translating, so a malformed tree never reaches a backend whatever its caller checked.
 */
export function checkRowQuery(set: RowSet, query: RowQuery): void {
  const def = ROW_SETS[set] as RowSetDef<unknown>;
  const invalid = (message: string) => new ErpRowQueryError('invalid', `${set}: ${message}`);
  const fieldOf = (name: string): RowField<never> => {
    const field = Object.hasOwn(def.fields, name) ? def.fields[name] : undefined;
    if (!field) throw invalid(`no field '${name}'`);
    return field as RowField<never>;
  };
  const checkValue = (name: string, field: RowField<never>, value: unknown) => {
    if (!isValueOf(field, value))
      throw invalid(`'${String(value).slice(0, 40)}' is not a ${field.type} value for '${name}'`);
  };
  let nodes = 0;
  const walk = (filter: RowFilter, depth: number): void => {
    nodes += 1;
    if (nodes > 1000 || depth > 32) throw invalid('the filter is too large');
    switch (filter.kind) {
      case 'and':
      case 'or':
        if (filter.filters.length === 0) throw invalid(`an empty '${filter.kind}'`);
        for (const f of filter.filters) walk(f, depth + 1);
        return;
      case 'not':
        walk(filter.filter, depth + 1);
        return;
      case 'compare': {
        const field = fieldOf(filter.field);
        checkValue(filter.field, field, filter.value);
        if (filter.op !== 'eq' && filter.op !== 'ne' && (field.type === 'enum' || field.type === 'boolean')) {
          throw invalid(`'${filter.op}' does not apply to the ${field.type} '${filter.field}'`);
        }
        return;
      }
      case 'text': {
        const field = fieldOf(filter.field);
        if (field.type !== 'text')
          throw invalid(`'${filter.op}' needs a text field, '${filter.field}' is ${field.type}`);
        if (typeof filter.value !== 'string') throw invalid(`'${filter.op}' needs a text value`);
        return;
      }
      case 'in': {
        const field = fieldOf(filter.field);
        if (filter.values.length === 0 || filter.values.length > MAX_IN_VALUES)
          throw invalid(`'in' takes 1 to ${MAX_IN_VALUES} values`);
        for (const value of filter.values) checkValue(filter.field, field, value);
        return;
      }
      case 'null':
        fieldOf(filter.field);
        return;
    }
  };
  if (query.filter) walk(query.filter, 0);
  for (const order of query.orderBy ?? []) {
    if (!Object.hasOwn(def.fields, order.field))
      throw new ErpRowQueryError('invalid', `${set}: no field '${order.field}' to order by`, 'order');
  }
  const page = (message: string) => new ErpRowQueryError('invalid', `${set}: ${message}`, 'page');
  if (!Number.isSafeInteger(query.top) || query.top < 1 || query.top > MAX_ROW_PAGE)
    throw page(`top must be 1..${MAX_ROW_PAGE}`);
  const skip = query.skip ?? 0;
  if (!Number.isSafeInteger(skip) || skip < 0) throw page('skip must be a non-negative integer');
}
