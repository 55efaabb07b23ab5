// HTTP to the Business Central API v2.0 (OData v4): collection reads with $filter/$select/$expand/
// $orderby/$top following @odata.nextLink, entity creation and deletion, plain requests to API
// resources outside a company (webhook subscriptions), and reads of the Analytics API
// (api-analytics: the same OData, the same company and token, under /api/microsoft/analytics/v1.0).
// Every request carries the bearer token, Accept: application/json and X-Correlation-Id (the
// correlation id of the request it serves, for the ERP's logs). One 401 leads to one token refresh
// and one repeat (an expired or revoked token); nothing else is retried here: the resilience tier
// wraps the port.
import type { CallContext } from '../../../lib/call-context.js';
import type { Logger } from '../../../lib/logger.js';
import { startDeadline, untilDeadline, type Deadline } from '../deadline.js';
import { httpError, invalidResponse, transportError } from './errors.js';
import { isGuid, type ODataFilter } from './odata-filter.js';
import type { TokenProvider } from './token.js';

export type EntitySet =
  | 'customers'
  | 'customerFinancialDetails'
  | 'paymentTerms'
  | 'items'
  | 'salesOrders'
  | 'salesShipments'
  | 'salesInvoices'
  // Analytics API: every sales line as a row of its own (business-central/row-lines.ts).
  | 'salesLines';

const ANALYTICS_SETS: ReadonlySet<EntitySet> = new Set(['salesLines']);

/**
 * The Analytics API root next to an API v2.0 root: `.../api/v2.0` → `.../api/microsoft/analytics/v1.0`
 * (api-analytics-overview: both under the environment's `/api/`). Undefined when `baseUrl` is not
 * of that form (ErpConnectorOptions.analyticsBaseUrl must then be given).
 */
export function analyticsBaseUrlOf(baseUrl: string): string | undefined {
  const trimmed = baseUrl.replace(/\/+$/, '');
  return /\/api\/v2\.0$/.test(trimmed) ? `${trimmed.slice(0, -'/v2.0'.length)}/microsoft/analytics/v1.0` : undefined;
}

export type LinesNavigation = 'salesOrderLines' | 'salesShipmentLines';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface CollectionQuery {
  filter?: ODataFilter;
  select?: readonly string[];
  /** Lines to expand, optionally with their own $select (OData v4 expandOption). */
  expand?: { navigation: LinesNavigation; select?: readonly string[] };
  /** e.g. ['orderDate desc', 'number desc'] */
  orderby?: readonly string[];
  top?: number;
  /** Rows to skip before the first one returned (row queries). */
  skip?: number;
  /** Ask for `@odata.count`, the number of rows matching the filter (row queries). */
  count?: boolean;
}

export interface ClientOptions {
  baseUrl: string;
  /** The Analytics API root; default analyticsBaseUrlOf(baseUrl). */
  analyticsBaseUrl?: string;
  companyId?: string;
  timeoutMs: number;
}

/** A runaway nextLink chain (a server bug) must not loop forever. */
const MAX_PAGES = 500;

export class BusinessCentralClient {
  readonly #baseUrl: string;
  readonly #analyticsBaseUrl: string | undefined;
  /** Origins a nextLink may point to: the API's, and the Analytics API's. */
  readonly #origins: ReadonlySet<string>;
  readonly #timeoutMs: number;
  readonly #tokens: TokenProvider;
  readonly #logger: Logger;
  #companyId: string | null;
  #companyLookup: Promise<string> | null = null;

