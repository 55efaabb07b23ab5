// The link from an ERP order back to its Salesforce quote: externalDocumentNumber `SFQ-<18-character
// quote id>` (22 characters; Business Central's External Document No. holds 35). submitQuote writes
// it, and looks an order up by it before ever creating one: the ERP does not enforce its uniqueness,
// so this lookup is what makes a retried submission find the order it already created.
import type { ErpOrder } from '../../../connectors/erp/port.js';

export function quoteExternalDocumentNumber(quoteId18: string): string {
  return `SFQ-${quoteId18}`;
}

/**
 * Of several orders carrying the reference (someone copied it by hand), the first one created: the
 * lowest number (Business Central numbers documents in sequence).
 */
export function firstOrder(orders: readonly ErpOrder[]): ErpOrder | null {
  return orders.toSorted((a, b) => a.number.localeCompare(b.number, 'en', { numeric: true }))[0] ?? null;
}
