// Wiring of the Salesforce emulator: traffic control first (latency, faults, stats under
// /__emulator), then the OAuth endpoints, the Streaming API's CometD endpoint (/cometd/<version>,
// Change Data Capture), then the REST API under /services/data: session check (401
// INVALID_SESSION_ID), daily allocation (403 REQUEST_LIMIT_EXCEEDED), `Sforce-Limit-Info` on every
// response, and dispatch to the resource table, each call one transaction (its writes commit
// together, or not at all when it fails, and publish their change events). Anything else is 404
// NOT_FOUND; nothing answers HTML or a stack trace.
import { randomUUID } from 'node:crypto';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { createTrafficControl, type TrafficControl } from '../common/traffic.js';
import type { SalesforceDataset } from '../seed/types.js';
import { type ApiContext, type ApiRequest, type ApiResponse, type Route, dispatch, routeKeyOf } from './api.js';
import { ApiUsage } from './api-usage.js';
import { codeForStatus, invalidSession, notFound } from './errors.js';
import { normalizeId } from './ids.js';
import { DEFAULT_CREDENTIALS, type Credentials, OAuthService, type Session, type TokenResponse } from './oauth.js';
import { bearerToken, oauthRouter } from './oauth-http.js';
import { collectionRoutes } from './routes/collections.js';
import { compositeRoutes } from './routes/composite.js';
import { queryRoutes } from './routes/query.js';
import { resourceRoutes } from './routes/resources.js';
import { sobjectRoutes } from './routes/sobjects.js';
import { createSchema } from './schema.js';
import { QueryCursors } from './soql/cursors.js';
import { SoqlEngine } from './soql/evaluate.js';
import { SalesforceStore, type TransactionContext } from './store.js';
import { createChangeDataCapture, type ChangeDataCapture } from './streaming/change-data-capture.js';
import { isSupportedVersion, versionList } from './versions.js';

export interface SalesforceEmulatorOptions {
  /** The org's data (dataset.salesforce of emulators/seed/generate.ts, or a hand-made fixture). */
  readonly dataset: SalesforceDataset;
  /** Base latency added to every API request (default 0). */
  readonly latencyMs?: number;
  /** OAuth client and user credentials; defaults: DEFAULT_CREDENTIALS. */
  readonly credentials?: Partial<Credentials>;
  /** PEM RSA public keys or X.509 certificates for JWT bearer assertions (none: signatures unchecked). */
  readonly jwtPublicKeys?: readonly string[];
  /** Extra accepted JWT `aud` values. */
  readonly jwtAudiences?: readonly string[];
  /** Access token lifetime (default 2 h, Salesforce's default session timeout). */
  readonly tokenTtlMs?: number;
  /** Daily API request allocation (default 100,000). */
  readonly dailyApiLimit?: number;
  /** The URL clients should use (instance_url); default: the host each request came to. */
  readonly publicUrl?: string;
  /** Clock (tests: sessions expiring, date literals). */
  readonly now?: () => Date;
  /** Where unexpected errors (answered 500 UNKNOWN_EXCEPTION) are reported; default stderr. */
  readonly onError?: (err: unknown) => void;
  /** Change Data Capture and its Streaming API (streaming/change-data-capture.ts has the defaults). */
  readonly changeDataCapture?: {
    /** Objects selected for Change Data Capture; default every object of the org. */
    readonly entities?: readonly string[];
    readonly retentionMs?: number;
    readonly maxRetainedEvents?: number;
    readonly overflowThreshold?: number;
    /** CometD long-poll timeout (seconds). */
    readonly timeoutSeconds?: number;
  };
}

export interface SalesforceEmulator {
  /** The request handler (an Express app): pass it to listen() or mount it. */
  readonly app: express.Express;
  readonly store: SalesforceStore;
  readonly traffic: TrafficControl;
  readonly oauth: OAuthService;
  readonly apiUsage: ApiUsage;
  /** Change events, their retention and the CometD server delivering them. */
  readonly changeDataCapture: ChangeDataCapture;
  /** A session for in-process callers; `baseUrl` is where the emulator listens. */
  issueToken(baseUrl: string): TokenResponse;
  /** Stops the streaming server's timers (the HTTP server is closed by whoever listens). */
  close(): void;
}

