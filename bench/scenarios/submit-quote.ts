// submit-quote: submitQuote latency with the ERP at its configured latency (50 ms by default), and
// the latency of replays (same key, same quote: answered from the store, nothing written; the ERP is
// asked once for the quote's orders, the duplicate check). Submissions run one at a time over the
// demo's unsubmitted Approved quotes (the only submittable status by default), a new key each; only
// the accepted ones are the "submitQuote" figure (a rejected quote costs validation and one
// Salesforce write, no ERP order). Then every accepted key is replayed REPLAY_ROUNDS times. Quotes
// in other statuses are submitted too: refused (QUOTE_NOT_APPROVED) without any ERP request or
// Salesforce write. The ERP emulator is asked afterwards that each accepted quote has exactly one
// order.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataset } from '../../emulators/seed/index.js';
import { readStats, resetStats } from '../emulator-client.js';
import { ms } from '../format.js';
import { postGraphql } from '../graphql-client.js';
import { summarizeLatencies, type LatencySummary } from '../percentiles.js';
import type { Scenario, ScenarioContext, SummaryRow, TargetCheck } from '../scenario.js';

/** Submissions measured (after WARM_UP unmeasured ones). */
const SUBMISSIONS = 100;
/** Submissions of quotes not in a submittable status (refused before any ERP call). */
const NOT_APPROVED = 30;
const WARM_UP = 3;
const REPLAY_ROUNDS = 3;
const ERP_TENANT = 'customer360-dev';

const SUBMIT = /* GraphQL */ `
  mutation BenchSubmitQuote($quoteId: ID!, $key: String!) {
    submitQuote(input: { quoteId: $quoteId, idempotencyKey: $key }) {
      status
      reasonCode
      replayed
      order {
        number
      }
      quote {
        erpSync {
          status
        }
      }
    }
  }
`;

interface Submitted {
  readonly status: string;
  readonly reasonCode: string | null;
  readonly replayed: boolean;
  readonly order: { number: string } | null;
}

interface Timed {
  readonly quoteId: string;
  readonly key: string;
  readonly elapsedMs: number;
  readonly result: Submitted | null;
  readonly errorCode: string | null;
}

async function submitOnce(context: ScenarioContext, quoteId: string, key: string): Promise<Timed> {
  const answer = await postGraphql<{ submitQuote: Submitted }>(
    context.stack.graphqlUrl,
    SUBMIT,
    { quoteId, key },
    context.stack.authHeaders,
  );
  return {
    quoteId,
    key,
    elapsedMs: answer.elapsedMs,
    result: answer.data?.submitQuote ?? null,
    errorCode: answer.errors[0]?.extensions?.code ?? null,
  };
}

