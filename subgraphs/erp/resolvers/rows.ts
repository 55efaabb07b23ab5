// The row-query root fields (customers, invoices, orders, orderLines, shipments, products) and their
// page types. Each is ONE row query of the shielded ERP (ErpPort.queryRows: filter, order, page and
// count evaluated by the ERP, connectors/erp/row-query.ts), never a read of the whole set:
// - where, search, orderBy, first and skip are checked and translated (../rows/arguments.ts);
// - where, orderBy and search use only fields the caller may read (../rows/field-access.ts);
// - a partner's rows: the filter is `(customer IN scope) AND (where) AND (search)`, so nothing the
//   caller writes (an `or`, a `not`) can reach past the scope; an empty scope answers without a call;
// - totalCount is asked of the ERP only when the query selects it.
import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import type { RowFilter, RowQuery, RowSet } from '../../../connectors/erp/port.js';
import { ErpRowQueryError } from '../../../connectors/erp/port.js';
import type {
  CustomerPageResolvers,
  InvoicePageResolvers,
  OrderLinePageResolvers,
  OrderPageResolvers,
  ProductPageResolvers,
  QueryCustomersArgs,
  QueryResolvers,
  ShipmentPageResolvers,
} from '../__generated__/resolvers-types.js';
import { badUserInput } from '../../shared/errors.js';
import { customerScopeOf, isEmptyScope } from '../../shared/partner-scope.js';
import type { ErpContext } from '../context.js';
import { ROW_CATALOG, type RowRootField } from '../rows/catalog.js';
import { readOrderBy, readPaging, readSearch, readWhere } from '../rows/arguments.js';
import { checkRowFieldAccess } from '../rows/field-access.js';
import type { RowPageParent } from '../rows/parents.js';

/** Whether the field being resolved selects `name` (directly, or in an inline fragment or a named one). */
export function selects(info: GraphQLResolveInfo, name: string): boolean {
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((selection) => {
      if (selection.kind === 'Field') return selection.name.value === name;
      if (selection.kind === 'InlineFragment') return walk(selection.selectionSet);
      const fragmentName = selection.name.value;
      if (seen.has(fragmentName)) return false;
      seen.add(fragmentName);
      return walk(info.fragments[fragmentName]?.selectionSet);
    });
  return info.fieldNodes.some((node) => walk(node.selectionSet));
}

/** The RowQuery of a root field's arguments for this caller, or null when its scope is empty. */
export function buildRowQuery(
  rootField: RowRootField,
  args: QueryCustomersArgs,
  context: Pick<ErpContext, 'identity'>,
  count: boolean,
): RowQuery | null {
  const entry = ROW_CATALOG[rootField];
  const paging = readPaging(args.first, args.skip);
  const parts: RowFilter[] = [];
  if (entry.customerField !== null) {
    const scope = customerScopeOf(context.identity);
    if (isEmptyScope(scope)) return null;
    if (scope.kind === 'customers')
      parts.push({ kind: 'in', field: entry.fields[entry.customerField]!, values: scope.customers });
  }
  if (args.where != null) parts.push(readWhere(entry, rootField, args.where));
  const search = readSearch(entry, args.search);
  if (search) parts.push(search);
  const orderBy = readOrderBy(entry, rootField, args.orderBy);
  return {
    ...(parts.length === 1
      ? { filter: parts[0]! }
      : parts.length > 1
        ? { filter: { kind: 'and', filters: parts } }
        : {}),
    ...(orderBy.length > 0 ? { orderBy } : {}),
    top: paging.top,
    ...(paging.skip > 0 ? { skip: paging.skip } : {}),
    ...(count ? { count: true } : {}),
  };
}

const ARGUMENT_OF: Record<ErpRowQueryError['part'], string> = { filter: 'where', order: 'orderBy', page: 'skip' };

async function rowPage<T>(
  rootField: RowRootField,
  args: QueryCustomersArgs,
  context: ErpContext,
  info: GraphQLResolveInfo,
): Promise<RowPageParent<T>> {
  // Filtering or sorting by a field reads it: only by fields the caller may select.
  checkRowFieldAccess(info, context.identity, args, args.search?.trim() ? ROW_CATALOG[rootField].search : []);
  const count = selects(info, 'totalCount');
  const query = buildRowQuery(rootField, args, context, count);
  if (query === null) return { nodes: [], totalCount: count ? 0 : null };
  const set: RowSet = ROW_CATALOG[rootField].set;
  try {
    const served = await context.erp.servedRows(set, query, context.call);
    // asOf / stale of each row (and of a customer's Credit, which is the same record).
    context.freshness.note({ value: served.value.rows, asOf: served.asOf, stale: served.stale });
    return { nodes: served.value.rows as unknown as T[], totalCount: served.value.totalCount };
  } catch (error) {
    // A query the ERP will not run is the caller's to change: its message names fields and limits.
    // `unsupported`: a valid query the ERP cannot evaluate at all (the OData bridge answers 501 for
    // it); `limit`: one past a bound (the read budget, ...), which a narrower query stays within
    // (400, as a query over the demand-control cost limit is).
    if (error instanceof ErpRowQueryError) {
      const refusal = badUserInput(ARGUMENT_OF[error.part], error.message);
      if (error.reason === 'unsupported') refusal.extensions.unsupported = true;
      throw refusal;
    }
    throw error;
  }
}

export const rowQueryResolvers: QueryResolvers = {
  customers: (_root, args, context, info) => rowPage('customers', args, context, info),
  invoices: (_root, args, context, info) => rowPage('invoices', args, context, info),
  orders: (_root, args, context, info) => rowPage('orders', args, context, info),
  orderLines: (_root, args, context, info) => rowPage('orderLines', args, context, info),
  shipments: (_root, args, context, info) => rowPage('shipments', args, context, info),
  products: (_root, args, context, info) => rowPage('products', args, context, info),
};

/** Asked of the ERP whenever selected (rowPage), so null here is a wiring bug, not a user error. */
const totalCount = (page: RowPageParent<unknown>): number => {
  if (page.totalCount === null) throw new Error('totalCount was selected but not counted');
  return page.totalCount;
};

export const customerPageResolvers: CustomerPageResolvers = { totalCount };
export const invoicePageResolvers: InvoicePageResolvers = { totalCount };
export const orderPageResolvers: OrderPageResolvers = { totalCount };
export const orderLinePageResolvers: OrderLinePageResolvers = { totalCount };
export const shipmentPageResolvers: ShipmentPageResolvers = { totalCount };
export const productPageResolvers: ProductPageResolvers = { totalCount };
