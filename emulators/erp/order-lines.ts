// Sales order lines outside their order: the top-level `salesOrderLines` entity set of the API v2.0
// (api-reference/v2.0/api/dynamics_salesorderline_get), served the way Business Central's page
// "APIV2 - Sales Order Lines" does it. Its OnFindRecord reads the `id` and `documentId` filters of
// the request, refuses a request with neither ("You must specify an Id or a Document Id to get the
// lines."), and loads into a temporary table the lines of ONE order: the first (by number, the
// "Sales Order Entity Buffer" key) of those the documentId filter names (codeunit "Graph Mgt -
// Sales Order Buffer", LoadLines: SetFilter(Id, ...) then FindFirst). The request's filter, order
// and paging then apply to those lines. So no request lists, filters or counts lines across orders.
import { SALES_ORDER_LINES_SET } from './entity-sets.js';
import { dialog, recordNotFound } from './errors.js';
import type { RowSource } from './odata/collection-query.js';
import type { Row } from './odata/evaluate.js';
import type { FilterNode, Literal, Operand } from './odata/filter.js';
import type { ErpStore } from './store.js';
import type { BcSalesOrder } from '../seed/types.js';

/** Rows of a contained collection (an order's lines), ordered and keyed by their line sequence. */
export function linesSource(lines: readonly Row[]): RowSource<Row> {
  return {
    all: () => lines,
    ordinal: (row) => Number(row.sequence),
    indexed: new Set<string>(),
    lookup: () => [],
  };
}

const isGuidLiteral = (operand: Operand): operand is Extract<Literal, { type: 'guid' }> =>
  operand.kind === 'literal' && operand.type === 'guid';

/** The GUIDs one condition pins `property` to: `property eq <guid>`, or an `or` of such (AL: 'A|B'). */
function pinned(node: FilterNode, property: string): string[] | null {
  if (node.kind === 'or') {
    const left = pinned(node.left, property);
    const right = pinned(node.right, property);
    return left && right ? [...left, ...right] : null;
  }
  if (node.kind !== 'compare' || node.op !== 'eq') return null;
  const [prop, value] = node.left.kind === 'property' ? [node.left, node.right] : [node.right, node.left];
  if (prop.kind !== 'property' || prop.name !== property || !isGuidLiteral(value)) return null;
  return [value.value.toLowerCase()];
}

/** What the filter says `property` is (AL's GetFilter): the first top-level conjunct pinning it. */
function filterOf(ast: FilterNode | null, property: string): string[] | null {
  if (ast === null) return null;
  if (ast.kind === 'and') return filterOf(ast.left, property) ?? filterOf(ast.right, property);
  return pinned(ast, property);
}

function orderOfLine(store: ErpStore, lineId: string): BcSalesOrder | undefined {
  return store
    .table('salesOrders')
    .all()
    .find((order) => order.salesOrderLines.some((line) => line.id.toLowerCase() === lineId));
}

/** The lines a top-level salesOrderLines request reads: those of the one order its filter names. */
export function orderLinesSource(store: ErpStore, ast: FilterNode | null): RowSource<Row> {
  const ids = filterOf(ast, 'id');
  let documentIds = filterOf(ast, 'documentId');
  if (ids === null && documentIds === null) throw dialog('You must specify an Id or a Document Id to get the lines.');
  if (ids !== null) {
    const order = orderOfLine(store, ids[0]!);
    documentIds = order ? [order.id] : [];
  }
  const orders = store.table('salesOrders').lookup('id', documentIds!);
  const first = [...orders].sort((a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0))[0];
  return linesSource((first?.salesOrderLines ?? []) as unknown as Row[]);
}

export function findOrderLine(store: ErpStore, lineId: string): Row {
  const line = orderOfLine(store, lineId)?.salesOrderLines.find((candidate) => candidate.id.toLowerCase() === lineId);
  if (!line) throw recordNotFound(SALES_ORDER_LINES_SET.type.caption, `Id='${lineId}'`);
  return line as unknown as Row;
}
