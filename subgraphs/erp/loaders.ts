// Per-request DataLoaders of the ERP subgraph: one per lookup by key, each batch one `served` read of
// the shielded ERP (see ../shared/loaders.ts for why). Every loader of customer rows is scoped to
// the caller (../shared/partner-scope.ts): a partner's keys outside its scope are never looked up,
// and a record of another customer (an order found by number, a shipment of an order) comes back as
// none. Every path to an order, invoice, shipment or customer goes through these loaders, so no query
// path is left unscoped. Items and payment terms are catalog data, not customer rows.
import type { CallContext } from '../../lib/call-context.js';
import type { Identity } from '../../lib/identity.js';
import type { ShieldedErp } from '../../shield/index.js';
import type { FreshnessLedger } from '../shared/freshness.js';
import { listLoader, recordLoader } from '../shared/loaders.js';
import { customerKeys, scopeLists, scopeRecords } from '../shared/partner-scope.js';

export type ErpLoaders = ReturnType<typeof createErpLoaders>;

export function createErpLoaders(erp: ShieldedErp, call: CallContext, freshness: FreshnessLedger, identity: Identity) {
  const { served } = erp;
  // Customer numbers come from Salesforce data (Account representations): checked before use, and
  // for a partner only its own.
  const customerKey = { accepts: customerKeys(identity) };
  const ofCustomer = (row: { customerNumber: string }) => row.customerNumber;
  return {
    customerByNumber: recordLoader(
      scopeRecords(
        identity,
        (numbers) => served.customersByNumbers(numbers, call),
        (customer) => customer.number,
      ),
      freshness,
      customerKey,
    ),
    financialsByCustomer: recordLoader(
      scopeRecords(identity, (numbers) => served.financialsByCustomers(numbers, call), ofCustomer),
      freshness,
      customerKey,
    ),
    paymentTermsById: recordLoader((ids) => served.paymentTermsByIds(ids, call), freshness),
    openInvoicesByCustomer: listLoader(
      scopeLists(identity, (numbers) => served.openInvoicesByCustomers(numbers, call), ofCustomer),
      freshness,
      customerKey,
    ),
    ordersByCustomer: listLoader(
      scopeLists(identity, (numbers) => served.ordersByCustomers(numbers, call), ofCustomer),
      freshness,
      customerKey,
    ),
    orderByNumber: recordLoader(
      scopeRecords(identity, (numbers) => served.ordersByNumbers(numbers, call), ofCustomer),
      freshness,
    ),
    shipmentsByCustomer: listLoader(
      scopeLists(identity, (numbers) => served.shipmentsByCustomers(numbers, call), ofCustomer),
      freshness,
      customerKey,
    ),
    shipmentsByOrderNumber: listLoader(
      scopeLists(identity, (numbers) => served.shipmentsByOrderNumbers(numbers, call), ofCustomer),
      freshness,
    ),
    itemByNumber: recordLoader((numbers) => served.itemsByNumbers(numbers, call), freshness),
  };
}
