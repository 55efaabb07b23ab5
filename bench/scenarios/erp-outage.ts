// erp-outage (issue 3): the erp-shield load (50 clients, Zipf) for 60 s, with the ERP emulator
// failing every request (connections dropped: `{"outage":true}`) during the middle third. Every
// response is classified: did the Salesforce fields come back, were the ERP fields fresh, stale
// (`stale: true` on an ERP-backed object, when the schema has the flag) or missing with an error?
// Meanwhile the ERP subgraph's /metrics is polled for its breaker state.
import { watchBreaker, type BreakerSample } from '../breaker-watch.js';
import { resetStats, setFaults, readStats } from '../emulator-client.js';
import { fixed, ms, percent } from '../format.js';
import { postGraphql } from '../graphql-client.js';
import { runLoad, type LoadResult } from '../load.js';
import {
  customer360WithFreshness,
  ERP_FIELDS,
  FRESHNESS_INTROSPECTION,
  freshnessFromIntrospection,
  SALESFORCE_FIELDS,
  type FreshnessFields,
} from '../queries.js';
import type { Scenario, ScenarioContext, SummaryRow, TargetCheck } from '../scenario.js';
import { zipfWorkload } from '../workload.js';

type Phase = 'before' | 'during' | 'after';
const PHASES: readonly Phase[] = ['before', 'during', 'after'];

interface PhaseCounts {
  responses: number;
  /** Requests without any response (they count as Salesforce-field errors too). */
  connectionErrors: number;
  /** Responses where a Salesforce field is missing or has an error on its path (or no usable answer at all). */
  salesforceFieldErrors: number;
  /** Responses with at least one ERP-backed object marked `stale: true`. */
  staleResponses: number;
  /** Responses with an error on an ERP field's path. */
  erpErrorResponses: number;
  /** Responses whose ERP fields all came back without error and without a stale mark. */
  erpFreshResponses: number;
  /** Error codes on ERP paths (a response counts once per code). */
  erpErrorCodes: Record<string, number>;
}

interface GraphqlError {
  path?: (string | number)[];
  extensions?: { code?: string };
}

const SALESFORCE = new Set<string>(SALESFORCE_FIELDS);
const ERP = new Set<string>(ERP_FIELDS);

function emptyCounts(): PhaseCounts {
  return {
    responses: 0,
    connectionErrors: 0,
    salesforceFieldErrors: 0,
    staleResponses: 0,
    erpErrorResponses: 0,
    erpFreshResponses: 0,
    erpErrorCodes: {},
  };
}

function containsStale(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsStale);
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return record.stale === true || Object.values(record).some(containsStale);
}

function classify(counts: PhaseCounts, status: number, body: string): void {
  counts.responses += 1;
  let parsed: { data?: { accountByErpNumber?: Record<string, unknown> | null } | null; errors?: GraphqlError[] };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    counts.salesforceFieldErrors += 1;
    counts.erpErrorResponses += 1;
    return;
  }
  const errors = parsed.errors ?? [];
  const account = parsed.data?.accountByErpNumber;
  const salesforceBroken =
    status !== 200 ||
    !account ||
    SALESFORCE_FIELDS.some((field) => account[field] === undefined) ||
    typeof account.name !== 'string' ||
    errors.some(
      (error) =>
        !error.path ||
        (error.path[0] === 'accountByErpNumber' && (error.path.length === 1 || SALESFORCE.has(String(error.path[1])))),
    );
  if (salesforceBroken) counts.salesforceFieldErrors += 1;

  const erpErrors = errors.filter(
    (error) => error.path?.[0] === 'accountByErpNumber' && ERP.has(String(error.path[1])),
  );
  const stale = account ? ERP_FIELDS.some((field) => containsStale(account[field])) : false;
  if (stale) counts.staleResponses += 1;
  if (erpErrors.length > 0) {
    counts.erpErrorResponses += 1;
    for (const code of new Set(erpErrors.map((error) => error.extensions?.code ?? 'NO_CODE'))) {
      counts.erpErrorCodes[code] = (counts.erpErrorCodes[code] ?? 0) + 1;
    }
  } else if (!stale && account) {
    counts.erpFreshResponses += 1;
  }
}

