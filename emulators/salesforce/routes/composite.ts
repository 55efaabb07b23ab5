// POST /composite (REST API "Composite"): up to 25 subrequests run in order as one API call;
// `@{referenceId.path}` in a later subrequest's URL or body is replaced by a value from an earlier
// response (e.g. `@{NewAccount.id}`, `@{q.records[0].Id}`). With allOrNone, the first failing
// subrequest rolls back everything and every other subrequest answers PROCESSING_HALTED; without
// it, only subrequests that reference a failed one are halted, and each subrequest commits alone.
import type { ApiContext, ApiRequest, ApiResponse, Route } from '../api.js';
import { SfApiError } from '../errors.js';
import { isSupportedVersion } from '../versions.js';
import { objectBody } from './records.js';

const MAX_SUBREQUESTS = 25;
const REFERENCE_ID = /^[A-Za-z][A-Za-z0-9_]*$/;
const REFERENCE = /@\{([A-Za-z][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g;
const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);

interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

interface SubResponse {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const badRequest = (message: string) => new SfApiError(400, 'INVALID_INPUT', message);

function halted(referenceId: string, message: string): SubResponse {
  return { body: [{ errorCode: 'PROCESSING_HALTED', message }], httpHeaders: {}, httpStatusCode: 400, referenceId };
}

class UnresolvedReference extends Error {}

function parseSubrequests(body: unknown): Subrequest[] {
  const list = objectBody(body).compositeRequest;
  if (!Array.isArray(list) || list.length === 0)
    throw badRequest("'compositeRequest' must be a non-empty list of subrequests");
  if (list.length > MAX_SUBREQUESTS) {
    throw new SfApiError(
      400,
      'LIMIT_EXCEEDED',
      `A composite request can contain at most ${MAX_SUBREQUESTS} subrequests`,
    );
  }
  const seen = new Set<string>();
  return list.map((item: unknown, i) => {
    const sub = objectBody(item) as Partial<Subrequest>;
    if (typeof sub.method !== 'string' || !METHODS.has(sub.method.toUpperCase()))
      throw badRequest(`subrequest ${i}: invalid method`);
    if (typeof sub.url !== 'string') throw badRequest(`subrequest ${i}: url is required`);
    if (typeof sub.referenceId !== 'string' || !REFERENCE_ID.test(sub.referenceId)) {
      throw badRequest(
        `subrequest ${i}: referenceId must start with a letter and contain only letters, digits and underscores`,
      );
    }
    if (seen.has(sub.referenceId)) throw badRequest(`Duplicate referenceId: ${sub.referenceId}`);
    seen.add(sub.referenceId);
    return { ...sub, method: sub.method.toUpperCase() } as Subrequest;
  });
}

function lookup(results: Map<string, SubResponse>, refId: string, path: string): unknown {
  const result = results.get(refId);
  if (!result || result.httpStatusCode >= 400) throw new UnresolvedReference(`${refId}${path}`);
  let value: unknown = result.body;
  for (const step of path.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
    const key = step.startsWith('.') ? step.slice(1) : Number(step.slice(1, -1));
    value = value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[key] : undefined;
  }
  if (value === undefined) throw new UnresolvedReference(`${refId}${path}`);
  return value;
}

/** Replaces references; a string that is one whole reference takes the referenced value's type. */
function resolve(value: unknown, results: Map<string, SubResponse>): unknown {
  if (typeof value === 'string') {
    const whole = new RegExp(`^${REFERENCE.source}$`).exec(value);
    if (whole) return lookup(results, whole[1]!, whole[2] ?? '');
    return value.replace(REFERENCE, (_m, ref: string, path: string) => String(lookup(results, ref, path ?? '')));
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, results));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, results)]));
  }
  return value;
}

function toApiRequest(sub: Subrequest, url: string, body: unknown): ApiRequest | null {
  const parsed = new URL(url, 'http://composite.invalid');
  const m = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(parsed.pathname);
  if (!m || !isSupportedVersion(m[1]!)) return null;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(sub.httpHeaders ?? {})) headers[k.toLowerCase()] = String(v);
  return {
    method: sub.method,
    path: (m[2] ?? '').replace(/\/+$/, ''),
    version: m[1]!,
    query: parsed.searchParams,
    headers,
    body,
  };
}

function runComposite(request: ApiRequest, ctx: ApiContext): ApiResponse {
  const subrequests = parseSubrequests(request.body);
  const allOrNone = objectBody(request.body).allOrNone === true;
  const results = new Map<string, SubResponse>();
  const responses: SubResponse[] = [];
  const sp = ctx.store.savepoint();
  let failedAt = -1;

  for (let i = 0; i < subrequests.length; i++) {
    const sub = subrequests[i]!;
    let response: SubResponse;
    try {
      const url = resolve(sub.url, results) as string;
      const body = sub.body === undefined ? undefined : resolve(sub.body, results);
      const apiRequest = toApiRequest(sub, url, body);
      if (
        !apiRequest ||
        (apiRequest.path.startsWith('/composite') && !apiRequest.path.startsWith('/composite/sobjects'))
      ) {
        response = {
          body: [{ errorCode: 'INVALID_INPUT', message: `The composite subrequest URL is not supported: ${sub.url}` }],
          httpHeaders: {},
          httpStatusCode: 400,
          referenceId: sub.referenceId,
        };
      } else {
        const answer = ctx.dispatch(apiRequest);
        response = {
          body: answer.body ?? null,
          httpHeaders: { ...(answer.headers ?? {}) },
          httpStatusCode: answer.status,
          referenceId: sub.referenceId,
        };
      }
    } catch (err) {
      if (!(err instanceof UnresolvedReference)) throw err;
      response = halted(
        sub.referenceId,
        `Invalid reference specified. No value for ${err.message} found in ${err.message.split(/[.[]/)[0]}. Provided referenceId ('${sub.referenceId}') must be declared before it is used.`,
      );
    }
    results.set(sub.referenceId, response);
    responses.push(response);
    if (allOrNone && response.httpStatusCode >= 400) {
      failedAt = i;
      break;
    }
    // Without allOrNone nothing is rolled back: each subrequest's changes commit on their own (one
    // Change Data Capture transaction each); with it, the whole call is one transaction.
    if (!allOrNone) ctx.store.commitPending();
  }

  if (failedAt >= 0) {
    ctx.store.rollback(sp);
    const message = 'The transaction was rolled back since another operation in the same transaction failed.';
    return {
      status: 200,
      body: {
        compositeResponse: subrequests.map((sub, i) =>
          i === failedAt ? responses[i]! : halted(sub.referenceId, message),
        ),
      },
    };
  }
  ctx.store.release(sp);
  return { status: 200, body: { compositeResponse: responses } };
}

export function compositeRoutes(): Route[] {
  return [
    {
      method: 'POST',
      pattern: /^\/composite$/,
      key: () => 'composite',
      handle: (_p, req, ctx) => runComposite(req, ctx),
    },
  ];
}
