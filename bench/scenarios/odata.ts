// odata (issue 6): the OData bridge as Salesforce Connect uses it, over an ERP holding 100,000 sales
// invoices (BENCH_ODATA_INVOICES: paid history added by the emulator, emulators/erp/invoice-history.ts).
// A 25-row list view of an account's invoices asks
// `Invoices?$filter=CustomerNumber eq '…'&$top=26&$count=true`: its latency, one request at a time,
// cold (the first time each customer is asked, on freshly started subgraphs) and warm (the same
// requests again), with what the ERP was asked for it (requests, and rows returned, from the ERP
// emulator's counters: the filter and the page are pushed down, so a page of 26 reads at most 26
// invoices of the whole set). The customers asked are the busiest ones: the history is skewed (a
// Zipf law in customer order, so C00001 has the most), and C00001…C00060 each have far more than 26
// invoices, so every list view is a real, full page of 26 out of the customer's hundreds or thousands
// (their $count is reported). Then the time for a full 2,000-row page (server-driven paging's
// largest) of the whole set, cold and warm, and for following its @odata.nextLink once.
import { resetStats } from '../emulator-client.js';
import { ms } from '../format.js';
import { summarizeLatencies, type LatencySummary } from '../percentiles.js';
import type { Scenario, ScenarioContext, SummaryRow, TargetCheck } from '../scenario.js';

/** Distinct customers asked (each once cold, then WARM_ROUNDS times warm, straight after). */
const CUSTOMERS = 60;
/** A Salesforce Connect list view of 25 rows asks for one more (to know there is a next page). */
const LIST_TOP = 26;
const WARM_ROUNDS = 3;
const PAGE_REPEATS = 3;

interface ErpCounters {
  readonly total: number;
  readonly rowsReturned: number;
  readonly rowsScanned: number;
  readonly byRoute: Readonly<Record<string, number>>;
}

async function erpCounters(erpUrl: string): Promise<ErpCounters> {
  const stats = (await (
    await fetch(`${erpUrl}/__emulator/stats`, { signal: AbortSignal.timeout(10_000) })
  ).json()) as Partial<ErpCounters>;
  return {
    total: stats.total ?? 0,
    rowsReturned: stats.rowsReturned ?? 0,
    rowsScanned: stats.rowsScanned ?? 0,
    byRoute: stats.byRoute ?? {},
  };
}

interface Answer {
  readonly status: number;
  readonly elapsedMs: number;
  readonly rows: number;
  readonly count: number | null;
  readonly bytes: number;
  readonly nextLink: string | null;
}

async function odataGet(context: ScenarioContext, url: string): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(url, {
    headers: { accept: 'application/json', ...context.stack.authHeaders },
    signal: AbortSignal.timeout(120_000),
  });
  const text = await response.text();
  const elapsedMs = performance.now() - started;
  const body = JSON.parse(text) as { value?: unknown[]; '@odata.count'?: number; '@odata.nextLink'?: string };
  return {
    status: response.status,
    elapsedMs,
    rows: body.value?.length ?? 0,
    count: body['@odata.count'] ?? null,
    bytes: Buffer.byteLength(text),
    nextLink: body['@odata.nextLink'] ?? null,
  };
}

/**
 * The busiest customers: invoice-history.ts hands out half the history by a Zipf law in customer
 * order, so C00001, C00002, … have the most invoices (with 100,000 over 10,000 customers: about
 * 4,000 down to about 70 for C00060). Their $count is measured and reported, not assumed.
 */
function customerNumbers(accounts: number): string[] {
  const width = Math.max(5, String(accounts).length);
  return Array.from({ length: Math.min(CUSTOMERS, accounts) }, (_, i) => `C${String(1 + i).padStart(width, '0')}`);
}

const latencyText = (l: LatencySummary) =>
  `p50 ${ms(l.p50Ms)}, p95 ${ms(l.p95Ms)}, p99 ${ms(l.p99Ms)}, max ${ms(l.maxMs)} (n=${l.count})`;

interface Series {
  readonly latency: LatencySummary;
  readonly failures: number;
  readonly rowsServed: number;
  /** List views that came back with a full page (LIST_TOP rows). */
  readonly fullPages: number;
  /** The customers' @odata.count: how many invoices each page was taken from. */
  readonly matching: { readonly min: number; readonly median: number; readonly max: number } | null;
  /** ERP requests and rows returned for the series' requests (from the emulator's counters). */
  readonly erpRequests: number;
  readonly erpRowsReturned: number;
}