async function detectFreshness(
  graphqlUrl: string,
  headers: Readonly<Record<string, string>>,
): Promise<FreshnessFields> {
  const answer = await postGraphql<Parameters<typeof freshnessFromIntrospection>[0]>(
    graphqlUrl,
    FRESHNESS_INTROSPECTION,
    {},
    headers,
  );
  return answer.data ? freshnessFromIntrospection(answer.data) : {};
}

interface BreakerTimings {
  readonly metricsAvailable: boolean;
  readonly openedAfterMs: number | null;
  readonly firstRefusalAfterMs: number | null;
  readonly closedAfterRecoveryMs: number | null;
  /** State changes, seconds since the load started. */
  readonly transitions: readonly { readonly atS: number; readonly state: number | null }[];
}

function breakerTimings(
  samples: readonly BreakerSample[],
  loadStart: number,
  outageStart: number,
  outageEnd: number,
): BreakerTimings {
  const metricsAvailable = samples.some((sample) => sample.state !== undefined);
  const baseline = samples.filter((sample) => sample.at <= outageStart).at(-1)?.refusedCalls ?? 0;
  const opened = samples.find((sample) => sample.at >= outageStart && sample.state === 2);
  const refused = samples.find((sample) => sample.at >= outageStart && sample.refusedCalls > baseline);
  const closed = opened
    ? samples.find((sample) => sample.at >= Math.max(outageEnd, opened.at) && sample.state === 0)
    : undefined;
  const transitions: { atS: number; state: number | null }[] = [];
  for (const sample of samples) {
    const state = sample.state ?? null;
    if (transitions.at(-1)?.state !== state)
      transitions.push({ atS: Math.round((sample.at - loadStart) / 100) / 10, state });
  }
  return {
    metricsAvailable,
    openedAfterMs: opened ? opened.at - outageStart : null,
    firstRefusalAfterMs: refused ? refused.at - outageStart : null,
    closedAfterRecoveryMs: closed ? closed.at - outageEnd : null,
    transitions,
  };
}

