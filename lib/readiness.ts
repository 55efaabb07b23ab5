// Readiness without a dependency call per probe. An orchestrator probes /readyz every few seconds,
// anonymously, on every replica; if each probe asked the backend, probes alone would spend
// Salesforce's daily API allowance and the ERP's rationed calls (and anyone could spend them). So a
// readiness state is an observation: what the service last saw of its dependency, from the calls it
// made anyway (the shield sees every backend call, subgraphs/shared/backend-readiness.ts) or from a
// check of its own, made at most once per READINESS_CHECK_INTERVAL_S and only when nothing fresher
// was seen. A probe answers at once from the latest observation and, when that is older than the
// interval, starts one check in the background (concurrent probes share it); only the very first
// probe waits, so a fresh replica never answers from nothing. It lives in lib/ because the gateway
// (watching its subgraphs) and the subgraphs (watching their backends) both use it.
import { z } from 'zod';

/** READINESS_CHECK_INTERVAL_S as the gateway's and the subgraphs' config modules read it. */
export const readinessIntervalSchema = z.coerce
  .number({ error: 'must be a number of seconds' })
  .int('must be an integer')
  .min(0, 'must be at least 0 (0 checks whenever a probe finds the last observation older than now)')
  .max(3_600, 'must be at most 3600');

export const DEFAULT_READINESS_INTERVAL_S = 30;

export interface Observation<T> {
  readonly value: T;
  /** When it was observed (ms since the epoch). */
  readonly at: number;
}

export interface ReadinessMonitor<T> {
  /** Records what the service saw of its dependency (a call's outcome). */
  observe(value: T): void;
  /** The latest observation, checking first only when there is none yet; refreshes a stale one in the background. */
  current(): Promise<Observation<T>>;
}

export interface ReadinessMonitorOptions<T> {
  /** Asks the dependency; must settle (its own timeout) and never reject: a failure is a value. */
  readonly check: () => Promise<T>;
  /** An observation younger than this needs no check. */
  readonly intervalMs: number;
  /**
   * For an observation that is not `healthy`: checked again sooner, so a dependency that comes back
   * (or comes up after this service) is seen within seconds. Defaults to intervalMs.
   */
  readonly retryIntervalMs?: number;
  readonly healthy?: (value: T) => boolean;
  readonly now?: () => number;
}

export function readinessMonitor<T>(options: ReadinessMonitorOptions<T>): ReadinessMonitor<T> {
  const now = options.now ?? Date.now;
  let latest: Observation<T> | null = null;
  let checking: Promise<Observation<T>> | null = null;

  const observe = (value: T) => {
    latest = { value, at: now() };
  };
  const check = (): Promise<Observation<T>> => {
    checking ??= options
      .check()
      .then((value) => {
        observe(value);
        return latest!;
      })
      .finally(() => {
        checking = null;
      });
    return checking;
  };

  return {
    observe,
    async current() {
      if (latest === null) return check();
      // check() never rejects by contract; the catch only keeps a broken one from crashing the process.
      const interval =
        options.healthy && !options.healthy(latest.value)
          ? Math.min(options.intervalMs, options.retryIntervalMs ?? options.intervalMs)
          : options.intervalMs;
      if (now() - latest.at >= interval) check().catch(() => undefined);
      return latest;
    },
  };
}
