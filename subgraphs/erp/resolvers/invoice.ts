// Invoice (parent: the port's invoice). Ageing is computed against the request's `today` (UTC
// calendar date from the context's clock), so tests can pin the date.
import type { InvoiceResolvers } from '../__generated__/resolvers-types.js';
import type { ErpInvoice } from '../../../connectors/erp/port.js';
import { freshnessResolvers } from '../../shared/freshness.js';
import { daysBetween } from '../dates.js';
import { isPositive, money } from '../money.js';
import { INVOICE_STATUS } from '../statuses.js';

function daysOverdue(invoice: ErpInvoice, today: string): number {
  if (invoice.status !== 'open' || !isPositive(invoice.remaining)) return 0;
  return Math.max(0, daysBetween(invoice.dueDate, today));
}

export const invoiceResolvers: InvoiceResolvers = {
  ...freshnessResolvers,
  status: (invoice) => INVOICE_STATUS[invoice.status],
  total: (invoice) => money(invoice.totalIncludingTax, invoice.currency),
  remaining: (invoice) => money(invoice.remaining, invoice.currency),
  isOverdue: (invoice, _args, { today }) => daysOverdue(invoice, today) > 0,
  daysOverdue: (invoice, _args, { today }) => daysOverdue(invoice, today),
  order: (invoice, _args, { loaders }) =>
    invoice.orderNumber === null ? null : loaders.orderByNumber.load(invoice.orderNumber),
};
