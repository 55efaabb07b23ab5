// The ERP port: what the ERP subgraph needs from any ERP, whatever its protocol. Adapters implement
// it: business-central/ (Dynamics 365 Business Central API v2.0, OData v4) and tryton/ (Tryton 6.0,
// JSON-RPC). Every read is batch-shaped (many keys in, one backend request per entity kind out, a
// map by key back; keys with no record are absent from the map, or map to [] for list reads).
// Failures are thrown as BackendError (lib/backend-error.ts). What an ERP cannot answer the way the
// port asks is declared in its ErpCapabilities, never left to silence. test/contract/ holds the
// suite every adapter must pass.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallContext } from '../../lib/call-context.js';
import type { RowPage, RowQuery, RowSet } from './row-query.js';

export * from './row-query.js';

/** A decimal amount as a string ("1234.50"): money is never a float past the connector. */
export type Decimal = string;

export type CustomerBlock = 'none' | 'ship' | 'invoice' | 'all';

export interface ErpAddress {
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
}

export interface ErpCustomer {
  number: string;
  name: string;
  address: ErpAddress;
  phone: string | null;
  email: string | null;
  currency: string;
  paymentTermsId: string | null;
  blocked: CustomerBlock;
  creditLimit: Decimal;
  balanceDue: Decimal;
  taxLiable: boolean;
  updatedAt: string;
}

export interface ErpCustomerFinancials {
  customerNumber: string;
  balance: Decimal;
  overdueAmount: Decimal;
  /** null when the ERP keeps no such total (ErpCapabilities.totalSales). */
  totalSalesExcludingTax: Decimal | null;
}

export interface ErpPaymentTerms {
  id: string;
  code: string;
  name: string;
  /** e.g. "30D" */
  dueDateCalculation: string;
}

export type InvoiceStatus = 'draft' | 'in_review' | 'open' | 'paid' | 'canceled' | 'corrective';

export interface ErpInvoice {
  number: string;
  customerNumber: string;
  orderNumber: string | null;
  externalDocumentNumber: string | null;
  invoiceDate: string;
  dueDate: string;
  status: InvoiceStatus;
  currency: string;
  totalExcludingTax: Decimal;
  totalIncludingTax: Decimal;
  remaining: Decimal;
}

export type OrderStatus = 'draft' | 'in_review' | 'open' | 'released';

export interface ErpOrderLine {
  sequence: number;
  itemNumber: string;
  description: string;
  quantity: number;
  unitOfMeasure: string;
  unitPrice: Decimal;
  discountPercent: number;
  /** Net line amount, excluding tax. */
  amount: Decimal;
  shippedQuantity: number;
  invoicedQuantity: number;
  shipmentDate: string | null;
}

export interface ErpOrder {
  /** The ERP's internal id (GUID for Business Central). */
  id: string;
  number: string;
  externalDocumentNumber: string | null;
  customerNumber: string;
  orderDate: string;
  requestedDeliveryDate: string | null;
  status: OrderStatus;
  fullyShipped: boolean;
  currency: string;
  totalExcludingTax: Decimal;
  totalIncludingTax: Decimal;
  lines: ErpOrderLine[];
}

export interface ErpShipmentLine {
  sequence: number;
  itemNumber: string;
  description: string;
  quantity: number;
  unitOfMeasure: string;
  lotNumbers: string[];
}

export interface ErpShipment {
  number: string;
  orderNumber: string;
  customerNumber: string;
  shipmentDate: string;
  carrier: string | null;
  trackingNumber: string | null;
  lines: ErpShipmentLine[];
}

export interface ErpItem {
  number: string;
  name: string;
  type: 'inventory' | 'service' | 'non_inventory';
  category: string | null;
  blocked: boolean;
  unitOfMeasure: string;
  unitPrice: Decimal;
  /** Quantity on hand. */
  inventory: number;
}

export interface NewSalesOrder {
  customerNumber: string;
  /** Derived from the Salesforce quote; how a retry finds an order already created. */
  externalDocumentNumber: string;
  currency?: string;
  lines: Array<{ itemNumber: string; quantity: number; unitPrice?: Decimal; discountPercent?: number }>;
}

