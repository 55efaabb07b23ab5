// Request accounting, latency and fault injection shared by both emulators: the switches tests and
// benchmarks use to make a backend slow, failing or down, and the counters they read back
// (GET /__emulator/stats; POST /__emulator/faults, where an empty body clears the faults). An
// emulator may add one-shot fault actions under their own key of the same body (the Salesforce
// emulator's {"streaming": {...}}, the ERP emulator's {"webhooks": {...}}): they run when posted,
// answer their result, and leave the standing faults as they were unless the body also sets some.
import express from 'express';
import type { NextFunction, Request, Response } from 'express';

export interface Faults {
  /** Extra latency on every matching API request, on top of the configured base latency. */
  latencyMs?: number;
  /** Uniform random extra latency in [0, jitterMs). */
  jitterMs?: number;
  /** Answer matching requests with this HTTP status, in the emulator's own error shape. */
  status?: number;
  /** Fraction (0..1) of matching requests that fail with `status`; default 1. */
  errorRate?: number;
  /** Destroy the connection without answering (a backend that is down). */
  outage?: boolean;
  /** Only requests whose path matches this regular expression are affected. */
  pathPattern?: string;
  /** Only the next `count` matching requests are affected; then the faults clear themselves. */
  count?: number;
}

export interface RecentRequest {
  method: string;
  path: string;
  route: string;
  status: number;
  correlationId: string | null;
  durationMs: number;
  at: string;
  /**
   * Rows a collection read returned and looked at (index candidates or the whole table), when the
   * emulator notes them (res.locals.rowCounts; the ERP emulator does): what a pushdown test reads.
   */
  rows?: { returned: number; scanned: number };
}

export interface TrafficStats {
  /** API requests served since start (or since the last reset); /__emulator routes are not counted. */
  total: number;
  inFlight: number;
  maxInFlight: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  /** Sums of RecentRequest.rows over every request counted. */
  rowsReturned: number;
  rowsScanned: number;
  faults: Faults | null;
  baseLatencyMs: number;
  recent: RecentRequest[];
}

export type ErrorResponder = (res: Response, status: number, message: string) => void;

/** A one-shot fault action: runs with its part of the body; throws FaultInputError for bad input. */
export type FaultAction = (input: unknown) => unknown;

/** Bad input to a fault action: answered 400 with its message. */
export class FaultInputError extends Error {
  override readonly name = 'FaultInputError';
}

export interface TrafficControl {
  /** Mount first: counts, delays and fails API requests. */
  readonly middleware: express.RequestHandler;
  /** Mount at /__emulator. */
  readonly router: express.Router;
  stats(): TrafficStats;
  resetStats(): void;
  setFaults(faults: Faults | null): void;
  setBaseLatency(ms: number): void;
}

const RECENT_LIMIT = 200;

/**
 * Route keys name what was asked for, not the raw path, so tests can count "ERP requests per entity
 * kind": a handler may set `res.locals.routeKey` (e.g. "GET salesInvoices" or "query Account").
 */
