// Per-request DataLoaders of the ERP subgraph: one per lookup by key, each batch one `served` read of
// the shielded ERP (see ../shared/loaders.ts for why).
import type { CallContext } from '../../lib/call-context.js';
import type { ShieldedErp } from '../../shield/index.js';
import { isErpKey } from '../shared/erp-keys.js';
import type { FreshnessLedger } from '../shared/freshness.js';
import { listLoader, recordLoader } from '../shared/loaders.js';

export type ErpLoaders = ReturnType<typeof createErpLoaders>;

export function createErpLoaders(erp: ShieldedErp, call: CallContext, freshness: FreshnessLedger) {
  const { served } = erp;
  // Customer numbers come from Salesforce data (Account representations): checked before use.
  const customerKey = { accepts: isErpKey };
  return {
    customerByNumber: recordLoader((numbers) => served.customersByNumbers(numbers, call), freshness, customerKey),
    financialsByCustomer: recordLoader((numbers) => served.financialsByCustomers(numbers, call), freshness, customerKey),
    paymentTermsById: recordLoader((ids) => served.paymentTermsByIds(ids, call), freshness),
    openInvoicesByCustomer: listLoader((numbers) => served.openInvoicesByCustomers(numbers, call), freshness, customerKey),
    ordersByCustomer: listLoader((numbers) => served.ordersByCustomers(numbers, call), freshness, customerKey),
    orderByNumber: recordLoader((numbers) => served.ordersByNumbers(numbers, call), freshness),
    shipmentsByCustomer: listLoader((numbers) => served.shipmentsByCustomers(numbers, call), freshness, customerKey),
    shipmentsByOrderNumber: listLoader((numbers) => served.shipmentsByOrderNumbers(numbers, call), freshness),
    itemByNumber: recordLoader((numbers) => served.itemsByNumbers(numbers, call), freshness),
  };
}
