// The ERP's data: one company's entity sets as indexed tables over the dataset's records, plus the
// writes the API allows (sales orders). Writes keep derived state consistent — indexes,
// ETags, the document number series — so a created order is immediately found by number,
// customer or external document number.
import { randomUUID } from 'node:crypto';
import { ENTITY_SETS, type EntitySetName } from './entity-sets.js';
import { EtagCache } from './etag.js';
import { Table } from './table.js';
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

export type SalesOrderChanges = Partial<Pick<BcSalesOrder, 'externalDocumentNumber' | 'orderDate' | 'requestedDeliveryDate'>>;

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
    let max = 100_000;
    for (const order of data.salesOrders) {
      const n = /^SO-(\d+)$/.exec(order.number);
      if (n) max = Math.max(max, Number(n[1]));
    }
    this.nextOrderNumber = max + 1;
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
}
