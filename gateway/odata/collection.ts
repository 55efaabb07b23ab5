// An entity set, or its /$count: one row query per request, its filter, search, order and paging
// evaluated in the ERP (the subgraph pushes them down to Business Central), never by fetching rows
// and filtering here.
//
// Server-driven paging (OData 4.0 §11.2.5.7; Salesforce Connect's "server-driven paging"): a page
// holds at most maxPageSize rows (2,000, Salesforce's limit, or less on Prefer: odata.maxpagesize)
// and at most what $top still asks for. A full page that may not be the last carries an absolute
// @odata.nextLink: the same query with an opaque $skiptoken (skiptoken.ts) in place of $skip and
// $top reduced by the rows already served. The token's offset is absolute (it includes the first
// request's $skip), so a $skip sent along with a $skiptoken is ignored. The row query appends the
// set's key to every order, so pages neither repeat nor drop rows.
import { readableProperties } from './access.js';
import type { OdataRequest, OdataResponse } from './exchange.js';
import { jsonResponse } from './exchange.js';
import { pageOf, type RowPage } from './execute.js';
import { translateFilter, type Translated } from './filter-translate.js';
import type { ModelProperty } from './model.js';
import { parseCollectionOptions, type CollectionOptions } from './query-options.js';
import { rowQueryRequest, type RowFilter, type RowOrder } from './row-query.js';
import { serializeEntity } from './serialize.js';
import { decodeSkiptoken, encodeSkiptoken, queryHash } from './skiptoken.js';

/** Options carried unchanged into a next link (with $top recomputed and $skiptoken replacing $skip). */
const CARRIED = ['$filter', '$search', '$orderby', '$select', '$count', '$format'];

interface Plan {
  readonly options: CollectionOptions;
  readonly where: Translated;
  readonly orderBy: readonly RowOrder[];
  readonly hash: string;
}

function plan(request: OdataRequest): Plan {
  const { set, identity } = request;
  const options = parseCollectionOptions(request.options, set, identity);
  const where = options.filter ? translateFilter(options.filter, set, identity) : true;
  const orderBy = options.orderBy.map((item) => ({ field: item.property.field!, descending: item.descending }));
  return { options, where, orderBy, hash: queryHash([set.name, where, options.search, orderBy]) };
}

const whereArgument = (where: Translated): RowFilter | null => (typeof where === 'boolean' ? null : where);

async function runRowQuery(
  request: OdataRequest,
  plan: Plan,
  selected: readonly ModelProperty[],
  first: number,
  skip: number,
  want: { count: boolean; rows: boolean },
): Promise<RowPage> {
  // A filter that can match nothing (folded to false) is answered without asking the ERP.
  if (plan.where === false) return { totalCount: 0, nodes: [] };
  const operation = rowQueryRequest(
    request.set,
    selected,
    { where: whereArgument(plan.where), search: plan.options.search, orderBy: plan.orderBy, first, skip },
    want,
  );
  return pageOf(await request.execute(operation, request.context), request.context.correlationId).page;
}

export async function serveCount(request: OdataRequest): Promise<OdataResponse> {
  const countPlan = plan(request);
  // /$count counts the filtered and searched set; $top, $skip and $orderby do not apply (§11.2.9).
  const page = await runRowQuery(request, { ...countPlan, orderBy: [] }, [], 1, 0, { count: true, rows: false });
  return { status: 200, contentType: 'text/plain;charset=utf-8', body: String(page.totalCount ?? 0) };
}

export async function serveCollection(request: OdataRequest): Promise<OdataResponse> {
  const { set, identity } = request;
  const collectionPlan = plan(request);
  const { options } = collectionPlan;
  const offset = options.skiptoken !== null ? decodeSkiptoken(options.skiptoken, collectionPlan.hash) : options.skip;
  const pageSize = Math.min(request.maxPageSize, options.top ?? Number.POSITIVE_INFINITY);

  const readable = readableProperties(identity, set);
  // Keys always come back (clients identify rows by them), the rest as $select says, in model order.
  const asked = new Set((options.select ?? set.properties).map((property) => property.name));
  const properties = set.properties.filter((property) => property.isKey || asked.has(property.name));
  const selected = properties.filter((property) => readable.has(property.name));

  const page =
    pageSize === 0
      ? options.count
        ? await runRowQuery(request, collectionPlan, [], 1, 0, { count: true, rows: false })
        : { totalCount: null, nodes: [] }
      : await runRowQuery(request, collectionPlan, selected, pageSize, offset, { count: options.count, rows: true });
  const nodes = pageSize === 0 ? [] : page.nodes;

  const total = options.count ? (page.totalCount ?? 0) : null;
  const served = offset + nodes.length;
  const more =
    nodes.length === pageSize && (options.top === null || options.top > pageSize) && (total === null || served < total);
  const select = options.select ? `(${properties.map((property) => property.name).join(',')})` : '';
  const body: Record<string, unknown> = {
    '@odata.context': `${request.serviceRoot}$metadata#${set.name}${select}`,
    ...(total !== null && { '@odata.count': total }),
    value: nodes.map((node) =>
      serializeEntity(node, properties, readable, { ieee754Compatible: request.ieee754Compatible }),
    ),
    ...(more && {
      '@odata.nextLink': nextLink(
        request,
        collectionPlan,
        served,
        options.top === null ? null : options.top - nodes.length,
      ),
    }),
  };
  return jsonResponse(body, request.ieee754Compatible);
}

function nextLink(request: OdataRequest, collectionPlan: Plan, offset: number, top: number | null): string {
  const parts: string[] = [];
  for (const name of CARRIED) {
    const value = request.options.get(name);
    if (value !== undefined) parts.push(`${name}=${encodeURIComponent(value)}`);
  }
  if (top !== null) parts.push(`$top=${top}`);
  parts.push(`$skiptoken=${encodeSkiptoken(offset, collectionPlan.hash)}`);
  return `${request.serviceRoot}${request.set.name}?${parts.join('&')}`;
}
