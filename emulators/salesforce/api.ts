// The REST resources below /services/data/vXX.X as plain functions from request to response, apart
// from Express: the HTTP adapter (app.ts) and /composite (which runs subrequests in-process, as one
// API call) dispatch through the same table, so a subrequest behaves exactly like the call itself.
import { DmlError, SfApiError, notFound } from './errors.js';
import type { ApiUsage } from './api-usage.js';
import type { Session } from './oauth.js';
import type { SoqlEngine } from './soql/evaluate.js';
import type { QueryCursors } from './soql/cursors.js';
import type { SalesforceStore } from './store.js';

export interface ApiRequest {
  readonly method: string;
  /** Path below /services/data/vXX.X without a trailing slash, e.g. '/sobjects/Account/001...' ('' for the root). */
  readonly path: string;
  /** e.g. '62.0' */
  readonly version: string;
  readonly query: URLSearchParams;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
}

export interface ApiResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ApiContext {
  readonly store: SalesforceStore;
  readonly engine: SoqlEngine;
  readonly cursors: QueryCursors;
  readonly session: Session;
  readonly apiUsage: ApiUsage;
  /** e.g. http://127.0.0.1:4010 */
  readonly instanceUrl: string;
  /** Runs another request of the same API (for /composite). */
  dispatch(request: ApiRequest): ApiResponse;
}

export interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  /** The traffic-stats name of a call, e.g. 'query Account' or 'update Account'. */
  key(params: string[], request: ApiRequest): string;
  handle(params: string[], request: ApiRequest, ctx: ApiContext): ApiResponse;
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function match(routes: readonly Route[], request: ApiRequest): { route: Route; params: string[] } | null {
  for (const route of routes) {
    if (route.method !== request.method) continue;
    const m = route.pattern.exec(request.path);
    if (m) return { route, params: m.slice(1).map((p) => decodeSegment(p ?? '')) };
  }
  return null;
}

export function routeKeyOf(routes: readonly Route[], request: ApiRequest): string {
  const found = match(routes, request);
  return found ? found.route.key(found.params, request) : 'not found';
}

/** Answers a request; failures become Salesforce's error array. Unexpected errors propagate (500). */
export function dispatch(routes: readonly Route[], request: ApiRequest, ctx: ApiContext): ApiResponse {
  try {
    const found = match(routes, request);
    if (!found) throw notFound();
    return found.route.handle(found.params, request, ctx);
  } catch (err) {
    if (err instanceof DmlError) return errorResponse(err.toApiError());
    if (err instanceof SfApiError) return errorResponse(err);
    throw err;
  }
}

export function errorResponse(err: SfApiError): ApiResponse {
  return { status: err.status, body: err.errors };
}
