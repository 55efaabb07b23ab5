// Parent types of the ERP subgraph's resolvers that are not plain port records (codegen.yml maps
// the GraphQL types to them, so resolvers receive exactly these).
import type { ErpOrderLineRow } from '../../connectors/erp/port.js';

/**
 * The ERP's side of an Account: just the key. Every field loads what it needs by customer number, so
 * a query that asks only for `orders` costs no customer lookup.
 */
export interface AccountRef {
  readonly erpCustomerNumber: string;
}

/**
 * An order line with its order's number, customer and currency (lines carry none of their own):
 * the port's line row, whether it came with its order (Order.lines) or from a row query.
 */
export type OrderLineParent = ErpOrderLineRow;
