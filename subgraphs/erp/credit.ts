// The credit position's derived amounts (documented on Credit in schema/erp.graphql).
import type { Decimal, ErpCustomer, ErpOrder, OrderStatus } from '../../connectors/erp/port.js';
import { subtract, sum, zeroLike } from './money.js';

/** Orders that still commit credit: accepted by the ERP (open or released), not yet fully shipped. */
const EXPOSED_STATUSES: ReadonlySet<OrderStatus> = new Set(['open', 'released']);

/**
 * Total including tax of the customer's open or released sales orders that are not fully shipped, in
 * the customer's currency (an order in another currency cannot be added to it and is left out).
 */
export function openOrderExposure(customer: ErpCustomer, orders: readonly ErpOrder[]): Decimal {
  const exposed = orders
    .filter((order) => EXPOSED_STATUSES.has(order.status) && !order.fullyShipped && order.currency === customer.currency)
    .map((order) => order.totalIncludingTax);
  return exposed.length === 0 ? zeroLike(customer.creditLimit) : sum(exposed);
}

/** limit - balance - exposure; negative when the customer is over its limit. */
export function availableCredit(customer: ErpCustomer, exposure: Decimal): Decimal {
  return subtract(customer.creditLimit, customer.balanceDue, exposure);
}
