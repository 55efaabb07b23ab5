// Wiring of the ERP emulator: a Business Central API v2.0 subset (and the Analytics API's sales lines)
// behind Entra-style client credentials, with the shared traffic control (latency, faults, per-route
// counters) in front: reads and sales order entry (api.ts), the writes that move ERP data
// (write-routes.ts), webhook subscriptions and their notifications (webhooks/), and optionally the
// activity simulator.
// Order matters: the route key is named first so that requests failed by an injected fault are
// still counted under their route; traffic control runs before authentication so 401s are counted.
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { createTrafficControl, type TrafficControl } from '../common/traffic.js';
import { FaultInputError } from '../common/traffic.js';
import type { ErpDataset } from '../seed/types.js';
import { startActivity, type Activity } from './activity.js';
import { createApiRouter } from './api.js';
import { ANALYTICS_PREFIX, createAnalyticsRouter } from './analytics.js';
import { BcError, codeForStatus, respondWithStatus, sendBcError } from './errors.js';
import { createTokenIssuer, type ClientCredentials, type TokenIssuer } from './oauth.js';
import { routeKeyFor } from './route-key.js';
import { ErpStore } from './store.js';
import { createSubscriptionsRouter } from './webhooks/routes.js';
import { applicationUserId } from './webhooks/subscriptions.js';
import { DEFAULT_WEBHOOK_SETTINGS, Webhooks, type WebhookSettings } from './webhooks/webhooks.js';
import { createWriteRouter } from './write-routes.js';

export const DEFAULT_CREDENTIALS: ClientCredentials = {
  tenant: 'customer360-dev',
  clientId: 'customer360-erp-dev',
  clientSecret: 'customer360-erp-dev-secret',
};

export const DEFAULT_PAGE_SIZE = 1000;
/** Entra ID's usual access token lifetime. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3599;

export interface ErpEmulatorOptions {
  /**
   * The ERP half of a seed dataset. Never modified (writes are copy-on-write), so one dataset can
   * back several emulators.
   */
  dataset: ErpDataset;
  /** Base latency added to every API request (default 0). */
  latencyMs?: number;
  /**
   * Server-driven page size (default 1,000 — below BC's real 20,000 so that clients' paging is
   * exercised). `Prefer: odata.maxpagesize=N` may lower it per request.
   */
  pageSize?: number;
  credentials?: Partial<ClientCredentials>;
  tokenLifetimeSeconds?: number;
  /** Clock for order dates, lastModifiedDateTime and token expiry (tests pin it). */
  now?: () => Date;
  /**
   * Refuse $filter expressions Business Central refuses (an `or` across different properties),
   * with BC's error. Default true: a client that works here must work against BC. false (env
   * EMULATOR_ERP_STRICT_FILTERS=false) evaluates them anyway, for whoever needs the old leniency.
   */
  strictFilters?: boolean;
  /** Called with unexpected errors (the client only sees a generic 500). Default: stderr. */
  onUnexpectedError?: (error: unknown) => void;
  /**
   * Webhook settings over Business Central's (webhooks/webhooks.ts), except the delivery delay:
   * 1 second by default here (BC waits 30), so a demo feels live.
   */
  webhooks?: Partial<WebhookSettings>;
  /** The activity simulator, off unless given (activity.ts). */
  activity?: { intervalMs: number; seed?: number; onStep?: (description: string) => void };
}

export interface ErpEmulator {
  /** The request handler; serve it with emulators/common/listen.ts. */
  readonly app: express.Express;
  readonly store: ErpStore;
  readonly traffic: TrafficControl;
  readonly tokens: TokenIssuer;
  readonly credentials: ClientCredentials;
  readonly companyId: string;
  readonly webhooks: Webhooks;
  readonly activity: Activity | null;
  /** Stops the webhook job and the activity simulator (the HTTP server is closed by whoever listens). */
  close(): void;
}