export function createTrafficControl(options: {
  baseLatencyMs: number;
  respondError: ErrorResponder;
  /** One-shot fault actions by their key in the POST /__emulator/faults body. */
  actions?: Readonly<Record<string, FaultAction>>;
}): TrafficControl {
  const actions = options.actions ?? {};
  let baseLatencyMs = options.baseLatencyMs;
  let faults: Faults | null = null;
  let faultPattern: RegExp | null = null;
  let stats = emptyStats();

  function emptyStats() {
    return {
      total: 0,
      inFlight: 0,
      maxInFlight: 0,
      byRoute: {} as Record<string, number>,
      byStatus: {} as Record<string, number>,
      rowsReturned: 0,
      rowsScanned: 0,
      recent: [] as RecentRequest[],
    };
  }

  function setFaults(next: Faults | null) {
    faults = next && Object.keys(next).length > 0 ? { ...next } : null;
    faultPattern = faults?.pathPattern ? new RegExp(faults.pathPattern) : null;
  }

  function faultFor(path: string): Faults | null {
    if (!faults) return null;
    if (faultPattern && !faultPattern.test(path)) return null;
    if (faults.count !== undefined) {
      if (faults.count <= 0) return null;
      faults.count -= 1;
      const applied = { ...faults };
      if (faults.count === 0) setFaults(null);
      return applied;
    }
    return faults;
  }

  const middleware: express.RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/__emulator')) return next();
    const started = Date.now();
    const counted = stats;
    counted.inFlight += 1;
    counted.maxInFlight = Math.max(counted.maxInFlight, counted.inFlight);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      counted.inFlight -= 1;
      const route = (res.locals.routeKey as string | undefined) ?? `${req.method} ${req.path}`;
      counted.total += 1;
      counted.byRoute[route] = (counted.byRoute[route] ?? 0) + 1;
      const status = res.headersSent ? res.statusCode : 0;
      counted.byStatus[String(status)] = (counted.byStatus[String(status)] ?? 0) + 1;
      const rows = res.locals.rowCounts as RecentRequest['rows'] | undefined;
      if (rows) {
        counted.rowsReturned += rows.returned;
        counted.rowsScanned += rows.scanned;
      }
      counted.recent.push({
        method: req.method,
        path: req.originalUrl,
        route,
        status,
        correlationId: (req.headers['x-correlation-id'] as string | undefined) ?? null,
        durationMs: Date.now() - started,
        at: new Date(started).toISOString(),
        ...(rows ? { rows } : {}),
      });
      if (counted.recent.length > RECENT_LIMIT) counted.recent.shift();
    };
    res.once('finish', finish);
    res.once('close', finish);

    const fault = faultFor(req.path);
    const delay = baseLatencyMs + (fault?.latencyMs ?? 0) + (fault?.jitterMs ? Math.random() * fault.jitterMs : 0);
    const proceed = () => {
      if (fault?.outage) {
        req.socket.destroy();
        return;
      }
      if (fault?.status && Math.random() < (fault.errorRate ?? 1)) {
        options.respondError(res, fault.status, `Injected fault: HTTP ${fault.status}`);
        return;
      }
      next();
    };
    if (delay > 0) setTimeout(proceed, delay);
    else proceed();
  };

  const router = express.Router();
  router.get('/stats', (_req, res) => {
    res.json(snapshot());
  });
  router.delete('/stats', (_req, res) => {
    stats = emptyStats();
    res.status(204).end();
  });
  router.post('/faults', express.json({ strict: false }), (req, res) => {
    const refuse = (message: string) => res.status(400).json({ error: { code: 'BadRequest', message } });
    const body: unknown = req.body;
    const input =
      typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
    const actionKeys = input ? Object.keys(input).filter((key) => key in actions) : [];
    const standing =
      input && actionKeys.length > 0
        ? Object.fromEntries(Object.entries(input).filter(([key]) => !(key in actions)))
        : body;
    // A body of actions only leaves the standing faults as they are; an empty one clears them.
    const keepStanding = actionKeys.length > 0 && Object.keys(standing as object).length === 0;
    const clear =
      !keepStanding &&
      (standing === undefined ||
        standing === null ||
        (typeof standing === 'object' && Object.keys(standing).length === 0));
    const parsed = keepStanding || clear ? null : parseFaults(standing);
    if (typeof parsed === 'string') {
      refuse(parsed);
      return;
    }
    const results: Record<string, unknown> = {};
    try {
      for (const key of actionKeys) results[key] = actions[key]!(input![key]);
    } catch (error) {
      if (!(error instanceof FaultInputError)) throw error;
      refuse(error.message);
      return;
    }
    if (!keepStanding) setFaults(parsed);
    res.json({ faults, ...results });
  });
  router.get('/faults', (_req, res) => {
    res.json({ faults });
  });

  function snapshot(): TrafficStats {
    return {
      total: stats.total,
      inFlight: stats.inFlight,
      maxInFlight: stats.maxInFlight,
      byRoute: { ...stats.byRoute },
      byStatus: { ...stats.byStatus },
      rowsReturned: stats.rowsReturned,
      rowsScanned: stats.rowsScanned,
      faults: faults ? { ...faults } : null,
      baseLatencyMs,
      recent: [...stats.recent],
    };
  }

  return {
    middleware,
    router,
    stats: snapshot,
    resetStats: () => {
      stats = emptyStats();
    },
    setFaults,
    setBaseLatency: (ms) => {
      baseLatencyMs = ms;
    },
  };
}

function parseFaults(body: unknown): Faults | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'faults must be a JSON object';
  const input = body as Record<string, unknown>;
  const out: Faults = {};
  const known = new Set(['latencyMs', 'jitterMs', 'status', 'errorRate', 'outage', 'pathPattern', 'count']);
  for (const key of Object.keys(input)) if (!known.has(key)) return `unknown fault '${key}'`;
  for (const key of ['latencyMs', 'jitterMs', 'count'] as const) {
    const v = input[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return `${key} must be a non-negative number`;
    out[key] = v;
  }
  if (input.status !== undefined) {
    const s = input.status;
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 400 || s > 599)
      return 'status must be an HTTP error status (400-599)';
    out.status = s;
  }
  if (input.errorRate !== undefined) {
    const r = input.errorRate;
    if (typeof r !== 'number' || r < 0 || r > 1) return 'errorRate must be between 0 and 1';
    out.errorRate = r;
  }
  if (input.outage !== undefined) {
    if (typeof input.outage !== 'boolean') return 'outage must be a boolean';
    out.outage = input.outage;
  }
  if (input.pathPattern !== undefined) {
    if (typeof input.pathPattern !== 'string') return 'pathPattern must be a string';
    try {
      new RegExp(input.pathPattern);
    } catch {
      return 'pathPattern is not a valid regular expression';
    }
    out.pathPattern = input.pathPattern;
  }
  return out;
}