async function runOutage(context: ScenarioContext) {
  const { config, stack, print, signal } = context;
  print('  starting subgraphs and gateway (cache on, empty)');
  await stack.restartProduct({ SHIELD_CACHE_ENABLED: 'true' });
  await setFaults(stack.urls.erpEmulator, {});
  const freshness = await detectFreshness(stack.graphqlUrl, stack.authHeaders);
  const query = customer360WithFreshness(freshness);
  const freshnessFields = Object.entries(freshness).filter(([, fields]) => fields.length > 0);
  print(
    freshnessFields.length > 0
      ? `  freshness fields selected: ${freshnessFields.map(([type, fields]) => `${type}.{${fields.join(',')}}`).join(' ')}`
      : '  the schema has no asOf/stale fields on the ERP-backed types: stale serves cannot be seen by clients and are not counted',
  );
  await Promise.all([resetStats(stack.urls.erpEmulator), resetStats(stack.urls.salesforceEmulator)]);

  const outageFromS = Math.round(config.durationS / 3);
  const outageToS = Math.round((2 * config.durationS) / 3);
  const counts: Record<Phase, PhaseCounts> = { before: emptyCounts(), during: emptyCounts(), after: emptyCounts() };
  const perSecond = new Map<
    number,
    { responses: number; salesforceFieldErrors: number; stale: number; erpErrors: number }
  >();
  let outageStart = Number.POSITIVE_INFINITY;
  let outageEnd = Number.POSITIVE_INFINITY;
  const phaseAt = (at: number): Phase => (at < outageStart ? 'before' : at < outageEnd ? 'during' : 'after');

  const workload = zipfWorkload(config, query);
  const watch = watchBreaker(stack.urls.erpSubgraph, 'erp', config.metricsPollMs);
  const loadStart = Date.now();
  const timers: NodeJS.Timeout[] = [];
  const faultsDone: Promise<void>[] = [];
  timers.push(
    setTimeout(() => {
      faultsDone.push(
        setFaults(stack.urls.erpEmulator, { outage: true }).then(() => {
          outageStart = Date.now();
          print(
            `  ${fixed((outageStart - loadStart) / 1000)} s: ERP emulator down (every request's connection dropped)`,
          );
        }),
      );
    }, outageFromS * 1000),
    setTimeout(() => {
      faultsDone.push(
        setFaults(stack.urls.erpEmulator, {}).then(() => {
          outageEnd = Date.now();
          print(`  ${fixed((outageEnd - loadStart) / 1000)} s: ERP emulator back`);
        }),
      );
    }, outageToS * 1000),
  );
  print(
    `  ${config.connections} clients for ${config.durationS} s; ERP outage from ${outageFromS} s to ${outageToS} s`,
  );
  let load: LoadResult;
  let samples: readonly BreakerSample[];
  try {
    load = await runLoad({
      url: stack.graphqlUrl,
      headers: stack.authHeaders,
      connections: config.connections,
      durationS: config.durationS,
      nextBody: workload.nextBody,
      onResponse: (status, body, at) => {
        const phase = counts[phaseAt(at)];
        const before = { ...phase };
        classify(phase, status, body);
        const second = Math.floor((at - loadStart) / 1000);
        const bucket = perSecond.get(second) ?? { responses: 0, salesforceFieldErrors: 0, stale: 0, erpErrors: 0 };
        bucket.responses += 1;
        bucket.salesforceFieldErrors += phase.salesforceFieldErrors - before.salesforceFieldErrors;
        bucket.stale += phase.staleResponses - before.staleResponses;
        bucket.erpErrors += phase.erpErrorResponses - before.erpErrorResponses;
        perSecond.set(second, bucket);
      },
      onConnectionError: (at) => {
        const phase = counts[phaseAt(at)];
        phase.connectionErrors += 1;
        phase.salesforceFieldErrors += 1;
      },
      signal,
    });
  } finally {
    for (const timer of timers) clearTimeout(timer);
    await Promise.allSettled(faultsDone);
    // Never leave the emulator down, whatever happened (Ctrl-C included).
    await setFaults(stack.urls.erpEmulator, {});
    if (!Number.isFinite(outageEnd) && Number.isFinite(outageStart)) outageEnd = Date.now();
    // A few more polls after the load: the breaker may close only once calls flow again.
    samples = await watch.stop();
  }
  const erpStats = await readStats(stack.urls.erpEmulator);
  stack.assertAlive();
  return {
    load,
    counts,
    freshness,
    outageFromS,
    outageToS,
    outageStartS: Number.isFinite(outageStart) ? (outageStart - loadStart) / 1000 : null,
    outageEndS: Number.isFinite(outageEnd) ? (outageEnd - loadStart) / 1000 : null,
    breaker: Number.isFinite(outageStart) ? breakerTimings(samples, loadStart, outageStart, outageEnd) : null,
    perSecond: [...perSecond.entries()].sort(([a], [b]) => a - b).map(([second, bucket]) => ({ second, ...bucket })),
    erpRequests: erpStats.total,
    erpByStatus: erpStats.byStatus,
  };
}

const sumPhases = (counts: Record<Phase, PhaseCounts>, pick: (c: PhaseCounts) => number) =>
  PHASES.reduce((total, phase) => total + pick(counts[phase]), 0);
const orNa = (value: number | null | undefined) => (value === null || value === undefined ? 'n/a' : ms(value));

