// The answers every OData collection route of the emulator gives (the API v2.0 in api.ts, the
// Analytics API in analytics.ts): JSON with `OData-Version: 4.0`, a page of a collection with its
// count and next link (server-driven paging, `Prefer: odata.maxpagesize`), a bare `$count`.
import type { Request, Response } from 'express';
import type { EntityTypeDef } from '../entity-sets.js';
import type { Json } from '../representation.js';
import { queryCollection, type Page, type RowSource } from './collection-query.js';
import type { Row } from './evaluate.js';
import { preferredPageSize, type QueryOptions } from './query-options.js';
import { encodeSkipToken } from './skiptoken.js';

const JSON_TYPE = 'application/json; odata.metadata=minimal';

export function sendJson(res: Response, status: number, body: Json): void {
  res.status(status).set('OData-Version', '4.0').set('Content-Type', JSON_TYPE).send(JSON.stringify(body));
}

export function sendCount(res: Response, count: number): void {
  res.status(200).set('OData-Version', '4.0').type('text/plain').send(String(count));
}

/** The query string as OData reads it (URLSearchParams over the raw URL, not Express's parser). */
export function queryParams(req: Request): URLSearchParams {
  const question = req.originalUrl.indexOf('?');
  return new URLSearchParams(question < 0 ? '' : req.originalUrl.slice(question + 1));
}

export function origin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/**
 * Rows a collection request returned and looked at, for GET /__emulator/stats (traffic.ts reads
 * res.locals.rowCounts): proof that a filtered page read an index bucket, not the whole set.
 */
export function noteRows(res: Response, returned: number, scanned: number): void {
  res.locals.rowCounts = { returned, scanned };
}

function effectivePageSize(req: Request, res: Response, pageSize: number): number {
  const preferred = preferredPageSize(req.get('prefer'));
  if (preferred === null) return pageSize;
  const size = Math.min(preferred, pageSize);
  res.set('Preference-Applied', `odata.maxpagesize=${size}`);
  return size;
}

/** The same request with the paging position moved on: filter, order, select and expand stay. */
function nextLink(req: Request, params: URLSearchParams, next: NonNullable<Page<Row>['next']>): string {
  const path = req.originalUrl.split('?')[0];
  const entries = [...params.entries()].filter(
    ([name]) => name !== '$skip' && name !== '$skiptoken' && name !== '$top',
  );
  if (next.top !== null) entries.push(['$top', String(next.top)]);
  entries.push(['$skiptoken', encodeSkipToken(next.skipToken)]);
  const encodeName = (name: string) =>
    name.startsWith('$') ? `$${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name);
  return `${origin(req)}${path}?${entries.map(([name, value]) => `${encodeName(name)}=${encodeURIComponent(value)}`).join('&')}`;
}

export interface CollectionRequest {
  readonly source: RowSource<Row>;
  readonly type: EntityTypeDef;
  /** `@odata.context`, for the rows of this request's projection. */
  readonly context: string;
  readonly params: URLSearchParams;
  readonly query: QueryOptions;
  /** The service's page size; a client's `Prefer: odata.maxpagesize` may only lower it. */
  readonly pageSize: number;
  /** One row as JSON. */
  readonly project: (row: Row) => Json;
}

export function sendCollection(req: Request, res: Response, request: CollectionRequest): void {
  const page = queryCollection(
    request.source,
    request.type,
    request.query,
    effectivePageSize(req, res, request.pageSize),
  );
  noteRows(res, page.rows.length, page.scanned);
  const body: Json = { '@odata.context': request.context };
  if (page.count !== null) body['@odata.count'] = page.count;
  body.value = page.rows.map(request.project);
  if (page.next) body['@odata.nextLink'] = nextLink(req, request.params, page.next);
  sendJson(res, 200, body);
}
