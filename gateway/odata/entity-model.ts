// The OData entity sets the bridge serves, declared once: each set is one ERP row query of the graph
// (Query.customers, invoices, orders, orderLines, shipments, products in schema/erp.graphql), each
// property one scalar leaf of the row type, reached by its GraphQL path. What the schema already
// says is NOT repeated here: nullability, read-only annotations (schema/ownership.ts), who may read
// a property (@requiresScopes) and the values of enum-typed properties are derived from the
// supergraph (model.ts), and a test fails when a path here stops matching the schema.
//
// Salesforce Connect's constraints (Salesforce Help: OData 4.0 and 4.01 Type Mapping) shape the
// declarations: only Edm types it maps; strings with a MaxLength (without one it assumes
// Text(128)), taken from the Business Central field lengths (Code[20] numbers, Text[100] names…)
// so Salesforce never truncates; money as Decimal with precision and scale; no enums (their values
// as strings); no complex types (nested objects flattened into properties); every entity that
// belongs to a customer carries CustomerNumber, the Account's ERP_Customer_Id__c, for the
// indirect lookup.

export type EdmType =
  | 'Edm.String'
  | 'Edm.Decimal'
  | 'Edm.Date'
  | 'Edm.DateTimeOffset'
  | 'Edm.Boolean'
  | 'Edm.Int32'
  | 'Edm.Int64'
  | 'Edm.Double';

export interface PropertyDeclaration {
  /** PascalCase OData name. */
  readonly name: string;
  /** GraphQL field path from the row type to a scalar or enum leaf, e.g. ['total', 'amount']. */
  readonly path: readonly string[];
  readonly type: EdmType;
  /** Edm.String only: the longest value the ERP stores. */
  readonly maxLength?: number;
  /** Edm.Decimal only. */
  readonly precision?: number;
  readonly scale?: number;
  /**
   * The RowFilter / RowOrder field name of the row query (the list in each root field's
   * documentation); absent when the ERP cannot filter or sort by the property (computed values).
   */
  readonly field?: string;
  /**
   * The graph derives the value from others (an invoice's ageing, a customer's available credit):
   * nothing in the ERP holds it, so it can never be filtered or sorted on there. Values the
   * integration owns (AsOf, Stale) are computed too; their owner already says so.
   */
  readonly computed?: true;
}

export interface EntitySetDeclaration {
  /** Entity set name, also the URL segment. */
  readonly name: string;
  /** Entity type name in the CSDL. */
  readonly entityType: string;
  /** The GraphQL row type and the root field returning its pages. */
  readonly rowType: string;
  readonly rootField: string;
  /** Key property names, in key order. */
  readonly key: readonly string[];
  readonly properties: readonly PropertyDeclaration[];
}

// Money: Salesforce Number fields hold 18 digits; amounts carry cents, unit prices up to five
// decimals (Business Central's unit-amount rounding precision).
const AMOUNT = { type: 'Edm.Decimal', precision: 18, scale: 2 } as const;
const UNIT_AMOUNT = { type: 'Edm.Decimal', precision: 18, scale: 5 } as const;
// Business Central field lengths: Code[20] document and master-data numbers, Code[10] currency,
// unit-of-measure and country codes, Code[35] external document numbers.
const NUMBER = { type: 'Edm.String', maxLength: 20 } as const;
const CODE10 = { type: 'Edm.String', maxLength: 10 } as const;
// An enum's value names (DRAFT, IN_REVIEW, …) as text.
const STATUS = { type: 'Edm.String', maxLength: 20 } as const;
const AS_OF = { name: 'AsOf', path: ['asOf'], type: 'Edm.DateTimeOffset' } as const;
const STALE = { name: 'Stale', path: ['stale'], type: 'Edm.Boolean' } as const;

