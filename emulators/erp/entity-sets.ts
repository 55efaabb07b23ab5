// What the emulator serves: each entity set's properties with their EDM types, its navigation
// properties and the properties it keeps an index on. Property names and types are Business
// Central API v2.0's (docs: api-reference/v2.0/resources/dynamics_*.md), restricted to the fields the
// seed dataset carries (emulators/seed/types.ts). $filter/$select/$orderby validation, the JSON
// projection and $metadata are all derived from this one table.

export type PropertyType =
  'string' | 'guid' | 'decimal' | 'integer' | 'boolean' | 'date' | 'datetime' | 'stringCollection';

export const EDM_TYPE: Record<PropertyType, string> = {
  string: 'Edm.String',
  guid: 'Edm.Guid',
  decimal: 'Edm.Decimal',
  integer: 'Edm.Int32',
  boolean: 'Edm.Boolean',
  date: 'Edm.Date',
  datetime: 'Edm.DateTimeOffset',
  stringCollection: 'Collection(Edm.String)',
};

/**
 * - `lines`: a contained collection stored on the parent row (salesOrders → salesOrderLines).
 * - `sameId`: a single-valued navigation to the record with the same id in another entity set
 *   (customers → customerFinancialDetail, as in BC's `customers?$expand=customerFinancialDetail`).
 */
export type NavigationDef =
  | { readonly kind: 'lines'; readonly target: EntityTypeDef }
  | { readonly kind: 'sameId'; readonly target: EntityTypeDef; readonly set: string };

export interface EntityTypeDef {
  /** The EDM entity type name, e.g. 'customer' (qualified: Microsoft.NAV.customer). */
  readonly name: string;
  /** The record name BC uses in "does not exist" messages. */
  readonly caption: string;
  readonly properties: Readonly<Record<string, PropertyType>>;
  readonly navigation: Readonly<Record<string, NavigationDef>>;
  /**
   * String properties that are AL enums: their members in ordinal order. Business Central sorts an
   * enum by its ordinal, not by its caption ($orderby=status puts Draft before Canceled).
   */
  readonly enumOrder?: Readonly<Record<string, readonly string[]>>;
}

export interface EntitySetDef {
  readonly name: string;
  readonly type: EntityTypeDef;
  /** Equality indexes: `$filter` conjuncts that are `eq`s (or ORs of `eq`s) on these pick candidates. */
  readonly indexed: readonly string[];
}

export const qualifiedName = (type: EntityTypeDef) => `Microsoft.NAV.${type.name}`;

function entityType(
  name: string,
  caption: string,
  properties: Record<string, PropertyType>,
  navigation: Record<string, NavigationDef> = {},
  enumOrder?: Record<string, readonly string[]>,
): EntityTypeDef {
  return { name, caption, properties, navigation, ...(enumOrder ? { enumOrder } : {}) };
}

export const companyType = entityType('company', 'Company', {
  id: 'guid',
  name: 'string',
  displayName: 'string',
});

const paymentTermType = entityType('paymentTerm', 'Payment Terms', {
  id: 'guid',
  code: 'string',
  displayName: 'string',
  dueDateCalculation: 'string',
  discountDateCalculation: 'string',
  discountPercent: 'decimal',
});

const customerFinancialDetailType = entityType('customerFinancialDetail', 'Customer', {
  id: 'guid',
  number: 'string',
  balance: 'decimal',
  totalSalesExcludingTax: 'decimal',
  overdueAmount: 'decimal',
});

const customerType = entityType(
  'customer',
  'Customer',
  {
    id: 'guid',
    number: 'string',
    displayName: 'string',
    type: 'string',
    addressLine1: 'string',
    addressLine2: 'string',
    city: 'string',
    state: 'string',
    country: 'string',
    postalCode: 'string',
    phoneNumber: 'string',
    email: 'string',
    website: 'string',
    taxLiable: 'boolean',
    currencyCode: 'string',
    paymentTermsId: 'guid',
    blocked: 'string',
    balanceDue: 'decimal',
    creditLimit: 'decimal',
    lastModifiedDateTime: 'datetime',
  },
  { customerFinancialDetail: { kind: 'sameId', target: customerFinancialDetailType, set: 'customerFinancialDetails' } },
  // Customer."Blocked": " ",Ship,Invoice,All.
  { blocked: [' ', 'Ship', 'Invoice', 'All'] },
);

const itemType = entityType('item', 'Item', {
  id: 'guid',
  number: 'string',
  displayName: 'string',
  type: 'string',
  itemCategoryCode: 'string',
  blocked: 'boolean',
  baseUnitOfMeasureCode: 'string',
  unitPrice: 'decimal',
  unitCost: 'decimal',
  inventory: 'decimal',
  lastModifiedDateTime: 'datetime',
});

export const salesOrderLineType = entityType('salesOrderLine', 'Sales Line', {
  id: 'guid',
  documentId: 'guid',
  sequence: 'integer',
  itemId: 'guid',
  lineType: 'string',
  lineObjectNumber: 'string',
  description: 'string',
  unitOfMeasureCode: 'string',
  quantity: 'decimal',
  unitPrice: 'decimal',
  discountPercent: 'decimal',
  amountExcludingTax: 'decimal',
  netAmount: 'decimal',
  shippedQuantity: 'decimal',
  invoicedQuantity: 'decimal',
  shipmentDate: 'date',
});

