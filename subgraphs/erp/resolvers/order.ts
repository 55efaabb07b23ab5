// Order (entity, key `number`) and its lines.
import type { OrderLineResolvers, OrderResolvers } from '../__generated__/resolvers-types.js';
import { isErpKey } from '../../shared/erp-keys.js';
import { canSeeCustomer } from '../../shared/partner-scope.js';
import { freshnessResolvers } from '../../shared/freshness.js';
import { money } from '../money.js';
import { ORDER_STATUS } from '../statuses.js';

/**
 * submitQuote writes `SFQ-<Salesforce quote id>` into the order's external document number; that is
 * the only link from an ERP order back to its quote (DESIGN.md, idempotency).
 */
const QUOTE_REFERENCE = /^SFQ-([A-Za-z0-9]{15,18})$/;

export const orderResolvers: OrderResolvers = {
  ...freshnessResolvers,
  __resolveReference: ({ number }, { loaders }) => (isErpKey(number) ? loaders.orderByNumber.load(number) : null),
  status: (order) => ORDER_STATUS[order.status],
  totalExcludingTax: (order) => money(order.totalExcludingTax, order.currency),
  total: (order) => money(order.totalIncludingTax, order.currency),
  lines: (order) =>
    order.lines.map((line) => ({
      ...line,
      orderNumber: order.number,
      customerNumber: order.customerNumber,
      currency: order.currency,
    })),
  shipments: (order, _args, { loaders }) => loaders.shipmentsByOrderNumber.load(order.number),
  // Orders reach here scoped already (every way to one is); checked again all the same, since the
  // reference leaves this subgraph (the gateway resolves it in the Salesforce subgraph).
  account: (order, _args, { identity }) =>
    canSeeCustomer(identity, order.customerNumber) ? { erpCustomerNumber: order.customerNumber } : null,
  quote: (order) => {
    const match = QUOTE_REFERENCE.exec(order.externalDocumentNumber ?? '');
    return match?.[1] === undefined ? null : { id: match[1] };
  },
};

export const orderLineResolvers: OrderLineResolvers = {
  product: (line, _args, { loaders }) => loaders.itemByNumber.load(line.itemNumber),
  unitPrice: (line) => money(line.unitPrice, line.currency),
  amount: (line) => money(line.amount, line.currency),
};