export const ENTITY_SETS: readonly EntitySetDeclaration[] = [
  {
    name: 'Customers',
    entityType: 'Customer',
    rowType: 'Customer',
    rootField: 'customers',
    key: ['CustomerNumber'],
    properties: [
      { name: 'CustomerNumber', path: ['number'], ...NUMBER, field: 'number' },
      { name: 'Name', path: ['name'], type: 'Edm.String', maxLength: 100, field: 'name' },
      { name: 'Phone', path: ['phone'], type: 'Edm.String', maxLength: 30, field: 'phone' },
      { name: 'Email', path: ['email'], type: 'Edm.String', maxLength: 80, field: 'email' },
      { name: 'Currency', path: ['currency'], ...CODE10, field: 'currency' },
      { name: 'Blocked', path: ['blocked'], ...CODE10, field: 'blocked' },
      { name: 'AddressLine1', path: ['address', 'line1'], type: 'Edm.String', maxLength: 100 },
      { name: 'AddressLine2', path: ['address', 'line2'], type: 'Edm.String', maxLength: 50 },
      { name: 'City', path: ['address', 'city'], type: 'Edm.String', maxLength: 30, field: 'city' },
      { name: 'State', path: ['address', 'state'], type: 'Edm.String', maxLength: 30 },
      { name: 'PostalCode', path: ['address', 'postalCode'], ...NUMBER, field: 'postalCode' },
      { name: 'Country', path: ['address', 'country'], ...CODE10, field: 'country' },
      { name: 'CreditLimit', path: ['credit', 'limit', 'amount'], ...AMOUNT },
      { name: 'Balance', path: ['credit', 'balance', 'amount'], ...AMOUNT },
      { name: 'OpenOrderExposure', path: ['credit', 'openOrderExposure', 'amount'], ...AMOUNT, computed: true },
      { name: 'Available', path: ['credit', 'available', 'amount'], ...AMOUNT, computed: true },
      { name: 'Overdue', path: ['credit', 'overdue', 'amount'], ...AMOUNT },
      { name: 'OnHold', path: ['credit', 'onHold'], type: 'Edm.Boolean', computed: true },
      { name: 'HoldReason', path: ['credit', 'holdReason'], type: 'Edm.String', maxLength: 250, computed: true },
      { name: 'PaymentTermsCode', path: ['credit', 'paymentTerms', 'code'], ...CODE10 },
      { name: 'PaymentTermsName', path: ['credit', 'paymentTerms', 'name'], type: 'Edm.String', maxLength: 100 },
      {
        name: 'PaymentTermsDueDateCalculation',
        path: ['credit', 'paymentTerms', 'dueDateCalculation'],
        type: 'Edm.String',
        maxLength: 32,
      },
      AS_OF,
      STALE,
    ],
  },
  {
    name: 'Invoices',
    entityType: 'Invoice',
    rowType: 'Invoice',
    rootField: 'invoices',
    key: ['Number'],
    properties: [
      { name: 'Number', path: ['number'], ...NUMBER, field: 'number' },
      { name: 'CustomerNumber', path: ['customerNumber'], ...NUMBER, field: 'customerNumber' },
      { name: 'OrderNumber', path: ['orderNumber'], ...NUMBER, field: 'orderNumber' },
      { name: 'InvoiceDate', path: ['invoiceDate'], type: 'Edm.Date', field: 'invoiceDate' },
      { name: 'DueDate', path: ['dueDate'], type: 'Edm.Date', field: 'dueDate' },
      { name: 'Status', path: ['status'], ...STATUS, field: 'status' },
      { name: 'Currency', path: ['total', 'currency'], ...CODE10, field: 'currency' },
      { name: 'Total', path: ['total', 'amount'], ...AMOUNT, field: 'total' },
      { name: 'Remaining', path: ['remaining', 'amount'], ...AMOUNT, field: 'remaining' },
      { name: 'IsOverdue', path: ['isOverdue'], type: 'Edm.Boolean', computed: true },
      { name: 'DaysOverdue', path: ['daysOverdue'], type: 'Edm.Int32', computed: true },
      AS_OF,
      STALE,
    ],
  },
  {
    name: 'SalesOrders',
    entityType: 'SalesOrder',
    rowType: 'Order',
    rootField: 'orders',
    key: ['Number'],
    properties: [
      { name: 'Number', path: ['number'], ...NUMBER, field: 'number' },
      { name: 'CustomerNumber', path: ['customerNumber'], ...NUMBER, field: 'customerNumber' },
      {
        name: 'ExternalDocumentNumber',
        path: ['externalDocumentNumber'],
        type: 'Edm.String',
        maxLength: 35,
        field: 'externalDocumentNumber',
      },
      { name: 'OrderDate', path: ['orderDate'], type: 'Edm.Date', field: 'orderDate' },
      {
        name: 'RequestedDeliveryDate',
        path: ['requestedDeliveryDate'],
        type: 'Edm.Date',
        field: 'requestedDeliveryDate',
      },
      { name: 'Status', path: ['status'], ...STATUS, field: 'status' },
      { name: 'FullyShipped', path: ['fullyShipped'], type: 'Edm.Boolean', field: 'fullyShipped' },
      { name: 'Currency', path: ['total', 'currency'], ...CODE10, field: 'currency' },
      { name: 'TotalExcludingTax', path: ['totalExcludingTax', 'amount'], ...AMOUNT, field: 'totalExcludingTax' },
      { name: 'Total', path: ['total', 'amount'], ...AMOUNT, field: 'total' },
      AS_OF,
      STALE,
    ],
  },
  {
    name: 'SalesOrderLines',
    entityType: 'SalesOrderLine',
    rowType: 'OrderLine',
    rootField: 'orderLines',
    // A line is its order's number and its sequence (Business Central's Document No. + Line No.).
    key: ['OrderNumber', 'Sequence'],
    properties: [
      { name: 'OrderNumber', path: ['orderNumber'], ...NUMBER, field: 'orderNumber' },
      { name: 'Sequence', path: ['sequence'], type: 'Edm.Int32', field: 'sequence' },
      { name: 'CustomerNumber', path: ['customerNumber'], ...NUMBER, field: 'customerNumber' },
      { name: 'ItemNumber', path: ['itemNumber'], ...NUMBER, field: 'itemNumber' },
      { name: 'Description', path: ['description'], type: 'Edm.String', maxLength: 100, field: 'description' },
      { name: 'Quantity', path: ['quantity'], type: 'Edm.Double', field: 'quantity' },
      { name: 'UnitOfMeasure', path: ['unitOfMeasure'], ...CODE10, field: 'unitOfMeasure' },
      { name: 'UnitPrice', path: ['unitPrice', 'amount'], ...UNIT_AMOUNT, field: 'unitPrice' },
      { name: 'Currency', path: ['unitPrice', 'currency'], ...CODE10 },
      { name: 'DiscountPercent', path: ['discountPercent'], type: 'Edm.Double' },
      { name: 'Amount', path: ['amount', 'amount'], ...AMOUNT, field: 'amount' },
      { name: 'ShippedQuantity', path: ['shippedQuantity'], type: 'Edm.Double', field: 'shippedQuantity' },
      { name: 'InvoicedQuantity', path: ['invoicedQuantity'], type: 'Edm.Double', field: 'invoicedQuantity' },
      { name: 'ShipmentDate', path: ['shipmentDate'], type: 'Edm.Date', field: 'shipmentDate' },
    ],
  },
  {
    name: 'Shipments',
    entityType: 'Shipment',
    rowType: 'Shipment',
    rootField: 'shipments',
    key: ['Number'],
    properties: [
      { name: 'Number', path: ['number'], ...NUMBER, field: 'number' },
      { name: 'CustomerNumber', path: ['customerNumber'], ...NUMBER, field: 'customerNumber' },
      { name: 'OrderNumber', path: ['orderNumber'], ...NUMBER, field: 'orderNumber' },
      { name: 'ShipmentDate', path: ['shipmentDate'], type: 'Edm.Date', field: 'shipmentDate' },
      { name: 'Carrier', path: ['carrier'], type: 'Edm.String', maxLength: 50, field: 'carrier' },
      { name: 'TrackingNumber', path: ['trackingNumber'], type: 'Edm.String', maxLength: 50, field: 'trackingNumber' },
      AS_OF,
      STALE,
    ],
  },
  {
    name: 'Products',
    entityType: 'Product',
    rowType: 'Product',
    rootField: 'products',
    key: ['Number'],
    properties: [
      { name: 'Number', path: ['number'], ...NUMBER, field: 'number' },
      { name: 'Name', path: ['name'], type: 'Edm.String', maxLength: 100, field: 'name' },
      { name: 'UnitOfMeasure', path: ['unitOfMeasure'], ...CODE10, field: 'unitOfMeasure' },
      { name: 'UnitPrice', path: ['unitPrice', 'amount'], ...UNIT_AMOUNT, field: 'unitPrice' },
      { name: 'Currency', path: ['unitPrice', 'currency'], ...CODE10 },
      { name: 'Inventory', path: ['inventory'], type: 'Edm.Double', field: 'inventory' },
      { name: 'Blocked', path: ['blocked'], type: 'Edm.Boolean', field: 'blocked' },
      AS_OF,
      STALE,
    ],
  },
];
