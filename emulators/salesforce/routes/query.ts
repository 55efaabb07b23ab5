// GET /query?q=, /queryAll?q= and /query/{locator} (REST API "Query" and "QueryAll"): batches of
// 2,000 rows by default; `Sforce-Query-Options: batchSize=N` asks for 200..2,000 (values outside
// are clamped, as "there's no guarantee that the requested batch size is the actual batch size").
// COUNT() answers totalSize only.
import type { ApiContext, ApiRequest, ApiResponse, Route } from '../api.js';
import { SfApiError, malformedQuery } from '../errors.js';
import type { Schema } from '../schema.js';
import type { Cursor } from '../soql/cursors.js';
import { projectRecord } from '../soql/project.js';

const DEFAULT_BATCH_SIZE = 2000;
const MIN_BATCH_SIZE = 200;
const MAX_BATCH_SIZE = 2000;

function batchSizeFrom(request: ApiRequest): number | null {
  const header = request.headers['sforce-query-options'];
  const m = header ? /batchSize\s*=\s*(\d+)/i.exec(header) : null;
  if (!m) return null;
  return Math.min(MAX_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, Number(m[1])));
}

/** The object of the outer FROM (skipping FROMs inside parenthesised subqueries), for stats keys. */
function fromObject(soql: string, schema: Schema): string | null {
  let depth = 0;
  const tokens = soql.match(/\(|\)|'(?:\\.|[^'\\])*'|[A-Za-z0-9_.]+/g) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '(') depth += 1;
    else if (t === ')') depth -= 1;
    else if (depth === 0 && t.toLowerCase() === 'from' && tokens[i + 1]) {
      return schema.object(tokens[i + 1]!)?.name ?? tokens[i + 1]!;
    }
  }
  return null;
}

function page(
  outcome: Cursor['outcome'],
  start: number,
  batchSize: number,
  request: ApiRequest,
  ctx: ApiContext,
  locator: string | null,
  includeDeleted: boolean,
): ApiResponse {
  const total = outcome.kind === 'records' ? outcome.records.length : outcome.rows.length;
  const end = Math.min(total, start + batchSize);
  const done = end >= total || locator === null;
  const projection = { store: ctx.store, engine: ctx.engine, version: request.version, includeDeleted };
  const records =
    outcome.kind === 'records'
      ? outcome.records.slice(start, end).map((record) => projectRecord(outcome.plan, record, projection))
      : outcome.rows.slice(start, end);
  return {
    status: 200,
    body: {
      totalSize: total,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/v${request.version}/query/${locator}-${end}` }),
      records,
    },
  };
}

function runQuery(request: ApiRequest, ctx: ApiContext, includeDeleted: boolean): ApiResponse {
  const soql = request.query.get('q');
  if (soql === null) throw malformedQuery('A query string must be provided in the q parameter.');
  const outcome = ctx.engine.run(soql, includeDeleted);
  if (outcome.kind === 'count') return { status: 200, body: { totalSize: outcome.count, done: true, records: [] } };
  const batchSize = batchSizeFrom(request) ?? DEFAULT_BATCH_SIZE;
  const size = outcome.kind === 'records' ? outcome.records.length : outcome.rows.length;
  if (size <= batchSize) return page(outcome, 0, batchSize, request, ctx, null, includeDeleted);
  const cursor = ctx.cursors.open(outcome, includeDeleted, batchSize);
  return page(outcome, 0, batchSize, request, ctx, cursor.locator, includeDeleted);
}

const invalidLocator = () => new SfApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');

function queryMore(locatorWithOffset: string, request: ApiRequest, ctx: ApiContext): ApiResponse {
  const dash = locatorWithOffset.lastIndexOf('-');
  const locator = dash === -1 ? locatorWithOffset : locatorWithOffset.slice(0, dash);
  const offset = dash === -1 ? 0 : Number(locatorWithOffset.slice(dash + 1));
  const cursor = ctx.cursors.get(locator);
  if (!cursor || !Number.isInteger(offset) || offset < 0) throw invalidLocator();
  const rows = cursor.outcome.kind === 'records' ? cursor.outcome.records : cursor.outcome.rows;
  if (offset > rows.length) throw invalidLocator();
  const batchSize = batchSizeFrom(request) ?? cursor.batchSize;
  return page(cursor.outcome, offset, batchSize, request, ctx, cursor.locator, cursor.includeDeleted);
}

export function queryRoutes(schema: Schema): Route[] {
  const key = (verb: string) => (_params: string[], request: ApiRequest) => {
    const object = fromObject(request.query.get('q') ?? '', schema);
    return object ? `${verb} ${object}` : verb;
  };
  return [
    { method: 'GET', pattern: /^\/query$/, key: key('query'), handle: (_p, req, ctx) => runQuery(req, ctx, false) },
    {
      method: 'GET',
      pattern: /^\/queryAll$/,
      key: key('queryAll'),
      handle: (_p, req, ctx) => runQuery(req, ctx, true),
    },
    {
      method: 'GET',
      pattern: /^\/query(?:All)?\/([^/]+)$/,
      key: () => 'queryMore',
      handle: (p, req, ctx) => queryMore(p[0]!, req, ctx),
    },
  ];
}
