// Sending one REST request through jsforce under the connector's rules:
// - jsforce's transport retries GET/PUT/DELETE on 420/429/5xx and connection errors up to 5 times
//   with backoff (a 503 GET took ~15 s) and defaults to a 30-minute timeout (reference note). We pass
//   per-request HttpRequestOptions through `conn.request(request, options)` — HttpApi hands them to
//   the transport, which merges them over its defaults (jsforce src/http-api.ts, src/request.ts) —
//   with `retry.methods: []` (nothing is retried by jsforce, writes included) and `timeout` set to what
//   is left of our deadline; the deadline race cuts everything else (body reads, token waits).
// - every request carries X-Correlation-Id; Sforce-Call-Options comes from the Connection's
//   callOptions (jsforce adds it in HttpApi.beforeSend).
// - a 401 is answered by one guarded re-authorization (session.ts) and one retry of this request.
// - queries: we build /query?q= ourselves and follow nextRecordsUrl page by page, so every page has
//   the header and the deadline (jsforce's query() truncates silently at maxFetch = 10,000).
import jsforce from 'jsforce';
import type { Connection, HttpRequest, HttpResponse } from 'jsforce';
import { BackendError } from '../../lib/backend-error.js';
import type { Logger } from '../../lib/logger.js';
import type { AccessToken } from './auth.js';
import type { Deadline } from './deadline.js';
import { isInvalidSession, toBackendError } from './errors.js';
import type { Session } from './session.js';

/** Identifies the integration's own writes (Change Data Capture `changeOrigin`, reference note). */
export const CALL_OPTIONS = { client: 'customer360-graph' } as const;

/** Headroom so our deadline, not jsforce's timer, reports the timeout. */
const TRANSPORT_TIMEOUT_SLACK_MS = 100;

export interface CallScope {
  operation: string;
  correlationId: string;
  deadline: Deadline;
}

export type SfRecord = Record<string, unknown>;

interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: SfRecord[];
}

export interface ApiClientOptions {
  apiVersion: string;
  session: Session;
  logger: Logger;
}

export class SalesforceApiClient {
  private connection: Connection | null = null;
  private activeToken: AccessToken | null = null;

  constructor(private readonly options: ApiClientOptions) {}

  /** session.ts calls this with every new token: the one Connection follows the current session. */
  useToken(token: AccessToken): void {
    this.activeToken = token;
    if (!this.connection) {
      // No refreshFn and no oauth2 client id: jsforce then has no refresh delegate and surfaces a 401
      // as an INVALID_SESSION_ID error instead of refreshing in a loop (session.ts guards instead).
      this.connection = new jsforce.Connection({
        instanceUrl: token.instanceUrl,
        accessToken: token.accessToken,
        version: this.options.apiVersion,
        callOptions: { ...CALL_OPTIONS },
      });
    } else {
      this.connection.instanceUrl = token.instanceUrl;
      this.connection.accessToken = token.accessToken;
    }
  }

  /** The last Sforce-Limit-Info jsforce parsed into Connection.limitInfo. */
  apiUsage(): { used: number; limit: number } | null {
    return this.connection?.limitInfo.apiUsage ?? null;
  }

  get versionPath(): string {
    return `/services/data/v${this.options.apiVersion}`;
  }

  /** One request with guarded re-authorization; resolves to the parsed body (undefined for 204). */
  async send<T>(request: HttpRequest, scope: CallScope): Promise<T> {
    const { session } = this.options;
    await scope.deadline.race(session.token(scope.correlationId));
    const first = await this.attempt<T>(request, scope);
    if (first.ok) return first.value;
    if (!isInvalidSession(first.error, first.status)) throw toBackendError(first.error, first.status, scope.operation);

    await scope.deadline.race(session.reauthorize(first.token, scope.correlationId));
    const second = await this.attempt<T>(request, scope);
    if (second.ok) return second.value;
    const error = toBackendError(second.error, second.status, scope.operation);
    if (isInvalidSession(second.error, second.status)) {
      throw new BackendError('salesforce', 'unauthorized', `${error.message} (after re-authorizing)`, error.details, {
        cause: second.error,
      });
    }
    throw error;
  }

