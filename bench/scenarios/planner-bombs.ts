// planner-bombs: documents that cost the query planner exponential work (fragment fan-out whose
// spreads carry @include/@skip; a deeply nested argument literal) against the running gateway.
// Demand control refuses them on their expanded size before planning (DEMAND_MAX_SELECTIONS,
// DEMAND_MAX_INPUT_DEPTH); this prints how fast a refusal is, what planning costs just under the
// selection limit (every document new, so no plan is cached), and how /healthz answers while
// bombs keep arriving from several clients.
import { ms } from '../format.js';
import { postGraphql } from '../graphql-client.js';
import { summarizeLatencies, type LatencySummary } from '../percentiles.js';
import type { Scenario, TargetCheck } from '../scenario.js';

const REFUSED_LEVELS = [20, 30, 60] as const;
const SAMPLES = 50;
/** Fragments whose expansion stays just under the default DEMAND_MAX_SELECTIONS (500): 3 fields × 2^6 + spreads = 320. */
const NEAR_LIMIT_LEVELS = 6;
const HEALTH_RUN_MS = 5_000;
const SENDERS = 8;

/** n fragments, each spreading the next twice under @include/@skip (the planner cannot merge them); `tag` keeps documents apart. */
function fanOut(levels: number, tag: string): string {
  const fragments = Array.from(
    { length: levels },
    (_, i) =>
      `fragment F${i}${tag} on Account { ...F${i + 1}${tag} @include(if: true) ...F${i + 1}${tag} @skip(if: false) }`,
  );
  return [
    `query Bomb${tag} { accountByErpNumber(erpCustomerNumber: "C00001") { ...F0${tag} } }`,
    ...fragments,
    `fragment F${levels}${tag} on Account { id name erpCustomerNumber }`,
  ].join('\n');
}

const nestedLiteral = (levels: number): string =>
  levels === 0 ? '{ field: "number", op: IS_NULL }' : `{ and: [${nestedLiteral(levels - 1)}] }`;

const line = (summary: LatencySummary) =>
  `p50 ${ms(summary.p50Ms)}, p99 ${ms(summary.p99Ms)}, max ${ms(summary.maxMs)}`;

export const plannerBombs: Scenario = {
  name: 'planner-bombs',
  title: 'fragment fan-out and nested literals: refused before planning; planning near the limit; /healthz under fire',
  async run(context) {
    const startedAt = new Date().toISOString();
    const { stack, print } = context;
    print('  starting subgraphs and gateway (defaults: DEMAND_MAX_SELECTIONS 500, DEMAND_MAX_INPUT_DEPTH 20)');
    await stack.restartProduct({});
    const post = (query: string) => postGraphql(stack.graphqlUrl, query, {}, stack.authHeaders);

    const refused: Record<string, LatencySummary & { codes: string[] }> = {};
    for (const [label, document] of [
      ...REFUSED_LEVELS.map((levels) => [`fan-out ${levels} levels`, (i: number) => fanOut(levels, `r${i}`)] as const),
      [
        'literal nested 24 levels',
        (i: number) => `{ customers(first: ${1 + i}, where: ${nestedLiteral(24)}) { totalCount } }`,
      ] as const,
    ]) {
      const samples: number[] = [];
      const codes = new Set<string>();
      for (let i = 0; i < SAMPLES && !context.signal.aborted; i += 1) {
        const answer = await post(document(i));
        samples.push(answer.elapsedMs);
        codes.add(`${answer.status} ${answer.errors[0]?.extensions?.code ?? 'none'}`);
      }
      refused[label] = { ...summarizeLatencies(samples), codes: [...codes] };
      print(`  refused, ${label}: ${line(refused[label]!)} (${[...codes].join(', ')})`);
    }

    const planned: number[] = [];
    for (let i = 0; i < SAMPLES && !context.signal.aborted; i += 1)
      planned.push((await post(fanOut(NEAR_LIMIT_LEVELS, `p${i}`))).elapsedMs);
    const nearLimit = summarizeLatencies(planned);
    print(`  planned just under the limit (320 selections, a new document each time): ${line(nearLimit)}`);

    let sending = true;
    let sent = 0;
    const senders = Array.from({ length: SENDERS }, async (_, sender) => {
      while (sending && !context.signal.aborted) {
        await post(fanOut(30, `h${sender}x${sent}`));
        sent += 1;
      }
    });
    const health: number[] = [];
    const until = performance.now() + HEALTH_RUN_MS;
    while (performance.now() < until && !context.signal.aborted) {
      const started = performance.now();
      const response = await fetch(`${stack.urls.gateway}/healthz`);
      await response.body?.cancel();
      health.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    sending = false;
    await Promise.all(senders);
    const healthz = summarizeLatencies(health);
    print(`  /healthz while ${SENDERS} clients sent ${sent} bombs in ${HEALTH_RUN_MS / 1000} s: ${line(healthz)}`);

    stack.assertAlive();
    const worstRefusal = Math.max(...Object.values(refused).map((summary) => summary.p50Ms));
    const targets: TargetCheck[] = [
      {
        target: 'a bomb of any depth is refused in a few milliseconds (p50 < 15 ms, whole HTTP round trip)',
        measured: ms(worstRefusal),
        met: worstRefusal < 15,
      },
      // Before: four 20-level bombs at once held /healthz for 14 s.
      {
        target: '/healthz keeps answering while bombs arrive (max < 1 s)',
        measured: ms(healthz.maxMs),
        met: healthz.maxMs < 1_000,
      },
    ];
    return {
      scenario: 'planner-bombs',
      title: plannerBombs.title,
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: context.machine,
      settings: {
        samples: SAMPLES,
        refusedLevels: REFUSED_LEVELS,
        nearLimitLevels: NEAR_LIMIT_LEVELS,
        senders: SENDERS,
        healthRunMs: HEALTH_RUN_MS,
      },
      figures: { refused, nearLimit, healthz, bombsDuringHealthRun: sent },
      summary: [
        ...Object.entries(refused).map(([label, summary]) => ({ label: `refused ${label}`, value: line(summary) })),
        { label: 'planned at 320 selections', value: line(nearLimit) },
        { label: `/healthz under ${SENDERS} bombing clients`, value: line(healthz) },
      ],
      targets,
      notes: [
        "Without the selection limit a 13-level fan-out took the planner over a second and a 20-level one answered 500 after hitting the planner's own limit; a literal nested 24 levels took 20 s.",
        'Latencies are whole HTTP round trips on the benchmark machine, token check and parse included; under 8 clients sending as fast as they can, /healthz waits behind their requests (throughput), never behind planning.',
      ],
    };
  },
};