const TWO_HOURS_MS = 2 * 60 * 60 * 1000;
const DEFAULT_DAILY_API_LIMIT = 100_000;

function sendErrors(res: Response, status: number, errorCode: string, message: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res
    .status(status)
    .type('application/json;charset=UTF-8')
    .send(JSON.stringify([{ message, errorCode }]));
}

/** The API and client a change came through, as Change Data Capture's changeOrigin names them. */
function changeOriginOf(version: string, headers: ApiRequest['headers']): string {
  const client = /(?:^|[,;\s])client=([^,;\s]+)/.exec(headers['sforce-call-options'] ?? '')?.[1];
  return `com/salesforce/api/rest/${version}${client ? `;client=${client}` : ''}`;
}

function sendApiResponse(res: Response, answer: ApiResponse): void {
  res.status(answer.status);
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.set(name, value);
  if (answer.body === undefined) res.end();
  else res.type('application/json;charset=UTF-8').send(JSON.stringify(answer.body));
}

export function createSalesforceEmulator(options: SalesforceEmulatorOptions): SalesforceEmulator {
  const now = options.now ?? (() => new Date());
  const dataset = options.dataset;
  const schema = createSchema();
  const reportError = options.onError ?? ((x: unknown) => console.error('[salesforce-emulator]', x));
  const store = new SalesforceStore(schema, dataset, now, reportError);
  const engine = new SoqlEngine(store, now);
  const cursors = new QueryCursors(now);
  const apiUsage = new ApiUsage(options.dailyApiLimit ?? DEFAULT_DAILY_API_LIMIT, now);
  const organizationId = normalizeId(dataset.organizationId);
  const integrationUserId = normalizeId(dataset.integrationUserId);
  if (!organizationId || !integrationUserId)
    throw new Error('The dataset needs a valid organizationId and integrationUserId');

  const usersByUsername = new Map<string, string>();
  for (const user of store.records('User')) {
    if (user.IsActive && typeof user.Username === 'string') usersByUsername.set(user.Username.toLowerCase(), user.Id);
  }
  const oauth = new OAuthService({
    credentials: { ...DEFAULT_CREDENTIALS, ...options.credentials },
    organizationId,
    integrationUserId,
    usersByUsername,
    jwtPublicKeys: options.jwtPublicKeys ?? [],
    jwtAudiences: options.jwtAudiences ?? [],
    tokenTtlMs: options.tokenTtlMs ?? TWO_HOURS_MS,
    now,
  });

  const routes: Route[] = [
    ...resourceRoutes(),
    ...queryRoutes(schema),
    ...sobjectRoutes(schema),
    ...collectionRoutes(schema),
    ...compositeRoutes(),
  ];
  const baseUrlOf = (req: Request) => options.publicUrl?.replace(/\/$/, '') ?? `${req.protocol}://${req.get('host')}`;

  const cdc = options.changeDataCapture ?? {};
  const changeDataCapture = createChangeDataCapture({
    store,
    schema,
    now,
    verify: (token) => oauth.verify(token),
    ...(cdc.entities ? { entities: cdc.entities } : {}),
    ...(cdc.retentionMs !== undefined ? { retentionMs: cdc.retentionMs } : {}),
    ...(cdc.maxRetainedEvents !== undefined ? { maxRetainedEvents: cdc.maxRetainedEvents } : {}),
    ...(cdc.overflowThreshold !== undefined ? { overflowThreshold: cdc.overflowThreshold } : {}),
    ...(cdc.timeoutSeconds !== undefined ? { timeoutSeconds: cdc.timeoutSeconds } : {}),
  });

  const traffic = createTrafficControl({
    baseLatencyMs: options.latencyMs ?? 0,
    respondError: (res, status, message) => {
      res.set('Sforce-Limit-Info', apiUsage.header());
      sendErrors(res, status, codeForStatus(status), message);
    },
    actions: { streaming: (input) => changeDataCapture.fault(input) },
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(traffic.middleware);
  app.get('/__emulator/streaming', (_req, res) => {
    res.json(changeDataCapture.cometd.stats());
  });
  app.use('/__emulator', traffic.router);
  app.use(oauthRouter({ oauth, store, organizationId, baseUrlOf, sendErrors }));
  // Before any body parser: faye reads the request body itself.
  app.post(['/cometd', '/cometd/*path'], (req: Request, res: Response) => {
    changeDataCapture.cometd.handle(req, res);
  });

  // Version list, version check, session and allocation; leaves the request for dispatch.
  app.use('/services/data', (req: Request, res: Response, next: NextFunction) => {
    res.set('Sforce-Limit-Info', apiUsage.header());
    if (req.path === '/' && req.method === 'GET') {
      res.locals.routeKey = 'versions';
      res.json(versionList());
      return;
    }
    const m = /^\/v(\d+\.\d+)(\/.*)?$/.exec(req.path);
    if (!m || !isSupportedVersion(m[1]!)) {
      res.locals.routeKey = 'not found';
      const err = notFound();
      sendErrors(res, err.status, 'NOT_FOUND', err.message);
      return;
    }
    const request: Omit<ApiRequest, 'body'> = {
      method: req.method,
      path: (m[2] ?? '').replace(/\/+$/, ''),
      version: m[1]!,
      query: new URL(req.originalUrl, 'http://x').searchParams,
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]),
      ),
    };
    res.locals.routeKey = routeKeyOf(routes, { ...request, body: undefined });
    const token = bearerToken(req);
    const session = token ? oauth.verify(token) : null;
    if (!session) {
      const err = invalidSession();
      sendErrors(res, err.status, 'INVALID_SESSION_ID', err.message);
      return;
    }
    if (!apiUsage.consume()) {
      sendErrors(res, 403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
      return;
    }
    res.set('Sforce-Limit-Info', apiUsage.header());
    res.locals.apiRequest = request;
    res.locals.session = session;
    next();
  });
  app.use('/services/data', express.json({ type: () => true, limit: '20mb' }), (req: Request, res: Response) => {
    const session = res.locals.session as Session;
    const request: ApiRequest = { ...(res.locals.apiRequest as Omit<ApiRequest, 'body'>), body: req.body };
    // A call that fails leaves nothing behind: what it wrote before failing is rolled back.
    const atomically = (call: ApiRequest): ApiResponse => {
      const sp = store.savepoint();
      const answer = dispatch(routes, call, ctx);
      if (answer.status >= 400) store.rollback(sp);
      else store.release(sp);
      return answer;
    };
    const ctx: ApiContext = {
      store,
      engine,
      cursors,
      session,
      apiUsage,
      instanceUrl: baseUrlOf(req),
      dispatch: atomically,
    };
    const transaction: TransactionContext = {
      userId: session.userId,
      changeOrigin: changeOriginOf(request.version, request.headers),
    };
    sendApiResponse(
      res,
      store.transaction(transaction, () => atomically(request)),
    );
  });

  app.use((_req: Request, res: Response) => {
    res.locals.routeKey ??= 'not found';
    const err = notFound();
    sendErrors(res, err.status, 'NOT_FOUND', err.message);
  });

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.parse.failed') {
      sendErrors(res, 400, 'JSON_PARSER_ERROR', `Unexpected character in the JSON body: ${e.message ?? ''}`);
      return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      sendErrors(res, e.status, codeForStatus(e.status), e.message ?? 'Bad request');
      return;
    }
    reportError(err);
    sendErrors(
      res,
      500,
      'UNKNOWN_EXCEPTION',
      `An unexpected error occurred. Please include this ErrorId if you contact support: ${randomUUID()}`,
    );
  });

  return {
    app,
    store,
    traffic,
    oauth,
    apiUsage,
    changeDataCapture,
    issueToken: (baseUrl) => oauth.issue({ baseUrl: baseUrl.replace(/\/$/, '') }),
    close: () => changeDataCapture.close(),
  };
}
