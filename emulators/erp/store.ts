// The ERP's data: one company's entity sets as indexed tables over the dataset's records, plus the
// writes the API allows (sales orders, customer updates, posting) and those the activity simulator
// makes as a user in the client would (releasing, posting part of an order). Writes keep derived
// state consistent — indexes, ETags, the document number series, the customer's balance — so a
// created order is immediately found by number, customer or external document number. Every write
// of a record is reported to the change listeners (webhooks.ts) through the tables (table.ts).
import { randomUUID } from 'node:crypto';
import { ENTITY_SETS, type EntitySetName } from './entity-sets.js';
import { EtagCache } from './etag.js';
import { postSalesOrder, type PostingResult } from './posting.js';
import { Table, type RowChangeKind } from './table.js';
import { fromCents, lineAmountCents, salesTaxCents, toCents } from '../seed/money.js';
import type {
  BcCompany,
  BcCustomer,
  BcCustomerFinancialDetail,
  BcItem,
  BcPaymentTerm,
  BcSalesInvoice,
  BcSalesOrder,
  BcSalesOrderLine,
  BcSalesShipment,
  ErpDataset,
} from '../seed/types.js';

export interface EntitySetRows {
  customers: BcCustomer;
  customerFinancialDetails: BcCustomerFinancialDetail;
  paymentTerms: BcPaymentTerm;
  items: BcItem;
  salesOrders: BcSalesOrder;
  salesShipments: BcSalesShipment;
  salesInvoices: BcSalesInvoice;
}

/** A validated order to create (see sales-orders.ts). */
export interface NewSalesOrder {
  customer: BcCustomer;
  externalDocumentNumber: string;
  orderDate: string;
  requestedDeliveryDate: string;
  currencyCode: string;
  lines: Array<{ item: BcItem; quantity: number; unitPrice: number; discountPercent: number; description: string }>;
}

export type SalesOrderChanges = Partial<
  Pick<BcSalesOrder, 'externalDocumentNumber' | 'orderDate' | 'requestedDeliveryDate'>
>;

/** The customer fields the API lets a client change (customer-updates.ts validates them). */
export type CustomerChanges = Partial<
  Pick<
    BcCustomer,
    | 'displayName'
    | 'addressLine1'
    | 'addressLine2'
    | 'city'
    | 'state'
    | 'country'
    | 'postalCode'
    | 'phoneNumber'
    | 'email'
    | 'website'
    | 'taxLiable'
    | 'paymentTermsId'
    | 'blocked'
    | 'creditLimit'
  >
>;

/** A record of an entity set was created, updated or deleted (what webhooks notify). */
export interface ErpChange {
  readonly set: EntitySetName;
  readonly kind: RowChangeKind;
  readonly id: string;
  /** The record's lastModifiedDateTime; the time of the change for deletions and sets without one. */
  readonly lastModifiedDateTime: string;
}

export type ErpChangeListener = (change: ErpChange) => void;

export interface PostingOptions {
  /** Quantity to ship and invoice per order line id, 0 for lines not named (default: everything outstanding). */
  quantities?: ReadonlyMap<string, number>;
  shippingAgentCode?: string;
  packageTrackingNo?: string;
}

/** Business Central numbers document lines 10000, 20000, ... */
const LINE_SEQUENCE_STEP = 10_000;
/** BC's empty date. */
export const BLANK_DATE = '0001-01-01';

export class ErpStore {
  readonly company: BcCompany;
  readonly etags = new EtagCache();
  private readonly tables: { [K in EntitySetName]: Table<EntitySetRows[K]> };
  private readonly currencies: ReadonlySet<string>;
  private nextOrderNumber: number;
  private nextShipmentNumber: number;
  private nextInvoiceNumber: number;
  private readonly changeListeners: ErpChangeListener[] = [];