/** The entity sets a replica can scan, and the domain record each yields. */
export interface ErpScanRows {
  customers: ErpCustomer;
  customerFinancialDetails: ErpCustomerFinancials;
  paymentTerms: ErpPaymentTerms;
  items: ErpItem;
  /** Every status (a replica must see an invoice leave Open). */
  salesInvoices: ErpInvoice;
  salesOrders: ErpOrder;
  salesShipments: ErpShipment;
}
export type ErpScanSet = keyof ErpScanRows;

export interface ErpScanRequest {
  /** Only rows modified after this instant (ISO 8601); sets without a modification time ignore it. */
  modifiedSince?: string;
  /** Continue a scan from the previous page's nextLink (the other options are then in the link). */
  nextLink?: string;
}

export interface ErpScanPage<S extends ErpScanSet> {
  rows: Array<ErpScanRows[S]>;
  nextLink: string | null;
  /** The latest modification time among the page's rows (ISO 8601), null when none or untracked. */
  maxModified: string | null;
}

/**
 * What an adapter's ERP keeps and can evaluate, where ERPs differ. A value the ERP does not keep
 * comes back as the neutral value documented here; a row query it cannot evaluate is refused with
 * ErpRowQueryError('unsupported'), the same for every adapter.
 */
export interface ErpCapabilities {
  /**
   * 'flag': the ERP keeps a customer block (Business Central's Customer."Blocked", credit holds
   * included). 'inactive': it has none (Tryton has no credit hold): a deactivated customer is
   * reported as blocked 'all', every other one 'none'.
   */
  readonly customerBlock: 'flag' | 'inactive';
  /** Shipments name their carrier; false: ErpShipment.carrier is always null. */
  readonly shipmentCarrier: boolean;
  /** The ERP keeps the customer's total sales; false: ErpCustomerFinancials.totalSalesExcludingTax is null. */
  readonly totalSales: boolean;
  /**
   * Financial details exist for every customer; false: only for customers with an open invoice,
   * the others are absent from financialsByCustomers (read absence as zero).
   */
  readonly financialsForEveryCustomer: boolean;
  /**
   * Per row set, the port fields a row query may filter on and order by; any other field is refused
   * ('unsupported'). Absent when the adapter serves no row queries.
   */
  readonly rowFields?: { readonly [S in RowSet]: RowFieldSupport };
  /**
   * A row query may negate contains/startsWith/endsWith (pushed down, or tested on the rows read);
   * false: such a query is refused ('unsupported').
   */
  readonly negatedTextFunctions?: boolean;
}

export interface RowFieldSupport {
  readonly filter: readonly string[];
  readonly order: readonly string[];
}

/**
 * A change the ERP reported: one record (by the ERP's internal id, which for a deletion is all there
 * is), or many records of a set at once (`collection`: those modified since `modifiedSince`, or
 * possibly every record when null — deletions among them, or notifications that were lost).
 */
export type ErpChangeNotice =
  | {
      readonly set: ErpScanSet;
      readonly kind: 'created' | 'updated' | 'deleted';
      readonly id: string;
      readonly changedAt: string;
    }
  | {
      readonly set: ErpScanSet;
      readonly kind: 'collection';
      readonly modifiedSince: string | null;
      readonly changedAt: string;
    };

/** What happens to the feed's subscriptions, for logs and metrics. */
export type ErpChangeFeedEvent =
  | { readonly kind: 'subscribed' | 'renewed' | 'recreated'; readonly set: ErpScanSet; readonly expiresAt: string }
  | { readonly kind: 'subscription-failed'; readonly set: ErpScanSet; readonly error: Error }
  | { readonly kind: 'notification-refused'; readonly reason: string; readonly status: number };

export interface ErpChangeFeedOptions {
  /** Where the ERP sends notifications: this process's notification endpoint, as the ERP reaches it. */
  readonly notificationUrl: string;
  /** The shared secret the ERP repeats in every notification (checked in constant time). */
  readonly clientState: string;
  /** The sets to be notified about; the feed's `sets` are those it can do. */
  readonly sets: readonly ErpScanSet[];
  /** Checked notifications, in the order received (called before the ERP is answered). */
  onChanges(notices: readonly ErpChangeNotice[]): void;
  onEvent?(event: ErpChangeFeedEvent): void;
  /** How often the subscriptions are checked, renewed and re-created (default 60 s). */
  readonly checkIntervalMs?: number;
  /** Renew a subscription when less than this is left of it (default 24 h, at most half its life). */
  readonly renewBeforeMs?: number;
}

