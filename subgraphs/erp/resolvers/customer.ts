// Customer (parent: the port's ErpCustomer), served by the `customers` row query. Its credit summary
// is the very same Credit as Account.credit: the record is Credit's parent too, so the computed
// amounts (exposure from the customer's orders, overdue from its financials) load exactly as there,
// batched across the page, and asOf / stale are the record's.
import type { CustomerBlock } from '../../../connectors/erp/port.js';
import type { CustomerBlocked, CustomerResolvers } from '../__generated__/resolvers-types.js';
import { freshnessResolvers } from '../../shared/freshness.js';

const BLOCKED: Record<CustomerBlock, CustomerBlocked> = { none: 'NONE', ship: 'SHIP', invoice: 'INVOICE', all: 'ALL' };

export const customerResolvers: CustomerResolvers = {
  ...freshnessResolvers,
  blocked: (customer) => BLOCKED[customer.blocked],
  credit: (customer) => customer,
  account: (customer) => ({ erpCustomerNumber: customer.number }),
};