function series(
  samples: readonly {
    elapsedMs: number;
    ok: boolean;
    rows: number;
    count: number | null;
    erpRequests: number;
    erpRows: number;
  }[],
): Series {
  const counts = samples.flatMap((sample) => (sample.count === null ? [] : [sample.count])).sort((a, b) => a - b);
  return {
    latency: summarizeLatencies(samples.map((sample) => sample.elapsedMs)),
    failures: samples.filter((sample) => !sample.ok).length,
    rowsServed: samples.reduce((sum, sample) => sum + sample.rows, 0),
    fullPages: samples.filter((sample) => sample.rows === LIST_TOP).length,
    matching:
      counts.length === 0
        ? null
        : { min: counts[0]!, median: counts[Math.floor(counts.length / 2)]!, max: counts[counts.length - 1]! },
    erpRequests: samples.reduce((sum, sample) => sum + sample.erpRequests, 0),
    erpRowsReturned: samples.reduce((sum, sample) => sum + sample.erpRows, 0),
  };
}

/**
 * Each customer's list view once (cold), then WARM_ROUNDS times straight after (warm: within the
 * subgraph's row-page cache TTL, 5 s by default). The emulator's counters are read after every
 * request (outside the timing), so each request's ERP traffic is its own.
 */
async function listViews(
  context: ScenarioContext,
  customers: readonly string[],
): Promise<{ cold: Series; warm: Series; erpByRoute: Record<string, number> }> {
  const { stack, signal } = context;
  await resetStats(stack.urls.erpEmulator);
  const cold: Parameters<typeof series>[0][number][] = [];
  const warm: Parameters<typeof series>[0][number][] = [];
  let before = await erpCounters(stack.urls.erpEmulator);
  const coldRoutes: Record<string, number> = {};
  for (const customer of customers) {
    for (let round = 0; round <= WARM_ROUNDS && !signal.aborted; round++) {
      const filter = encodeURIComponent(`CustomerNumber eq '${customer}'`);
      const answer = await odataGet(
        context,
        `${stack.urls.gateway}/odata/v4/Invoices?$filter=${filter}&$top=${LIST_TOP}&$count=true`,
      );
      const after = await erpCounters(stack.urls.erpEmulator);
      const sample = {
        elapsedMs: answer.elapsedMs,
        ok: answer.status === 200,
        rows: answer.rows,
        count: answer.count,
        erpRequests: after.total - before.total,
        erpRows: after.rowsReturned - before.rowsReturned,
      };
      if (round === 0) {
        cold.push(sample);
        for (const [route, count] of Object.entries(after.byRoute))
          coldRoutes[route] = (coldRoutes[route] ?? 0) + count - (before.byRoute[route] ?? 0);
      } else warm.push(sample);
      before = after;
    }
  }
  return {
    cold: series(cold),
    warm: series(warm),
    erpByRoute: Object.fromEntries(Object.entries(coldRoutes).filter(([, count]) => count > 0)),
  };
}