export const salesOrderType = entityType(
  'salesOrder',
  'Sales Header',
  {
    id: 'guid',
    number: 'string',
    externalDocumentNumber: 'string',
    orderDate: 'date',
    requestedDeliveryDate: 'date',
    customerId: 'guid',
    customerNumber: 'string',
    customerName: 'string',
    currencyCode: 'string',
    status: 'string',
    fullyShipped: 'boolean',
    totalAmountExcludingTax: 'decimal',
    totalTaxAmount: 'decimal',
    totalAmountIncludingTax: 'decimal',
    lastModifiedDateTime: 'datetime',
  },
  { salesOrderLines: { kind: 'lines', target: salesOrderLineType } },
  { status: ['Draft', 'In Review', 'Open', 'Released'] },
);

const salesShipmentLineType = entityType('salesShipmentLine', 'Sales Shipment Line', {
  id: 'guid',
  documentId: 'guid',
  sequence: 'integer',
  lineObjectNumber: 'string',
  description: 'string',
  unitOfMeasureCode: 'string',
  quantity: 'decimal',
  lotNumbers: 'stringCollection',
});

const salesShipmentType = entityType(
  'salesShipment',
  'Sales Shipment Header',
  {
    id: 'guid',
    number: 'string',
    orderNumber: 'string',
    customerNumber: 'string',
    customerName: 'string',
    shipmentDate: 'date',
    shippingAgentCode: 'string',
    packageTrackingNo: 'string',
    lastModifiedDateTime: 'datetime',
  },
  { salesShipmentLines: { kind: 'lines', target: salesShipmentLineType } },
);

const salesInvoiceType = entityType(
  'salesInvoice',
  'Sales Invoice Header',
  {
    id: 'guid',
    number: 'string',
    externalDocumentNumber: 'string',
    invoiceDate: 'date',
    postingDate: 'date',
    dueDate: 'date',
    customerNumber: 'string',
    customerName: 'string',
    orderNumber: 'string',
    currencyCode: 'string',
    status: 'string',
    totalAmountExcludingTax: 'decimal',
    totalTaxAmount: 'decimal',
    totalAmountIncludingTax: 'decimal',
    remainingAmount: 'decimal',
    lastModifiedDateTime: 'datetime',
  },
  {},
  { status: ['Draft', 'In Review', 'Open', 'Paid', 'Canceled', 'Corrective'] },
);

/** The entity sets under `companies({id})/`, keyed by their URL segment. */
export const ENTITY_SETS: ReadonlyMap<string, EntitySetDef> = new Map(
  (
    [
      { name: 'customers', type: customerType, indexed: ['id', 'number'] },
      { name: 'customerFinancialDetails', type: customerFinancialDetailType, indexed: ['id', 'number'] },
      { name: 'paymentTerms', type: paymentTermType, indexed: ['id', 'code'] },
      { name: 'items', type: itemType, indexed: ['id', 'number'] },
      {
        name: 'salesOrders',
        type: salesOrderType,
        indexed: ['id', 'number', 'customerNumber', 'customerId', 'externalDocumentNumber'],
      },
      { name: 'salesShipments', type: salesShipmentType, indexed: ['id', 'number', 'customerNumber', 'orderNumber'] },
      {
        name: 'salesInvoices',
        type: salesInvoiceType,
        indexed: ['id', 'number', 'customerNumber', 'externalDocumentNumber', 'orderNumber'],
      },
    ] satisfies EntitySetDef[]
  ).map((set) => [set.name, set]),
);

/**
 * Sales order lines as a top-level entity set (api-reference/v2.0/api/dynamics_salesorderline_get:
 * `GET companies({id})/salesOrderLines({salesOrderLineId})`). Not a table: Business Central's page
 * ("APIV2 - Sales Order Lines", OnFindRecord) loads the lines of ONE order into a temporary table,
 * and only when the request filters on `id` or `documentId` ("You must specify an Id or a Document
 * Id to get the lines."); order-lines.ts serves it so.
 */
export const SALES_ORDER_LINES_SET: EntitySetDef = { name: 'salesOrderLines', type: salesOrderLineType, indexed: [] };

/**
 * Business Central's Analytics API (api-analytics/resources/dynamics_salesline.md, query 37024
 * "Sales Line V2 - PBI API"): sales lines as their own collection, across documents, read-only.
 * A query joining "Sales Header" to its "Sales Line" rows of type Item, G/L Account or Resource;
 * the columns the seed dataset fills (analytics.ts derives them from the orders). Query APIs have
 * no key and no ETag.
 */
export const salesLineType = entityType('salesLine', 'Sales Line', {
  orderNo: 'string',
  documentType: 'string',
  billToCustomerNo: 'string',
  sellToCustomerNo: 'string',
  orderDate: 'date',
  documentDate: 'date',
  salesLineDocumentType: 'string',
  type: 'string',
  description: 'string',
  documentNo: 'string',
  lineNo: 'integer',
  itemNo: 'string',
  quantityBase: 'decimal',
  outstandingQuantity: 'decimal',
  amount: 'decimal',
  shipmentDate: 'date',
  requestedDeliveryDate: 'date',
  quantityShippedBase: 'decimal',
  quantityInvoiced: 'decimal',
});

/** The Analytics API's entity sets the emulator serves (under /api/microsoft/analytics/v1.0). */
export const ANALYTICS_SETS: ReadonlyMap<string, EntitySetDef> = new Map([
  ['salesLines', { name: 'salesLines', type: salesLineType, indexed: ['documentNo', 'sellToCustomerNo', 'itemNo'] }],
]);

export type EntitySetName =
  | 'customers'
  | 'customerFinancialDetails'
  | 'paymentTerms'
  | 'items'
  | 'salesOrders'
  | 'salesShipments'
  | 'salesInvoices';
