// Wiring of the carrier emulator: FedEx's Track API v1 (`POST /track/v1/trackingnumbers`) behind
// its OAuth client credentials (`POST /oauth/token`) and its rate limits, answering for every
// carrier the seed ships with (network.ts), with the shared traffic control (latency, faults,
// per-route counters) in front. Order matters: the route key is named first so that requests failed
// by an injected fault are still counted under their route; traffic control runs before
// authentication so 401s are counted, and the rate limit after it (FedEx counts per project).
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { createTrafficControl, type TrafficControl } from '../common/traffic.js';
import type { ErpDataset } from '../seed/types.js';
import { createTrackRouter } from './api.js';
import { CarrierApiError, errorForStatus, respondWithStatus, sendCarrierError } from './errors.js';
import { createTokenIssuer, type ClientCredentials, type TokenIssuer } from './oauth.js';
import { createRateLimiter, type RateLimiter, type RateLimits } from './rate-limit.js';
import { indexPackages, type PackageIndex } from './shipments.js';

export const DEFAULT_CREDENTIALS: ClientCredentials = {
  clientId: 'customer360-carrier-dev',
  clientSecret: 'customer360-carrier-dev-secret',
};

export const DEFAULT_RATE_LIMITS: RateLimits = { perWindow: 1400, windowMs: 10_000, perDay: 100_000 };

export interface CarrierEmulatorOptions {
  /** The ERP half of a seed dataset: the shipments (and customers, for their addresses) tracked. */
  dataset: Pick<ErpDataset, 'customers' | 'salesShipments'>;
  /** The seed the dataset was generated with; each package's journey draws from it. */
  seed: number;
  /** Base latency added to every API request (default 0). */
  latencyMs?: number;
  credentials?: Partial<ClientCredentials>;
  tokenLifetimeSeconds?: number;
  rateLimits?: RateLimits;
  /** Clock for scan visibility, token expiry and rate windows (tests pin it). */
  now?: () => Date;
  /** Called with unexpected errors (the client only sees a generic 500). Default: stderr. */
  onUnexpectedError?: (error: unknown) => void;
}

export interface CarrierEmulator {
  /** The request handler; serve it with emulators/common/listen.ts (over TLS). */
  readonly app: express.Express;
  readonly packages: PackageIndex;
  readonly traffic: TrafficControl;
  readonly tokens: TokenIssuer;
  readonly rateLimiter: RateLimiter;
  readonly credentials: ClientCredentials;
}

const ROUTE_KEYS: Readonly<Record<string, string>> = {
  'POST /oauth/token': 'token',
  'POST /track/v1/trackingnumbers': 'track',
};

export function createCarrierEmulator(options: CarrierEmulatorOptions): CarrierEmulator {
  const now = options.now ?? (() => new Date());
  const credentials: ClientCredentials = { ...DEFAULT_CREDENTIALS, ...options.credentials };
  const onUnexpectedError =
    options.onUnexpectedError ??
    ((error: unknown) =>
      process.stderr.write(
        `[carrier-emulator] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      ));

  const packages = indexPackages(options.dataset);
  const traffic = createTrafficControl({ baseLatencyMs: options.latencyMs ?? 0, respondError: respondWithStatus });
  const tokens = createTokenIssuer({
    credentials,
    lifetimeSeconds: options.tokenLifetimeSeconds ?? 3599,
    now: () => now().getTime(),
  });
  const rateLimiter = createRateLimiter(options.rateLimits ?? DEFAULT_RATE_LIMITS, () => now().getTime());

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use((req, res, next) => {
    const key = ROUTE_KEYS[`${req.method} ${req.path}`];
    if (key) res.locals.routeKey = key;
    next();
  });
  app.use(traffic.middleware);
  app.use('/__emulator', traffic.router);
  app.delete('/__emulator/tokens', (_req, res) => {
    tokens.revokeAll();
    res.status(204).end();
  });
  app.get('/__emulator/rate-limits', (_req, res) => {
    res.json({ limits: rateLimiter.limits, refused: rateLimiter.refused });
  });
  app.post('/__emulator/rate-limits', express.json(), (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = { ...rateLimiter.limits };
    for (const key of ['perWindow', 'windowMs', 'perDay'] as const) {
      const value = body[key];
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
        res.status(400).json({ error: { code: 'BadRequest', message: `${key} must be a positive integer` } });
        return;
      }
      next[key] = value;
    }
    rateLimiter.setLimits(next);
    rateLimiter.reset();
    res.json({ limits: rateLimiter.limits });
  });
  app.use(tokens.router);
  app.use('/track', tokens.requireBearer, rateLimiter.middleware);
  app.use(createTrackRouter({ packages, seed: options.seed, now }));
  app.use((req, res) => {
    sendCarrierError(
      res,
      404,
      'NOT.FOUND.ERROR',
      `The resource you requested is no longer available. Please modify your request and try again. (${req.method} ${req.path})`,
    );
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof CarrierApiError) {
      sendCarrierError(res, error.status, error.code, error.message, error.headers);
      return;
    }
    const type = (error as { type?: unknown }).type;
    if (type === 'entity.parse.failed') {
      sendCarrierError(
        res,
        400,
        'BAD.REQUEST.ERROR',
        'The given JSON is invalid. Please modify your request and try again.',
      );
      return;
    }
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const { code, message } = errorForStatus(status);
      sendCarrierError(res, status, code, message);
      return;
    }
    onUnexpectedError(error);
    const { code, message } = errorForStatus(500);
    sendCarrierError(res, 500, code, message);
  });

  return { app, packages, traffic, tokens, rateLimiter, credentials };
}
