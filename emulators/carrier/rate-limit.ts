// FedEx's throttling of API calls, per project (here: per OAuth client), as its quotas and rate
// limits guide describes it:
// - a rate limit of 1,400 transactions per 10 seconds: a window starts with the first request, and
//   once the limit is reached every further request of that window is refused with 429 "We have
//   received too many requests in a short duration…"; the next request after the window opens a new
//   one;
// - a daily quota (the Track capability's default is 100,000 requests a day): beyond it, 429 "Daily
//   transaction quota exceeded. Retry after 12:00AM GMT" until midnight GMT.
// Refused requests do not count. The guide names no response header; this emulator also sends
// Retry-After (RFC 9110 §10.2.3, delay in seconds, rounded up) with the time left until the request
// could pass, which a client should honour but must not rely on.
import type { RequestHandler } from 'express';
import { MESSAGES, sendCarrierError } from './errors.js';

export interface RateLimits {
  /** Requests accepted per window, per client. */
  perWindow: number;
  windowMs: number;
  /** Requests accepted per day (UTC), per client. */
  perDay: number;
}

export interface RateLimiter {
  /** Mount after the bearer check (it reads res.locals.clientId). */
  readonly middleware: RequestHandler;
  /** Changes the limits at run time (tests); counters carry on. */
  setLimits(limits: RateLimits): void;
  readonly limits: RateLimits;
  /** Requests refused since start, by reason. */
  readonly refused: { window: number; daily: number };
  reset(): void;
}

const DAY_MS = 86_400_000;

interface Counters {
  windowStart: number;
  inWindow: number;
  day: number;
  inDay: number;
}

export function createRateLimiter(initial: RateLimits, now: () => number): RateLimiter {
  let limits = { ...initial };
  const byClient = new Map<string, Counters>();
  const refused = { window: 0, daily: 0 };

  const middleware: RequestHandler = (_req, res, next) => {
    const clientId = String(res.locals.clientId ?? 'anonymous');
    const t = now();
    const day = Math.floor(t / DAY_MS);
    let counters = byClient.get(clientId);
    if (!counters) {
      counters = { windowStart: t, inWindow: 0, day, inDay: 0 };
      byClient.set(clientId, counters);
    }
    if (counters.day !== day) {
      counters.day = day;
      counters.inDay = 0;
    }
    if (t - counters.windowStart >= limits.windowMs) {
      counters.windowStart = t;
      counters.inWindow = 0;
    }
    if (counters.inDay >= limits.perDay) {
      refused.daily += 1;
      const untilMidnight = (day + 1) * DAY_MS - t;
      sendCarrierError(res, 429, 'TOO.MANY.REQUESTS.ERROR', MESSAGES.dailyQuota, {
        'Retry-After': retryAfterSeconds(untilMidnight),
      });
      return;
    }
    if (counters.inWindow >= limits.perWindow) {
      refused.window += 1;
      const untilNextWindow = counters.windowStart + limits.windowMs - t;
      sendCarrierError(res, 429, 'TOO.MANY.REQUESTS.ERROR', MESSAGES.tooManyRequests, {
        'Retry-After': retryAfterSeconds(untilNextWindow),
      });
      return;
    }
    counters.inWindow += 1;
    counters.inDay += 1;
    next();
  };

  return {
    middleware,
    setLimits: (next) => {
      limits = { ...next };
    },
    get limits() {
      return { ...limits };
    },
    refused,
    reset: () => {
      byClient.clear();
      refused.window = 0;
      refused.daily = 0;
    },
  };
}

/** Whole seconds, rounded up, at least 1: "0" would invite an immediate retry that fails again. */
function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}