/**
 * Change notifications pushed by the ERP (Business Central webhooks). The caller serves `handler`
 * on the port `notificationUrl` names, then calls start(): the feed registers its subscriptions
 * (the ERP calls the endpoint to check it), keeps them renewed, and re-creates a lost one,
 * reporting a `collection` notice for its set since changes may have been missed meanwhile.
 */
export interface ErpChangeFeed {
  /** The sets this ERP can notify about (of those asked for). */
  readonly sets: readonly ErpScanSet[];
  /** The notification endpoint (plain Node HTTP handler). */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** Registers the subscriptions; resolves once each has been tried (failures are retried in the background). */
  start(ctx: CallContext): Promise<void>;
  /** Stops renewing; with `unsubscribe`, deletes the subscriptions too. */
  stop(options?: { unsubscribe?: boolean }): Promise<void>;
}

export interface ErpPort {
  readonly adapter: string;
  /** Absent: the ERP answers everything as the port describes it (test fakes). */
  readonly capabilities?: ErpCapabilities;
  customersByNumbers(numbers: readonly string[], ctx: CallContext): Promise<Map<string, ErpCustomer>>;
  /** See ErpCapabilities.financialsForEveryCustomer for customers without financial details. */
  financialsByCustomers(numbers: readonly string[], ctx: CallContext): Promise<Map<string, ErpCustomerFinancials>>;
  paymentTermsByIds(ids: readonly string[], ctx: CallContext): Promise<Map<string, ErpPaymentTerms>>;
  /** Invoices with status open (remaining > 0), per customer. */
  openInvoicesByCustomers(numbers: readonly string[], ctx: CallContext): Promise<Map<string, ErpInvoice[]>>;
  /** Sales orders (with lines), per customer, newest first. */
  ordersByCustomers(numbers: readonly string[], ctx: CallContext): Promise<Map<string, ErpOrder[]>>;
  ordersByNumbers(numbers: readonly string[], ctx: CallContext): Promise<Map<string, ErpOrder>>;
  /** Orders (with lines) carrying the given external document numbers (there may be several). */
  ordersByExternalDocumentNumbers(refs: readonly string[], ctx: CallContext): Promise<Map<string, ErpOrder[]>>;
  /** Posted shipments (with lines), per customer, newest first. */
  shipmentsByCustomers(numbers: readonly string[], ctx: CallContext): Promise<Map<string, ErpShipment[]>>;
  shipmentsByOrderNumbers(orderNumbers: readonly string[], ctx: CallContext): Promise<Map<string, ErpShipment[]>>;
  itemsByNumbers(numbers: readonly string[], ctx: CallContext): Promise<Map<string, ErpItem>>;
  /** Not idempotent: callers must look the order up by externalDocumentNumber before retrying. */
  createSalesOrder(order: NewSalesOrder, ctx: CallContext): Promise<ErpOrder>;
  /**
   * Deletes a sales order the ERP still allows deleting (Business Central: a Draft, i.e. not yet
   * released); 'not_found' when it is already gone. An order past that point is refused by the ERP
   * (a BackendError, failure 'rejected'). Optional: a port without it cannot remove a duplicate
   * order, which is then flagged for a person instead.
   */
  deleteSalesOrder?(
    order: Pick<ErpOrder, 'id' | 'number' | 'customerNumber'>,
    ctx: CallContext,
  ): Promise<'deleted' | 'not_found'>;
  /**
   * One page of a whole-set scan (the shield's read replica). Optional: a port without it simply
   * cannot feed a replica. Never cached; one request per page.
   */
  scanPage?<S extends ErpScanSet>(set: S, request: ErpScanRequest, ctx: CallContext): Promise<ErpScanPage<S>>;
  /**
   * A filtered, ordered page of one entity set, evaluated by the ERP (row-query.ts has the filter
   * language and its semantics). Throws ErpRowQueryError for a query the adapter will not run.
   * Optional, like scanPage: a port without it serves no row queries.
   */
  queryRows?<S extends RowSet>(set: S, query: RowQuery, ctx: CallContext): Promise<RowPage<S>>;
  /**
   * Change notifications pushed by the ERP. Optional: an ERP without webhooks (Tryton) has none,
   * and its data is kept fresh by TTLs and polling alone.
   */
  changeFeed?(options: ErpChangeFeedOptions): ErpChangeFeed;
  /** Cheap authenticated call for readiness checks. */
  ping(ctx: CallContext): Promise<void>;
}