  constructor(
    dataset: ErpDataset,
    private readonly now: () => Date,
  ) {
    // No deep copy (10,000 customers' documents take seconds to clone): tables keep their own
    // row arrays and never mutate a record (updates replace it), so the caller's dataset — possibly
    // shared with another emulator — is never changed.
    const data = dataset;
    this.company = { ...data.company };
    const table = <K extends EntitySetName>(name: K, rows: EntitySetRows[K][]) => {
      const def = ENTITY_SETS.get(name)!;
      return new Table<EntitySetRows[K]>(def.indexed, def.type.properties, rows);
    };
    this.tables = {
      customers: table('customers', data.customers),
      customerFinancialDetails: table('customerFinancialDetails', data.customerFinancialDetails),
      paymentTerms: table('paymentTerms', data.paymentTerms),
      items: table('items', data.items),
      salesOrders: table('salesOrders', data.salesOrders),
      salesShipments: table('salesShipments', data.salesShipments),
      salesInvoices: table('salesInvoices', data.salesInvoices),
    };
    this.currencies = new Set(data.customers.map((customer) => customer.currencyCode));
    const next = (numbers: Iterable<string>, prefix: string) => {
      let max = 100_000;
      for (const number of numbers) {
        const n = new RegExp(`^${prefix}-(\\d+)$`).exec(number);
        if (n) max = Math.max(max, Number(n[1]));
      }
      return max + 1;
    };
    this.nextOrderNumber = next(
      data.salesOrders.map((o) => o.number),
      'SO',
    );
    this.nextShipmentNumber = next(
      data.salesShipments.map((s) => s.number),
      'SS',
    );
    this.nextInvoiceNumber = next(
      data.salesInvoices.map((i) => i.number),
      'SI',
    );
    for (const name of Object.keys(this.tables) as EntitySetName[]) {
      this.tables[name].onChange((kind, row) => this.emit(name, kind, row));
    }
  }

  /** Called with every change of a record, after it is made. */
  onChange(listener: ErpChangeListener): void {
    this.changeListeners.push(listener);
  }

  private emit(set: EntitySetName, kind: RowChangeKind, row: { id: string; lastModifiedDateTime?: string }): void {
    const lastModifiedDateTime =
      kind !== 'deleted' && row.lastModifiedDateTime ? row.lastModifiedDateTime : this.now().toISOString();
    for (const listener of this.changeListeners) listener({ set, kind, id: row.id, lastModifiedDateTime });
  }

  table<K extends EntitySetName>(name: K): Table<EntitySetRows[K]> {
    return this.tables[name];
  }

  /** Currency codes in use (the emulator's stand-in for BC's Currency table). */
  knownCurrency(code: string): boolean {
    return this.currencies.has(code);
  }

  createSalesOrder(input: NewSalesOrder): BcSalesOrder {
    const id = randomUUID();
    const { customer } = input;
    const shipmentDate = input.requestedDeliveryDate !== BLANK_DATE ? input.requestedDeliveryDate : input.orderDate;
    let netCents = 0;
    const lines: BcSalesOrderLine[] = input.lines.map((line, i) => {
      // Same cent arithmetic as the seed, so created and seeded orders total alike.
      const amountCents = lineAmountCents(line.quantity, toCents(line.unitPrice), line.discountPercent);
      netCents += amountCents;
      return {
        id: randomUUID(),
        documentId: id,
        sequence: (i + 1) * LINE_SEQUENCE_STEP,
        itemId: line.item.id,
        lineType: 'Item',
        lineObjectNumber: line.item.number,
        description: line.description,
        unitOfMeasureCode: line.item.baseUnitOfMeasureCode,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        discountPercent: line.discountPercent,
        amountExcludingTax: fromCents(amountCents),
        netAmount: fromCents(amountCents),
        shippedQuantity: 0,
        invoicedQuantity: 0,
        shipmentDate,
      };
    });
    const taxCents = salesTaxCents(netCents, customer.taxLiable);
    const order: BcSalesOrder = {
      id,
      number: `SO-${String(this.nextOrderNumber++).padStart(6, '0')}`,
      externalDocumentNumber: input.externalDocumentNumber,
      orderDate: input.orderDate,
      requestedDeliveryDate: input.requestedDeliveryDate,
      customerId: customer.id,
      customerNumber: customer.number,
      customerName: customer.displayName,
      currencyCode: input.currencyCode,
      // The API's "Draft" is an order that is not released yet (Sales Header status Open).
      status: 'Draft',
      fullyShipped: false,
      totalAmountExcludingTax: fromCents(netCents),
      totalTaxAmount: fromCents(taxCents),
      totalAmountIncludingTax: fromCents(netCents + taxCents),
      lastModifiedDateTime: this.now().toISOString(),
      salesOrderLines: lines,
    };
    this.tables.salesOrders.insert(order);
    return order;
  }

