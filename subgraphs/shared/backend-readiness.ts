// A subgraph's /readyz: what it last saw of its backend (lib/readiness.ts), never a backend call per
// probe. Every call the shield makes reports its outcome (ShieldEvent 'call'); a ping goes out only
// when no call was seen for READINESS_CHECK_INTERVAL_S (5 s while the backend is down), and only
// when a probe asks.
//
// What it answers:
// - 200 {"status":"ready"}: the backend answered its last call.
// - 200 {"status":"degraded"}: the backend failed its last call (down, timing out, circuit open,
//   credentials refused, allowance spent), but this process has reached it since it started. It
//   still serves: cached values (marked stale, with their asOf) and everything else as
//   ERP_UNAVAILABLE / SALESFORCE_UNAVAILABLE. Pulling it out of a load balancer would not bring the
//   backend back; every replica sees the same outage, and an orchestrator that pulled them all would
//   turn a degraded graph into none. So degraded stays ready.
// - 503 {"status":"unavailable"}: it has never reached its backend since it started (wrong URL or
//   credentials, or started in the middle of an outage): it has nothing to serve.
import type { Logger } from '../../lib/logger.js';
import type { CallContext } from '../../lib/call-context.js';
import { readinessMonitor } from '../../lib/readiness.js';
import type { ResiliencePolicy } from '../../shield/index.js';
import type { BackendOutcome } from '../../shield/metrics.js';

type BackendState = 'up' | 'down';

/**
 * A backend seen down is checked again after at most 5 s (when a probe asks and no call was seen):
 * while its circuit is open the check is refused by the shield without a backend call, so this
 * costs the backend nothing beyond the breaker's own half-open probes.
 */
const RETRY_INTERVAL_MS = 5_000;

/** What an outcome says about the backend; nothing for outcomes that are about us (our queue, our caller). */
const STATE_OF: Record<BackendOutcome, BackendState | null> = {
  success: 'up',
  // The backend answered: it refused this request, which says it is there.
  rejected: 'up',
  unavailable: 'down',
  timeout: 'down',
  invalid_response: 'down',
  rate_limited: 'down',
  unauthorized: 'down',
  circuit_open: 'down',
  bulkhead_full: null,
  abandoned: null,
};

export interface ReadinessReport {
  readonly httpStatus: 200 | 503;
  readonly body: {
    readonly status: 'ready' | 'degraded' | 'unavailable';
    readonly backend: string;
    /** When the state was last observed (a call's outcome or a check), ISO 8601. */
    readonly observedAt: string;
    /** When the backend was last seen answering, ISO 8601; null if never since start. */
    readonly lastUpAt: string | null;
  };
}

export interface BackendReadiness {
  report(correlationId: string): Promise<ReadinessReport>;
}

export interface BackendReadinessOptions {
  readonly backend: string;
  /** The shield's policy for this backend: every call's outcome comes from it. */
  readonly policy: Pick<ResiliencePolicy, 'subscribe'>;
  /** A cheap authenticated call, through the shield (so an open circuit answers without the backend). */
  readonly ping: (call: CallContext) => Promise<void>;
  readonly intervalMs: number;
  readonly logger: Logger;
  readonly now?: () => number;
}

export function backendReadiness(options: BackendReadinessOptions): BackendReadiness {
  const now = options.now ?? Date.now;
  let lastUpAt: number | null = null;
  // The correlation id of the probe that started a check, for its log line.
  let checkCorrelationId = '';
  const monitor = readinessMonitor<BackendState>({
    intervalMs: options.intervalMs,
    retryIntervalMs: RETRY_INTERVAL_MS,
    healthy: (state) => state === 'up',
    now,
    check: () =>
      options.ping({ correlationId: checkCorrelationId }).then(
        () => 'up' as const,
        (error: unknown) => {
          options.logger.warn(
            { err: error, correlationId: checkCorrelationId },
            `readiness: ${options.backend} check failed`,
          );
          return 'down' as const;
        },
      ),
  });
  const observe = (state: BackendState) => {
    if (state === 'up') lastUpAt = now();
    monitor.observe(state);
  };
  options.policy.subscribe((event) => {
    if (event.type !== 'call') return;
    const state = STATE_OF[event.outcome];
    if (state !== null) observe(state);
  });

  return {
    async report(correlationId) {
      checkCorrelationId = correlationId;
      const observation = await monitor.current();
      // A check's own success also counts as seeing the backend up (the ping went through the policy too).
      if (observation.value === 'up') lastUpAt = Math.max(lastUpAt ?? 0, observation.at);
      const status = observation.value === 'up' ? 'ready' : lastUpAt !== null ? 'degraded' : 'unavailable';
      return {
        httpStatus: status === 'unavailable' ? 503 : 200,
        body: {
          status,
          backend: options.backend,
          observedAt: new Date(observation.at).toISOString(),
          lastUpAt: lastUpAt === null ? null : new Date(lastUpAt).toISOString(),
        },
      };
    },
  };
}