  constructor(options: ClientOptions, tokens: TokenProvider, logger: Logger) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#analyticsBaseUrl = (options.analyticsBaseUrl ?? analyticsBaseUrlOf(this.#baseUrl))?.replace(/\/+$/, '');
    this.#origins = new Set(
      [this.#baseUrl, ...(this.#analyticsBaseUrl ? [this.#analyticsBaseUrl] : [])].map((url) => new URL(url).origin),
    );
    this.#timeoutMs = options.timeoutMs;
    this.#tokens = tokens;
    this.#logger = logger;
    if (options.companyId !== undefined && !isGuid(options.companyId)) {
      throw new TypeError(`ERP companyId must be a GUID, got ${JSON.stringify(options.companyId)}`);
    }
    this.#companyId = options.companyId ?? null;
  }

  /** Every row of a collection query, all pages. One deadline covers the whole call. */
  async list(entitySet: EntitySet, query: CollectionQuery, ctx: CallContext, operation: string): Promise<unknown[]> {
    const deadline = startDeadline(this.#timeoutMs, ctx.signal);
    let url = `${await this.#setUrl(entitySet, deadline, ctx, operation)}${queryString(query)}`;
    const rows: unknown[] = [];
    for (let page = 1; ; page += 1) {
      const { value, nextLink } = readPage(
        await this.#send('GET', url, undefined, deadline, ctx, operation),
        operation,
      );
      rows.push(...value);
      if (nextLink === undefined) return rows;
      if (page >= MAX_PAGES) throw invalidResponse(operation, `more than ${MAX_PAGES} pages`);
      url = this.#sameOrigin(nextLink, url, operation);
    }
  }

  /**
   * The first `query.top` rows of a collection query (following nextLinks, which carry the rest of
   * $top when the server pages below it) and `@odata.count` from the first page when asked for.
   * One deadline covers the whole call.
   */
  async query(
    entitySet: EntitySet,
    query: CollectionQuery & { top: number },
    ctx: CallContext,
    operation: string,
  ): Promise<{ rows: unknown[]; count: number | null }> {
    const deadline = startDeadline(this.#timeoutMs, ctx.signal);
    let url = `${await this.#setUrl(entitySet, deadline, ctx, operation)}${queryString(query)}`;
    const rows: unknown[] = [];
    let count: number | null = null;
    for (let page = 1; ; page += 1) {
      const body = await this.#send('GET', url, undefined, deadline, ctx, operation);
      const { value, nextLink } = readPage(body, operation);
      if (page === 1 && query.count) count = readCount(body, operation);
      rows.push(...value);
      if (nextLink === undefined || rows.length >= query.top) return { rows: rows.slice(0, query.top), count };
      if (page >= MAX_PAGES) throw invalidResponse(operation, `more than ${MAX_PAGES} pages`);
      url = this.#sameOrigin(nextLink, url, operation);
    }
  }

  /**
   * ONE page of a collection query (the replica's scans): the first page of `query`, or the page a
   * previous answer's nextLink names. The caller follows nextLink, one resilient call per page.
   */
  async page(
    entitySet: EntitySet,
    from: { query: CollectionQuery } | { nextLink: string },
    ctx: CallContext,
    operation: string,
  ): Promise<{ value: unknown[]; nextLink: string | null }> {
    const deadline = startDeadline(this.#timeoutMs, ctx.signal);
    const first = await this.#setUrl(entitySet, deadline, ctx, operation);
    const url =
      'nextLink' in from ? this.#sameOrigin(from.nextLink, first, operation) : `${first}${queryString(from.query)}`;
    const { value, nextLink } = readPage(await this.#send('GET', url, undefined, deadline, ctx, operation), operation);
    return { value, nextLink: nextLink ?? null };
  }

  /** POST an entity (deep insert allowed); returns the created entity as BC answers it. */
  async create(
    entitySet: EntitySet,
    body: unknown,
    query: Pick<CollectionQuery, 'expand'>,
    ctx: CallContext,
    operation: string,
  ): Promise<unknown> {
    const deadline = startDeadline(this.#timeoutMs, ctx.signal);
    const url = `${await this.#setUrl(entitySet, deadline, ctx, operation)}${queryString(query)}`;
    return this.#send('POST', url, body, deadline, ctx, operation);
  }

  /**
   * DELETE one entity by its id (a GUID), with `If-Match: *`: the ERP's own rules decide whether it
   * may go (a released sales order may not), not a concurrency token we would have to read first.
   * Business Central answers 204 No Content.
   */
  async delete(entitySet: EntitySet, id: string, ctx: CallContext, operation: string): Promise<void> {
    if (!isGuid(id)) throw new TypeError(`${operation}: the id to delete must be a GUID, got ${JSON.stringify(id)}`);
    const deadline = startDeadline(this.#timeoutMs, ctx.signal);
    const url = `${await this.#companyUrl(deadline, ctx, operation)}/${entitySet}(${id})`;
    await this.#send('DELETE', url, undefined, deadline, ctx, operation);
  }

  /**
   * One request to `path` under the API root (e.g. `/subscriptions('id')`); the parsed JSON answer,
   * undefined for an empty one (204). `headers` adds e.g. If-Match.
   */
  async request(
    method: HttpMethod,
    path: string,
    body: unknown,
    ctx: CallContext,
    operation: string,
    headers: Readonly<Record<string, string>> = {},
  ): Promise<unknown> {
    const deadline = startDeadline(this.#timeoutMs, ctx.signal);
    return this.#send(method, `${this.#baseUrl}${path}`, body, deadline, ctx, operation, headers);
  }

  /** The company's path under the API root, `companies(<id>)` (discovering the id when needed). */
  async companyPath(ctx: CallContext, operation: string): Promise<string> {
    const deadline = startDeadline(this.#timeoutMs, ctx.signal);
    return (await this.#companyUrl(deadline, ctx, operation)).slice(this.#baseUrl.length + 1);
  }

  /** Cheapest authenticated call: the company list (which also settles the company id once). */
  async ping(ctx: CallContext): Promise<void> {
    const deadline = startDeadline(this.#timeoutMs, ctx.signal);
    if (this.#companyId === null) {
      await this.#companyUrl(deadline, ctx, 'ping');
      return;
    }
    await this.#send('GET', `${this.#baseUrl}/companies?$select=id&$top=1`, undefined, deadline, ctx, 'ping');
  }

  /** An entity set's URL: the company's, in the API v2.0 or (salesLines) in the Analytics API. */
  async #setUrl(entitySet: EntitySet, deadline: Deadline, ctx: CallContext, operation: string): Promise<string> {
    const company = await this.#companyUrl(deadline, ctx, operation);
    if (!ANALYTICS_SETS.has(entitySet)) return `${company}/${entitySet}`;
    // The ERP subgraph's config refuses to start without one (ERP_ANALYTICS_BASE_URL).
    if (this.#analyticsBaseUrl === undefined)
      throw new TypeError('no Analytics API root is configured (analyticsBaseUrl)');
    return `${this.#analyticsBaseUrl}${company.slice(this.#baseUrl.length)}/${entitySet}`;
  }

  async #companyUrl(deadline: Deadline, ctx: CallContext, operation: string): Promise<string> {
    if (this.#companyId === null) {
      // Single flight: one discovery however many calls arrive first; a failed one is not cached.
      this.#companyLookup ??= this.#discoverCompany(ctx.correlationId).finally(() => {
        this.#companyLookup = null;
      });
      try {
        this.#companyId = await untilDeadline(this.#companyLookup, deadline.signal);
      } catch (error) {
        throw transportError(error, deadline, operation);
      }
    }
    return `${this.#baseUrl}/companies(${this.#companyId})`;
  }

  async #discoverCompany(correlationId: string): Promise<string> {
    const operation = 'company discovery';
    const deadline = startDeadline(this.#timeoutMs);
    const url = `${this.#baseUrl}/companies?$select=id,name&$top=1`;
    const body = await this.#send('GET', url, undefined, deadline, { correlationId }, operation);
    const first = readPage(body, operation).value[0] as { id?: unknown; name?: unknown } | undefined;
    if (first === undefined) throw invalidResponse(operation, 'the API lists no company');
    if (typeof first.id !== 'string' || !isGuid(first.id)) throw invalidResponse(operation, 'company id is not a GUID');
    this.#logger.info({ companyId: first.id, companyName: first.name }, 'ERP company discovered');
    return first.id;
  }

  /** One request, plus one repeat after a 401 with a fresh token. A 204 (DELETE) answers null. */
  async #send(
    method: HttpMethod,
    url: string,
    body: unknown,
    deadline: Deadline,
    ctx: CallContext,
    operation: string,
    headers: Readonly<Record<string, string>> = {},
  ): Promise<unknown> {
    let token = await this.#tokens.get(deadline, ctx.correlationId);
    let response = await this.#fetch(method, url, body, token, deadline, ctx, operation, headers);
    if (response.status === 401) {
      // A 401 means BC did not process the request (not even a POST), so one repeat is safe.
      this.#tokens.invalidate(token);
      token = await this.#tokens.get(deadline, ctx.correlationId);
      response = await this.#fetch(method, url, body, token, deadline, ctx, operation, headers);
    }
    if (response.status < 200 || response.status >= 300) {
      const error = httpError(response.status, response.text, operation);
      this.#logger.warn(
        {
          operation,
          method,
          status: response.status,
          backendCode: error.details.backendCode,
          failure: error.failure,
          correlationId: ctx.correlationId,
        },
        'ERP request failed',
      );
      throw error;
    }
    if (response.status === 204 || response.text === '') return undefined;
    try {
      return JSON.parse(response.text) as unknown;
    } catch (error) {
      throw invalidResponse(operation, 'response is not JSON', error);
    }
  }

  async #fetch(
    method: HttpMethod,
    url: string,
    body: unknown,
    token: string,
    deadline: Deadline,
    ctx: CallContext,
    operation: string,
    headers: Readonly<Record<string, string>> = {},
  ): Promise<{ status: number; text: string }> {
    const started = performance.now();
    try {
      const response = await fetch(url, {
        method,
        headers: {
          ...headers,
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          'X-Correlation-Id': ctx.correlationId,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(method === 'DELETE' ? { 'If-Match': '*' } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: deadline.signal,
      });
      const text = await response.text();
      this.#logger.debug(
        {
          operation,
          method,
          path: new URL(url).pathname,
          status: response.status,
          ms: Math.round(performance.now() - started),
          correlationId: ctx.correlationId,
        },
        'ERP request',
      );
      return { status: response.status, text };
    } catch (error) {
      const mapped = transportError(error, deadline, operation);
      this.#logger.warn(
        { operation, method, failure: mapped.failure, correlationId: ctx.correlationId },
        'ERP request failed',
      );
      throw mapped;
    }
  }

  /** nextLink may be relative (OData v4 §11.2.5.7); the token must never go to another host. */
  #sameOrigin(nextLink: string, current: string, operation: string): string {
    let next: URL;
    try {
      next = new URL(nextLink, current);
    } catch (error) {
      throw invalidResponse(operation, 'nextLink is not a URL', error);
    }
    if (!this.#origins.has(next.origin)) throw invalidResponse(operation, 'nextLink points to another host');
    return next.href;
  }
}

function readPage(body: unknown, operation: string): { value: unknown[]; nextLink?: string } {
  const page = body as { value?: unknown; '@odata.nextLink'?: unknown } | null;
  if (typeof page !== 'object' || page === null || !Array.isArray(page.value)) {
    throw invalidResponse(operation, 'collection response has no value array');
  }
  const nextLink = page['@odata.nextLink'];
  if (nextLink !== undefined && typeof nextLink !== 'string')
    throw invalidResponse(operation, 'nextLink is not a string');
  return nextLink === undefined ? { value: page.value } : { value: page.value, nextLink };
}

function readCount(body: unknown, operation: string): number {
  const count = (body as { '@odata.count'?: unknown })['@odata.count'];
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0)
    throw invalidResponse(operation, '@odata.count missing or not a count');
  return count;
}

/**
 * `?$filter=...&$select=...`. Values are percent-encoded with encodeURIComponent (space → %20, not
 * the form encoding's '+', which OData servers need not read as a space); the `$` of the system
 * query option names stays literal, as in every BC example.
 */
function queryString(query: CollectionQuery): string {
  const parts: string[] = [];
  const add = (name: string, value: string) => parts.push(`${name}=${encodeURIComponent(value)}`);
  if (query.filter) add('$filter', query.filter.toString());
  if (query.select?.length) add('$select', query.select.join(','));
  if (query.expand) {
    const { navigation, select } = query.expand;
    add('$expand', select?.length ? `${navigation}($select=${select.join(',')})` : navigation);
  }
  if (query.orderby?.length) add('$orderby', query.orderby.join(','));
  if (query.top !== undefined) add('$top', String(query.top));
  if (query.skip) add('$skip', String(query.skip));
  if (query.count) add('$count', 'true');
  // Nested function calls in $filter need schema version 2.1 (see ODataFilter.nestedFunctions).
  if (query.filter?.nestedFunctions) add('$schemaversion', '2.1');
  return parts.length ? `?${parts.join('&')}` : '';
}