  /** Every record of a SOQL query, following nextRecordsUrl. */
  query(soql: string, scope: CallScope): Promise<SfRecord[]> {
    return this.loggingRejection(soql, scope, async () => {
      const records: SfRecord[] = [];
      let url = this.queryUrl(soql);
      for (;;) {
        const page = readQueryPage(await this.send<unknown>({ method: 'GET', url }, scope), scope.operation);
        records.push(...page.records);
        if (page.done) return records;
        url = nextPageUrl(page, scope.operation);
      }
    });
  }

  /** `SELECT COUNT() ...`: the answer is totalSize, with no records. */
  count(soql: string, scope: CallScope): Promise<number> {
    return this.loggingRejection(soql, scope, async () => {
      const page = readQueryPage(
        await this.send<unknown>({ method: 'GET', url: this.queryUrl(soql) }, scope),
        scope.operation,
      );
      return page.totalSize;
    });
  }

  private queryUrl(soql: string): string {
    return `${this.versionPath}/query?q=${encodeURIComponent(soql)}`;
  }

  /** A rejected query is a bug on our side: the statement goes to our log, never to a client. */
  private async loggingRejection<T>(soql: string, scope: CallScope, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof BackendError && error.failure === 'rejected') {
        this.options.logger.error(
          { err: error, soql, operation: scope.operation, correlationId: scope.correlationId },
          'Salesforce rejected a query',
        );
      }
      throw error;
    }
  }

  private async attempt<T>(
    request: HttpRequest,
    scope: CallScope,
  ): Promise<{ ok: true; value: T } | { ok: false; error: unknown; status: number | undefined; token: AccessToken }> {
    scope.deadline.check();
    const connection = this.connection;
    const token = this.activeToken;
    if (!connection || !token) throw new Error('SalesforceApiClient used before a token was obtained');

    // The transport jsforce would use, tapped for the HTTP status its errors do not carry.
    let status: number | undefined;
    const base = connection._transport;
    const transport = {
      httpRequest(req: HttpRequest, options: object) {
        const pending = base.httpRequest(req, options);
        pending.then(
          (response: HttpResponse) => {
            status = response.statusCode;
          },
          () => undefined,
        );
        return pending;
      },
    };
    const pending = connection.request<T>(
      {
        ...request,
        headers: { ...request.headers, 'X-Correlation-Id': scope.correlationId, Accept: 'application/json' },
      },
      {
        transport,
        retry: { methods: [], maxRetries: 0 },
        timeout: scope.deadline.remainingMs() + TRANSPORT_TIMEOUT_SLACK_MS,
      },
    );
    try {
      return { ok: true, value: await scope.deadline.race(pending) };
    } catch (error) {
      if (error instanceof BackendError) throw error; // our deadline
      return { ok: false, error, status, token };
    }
  }
}

function invalidResponse(operation: string, message: string): BackendError {
  return new BackendError('salesforce', 'invalid_response', `Salesforce ${operation}: ${message}`, { operation });
}

function readQueryPage(body: unknown, operation: string): QueryPage {
  if (typeof body !== 'object' || body === null) throw invalidResponse(operation, 'query response is not an object');
  const page = body as Partial<QueryPage>;
  if (typeof page.done !== 'boolean' || typeof page.totalSize !== 'number' || !Array.isArray(page.records)) {
    throw invalidResponse(operation, 'query response lacks totalSize/done/records');
  }
  return page as QueryPage;
}

/** Only a path on the same instance: the bearer token must not follow an absolute URL elsewhere. */
function nextPageUrl(page: QueryPage, operation: string): string {
  const next = page.nextRecordsUrl;
  if (typeof next !== 'string' || !next.startsWith('/services/data/')) {
    throw invalidResponse(operation, 'query page is not done but has no usable nextRecordsUrl');
  }
  return next;
}