  /** Returns the updated order (a new object: rows are immutable). */
  updateSalesOrder(order: BcSalesOrder, changes: SalesOrderChanges): BcSalesOrder {
    return this.tables.salesOrders.update(order, { ...changes, lastModifiedDateTime: this.now().toISOString() });
  }

  deleteSalesOrder(order: BcSalesOrder): void {
    this.tables.salesOrders.remove(order);
  }

  /** Returns the updated customer (a new object). */
  updateCustomer(customer: BcCustomer, changes: CustomerChanges): BcCustomer {
    return this.tables.customers.update(customer, { ...changes, lastModifiedDateTime: this.now().toISOString() });
  }

  /** What a user's "Release" does in the client (the API has no release action). */
  releaseSalesOrder(order: BcSalesOrder): BcSalesOrder {
    return this.tables.salesOrders.update(order, {
      status: 'Released',
      lastModifiedDateTime: this.now().toISOString(),
    });
  }

  /**
   * Ships and invoices an order (posting.ts): inserts the posted shipment and invoice, updates the
   * order or deletes it once fully posted, and moves the customer's balance and the items'
   * inventory, which Business Central computes from its ledgers (silent: no record changes there).
   */
  postSalesOrder(order: BcSalesOrder, options: PostingOptions = {}): PostingResult {
    const customer = this.tables.customers.get(order.customerId);
    if (!customer) throw new Error(`order ${order.number} names no customer`);
    const at = this.now().toISOString();
    const result = postSalesOrder({
      order,
      customer,
      paymentTerms: this.tables.paymentTerms.get(customer.paymentTermsId),
      ...(options.quantities ? { quantities: options.quantities } : {}),
      shipmentNumber: `SS-${this.nextShipmentNumber}`,
      invoiceNumber: `SI-${this.nextInvoiceNumber}`,
      postingDate: at.slice(0, 10),
      at,
      ...(options.shippingAgentCode !== undefined ? { shippingAgentCode: options.shippingAgentCode } : {}),
      ...(options.packageTrackingNo !== undefined ? { packageTrackingNo: options.packageTrackingNo } : {}),
    });
    this.nextShipmentNumber += 1;
    this.nextInvoiceNumber += 1;
    this.tables.salesShipments.insert(result.shipment);
    this.tables.salesInvoices.insert(result.invoice);
    if (result.order) this.tables.salesOrders.update(order, result.order);
    else this.tables.salesOrders.remove(order);

    const total = fromCents(result.totalCents);
    this.tables.customers.update(
      customer,
      { balanceDue: fromCents(toCents(customer.balanceDue) + result.totalCents) },
      { silent: true },
    );
    const financials = this.tables.customerFinancialDetails.get(customer.id);
    if (financials) {
      this.tables.customerFinancialDetails.update(
        financials,
        {
          balance: fromCents(toCents(financials.balance) + toCents(total)),
          totalSalesExcludingTax: fromCents(toCents(financials.totalSalesExcludingTax) + result.netCents),
        },
        { silent: true },
      );
    }
    for (const line of result.shipment.salesShipmentLines) {
      const item = this.tables.items.findBy('number', line.lineObjectNumber);
      if (item) this.tables.items.update(item, { inventory: item.inventory - line.quantity }, { silent: true });
    }
    return result;
  }
}