export const erpOutage: Scenario = {
  name: 'erp-outage',
  title: 'ERP down for the middle third of a run: Salesforce fields, stale serves, breaker',
  async run(context) {
    const startedAt = new Date().toISOString();
    const { config, print } = context;
    const run = await runOutage(context);
    const { counts, breaker } = run;
    const during = counts.during;
    const attempts = (c: PhaseCounts) => c.responses + c.connectionErrors;
    const totalAttempts = sumPhases(counts, attempts);
    const totalSfErrors = sumPhases(counts, (c) => c.salesforceFieldErrors);
    const hasFreshness = Object.values(run.freshness).some((fields) => fields.includes('stale'));
    const phaseRow = (label: string, pick: (c: PhaseCounts) => number) => ({
      label,
      value: PHASES.map((phase) => `${phase} ${pick(counts[phase])}`).join(', '),
    });
    const summary: SummaryRow[] = [
      {
        label: 'outage window (s after load start)',
        value: `${fixed(run.outageStartS ?? Number.NaN)} – ${fixed(run.outageEndS ?? Number.NaN)}`,
      },
      phaseRow('responses (+ connection errors) before / during / after', (c) => attempts(c)),
      {
        label: 'Salesforce-field error rate (whole run; during the outage)',
        value: `${percent(totalAttempts ? totalSfErrors / totalAttempts : 0)} (${totalSfErrors} of ${totalAttempts}); ${percent(attempts(during) ? during.salesforceFieldErrors / attempts(during) : 0)} (${during.salesforceFieldErrors} of ${attempts(during)})`,
      },
      phaseRow(
        hasFreshness
          ? 'responses with stale ERP data (stale: true)'
          : 'responses with stale ERP data (not visible: no stale field in the schema)',
        (c) => c.staleResponses,
      ),
      phaseRow('responses with an error on an ERP field', (c) => c.erpErrorResponses),
      phaseRow('responses with fresh ERP data', (c) => c.erpFreshResponses),
      {
        label: 'ERP error codes during the outage',
        value:
          Object.entries(during.erpErrorCodes)
            .map(([code, n]) => `${code} ${n}`)
            .join(', ') || 'none',
      },
      {
        label: 'breaker: open after outage start / first refused call / closed after recovery',
        value: breaker?.metricsAvailable
          ? `${orNa(breaker.openedAfterMs)} / ${orNa(breaker.firstRefusalAfterMs)} / ${orNa(breaker.closedAfterRecoveryMs)} (±${config.metricsPollMs} ms polling)`
          : 'n/a: the ERP subgraph exposes no circuit_breaker_state on /metrics',
      },
      {
        label: 'operations/s, p50 / p95 / p99 (whole run)',
        value: `${fixed(run.load.responsesPerSec)}, ${ms(run.load.latency.p50Ms)} / ${ms(run.load.latency.p95Ms)} / ${ms(run.load.latency.p99Ms)}`,
      },
      {
        label: 'ERP requests (whole run; by status)',
        value: `${run.erpRequests} (${Object.entries(run.erpByStatus)
          .map(([s, n]) => `${s}: ${n}`)
          .join(', ')})`,
      },
    ];
    const targets: TargetCheck[] = [
      {
        target: 'zero errors on Salesforce-only fields during erp-outage',
        measured: `${totalSfErrors} of ${totalAttempts} responses (${during.salesforceFieldErrors} inside the outage window)`,
        met: totalAttempts > 0 && totalSfErrors === 0,
      },
    ];
    return {
      scenario: 'erp-outage',
      title: erpOutage.title,
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: context.machine,
      settings: {
        connections: config.connections,
        durationS: config.durationS,
        outageFromS: run.outageFromS,
        outageToS: run.outageToS,
        metricsPollMs: config.metricsPollMs,
        zipfExponent: config.zipfExponent,
        accounts: config.seedAccounts,
        freshnessFields: run.freshness,
      },
      figures: run,
      summary,
      targets,
      notes: [
        'Salesforce-field error = no HTTP 200, no account, a Salesforce field (id, name, industry, owner, contacts) missing, or an error whose path is the account or one of those fields; requests without any response count too.',
        'Phases are by the time a response arrived; requests in flight when the outage starts or ends fall on either side.',
        'Breaker times come from polling the ERP subgraph\'s /metrics (circuit_breaker_state{backend="erp"}: 2 open, 0 closed; backend_calls_total{outcome="circuit_open"} for the first refused call).',
      ],
    };
  },
};
