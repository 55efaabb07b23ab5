// Where each row set of the ERP port (../row-query.ts, ROW_SETS) lives in the Business Central API
// v2.0: the entity set, the $select/$expand that feed the existing mappers, and per port field the
// BC property it is filtered and ordered on, how a port value is written as a BC literal, and BC's
// blank for it (BC has no nulls: empty text and the 0001-01-01 date stand for "none", and the
// mappers turn them into null).
import type { z } from 'zod';
import type { ErpRow, RowSet, RowValue } from '../row-query.js';
import type { CollectionQuery, EntitySet } from './client.js';
import { toCustomer, toInvoice, toItem, toOrder, toShipment } from './mappers.js';
import { date, decimal, type FilterProperty, type FilterValue } from './odata-filter.js';
import * as Wire from './wire.js';

export interface BcRowField {
  readonly property: FilterProperty;
  /** The port value as a BC literal (enum values become BC's captions). */
  readonly toWire: (value: RowValue) => FilterValue;
  /** BC's value for "none", present exactly when the port field is nullable. */
  readonly blank?: FilterValue;
}

export interface BcRowSet<S extends RowSet> {
  readonly entitySet: EntitySet;
  readonly query: Pick<CollectionQuery, 'select' | 'expand'>;
  readonly schema: z.ZodType;
  readonly map: (row: never) => ErpRow<S>;
  /** Port field → BC property. Every port field of the set that BC can filter and order on. */
  readonly fields: Readonly<Record<string, BcRowField>>;
}

const BC_BLANK_DATE = '0001-01-01';

const text = (property: FilterProperty, nullable = false): BcRowField => ({
  property,
  toWire: (value) => String(value),
  ...(nullable ? { blank: '' } : {}),
});
const dateField = (property: FilterProperty, nullable = false): BcRowField => ({
  property,
  toWire: (value) => date(String(value)),
  ...(nullable ? { blank: date(BC_BLANK_DATE) } : {}),
});
const decimalField = (property: FilterProperty): BcRowField => ({
  property,
  toWire: (value) => decimal(String(value)),
});
const numberField = (property: FilterProperty): BcRowField => ({ property, toWire: (value) => Number(value) });
const booleanField = (property: FilterProperty): BcRowField => ({ property, toWire: (value) => value === true });
const enumField = (property: FilterProperty, captions: Readonly<Record<string, string>>): BcRowField => ({
  property,
  toWire: (value) => {
    const caption = captions[String(value)];
    if (caption === undefined) throw new TypeError(`no Business Central caption for ${JSON.stringify(value)}`);
    return caption;
  },
});

// The captions mappers.ts reads back (BC enum values as the API shows them).
const INVOICE_STATUS = {
  draft: 'Draft',
  in_review: 'In Review',
  open: 'Open',
  paid: 'Paid',
  canceled: 'Canceled',
  corrective: 'Corrective',
};
const ORDER_STATUS = { draft: 'Draft', in_review: 'In Review', open: 'Open', released: 'Released' };
const CUSTOMER_BLOCKED = { none: ' ', ship: 'Ship', invoice: 'Invoice', all: 'All' };

/** Orders with their lines: the same request shape as the adapter's keyed order reads. */
export const ORDER_ROWS_QUERY = {
  select: Wire.selectOf(Wire.SalesOrder, 'salesOrderLines'),
  expand: { navigation: 'salesOrderLines', select: Wire.selectOf(Wire.SalesOrderLine) },
} as const satisfies Pick<CollectionQuery, 'select' | 'expand'>;

const orderFields = {
  number: text('number'),
  customerNumber: text('customerNumber'),
  externalDocumentNumber: text('externalDocumentNumber', true),
  orderDate: dateField('orderDate'),
  requestedDeliveryDate: dateField('requestedDeliveryDate', true),
  status: enumField('status', ORDER_STATUS),
  fullyShipped: booleanField('fullyShipped'),
  currency: text('currencyCode'),
  totalExcludingTax: decimalField('totalAmountExcludingTax'),
  totalIncludingTax: decimalField('totalAmountIncludingTax'),
};

