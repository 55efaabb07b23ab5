// erp-shield (issue 3): README's customer-360 query for Zipf-drawn accounts, 50 clients, 60 s, once
// with the cache tier and once without (SHIELD_CACHE_ENABLED=false), each on freshly started
// subgraphs (empty caches) — the cold misses of the run are part of the figure. After each run, the
// latency at concurrency 1 over the hottest accounts (for the cached run: the warm p95 that issue 3
// compares with the Salesforce emulator's latency).
import { readStats, resetStats, type EmulatorStats } from '../emulator-client.js';
import { fixed, ms, percent, perThousand } from '../format.js';
import { postGraphql } from '../graphql-client.js';
import { metricValue, scrapeMetrics } from '../prometheus.js';
import { runLoad, type LoadResult } from '../load.js';
import { CUSTOMER_360 } from '../queries.js';
import type { Scenario, ScenarioContext, SummaryRow, TargetCheck } from '../scenario.js';
import { hotAccountsWorkload, zipfWorkload } from '../workload.js';
import { createZipfSampler } from '../zipf.js';

const TIMELINE_EVERY_MS = 5_000;
const REPLICA_LOAD_TIMEOUT_MS = 180_000;
const HOT_ACCOUNTS = 20;
const TARGET_ERP_PER_1000 = 25;
const TARGET_WARM_P95_MARGIN_MS = 15;

interface BackendFigures {
  readonly requests: number;
  readonly per1000Ops: number;
  readonly maxInFlight: number;
  readonly byRoute: Readonly<Record<string, number>>;
}

interface TimelinePoint {
  readonly atS: number;
  readonly responses: number;
  readonly erpRequests: number;
  readonly salesforceRequests: number;
}

interface ConcurrencyOneFigures {
  readonly accounts: readonly string[];
  readonly load: LoadResult;
  readonly erpRequests: number;
  readonly salesforceRequests: number;
}

export type ErpShieldMode = 'cache on' | 'cache off' | 'cache on + replica';

export interface ErpShieldRun {
  readonly mode: ErpShieldMode;
  readonly cacheEnabled: boolean;
  /** Replica mode: ERP requests of the initial full load (before the measured run), and its duration. */
  readonly replicaFullLoad: { readonly erpRequests: number; readonly seconds: number } | null;
  readonly load: LoadResult;
  readonly distinctAccounts: number;
  readonly erp: BackendFigures;
  readonly salesforce: BackendFigures;
  /** Requests per 1,000 operations over the second half of the run (caches filled by then). */
  readonly secondHalf: {
    readonly fromS: number;
    readonly erpPer1000Ops: number;
    readonly salesforcePer1000Ops: number;
  } | null;
  readonly timeline: readonly TimelinePoint[];
  readonly concurrency1: ConcurrencyOneFigures;
}

function backendFigures(stats: EmulatorStats, operations: number): BackendFigures {
  return {
    requests: stats.total,
    per1000Ops: perThousand(stats.total, operations),
    maxInFlight: stats.maxInFlight,
    byRoute: stats.byRoute,
  };
}

