// The row-query root fields (schema/erp.graphql, "Row queries"): for each, the ERP port's row set,
// its GraphQL field names (the names documented on the root field) mapped to the port's row fields
// (connectors/erp/row-query.ts, which also gives their types), the fields `search` looks in, and
// the field holding the ERP customer number a partner's scope applies to.
import { ROW_SETS, type RowField, type RowSet, type RowSetDef } from '../../../connectors/erp/port.js';

export type RowRootField = 'customers' | 'invoices' | 'orders' | 'orderLines' | 'shipments' | 'products';

export interface RowCatalogEntry {
  readonly set: RowSet;
  /** GraphQL field name → port row field. */
  readonly fields: Readonly<Record<string, string>>;
  /**
   * Text fields `search` matches (any of them, case-insensitively), listed on each root field in
   * schema/erp.graphql; each a field the row type serves, so a row never matches on a value its
   * caller cannot see. At most three: the ERP cannot OR different fields in one request, so each
   * is one request, and three is the most whose total count is exact from counts alone
   * (connectors/erp/business-central/row-query.ts).
   */
  readonly search: readonly string[];
  /** The GraphQL field with the ERP customer number (partner scope); null: not customer rows. */
  readonly customerField: string | null;
}

const same = (...names: string[]) => Object.fromEntries(names.map((n) => [n, n]));

export const ROW_CATALOG: Readonly<Record<RowRootField, RowCatalogEntry>> = {
  customers: {
    set: 'customers',
    fields: same('number', 'name', 'phone', 'email', 'currency', 'blocked', 'city', 'country', 'postalCode'),
    search: ['name', 'number', 'city'],
    customerField: 'number',
  },
  invoices: {
    set: 'salesInvoices',
    fields: {
      ...same(
        'number',
        'customerNumber',
        'orderNumber',
        'externalDocumentNumber',
        'invoiceDate',
        'dueDate',
        'status',
        'currency',
      ),
      ...same('totalExcludingTax', 'remaining'),
      total: 'totalIncludingTax',
    },
    // Not externalDocumentNumber: Invoice does not serve it.
    search: ['number', 'customerNumber', 'orderNumber'],
    customerField: 'customerNumber',
  },
  orders: {
    set: 'salesOrders',
    fields: {
      ...same(
        'number',
        'customerNumber',
        'externalDocumentNumber',
        'orderDate',
        'requestedDeliveryDate',
        'status',
        'fullyShipped',
      ),
      ...same('currency', 'totalExcludingTax'),
      total: 'totalIncludingTax',
    },
    search: ['number', 'customerNumber', 'externalDocumentNumber'],
    customerField: 'customerNumber',
  },
  orderLines: {
    set: 'salesOrderLines',
    fields: same(
      'orderNumber',
      'customerNumber',
      'sequence',
      'itemNumber',
      'description',
      'quantity',
      'unitOfMeasure',
      'unitPrice',
      'amount',
      'shippedQuantity',
      'invoicedQuantity',
      'shipmentDate',
    ),
    search: ['orderNumber', 'itemNumber', 'description'],
    customerField: 'customerNumber',
  },
  shipments: {
    set: 'salesShipments',
    fields: same('number', 'customerNumber', 'orderNumber', 'shipmentDate', 'carrier', 'trackingNumber'),
    search: ['number', 'orderNumber', 'trackingNumber'],
    customerField: 'customerNumber',
  },
  products: {
    set: 'items',
    fields: same('number', 'name', 'unitOfMeasure', 'unitPrice', 'inventory', 'blocked'),
    search: ['number', 'name'],
    customerField: null,
  },
};

/** The port's definition of a GraphQL field of a root field, or undefined when it has none. */
export function portFieldOf(
  entry: RowCatalogEntry,
  graphqlName: string,
): { name: string; def: RowField<never> } | undefined {
  const name = Object.hasOwn(entry.fields, graphqlName) ? entry.fields[graphqlName] : undefined;
  if (name === undefined) return undefined;
  const def = (ROW_SETS[entry.set] as RowSetDef<never>).fields[name];
  return def ? { name, def } : undefined;
}
