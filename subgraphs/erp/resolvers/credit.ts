// Credit (parent: the ERP customer). Amounts the customer record carries cost nothing more; open
// order exposure and available credit load the customer's orders, overdue loads its financials —
// each only when that field is selected, batched across accounts.
import type { CreditResolvers } from '../__generated__/resolvers-types.js';
import { freshnessResolvers } from '../../shared/freshness.js';
import { availableCredit, openOrderExposure } from '../credit.js';
import { money, zeroLike } from '../money.js';
import { HOLD_REASON } from '../statuses.js';

export const creditResolvers: CreditResolvers = {
  ...freshnessResolvers,
  limit: (customer) => money(customer.creditLimit, customer.currency),
  balance: (customer) => money(customer.balanceDue, customer.currency),
  openOrderExposure: async (customer, _args, { loaders }) => {
    const orders = await loaders.ordersByCustomer.load(customer.number);
    return money(openOrderExposure(customer, orders), customer.currency);
  },
  available: async (customer, _args, { loaders }) => {
    const orders = await loaders.ordersByCustomer.load(customer.number);
    return money(availableCredit(customer, openOrderExposure(customer, orders)), customer.currency);
  },
  overdue: async (customer, _args, { loaders }) => {
    const financials = await loaders.financialsByCustomer.load(customer.number);
    return money(financials?.overdueAmount ?? zeroLike(customer.balanceDue), customer.currency);
  },
  onHold: (customer) => customer.blocked !== 'none',
  holdReason: (customer) => HOLD_REASON[customer.blocked],
  paymentTerms: (customer, _args, { loaders }) =>
    customer.paymentTermsId === null ? null : loaders.paymentTermsById.load(customer.paymentTermsId),
};
