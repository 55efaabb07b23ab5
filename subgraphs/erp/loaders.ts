// Per-request DataLoaders of the ERP subgraph: one per lookup by key, each batch one port call (see
// ../shared/loaders.ts for why). This is the first line of ERP shielding (DESIGN.md).
import type { ErpPort } from '../../connectors/erp/port.js';
import type { CallContext } from '../../lib/call-context.js';
import { isErpKey } from '../shared/erp-keys.js';
import { listLoader, recordLoader } from '../shared/loaders.js';

export type ErpLoaders = ReturnType<typeof createErpLoaders>;

export function createErpLoaders(erp: ErpPort, call: CallContext) {
  // Customer numbers come from Salesforce data (Account representations): checked before use.
  const customerKey = { accepts: isErpKey };
  return {
    customerByNumber: recordLoader((numbers) => erp.customersByNumbers(numbers, call), customerKey),
    financialsByCustomer: recordLoader((numbers) => erp.financialsByCustomers(numbers, call), customerKey),
    paymentTermsById: recordLoader((ids) => erp.paymentTermsByIds(ids, call)),
    openInvoicesByCustomer: listLoader((numbers) => erp.openInvoicesByCustomers(numbers, call), customerKey),
    ordersByCustomer: listLoader((numbers) => erp.ordersByCustomers(numbers, call), customerKey),
    orderByNumber: recordLoader((numbers) => erp.ordersByNumbers(numbers, call)),
    shipmentsByCustomer: listLoader((numbers) => erp.shipmentsByCustomers(numbers, call), customerKey),
    shipmentsByOrderNumber: listLoader((numbers) => erp.shipmentsByOrderNumbers(numbers, call)),
    itemByNumber: recordLoader((numbers) => erp.itemsByNumbers(numbers, call)),
  };
}
