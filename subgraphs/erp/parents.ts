// Parent types of the ERP subgraph's resolvers that are not plain port records (codegen.yml maps
// the GraphQL types to them, so resolvers receive exactly these).
import type { ErpOrderLine } from '../../connectors/erp/port.js';

/**
 * The ERP's side of an Account: just the key. Every field loads what it needs by customer number, so
 * a query that asks only for `orders` costs no customer lookup.
 */
export interface AccountRef {
  readonly erpCustomerNumber: string;
}

/** An order line with its order's currency (lines carry none of their own). */
export type OrderLineParent = ErpOrderLine & { readonly currency: string };