export const BC_ROW_SETS: { readonly [S in Exclude<RowSet, 'salesOrderLines'>]: BcRowSet<S> } = {
  customers: {
    entitySet: 'customers',
    query: { select: Wire.selectOf(Wire.Customer) },
    schema: Wire.Customer,
    map: toCustomer,
    fields: {
      number: text('number'),
      name: text('displayName'),
      phone: text('phoneNumber', true),
      email: text('email', true),
      currency: text('currencyCode'),
      blocked: enumField('blocked', CUSTOMER_BLOCKED),
      city: text('city', true),
      state: text('state', true),
      country: text('country', true),
      postalCode: text('postalCode', true),
    },
  },
  salesInvoices: {
    entitySet: 'salesInvoices',
    query: { select: Wire.selectOf(Wire.SalesInvoice) },
    schema: Wire.SalesInvoice,
    map: toInvoice,
    fields: {
      number: text('number'),
      customerNumber: text('customerNumber'),
      orderNumber: text('orderNumber', true),
      externalDocumentNumber: text('externalDocumentNumber', true),
      invoiceDate: dateField('invoiceDate'),
      dueDate: dateField('dueDate'),
      status: enumField('status', INVOICE_STATUS),
      currency: text('currencyCode'),
      totalExcludingTax: decimalField('totalAmountExcludingTax'),
      totalIncludingTax: decimalField('totalAmountIncludingTax'),
      remaining: decimalField('remainingAmount'),
    },
  },
  salesOrders: {
    entitySet: 'salesOrders',
    query: ORDER_ROWS_QUERY,
    schema: Wire.SalesOrder,
    map: (o: Wire.SalesOrder) => toOrder(o, o.salesOrderLines),
    fields: orderFields,
  },
  salesShipments: {
    entitySet: 'salesShipments',
    query: {
      select: Wire.selectOf(Wire.SalesShipment, 'salesShipmentLines'),
      expand: { navigation: 'salesShipmentLines', select: Wire.selectOf(Wire.SalesShipmentLine) },
    },
    schema: Wire.SalesShipment,
    map: toShipment,
    fields: {
      number: text('number'),
      customerNumber: text('customerNumber'),
      orderNumber: text('orderNumber'),
      shipmentDate: dateField('shipmentDate'),
      carrier: text('shippingAgentCode', true),
      trackingNumber: text('packageTrackingNo', true),
    },
  },
  items: {
    entitySet: 'items',
    query: { select: Wire.selectOf(Wire.Item) },
    schema: Wire.Item,
    map: toItem,
    fields: {
      number: text('number'),
      name: text('displayName'),
      category: text('itemCategoryCode', true),
      unitOfMeasure: text('baseUnitOfMeasureCode'),
      unitPrice: decimalField('unitPrice'),
      inventory: numberField('inventory'),
      blocked: booleanField('blocked'),
    },
  },
};

/**
 * Order lines as rows of the Analytics API's salesLines (row-lines.ts explains why there): the port
 * fields whose values the query serves as the API v2.0 line does (documentNo and lineNo are the
 * order's number and the line's sequence, sellToCustomerNo the order's customerNumber, amount the
 * line's net amount: "Sales Line".Amount, as netAmount is). Quantities are there only in the base
 * unit of measure, and unit price, discount and unit of measure not at all: conditions and orders
 * on those are evaluated on the lines read (the plan's residual).
 */
export const LINE_FIELDS: Readonly<Record<string, BcRowField>> = {
  orderNumber: text('documentNo'),
  customerNumber: text('sellToCustomerNo'),
  sequence: numberField('lineNo'),
  itemNumber: text('itemNo'),
  description: text('description'),
  amount: decimalField('amount'),
  invoicedQuantity: numberField('quantityInvoiced'),
  shipmentDate: dateField('shipmentDate', true),
};
