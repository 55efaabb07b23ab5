// The GraphQL side of an OData request: the arguments of the ERP row queries (schema/erp.graphql,
// "Row queries": RowFilter, RowOrder, first, skip, search) and the one operation each request
// becomes, selecting only the properties asked for.
import type { EntitySet, ModelProperty } from './model.js';

export type RowFilterOp =
  'EQ' | 'NE' | 'GT' | 'GE' | 'LT' | 'LE' | 'CONTAINS' | 'STARTS_WITH' | 'ENDS_WITH' | 'IN' | 'IS_NULL' | 'IS_NOT_NULL';

/** Input RowFilter: one comparison, or one combination. */
export type RowFilter =
  | { readonly and: readonly RowFilter[] }
  | { readonly or: readonly RowFilter[] }
  | { readonly not: RowFilter }
  | { readonly field: string; readonly op: RowFilterOp; readonly value?: string; readonly values?: readonly string[] };

export interface RowOrder {
  readonly field: string;
  readonly descending: boolean;
}

/** Rows per page of a row query: the schema allows first 1..2000, Salesforce pages at most 2,000. */
export const MAX_FIRST = 2000;

export interface RowQueryArguments {
  readonly where: RowFilter | null;
  readonly search: string | null;
  readonly orderBy: readonly RowOrder[];
  readonly first: number;
  readonly skip: number;
}

export interface RowQueryRequest {
  readonly query: string;
  readonly operationName: string;
  readonly variables: Record<string, unknown>;
}

/** A tree of GraphQL selections built from property paths (`total.amount` and `total.currency` share `total`). */
type SelectionTree = Map<string, SelectionTree>;

function selectionTree(properties: readonly ModelProperty[]): SelectionTree {
  const root: SelectionTree = new Map();
  for (const property of properties) {
    let node = root;
    for (const segment of property.path) {
      let child = node.get(segment);
      if (!child) node.set(segment, (child = new Map()));
      node = child;
    }
  }
  return root;
}

function printTree(tree: SelectionTree): string {
  return [...tree]
    .map(([name, children]) => (children.size === 0 ? name : `${name} { ${printTree(children)} }`))
    .join(' ');
}

/**
 * `query ODataInvoices($where: RowFilter, …) { rows: invoices(…) { totalCount nodes { … } } }`:
 * totalCount only when the caller asked for a count (the ERP counts separately), nodes only when
 * rows are wanted (not for /$count). The operation name says where it came from in logs and metrics.
 */
export function rowQueryRequest(
  set: EntitySet,
  selected: readonly ModelProperty[],
  args: RowQueryArguments,
  want: { readonly count: boolean; readonly rows: boolean },
): RowQueryRequest {
  const operationName = `OData${set.name}${want.rows ? '' : 'Count'}`;
  const parts = [
    want.count ? 'totalCount' : '',
    want.rows ? `nodes { ${printTree(selectionTree(selected))} }` : '',
  ].filter(Boolean);
  const query =
    `query ${operationName}($where: RowFilter, $search: String, $orderBy: [RowOrder!], $first: Int!, $skip: Int) ` +
    `{ rows: ${set.rootField}(where: $where, search: $search, orderBy: $orderBy, first: $first, skip: $skip) { ${parts.join(' ')} } }`;
  return {
    query,
    operationName,
    variables: { where: args.where, search: args.search, orderBy: args.orderBy, first: args.first, skip: args.skip },
  };
}
