// An in-memory ErpPort that records every call (tests only).
import type {
  ErpCustomer,
  ErpCustomerFinancials,
  ErpInvoice,
  ErpItem,
  ErpOrder,
  ErpPaymentTerms,
  ErpPort,
  ErpShipment,
  NewSalesOrder,
} from '../../../connectors/erp/port.js';
import type { CallContext } from '../../../lib/call-context.js';
import { CallRecorder, groupBy, pick } from './recorder.js';

export interface ErpData {
  customers: ErpCustomer[];
  financials: ErpCustomerFinancials[];
  paymentTerms: ErpPaymentTerms[];
  invoices: ErpInvoice[];
  orders: ErpOrder[];
  shipments: ErpShipment[];
  items: ErpItem[];
}

type Method = Exclude<keyof ErpPort, 'adapter'>;

export class FakeErpPort implements ErpPort {
  readonly adapter = 'fake';
  readonly recorder = new CallRecorder<Method>();

  constructor(readonly data: ErpData) {}

  customersByNumbers(numbers: readonly string[], ctx: CallContext) {
    return this.recorder.record('customersByNumbers', numbers, ctx, () =>
      pick(numbers, (n) => this.data.customers.find((c) => c.number === n)),
    );
  }
  financialsByCustomers(numbers: readonly string[], ctx: CallContext) {
    return this.recorder.record('financialsByCustomers', numbers, ctx, () =>
      pick(numbers, (n) => this.data.financials.find((f) => f.customerNumber === n)),
    );
  }
  paymentTermsByIds(ids: readonly string[], ctx: CallContext) {
    return this.recorder.record('paymentTermsByIds', ids, ctx, () =>
      pick(ids, (id) => this.data.paymentTerms.find((t) => t.id === id)),
    );
  }
  openInvoicesByCustomers(numbers: readonly string[], ctx: CallContext) {
    return this.recorder.record('openInvoicesByCustomers', numbers, ctx, () =>
      groupBy(numbers, this.data.invoices, (i) => i.customerNumber),
    );
  }
  ordersByCustomers(numbers: readonly string[], ctx: CallContext) {
    return this.recorder.record('ordersByCustomers', numbers, ctx, () =>
      groupBy(numbers, this.data.orders, (o) => o.customerNumber),
    );
  }
  ordersByNumbers(numbers: readonly string[], ctx: CallContext) {
    return this.recorder.record('ordersByNumbers', numbers, ctx, () =>
      pick(numbers, (n) => this.data.orders.find((o) => o.number === n)),
    );
  }
  ordersByExternalDocumentNumbers(refs: readonly string[], ctx: CallContext) {
    return this.recorder.record('ordersByExternalDocumentNumbers', refs, ctx, () =>
      groupBy(refs, this.data.orders, (o) => o.externalDocumentNumber),
    );
  }
  shipmentsByCustomers(numbers: readonly string[], ctx: CallContext) {
    return this.recorder.record('shipmentsByCustomers', numbers, ctx, () =>
      groupBy(numbers, this.data.shipments, (s) => s.customerNumber),
    );
  }
  shipmentsByOrderNumbers(numbers: readonly string[], ctx: CallContext) {
    return this.recorder.record('shipmentsByOrderNumbers', numbers, ctx, () =>
      groupBy(numbers, this.data.shipments, (s) => s.orderNumber),
    );
  }
  itemsByNumbers(numbers: readonly string[], ctx: CallContext) {
    return this.recorder.record('itemsByNumbers', numbers, ctx, () =>
      pick(numbers, (n) => this.data.items.find((i) => i.number === n)),
    );
  }
  createSalesOrder(order: NewSalesOrder, ctx: CallContext): Promise<ErpOrder> {
    return this.recorder.record('createSalesOrder', order, ctx, () => {
      throw new Error('not used by these tests');
    });
  }
  ping(ctx: CallContext) {
    return this.recorder.record('ping', null, ctx, () => undefined);
  }
}