/** Waits for the ERP subgraph's erp_replica_ready gauge to read 1. */
async function waitForReplica(erpSubgraphUrl: string, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + REPLICA_LOAD_TIMEOUT_MS;
  while (Date.now() < deadline && !signal.aborted) {
    const text = await scrapeMetrics(erpSubgraphUrl).catch(() => null);
    if (text && metricValue(text, 'erp_replica_ready') === 1) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the ERP replica's full load did not finish within ${REPLICA_LOAD_TIMEOUT_MS} ms`);
}

async function measure(context: ScenarioContext, mode: ErpShieldMode): Promise<ErpShieldRun> {
  const { config, stack, print, signal } = context;
  const label = mode;
  const cacheEnabled = mode !== 'cache off';
  const replica = mode === 'cache on + replica';
  print(
    `  [${label}] starting subgraphs and gateway (SHIELD_CACHE_ENABLED=${cacheEnabled}${replica ? ', SHIELD_ERP_REPLICA=on' : ''})`,
  );
  await Promise.all([resetStats(stack.urls.erpEmulator), resetStats(stack.urls.salesforceEmulator)]);
  const loadStarted = Date.now();
  await stack.restartProduct({
    SHIELD_CACHE_ENABLED: String(cacheEnabled),
    ...(replica ? { SHIELD_ERP_REPLICA: 'on' } : {}),
  });
  let replicaFullLoad: ErpShieldRun['replicaFullLoad'] = null;
  if (replica) {
    await waitForReplica(stack.urls.erpSubgraph, signal);
    const stats = await readStats(stack.urls.erpEmulator);
    replicaFullLoad = { erpRequests: stats.total, seconds: (Date.now() - loadStarted) / 1000 };
    print(
      `  [${label}] replica full load: ${stats.total} ERP requests (readiness checks included), ready after ${fixed(replicaFullLoad.seconds)} s`,
    );
  }
  await Promise.all([resetStats(stack.urls.erpEmulator), resetStats(stack.urls.salesforceEmulator)]);

  const workload = zipfWorkload(config, CUSTOMER_360);
  let responses = 0;
  const timeline: TimelinePoint[] = [];
  const started = Date.now();
  const sampleTimeline = async () => {
    const at = responses;
    const [erp, sf] = await Promise.all([readStats(stack.urls.erpEmulator), readStats(stack.urls.salesforceEmulator)]);
    timeline.push({
      atS: (Date.now() - started) / 1000,
      responses: at,
      erpRequests: erp.total,
      salesforceRequests: sf.total,
    });
  };
  const timer = setInterval(() => void sampleTimeline().catch(() => undefined), TIMELINE_EVERY_MS);
  print(
    `  [${label}] ${config.connections} clients for ${config.durationS} s, Zipf s=${config.zipfExponent} over ${config.seedAccounts} accounts`,
  );
  let load: LoadResult;
  try {
    load = await runLoad({
      url: stack.graphqlUrl,
      headers: stack.authHeaders,
      connections: config.connections,
      durationS: config.durationS,
      nextBody: workload.nextBody,
      onResponse: () => void (responses += 1),
      signal,
    });
  } finally {
    clearInterval(timer);
  }
  const [erpStats, sfStats] = await Promise.all([
    readStats(stack.urls.erpEmulator),
    readStats(stack.urls.salesforceEmulator),
  ]);
  stack.assertAlive();

  const half = timeline.filter((point) => point.atS >= load.elapsedS / 2)[0];
  const secondHalf =
    half && load.responses > half.responses
      ? {
          fromS: Math.round(half.atS),
          erpPer1000Ops: perThousand(erpStats.total - half.erpRequests, load.responses - half.responses),
          salesforcePer1000Ops: perThousand(sfStats.total - half.salesforceRequests, load.responses - half.responses),
        }
      : null;

  const loadFigures = {
    mode,
    cacheEnabled,
    replicaFullLoad,
    load,
    distinctAccounts: workload.distinctAccounts(),
    erp: backendFigures(erpStats, load.responses),
    salesforce: backendFigures(sfStats, load.responses),
    secondHalf,
    timeline,
  };
  printLoad(print, label, loadFigures);
  const concurrency1 = await measureConcurrencyOne(context, label);
  printConcurrencyOne(print, label, concurrency1);
  return { ...loadFigures, concurrency1 };
}

/** Concurrency 1 over the hottest accounts, each asked once beforehand so they are in the cache. */
async function measureConcurrencyOne(context: ScenarioContext, label: string): Promise<ConcurrencyOneFigures> {
  const { config, stack, signal } = context;
  const hot = hotAccountsWorkload(config, CUSTOMER_360, HOT_ACCOUNTS);
  for (const account of hot.accounts)
    await postGraphql(stack.graphqlUrl, CUSTOMER_360, { erp: account }, stack.authHeaders);
  await Promise.all([resetStats(stack.urls.erpEmulator), resetStats(stack.urls.salesforceEmulator)]);
  context.print(
    `  [${label}] concurrency 1 for ${config.warmDurationS} s over the ${hot.accounts.length} hottest accounts (each asked once first)`,
  );
  const load = await runLoad({
    url: stack.graphqlUrl,
    headers: stack.authHeaders,
    connections: 1,
    durationS: config.warmDurationS,
    nextBody: hot.nextBody,
    signal,
  });
  const [erp, sf] = await Promise.all([readStats(stack.urls.erpEmulator), readStats(stack.urls.salesforceEmulator)]);
  return { accounts: hot.accounts, load, erpRequests: erp.total, salesforceRequests: sf.total };
}

const codesOf = (load: LoadResult) =>
  Object.entries(load.errorCodes)
    .map(([code, count]) => `${code} ${count}`)
    .join(', ') || 'none';

function printLoad(print: (line: string) => void, label: string, run: Omit<ErpShieldRun, 'concurrency1'>): void {
  const { load } = run;
  print(
    `  [${label}] ${fixed(load.responsesPerSec)} operations/s (${load.responses} in ${fixed(load.elapsedS)} s; ${fixed(load.okPerSec)}/s without errors), ` +
      `p50 ${ms(load.latency.p50Ms)}, p95 ${ms(load.latency.p95Ms)}, p99 ${ms(load.latency.p99Ms)}, errors ${percent(load.errorRate)} (codes: ${codesOf(load)})`,
  );
  print(
    `  [${label}] ERP ${run.erp.requests} requests = ${fixed(run.erp.per1000Ops)} per 1,000 operations` +
      (run.secondHalf ? ` (second half: ${fixed(run.secondHalf.erpPer1000Ops)})` : '') +
      `, max in flight ${run.erp.maxInFlight}; Salesforce ${run.salesforce.requests} requests = ${fixed(run.salesforce.per1000Ops)} per 1,000` +
      (run.secondHalf ? ` (second half: ${fixed(run.secondHalf.salesforcePer1000Ops)})` : '') +
      `, max in flight ${run.salesforce.maxInFlight}; ${run.distinctAccounts} distinct accounts asked`,
  );
}

function printConcurrencyOne(print: (line: string) => void, label: string, c1: ConcurrencyOneFigures): void {
  print(
    `  [${label}] concurrency 1: ${fixed(c1.load.responsesPerSec)} operations/s, p50 ${ms(c1.load.latency.p50Ms)}, p95 ${ms(c1.load.latency.p95Ms)}, ` +
      `p99 ${ms(c1.load.latency.p99Ms)}, errors ${percent(c1.load.errorRate)}; ERP ${c1.erpRequests} and Salesforce ${c1.salesforceRequests} requests meanwhile`,
  );
}

const zipfMass = (config: ScenarioContext['config'], top: number) =>
  createZipfSampler({
    accounts: config.seedAccounts,
    exponent: config.zipfExponent,
    seed: config.samplerSeed,
  }).massOfTop(top);

const ratio = (a: number, b: number) => (b === 0 || !Number.isFinite(a / b) ? 'n/a' : `${(a / b).toFixed(2)}×`);

export const erpShield: Scenario = {
  name: 'erp-shield',
  title: 'customer-360 under Zipf load: cache tier on, off, and on with the ERP read replica',
  async run(context) {
    const startedAt = new Date().toISOString();
    const { config, print } = context;
    const cached = await measure(context, 'cache on');
    const uncached = context.signal.aborted ? null : await measure(context, 'cache off');
    const replicated = context.signal.aborted ? null : await measure(context, 'cache on + replica');
    const rep = (pick: (run: ErpShieldRun) => string) => (replicated ? pick(replicated) : 'not run');

    const on = cached.load;
    const off = uncached?.load;
    const both = (pick: (run: ErpShieldRun) => string) =>
      uncached ? `${pick(cached)} / ${pick(uncached)}` : `${pick(cached)} / not run`;
    const summary: SummaryRow[] = [
      {
        label: 'operations/s (cache on / off)',
        value: `${both((r) => fixed(r.load.responsesPerSec))}; ratio ${off ? ratio(on.responsesPerSec, off.responsesPerSec) : 'n/a'}`,
      },
      {
        label: 'operations/s without errors (on / off)',
        value: `${both((r) => fixed(r.load.okPerSec))}; ratio ${off ? ratio(on.okPerSec, off.okPerSec) : 'n/a'}`,
      },
      { label: 'p50 latency (on / off)', value: both((r) => ms(r.load.latency.p50Ms)) },
      { label: 'p95 latency (on / off)', value: both((r) => ms(r.load.latency.p95Ms)) },
      { label: 'p99 latency (on / off)', value: both((r) => ms(r.load.latency.p99Ms)) },
      { label: 'error rate (on / off)', value: both((r) => `${percent(r.load.errorRate)} (${codesOf(r.load)})`) },
      {
        label: 'ERP requests per 1,000 operations (on / off)',
        value: `${both((r) => fixed(r.erp.per1000Ops))}; off/on ${uncached ? ratio(uncached.erp.per1000Ops, cached.erp.per1000Ops) : 'n/a'}`,
      },
      {
        label: 'ERP requests per 1,000 operations, second half of the run (on / off)',
        value: both((r) => (r.secondHalf ? fixed(r.secondHalf.erpPer1000Ops) : 'n/a')),
      },
      {
        label: 'Salesforce requests per 1,000 operations (on / off)',
        value: `${both((r) => fixed(r.salesforce.per1000Ops))}; off/on ${uncached ? ratio(uncached.salesforce.per1000Ops, cached.salesforce.per1000Ops) : 'n/a'}`,
      },
      {
        label: 'cache on + replica: operations/s; p50 / p95 / p99; errors',
        value: rep(
          (r) =>
            `${fixed(r.load.responsesPerSec)}; ${ms(r.load.latency.p50Ms)} / ${ms(r.load.latency.p95Ms)} / ${ms(r.load.latency.p99Ms)}; ${percent(r.load.errorRate)} (${codesOf(r.load)})`,
        ),
      },
      {
        label: 'cache on + replica: ERP requests per 1,000 operations (measured run; vs cache on, vs cache off)',
        value: rep(
          (r) =>
            `${fixed(r.erp.per1000Ops)}${r.secondHalf ? ` (second half ${fixed(r.secondHalf.erpPer1000Ops)})` : ''}; on/replica ${ratio(cached.erp.per1000Ops, r.erp.per1000Ops)}` +
            (uncached ? `, off/replica ${ratio(uncached.erp.per1000Ops, r.erp.per1000Ops)}` : ''),
        ),
      },
      {
        label: 'cache on + replica: initial full load (not in the figure above)',
        value: rep((r) =>
          r.replicaFullLoad
            ? `${r.replicaFullLoad.erpRequests} ERP requests, ${fixed(r.replicaFullLoad.seconds)} s to ready`
            : 'n/a',
        ),
      },
      {
        label: 'cache on + replica: Salesforce requests per 1,000 operations; ERP max in flight',
        value: rep((r) => `${fixed(r.salesforce.per1000Ops)}; ${r.erp.maxInFlight}`),
      },
      {
        label: `ERP max in flight at the emulator (on / off; cap ${config.erpMaxInFlight})`,
        value: both((r) => String(r.erp.maxInFlight)),
      },
      {
        label: 'distinct accounts asked (on / off; per 1,000 operations: the cold misses no cache avoids)',
        value: both((r) => `${r.distinctAccounts} (${fixed(perThousand(r.distinctAccounts, r.load.responses))})`),
      },
      {
        label: `concurrency-1 p50 / p95 over the ${HOT_ACCOUNTS} hottest accounts (on = warm / off)`,
        value: both((r) => `${ms(r.concurrency1.load.latency.p50Ms)}, ${ms(r.concurrency1.load.latency.p95Ms)}`),
      },
      {
        label: 'ERP / Salesforce requests during the concurrency-1 phase (on / off)',
        value: both((r) => `${r.concurrency1.erpRequests} / ${r.concurrency1.salesforceRequests}`),
      },
    ];
    const warmP95 = cached.concurrency1.load.latency.p95Ms;
    const warmLimit = config.salesforceLatencyMs + TARGET_WARM_P95_MARGIN_MS;
    const targets: TargetCheck[] = [
      {
        target: `at most ${TARGET_ERP_PER_1000} ERP requests per 1,000 customer-360 operations (cache on, whole run from an empty cache)`,
        measured: `${fixed(cached.erp.per1000Ops)}${cached.secondHalf ? ` (second half: ${fixed(cached.secondHalf.erpPer1000Ops)})` : ''}`,
        met: cached.erp.per1000Ops <= TARGET_ERP_PER_1000,
      },
      {
        target: `at most ${TARGET_ERP_PER_1000} ERP requests per 1,000 customer-360 operations (cache on + ERP replica, after its full load)`,
        measured: rep((r) => fixed(r.erp.per1000Ops)),
        met: replicated !== null && replicated.erp.per1000Ops <= TARGET_ERP_PER_1000,
      },
      {
        target: `warm customer-360 p95 within ${TARGET_WARM_P95_MARGIN_MS} ms of the Salesforce emulator's ${config.salesforceLatencyMs} ms (≤ ${warmLimit} ms, concurrency 1)`,
        measured: ms(warmP95),
        met: warmP95 <= warmLimit,
      },
      {
        target: `ERP in-flight never above the cap (${config.erpMaxInFlight})`,
        measured: `${both((r) => String(r.erp.maxInFlight))} / ${rep((r) => String(r.erp.maxInFlight))} (on / off / replica)`,
        met: [cached, uncached, replicated].every((r) => r === null || r.erp.maxInFlight <= config.erpMaxInFlight),
      },
    ];
    return {
      scenario: 'erp-shield',
      title: erpShield.title,
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: context.machine,
      settings: {
        connections: config.connections,
        durationS: config.durationS,
        zipfExponent: config.zipfExponent,
        samplerSeed: config.samplerSeed,
        accounts: config.seedAccounts,
        erpLatencyMs: config.erpLatencyMs,
        salesforceLatencyMs: config.salesforceLatencyMs,
        erpMaxInFlight: config.erpMaxInFlight,
        concurrency1DurationS: config.warmDurationS,
        hotAccounts: HOT_ACCOUNTS,
      },
      figures: { cached, uncached, replicated },
      summary,
      targets,
      notes: [
        'Operations = HTTP responses of the gateway; "errors" counts responses with GraphQL `errors`, non-2xx answers and connection errors.',
        'Backend requests are everything the emulators served during the run (`total` of /__emulator/stats, reset before it): OAuth token and company discovery included.',
        `The Zipf sample is seeded (seed ${config.samplerSeed}): both runs draw the same sequence of accounts. The 100 hottest of the ${config.seedAccounts} accounts get ${percent(zipfMass(config, 100), 1)} of the requests, the 1,000 hottest ${percent(zipfMass(config, 1000), 1)}.`,
        "Replica run (SHIELD_ERP_REPLICA=on, poll every 5 s): started with empty caches, measured after the replica's initial full load (counted separately); its delta polls during the run are in the figure.",
        'The load generator runs in the same 2-core machine as the five services; operations/s and latencies are those of the shared machine.',
      ],
    };
  },
};