/** ERP orders carrying the quote's reference, asked of the ERP emulator's API itself. */
async function ordersInErp(erpUrl: string, quoteIds: readonly string[]): Promise<Map<string, number>> {
  const token = (await (
    await fetch(`${erpUrl}/${ERP_TENANT}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'customer360-erp-dev',
        client_secret: 'customer360-erp-dev-secret',
        scope: 'https://api.businesscentral.dynamics.com/.default',
      }),
    })
  ).json()) as { access_token: string };
  const headers = { authorization: `Bearer ${token.access_token}` };
  const companies = (await (await fetch(`${erpUrl}/api/v2.0/companies`, { headers })).json()) as {
    value: { id: string }[];
  };
  const base = `${erpUrl}/api/v2.0/companies(${companies.value[0]!.id})/salesOrders`;
  const counts = new Map<string, number>();
  for (const quoteId of quoteIds) {
    const filter = encodeURIComponent(`externalDocumentNumber eq 'SFQ-${quoteId}'`);
    const page = (await (await fetch(`${base}?$filter=${filter}&$select=number`, { headers })).json()) as {
      value: unknown[];
    };
    counts.set(quoteId, page.value.length);
  }
  return counts;
}

const latencyText = (l: LatencySummary) =>
  `p50 ${ms(l.p50Ms)}, p95 ${ms(l.p95Ms)}, p99 ${ms(l.p99Ms)}, max ${ms(l.maxMs)} (n=${l.count})`;

export const submitQuote: Scenario = {
  name: 'submit-quote',
  title: 'submitQuote latency (accepted quotes) and replay latency, one at a time',
  async run(context) {
    const startedAt = new Date().toISOString();
    const { stack, config, print, signal } = context;
    // A store of its own: empty, and never the developer's ./data (a running `npm start` holds it).
    const dataDir = mkdtempSync(join(tmpdir(), 'c360-bench-submit-'));
    print(`  starting subgraphs and gateway (DATA_DIR ${dataDir})`);
    await stack.restartProduct({ SHIELD_CACHE_ENABLED: 'true', DATA_DIR: dataDir });

    // The emulators' own dataset, regenerated here for its quote ids.
    const dataset = generateDataset({ accounts: config.seedAccounts, seed: config.seed });
    const unsubmitted = dataset.salesforce.Quote.filter((q) => q.ERP_Sync_Status__c === 'Not Submitted');
    const candidates = unsubmitted.filter((q) => q.Status === 'Approved').map((q) => q.Id);
    const notApprovedQuotes = unsubmitted
      .filter((q) => q.Status !== 'Approved')
      .slice(0, NOT_APPROVED)
      .map((q) => q.Id);
    const run = `${process.pid}-${Date.now().toString(36)}`;
    let next = 0;
    const nextQuote = () => candidates[next++];

    for (let i = 0; i < WARM_UP; i++) {
      const quoteId = nextQuote();
      if (quoteId) await submitOnce(context, quoteId, `bench-warm-${run}-${i}`);
    }
    await resetStats(stack.urls.erpEmulator);
    const submissions: Timed[] = [];
    while (submissions.length < SUBMISSIONS && !signal.aborted) {
      const quoteId = nextQuote();
      if (!quoteId) break;
      submissions.push(await submitOnce(context, quoteId, `bench-${run}-${submissions.length}`));
    }
    const postsWhileSubmitting = (await readStats(stack.urls.erpEmulator)).byRoute['POST salesOrders'] ?? 0;
    const accepted = submissions.filter((s) => s.result?.status === 'ACCEPTED_BY_ERP');
    const rejected = submissions.filter((s) => s.result?.status === 'REJECTED_BY_ERP');
    const other = submissions.length - accepted.length - rejected.length;
    const acceptedLatency = summarizeLatencies(accepted.map((s) => s.elapsedMs));
    const rejectedLatency = summarizeLatencies(rejected.map((s) => s.elapsedMs));
    print(
      `  submitted ${submissions.length}: ${accepted.length} accepted, ${rejected.length} rejected, ${other} other`,
    );
    print(`  accepted: ${latencyText(acceptedLatency)}`);
    print(`  rejected: ${latencyText(rejectedLatency)}`);

    await resetStats(stack.urls.erpEmulator);
    const replays: Timed[] = [];
    for (let round = 0; round < REPLAY_ROUNDS && !signal.aborted; round++) {
      for (const first of accepted) replays.push(await submitOnce(context, first.quoteId, first.key));
    }
    // A replay sends no write; it reads the order back (by number, through the cache) for the payload.
    const erpDuringReplays = await readStats(stack.urls.erpEmulator);
    const postsDuringReplays = erpDuringReplays.byRoute['POST salesOrders'] ?? 0;
    const replayLatency = summarizeLatencies(replays.map((r) => r.elapsedMs));
    const replayedOk = replays.filter(
      (r) => r.result?.replayed === true && r.result.status === 'ACCEPTED_BY_ERP',
    ).length;
    print(`  replays: ${latencyText(replayLatency)}; ${replayedOk}/${replays.length} replayed`);

    // Quotes not Approved: refused before the ERP is asked anything, nothing written anywhere.
    await resetStats(stack.urls.erpEmulator);
    await resetStats(stack.urls.salesforceEmulator);
    const refusals: Timed[] = [];
    for (const quoteId of notApprovedQuotes) {
      if (signal.aborted) break;
      refusals.push(await submitOnce(context, quoteId, `bench-not-approved-${run}-${refusals.length}`));
    }
    const erpDuringRefusals = await readStats(stack.urls.erpEmulator);
    const sfDuringRefusals = await readStats(stack.urls.salesforceEmulator);
    // The Salesforce emulator's write routes: "collections update", "create Quote", "composite", ...
    const sfWritesDuringRefusals = Object.entries(sfDuringRefusals.byRoute)
      .filter(([route]) => /\b(create|update|upsert|delete)\b|^composite$/.test(route))
      .reduce((sum, [, count]) => sum + count, 0);
    const refusedOk = refusals.filter(
      (r) => r.result?.status === 'REJECTED_BY_ERP' && r.result.reasonCode === 'QUOTE_NOT_APPROVED',
    ).length;
    const refusalLatency = summarizeLatencies(refusals.map((r) => r.elapsedMs));
    print(
      `  not approved: ${latencyText(refusalLatency)}; ${refusedOk}/${refusals.length} refused, ${erpDuringRefusals.total} ERP requests`,
    );

    const orders = await ordersInErp(
      stack.urls.erpEmulator,
      accepted.map((s) => s.quoteId),
    );
    const notExactlyOne = [...orders].filter(([, count]) => count !== 1);
    stack.assertAlive();

    const summary: SummaryRow[] = [
      { label: 'ERP latency (emulator)', value: ms(config.erpLatencyMs) },
      {
        label: 'submissions (accepted / rejected / other)',
        value: `${submissions.length} (${accepted.length} / ${rejected.length} / ${other})`,
      },
      { label: 'submitQuote, accepted', value: latencyText(acceptedLatency) },
      { label: 'submitQuote, rejected', value: latencyText(rejectedLatency) },
      { label: 'replay (same key, same quote)', value: latencyText(replayLatency) },
      { label: 'submitQuote, quote not approved (QUOTE_NOT_APPROVED)', value: latencyText(refusalLatency) },
      {
        label: 'ERP orders created while submitting / accepted',
        value: `${postsWhileSubmitting} / ${accepted.length}`,
      },
      {
        label: 'ERP requests during replays (the duplicate check: all orders of the quote)',
        value: `${erpDuringReplays.total} (${JSON.stringify(erpDuringReplays.byRoute)})`,
      },
      {
        label: 'requests during not-approved submissions (ERP / Salesforce writes)',
        value: `${erpDuringRefusals.total} / ${sfWritesDuringRefusals} (Salesforce: ${JSON.stringify(sfDuringRefusals.byRoute)})`,
      },
    ];
    const targets: TargetCheck[] = [
      {
        target: 'exactly one ERP order per accepted quote',
        measured: `${accepted.length - notExactlyOne.length}/${accepted.length} quotes with one order; ${postsWhileSubmitting} orders created`,
        met: accepted.length > 0 && notExactlyOne.length === 0 && postsWhileSubmitting === accepted.length,
      },
      {
        target: 'replays write nothing to the ERP',
        measured: `${postsDuringReplays} orders created during ${replays.length} replays; ${replayedOk} answered replayed`,
        met: replays.length > 0 && postsDuringReplays === 0 && replayedOk === replays.length,
      },
      {
        target: 'quotes not approved are refused before any ERP request, nothing written',
        measured: `${refusedOk}/${refusals.length} QUOTE_NOT_APPROVED; ${erpDuringRefusals.total} ERP requests, ${sfWritesDuringRefusals} Salesforce writes`,
        met:
          refusals.length > 0 &&
          refusedOk === refusals.length &&
          erpDuringRefusals.total === 0 &&
          sfWritesDuringRefusals === 0,
      },
    ];
    return {
      scenario: 'submit-quote',
      title: submitQuote.title,
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: context.machine,
      settings: {
        accounts: config.seedAccounts,
        erpLatencyMs: config.erpLatencyMs,
        salesforceLatencyMs: config.salesforceLatencyMs,
        submissions: SUBMISSIONS,
        notApproved: NOT_APPROVED,
        warmUp: WARM_UP,
        replayRounds: REPLAY_ROUNDS,
        concurrency: 1,
      },
      figures: {
        acceptedLatency,
        rejectedLatency,
        replayLatency,
        refusalLatency,
        postsWhileSubmitting,
        erpRequestsDuringReplays: erpDuringReplays.byRoute,
        requestsDuringRefusals: { erp: erpDuringRefusals.byRoute, salesforce: sfDuringRefusals.byRoute },
      },
      summary,
      targets,
      notes: [
        'One request at a time (latency, not throughput); each submission uses a new idempotency key on a quote not submitted before; only Approved quotes are submittable (the default QUOTE_SUBMITTABLE_STATUSES).',
        'An accepted submission is, in sequence: the quote (Salesforce: is it submittable?), the lookup of all orders by external document number (ERP), its lines and account (Salesforce) with the customer, its orders and the items (ERP) in parallel, the order (ERP POST), the quote write-back (one Salesforce collections call), plus the store writes.',
        'A replay answers from the store; it also reads the quote’s orders once from the ERP (the duplicate check), which is also where the payload’s order comes from.',
        `The ERP subgraph's store is an embedded PGlite in a fresh directory (${dataDir}) unless DATABASE_URL is set; the ${WARM_UP} first submissions are not measured.`,
      ],
    };
  },
};