export const odata: Scenario = {
  name: 'odata',
  title: "OData bridge: an account's invoices as a Salesforce list view ($top=26, $count), and 2,000-row pages",
  erpInvoices: (config) => config.odataInvoices,
  async run(context) {
    const startedAt = new Date().toISOString();
    const { stack, config, print } = context;
    print('  starting subgraphs and gateway (empty caches)');
    await stack.restartProduct({ SHIELD_CACHE_ENABLED: 'true' });
    const customers = customerNumbers(config.seedAccounts);
    const total = await odataGet(context, `${stack.urls.gateway}/odata/v4/Invoices?$top=0&$count=true`);

    print(
      `  ERP: ${total.count ?? '?'} invoices; list views for the ${customers.length} busiest customers (${customers[0]} … ${customers.at(-1)})`,
    );
    const { cold, warm, erpByRoute } = await listViews(context, customers);
    const matching = cold.matching ? `${cold.matching.min} / ${cold.matching.median} / ${cold.matching.max}` : 'n/a';
    print(
      `  their invoices ($count, min / median / max): ${matching}; full pages of ${LIST_TOP}: ${cold.fullPages} of ${cold.latency.count} cold`,
    );
    print(
      `  list view, cold: ${latencyText(cold.latency)}; ERP ${cold.erpRequests} requests, ${cold.erpRowsReturned} rows returned`,
    );
    print(
      `  list view, warm: ${latencyText(warm.latency)}; ERP ${warm.erpRequests} requests, ${warm.erpRowsReturned} rows returned`,
    );

    // A full page: the first 2,000 invoices (no $top: server-driven paging picks the size), its next
    // page through @odata.nextLink, then the first page again (warm).
    await resetStats(stack.urls.erpEmulator);
    const pageUrl = `${stack.urls.gateway}/odata/v4/Invoices`;
    const firstPage = await odataGet(context, pageUrl);
    const firstPageErp = await erpCounters(stack.urls.erpEmulator);
    const nextPage = firstPage.nextLink ? await odataGet(context, firstPage.nextLink) : null;
    const repeats: Answer[] = [];
    for (let i = 0; i < PAGE_REPEATS && !context.signal.aborted; i++) repeats.push(await odataGet(context, pageUrl));
    const warmPage = summarizeLatencies(repeats.map((answer) => answer.elapsedMs));
    print(
      `  2,000-row page: cold ${ms(firstPage.elapsedMs)} (${firstPage.rows} rows, ${(firstPage.bytes / 1024).toFixed(0)} KiB), ` +
        `next link ${nextPage ? ms(nextPage.elapsedMs) : 'n/a'}, warm p50 ${ms(warmPage.p50Ms)}`,
    );
    stack.assertAlive();

    const coldRowsPerRequest = cold.latency.count === 0 ? Number.NaN : cold.erpRowsReturned / cold.latency.count;
    const summary: SummaryRow[] = [
      { label: 'invoices in the ERP (the whole set)', value: String(total.count ?? 'n/a') },
      {
        label: `customers asked: invoices each ($count, min / median / max)`,
        value: `${customers[0]} … ${customers.at(-1)}: ${matching}`,
      },
      {
        label: `list views that were a full page of ${LIST_TOP} (cold / warm)`,
        value: `${cold.fullPages} of ${cold.latency.count} / ${warm.fullPages} of ${warm.latency.count}`,
      },
      { label: 'list view (filter on one customer, $top=26, $count=true), cold', value: latencyText(cold.latency) },
      { label: 'list view, warm (same requests again)', value: latencyText(warm.latency) },
      { label: 'list view failures (cold / warm)', value: `${cold.failures} / ${warm.failures}` },
      {
        label: 'ERP per list view, cold: requests / invoice rows returned',
        value: `${(cold.erpRequests / Math.max(1, cold.latency.count)).toFixed(2)} / ${coldRowsPerRequest.toFixed(1)} (rows served ${(cold.rowsServed / Math.max(1, cold.latency.count)).toFixed(1)})`,
      },
      { label: 'ERP requests by route, cold list views', value: JSON.stringify(erpByRoute) },
      { label: 'ERP requests, warm list views', value: `${warm.erpRequests} for ${warm.latency.count} list views` },
      {
        label: '2,000-row page, cold',
        value: `${ms(firstPage.elapsedMs)}: ${firstPage.rows} rows, ${(firstPage.bytes / 1024).toFixed(0)} KiB, ERP ${firstPageErp.total} requests / ${firstPageErp.rowsReturned} rows`,
      },
      {
        label: '2,000-row page, following its @odata.nextLink',
        value: nextPage ? `${ms(nextPage.elapsedMs)}: ${nextPage.rows} rows` : 'no next link',
      },
      { label: '2,000-row page, warm', value: latencyText(warmPage) },
    ];
    const targets: TargetCheck[] = [
      {
        target:
          'a filtered page of 26 does not read the whole set: at most 27 invoice rows from the ERP per cold list view',
        measured: `${coldRowsPerRequest.toFixed(1)} rows per list view (of ${total.count ?? '?'} invoices)`,
        met: Number.isFinite(coldRowsPerRequest) && cold.latency.count > 0 ? coldRowsPerRequest <= 27 : null,
      },
      {
        target: 'server-driven paging: a page holds at most 2,000 rows, with a next link when more exist',
        measured: `${firstPage.rows} rows, next link ${firstPage.nextLink ? 'present' : 'absent'}`,
        met:
          firstPage.status === 200 && firstPage.rows <= 2000 && (firstPage.rows < 2000 || firstPage.nextLink !== null),
      },
    ];
    return {
      scenario: 'odata',
      title: odata.title,
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: context.machine,
      settings: {
        accounts: config.seedAccounts,
        invoices: config.odataInvoices,
        erpLatencyMs: config.erpLatencyMs,
        customers: customers.length,
        warmRounds: WARM_ROUNDS,
        pageRepeats: PAGE_REPEATS,
        concurrency: 1,
      },
      figures: {
        invoices: total.count,
        cold,
        warm,
        coldErpByRoute: erpByRoute,
        firstPage,
        firstPageErp,
        nextPage,
        warmPage,
      },
      summary,
      targets,
      notes: [
        'One request at a time, as the integration role (a named principal); latency is the whole HTTP exchange as Salesforce Connect would see it.',
        `The ERP emulator holds ${total.count ?? '?'} invoices (EMULATOR_SEED_INVOICES=${config.odataInvoices}: the seed's own plus paid history; half of the history round robin over every customer, half by a Zipf law in customer order, emulators/erp/invoice-history.ts). The customers asked are the ${customers.length} busiest, ${customers[0]} … ${customers.at(-1)}, each with ${cold.matching?.min ?? '?'} to ${cold.matching?.max ?? '?'} invoices: every list view is a page of ${LIST_TOP} out of them.`,
        `Cold: the subgraphs and the gateway were restarted first, and each of ${customers.length} customers is asked once; warm: the same request ${WARM_ROUNDS} times straight after (within the ERP subgraph's row-page cache TTL).`,
        'ERP requests and rows returned are read from the ERP emulator after each request (rowsReturned: rows a collection read returned).',
        `The 2,000-row page is the first page of all ${total.count ?? '?'} Invoices without $top (server-driven paging picks 2,000), then its @odata.nextLink once, then the first page again (warm).`,
      ],
    };
  },
};
