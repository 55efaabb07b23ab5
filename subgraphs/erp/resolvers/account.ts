// The ERP's side of Account (entity, key `erpCustomerNumber`). __resolveReference makes no ERP call:
// it returns the key, and each requested field loads what it needs by customer number, batched over
// all representations of the request (one port call per entity kind, however many accounts). A
// customer the ERP does not know has credit and billingAddress null and empty lists.
import type { AccountResolvers } from '../__generated__/resolvers-types.js';
import { canSeeCustomer } from '../../shared/partner-scope.js';

export const accountResolvers: AccountResolvers = {
  // A partner's reference to a customer outside its scope resolves to nothing (its loaders would
  // also find nothing: ../loaders.ts), as if the customer did not exist.
  __resolveReference: ({ erpCustomerNumber }, { identity }) =>
    canSeeCustomer(identity, erpCustomerNumber) ? { erpCustomerNumber } : null,
  credit: ({ erpCustomerNumber }, _args, { loaders }) => loaders.customerByNumber.load(erpCustomerNumber),
  billingAddress: async ({ erpCustomerNumber }, _args, { loaders }) =>
    (await loaders.customerByNumber.load(erpCustomerNumber))?.address ?? null,
  openInvoices: async ({ erpCustomerNumber }, _args, { loaders }) => {
    const invoices = await loaders.openInvoicesByCustomer.load(erpCustomerNumber);
    // The SDL promises oldest due date first; the port promises no order for invoices.
    return invoices.toSorted((a, b) => a.dueDate.localeCompare(b.dueDate) || a.number.localeCompare(b.number));
  },
  orders: ({ erpCustomerNumber }, _args, { loaders }) => loaders.ordersByCustomer.load(erpCustomerNumber),
  shipments: ({ erpCustomerNumber }, _args, { loaders }) => loaders.shipmentsByCustomer.load(erpCustomerNumber),
};
