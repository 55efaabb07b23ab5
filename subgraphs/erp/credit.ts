// The credit position's derived amounts (documented on Credit in schema/erp.graphql).
import type { Decimal, ErpCustomer, ErpOrder } from '../../connectors/erp/port.js';
import { subtract, sum, zeroLike } from './money.js';

/**
 * Total including tax of the customer's sales orders that are not fully shipped, whatever their
 * status, in the customer's currency (an order in another currency cannot be added to it and is
 * left out). Every status counts: Business Central's credit check counts all outstanding sales
 * orders, released or not (an API "Draft" is an un-released order, which is exactly what
 * submitQuote creates), so two quotes submitted back to back must see each other's exposure.
 */
export function openOrderExposure(customer: ErpCustomer, orders: readonly ErpOrder[]): Decimal {
  const exposed = orders
    .filter((order) => !order.fullyShipped && order.currency === customer.currency)
    .map((order) => order.totalIncludingTax);
  return exposed.length === 0 ? zeroLike(customer.creditLimit) : sum(exposed);
}

/** limit - balance - exposure; negative when the customer is over its limit. */
export function availableCredit(customer: ErpCustomer, exposure: Decimal): Decimal {
  return subtract(customer.creditLimit, customer.balanceDue, exposure);
}
