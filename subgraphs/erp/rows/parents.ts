// Parents of the row-query page types (codegen.yml maps CustomerPage, InvoicePage, ... to these):
// the page's port records, and the count when the query selected totalCount (it is computed by the
// ERP only then).
import type { ErpCustomer, ErpInvoice, ErpItem, ErpOrder, ErpShipment } from '../../../connectors/erp/port.js';
import type { OrderLineParent } from '../parents.js';

export interface RowPageParent<T> {
  readonly nodes: readonly T[];
  /** Null when totalCount was not selected (and not asked of the ERP). */
  readonly totalCount: number | null;
}

export type CustomerPageParent = RowPageParent<ErpCustomer>;
export type InvoicePageParent = RowPageParent<ErpInvoice>;
export type OrderPageParent = RowPageParent<ErpOrder>;
export type OrderLinePageParent = RowPageParent<OrderLineParent>;
export type ShipmentPageParent = RowPageParent<ErpShipment>;
export type ProductPageParent = RowPageParent<ErpItem>;