export function createErpEmulator(options: ErpEmulatorOptions): ErpEmulator {
  const now = options.now ?? (() => new Date());
  const credentials: ClientCredentials = { ...DEFAULT_CREDENTIALS, ...options.credentials };
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1)
    throw new Error(`pageSize must be a positive integer, got ${pageSize}`);
  const onUnexpectedError =
    options.onUnexpectedError ??
    ((error: unknown) =>
      process.stderr.write(
        `[erp-emulator] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      ));

  const store = new ErpStore(options.dataset, now);
  const webhooks = new Webhooks(
    { ...DEFAULT_WEBHOOK_SETTINGS, ...options.webhooks },
    now,
    applicationUserId(credentials.clientId),
    onUnexpectedError,
  );
  store.onChange((change) => webhooks.notify(change));
  const activity = options.activity
    ? startActivity({
        store,
        intervalMs: options.activity.intervalMs,
        seed: options.activity.seed ?? 42,
        ...(options.activity.onStep ? { onStep: options.activity.onStep } : {}),
      })
    : null;
  const traffic = createTrafficControl({
    baseLatencyMs: options.latencyMs ?? 0,
    respondError: respondWithStatus,
    actions: { webhooks: (input) => webhookFault(webhooks, input) },
  });
  const tokens = createTokenIssuer({
    credentials,
    lifetimeSeconds: options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
    now: () => now().getTime(),
  });

  const app = express();
  app.disable('x-powered-by');
  // Entities carry their own ETags; Express's body-hash ETag would be a second, different one.
  app.set('etag', false);
  // Query strings are parsed per OData rules (URLSearchParams) in api.ts.
  app.set('query parser', false);

  app.use((req, res, next) => {
    const key = routeKeyFor(req.method, req.path);
    if (key) res.locals.routeKey = key;
    next();
  });
  app.use(traffic.middleware);
  app.get('/__emulator/webhooks', (_req, res) => {
    res.json(webhooks.stats());
  });
  app.use('/__emulator', traffic.router);
  app.delete('/__emulator/tokens', (_req, res) => {
    tokens.revokeAll();
    res.status(204).end();
  });
  app.use(tokens.router);
  app.use(
    '/api/v2.0',
    tokens.requireBearer,
    createSubscriptionsRouter({ webhooks, companyId: store.company.id }),
    createWriteRouter({ store }),
    createApiRouter({ store, pageSize, now, filterRules: { businessCentral: options.strictFilters !== false } }),
  );
  app.use(
    ANALYTICS_PREFIX,
    tokens.requireBearer,
    createAnalyticsRouter({ store, pageSize, filterRules: { businessCentral: options.strictFilters !== false } }),
  );
  app.use((req, res) => {
    sendBcError(
      res,
      404,
      'BadRequest_NotFound',
      `No resource at '${req.path}'. The API is served under /api/v2.0/ and ${ANALYTICS_PREFIX}/.`,
    );
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof BcError) {
      sendBcError(res, error.status, error.code, error.message, error.headers);
      return;
    }
    const type = (error as { type?: unknown }).type;
    if (type === 'entity.parse.failed') {
      sendBcError(res, 400, 'BadRequest', 'Invalid Request Body: the body is not valid JSON.');
      return;
    }
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      sendBcError(res, status, codeForStatus(status), error instanceof Error ? error.message : 'Bad request.');
      return;
    }
    onUnexpectedError(error);
    sendBcError(res, 500, 'Internal_ServerError', 'An unexpected error occurred on the server.');
  });

  return {
    app,
    store,
    traffic,
    tokens,
    credentials,
    companyId: store.company.id,
    webhooks,
    activity,
    close: () => {
      activity?.stop();
      webhooks.close();
    },
  };
}

/**
 * {"webhooks": {...}} in POST /__emulator/faults: `expireSubscriptions` (true, or one
 * subscription id) deletes subscriptions as their expiry would; `deliverNow` runs the notification
 * job without waiting for the delay.
 */
function webhookFault(webhooks: Webhooks, input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new FaultInputError('webhooks must be an object');
  const fields = input as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (key !== 'expireSubscriptions' && key !== 'deliverNow')
      throw new FaultInputError(`unknown webhooks fault '${key}'`);
  }
  const result: Record<string, unknown> = {};
  const expire = fields.expireSubscriptions;
  if (expire !== undefined && expire !== false) {
    if (expire !== true && (typeof expire !== 'string' || expire === ''))
      throw new FaultInputError('webhooks.expireSubscriptions must be true or a subscription id');
    result.expiredSubscriptions = webhooks.expire(expire === true ? undefined : expire);
  }
  if (fields.deliverNow !== undefined && fields.deliverNow !== false) {
    if (fields.deliverNow !== true) throw new FaultInputError('webhooks.deliverNow must be true');
    webhooks.deliverNow();
    result.deliveryScheduled = true;
  }
  return result;
}
