// spike (issue 3): ten times erp-shield's load (500 clients) for 10 s on freshly started subgraphs —
// an empty cache, so the spike hits the ERP as hard as it can — and the ERP emulator's maximum of
// concurrent requests against the configured cap (SHIELD_ERP_MAX_IN_FLIGHT).
import { readStats, resetStats } from '../emulator-client.js';
import { fixed, ms, percent } from '../format.js';
import { runLoad } from '../load.js';
import { CUSTOMER_360 } from '../queries.js';
import type { Scenario, SummaryRow, TargetCheck } from '../scenario.js';
import { zipfWorkload } from '../workload.js';

export const spike: Scenario = {
  name: 'spike',
  title: 'ten times the load on a cold cache: ERP concurrency against the cap',
  async run(context) {
    const startedAt = new Date().toISOString();
    const { config, stack, print, signal } = context;
    print('  starting subgraphs and gateway (cache on, empty)');
    await stack.restartProduct({ SHIELD_CACHE_ENABLED: 'true' });
    await Promise.all([resetStats(stack.urls.erpEmulator), resetStats(stack.urls.salesforceEmulator)]);
    print(`  ${config.spikeConnections} clients for ${config.spikeDurationS} s`);
    const workload = zipfWorkload(config, CUSTOMER_360);
    const load = await runLoad({
      url: stack.graphqlUrl,
      headers: stack.authHeaders,
      connections: config.spikeConnections,
      durationS: config.spikeDurationS,
      nextBody: workload.nextBody,
      signal,
    });
    const [erp, sf] = await Promise.all([readStats(stack.urls.erpEmulator), readStats(stack.urls.salesforceEmulator)]);
    stack.assertAlive();

    const codes = Object.entries(load.errorCodes)
      .map(([code, count]) => `${code} ${count}`)
      .join(', ');
    const summary: SummaryRow[] = [
      { label: `ERP max in flight at the emulator (cap ${config.erpMaxInFlight})`, value: String(erp.maxInFlight) },
      {
        label: `Salesforce max in flight at the emulator (cap ${config.salesforceMaxInFlight})`,
        value: String(sf.maxInFlight),
      },
      {
        label: 'operations/s',
        value: `${fixed(load.responsesPerSec)} (${load.responses} responses in ${fixed(load.elapsedS)} s)`,
      },
      {
        label: 'requests in flight when the run stopped (closed loop: up to one per client; not in the latencies)',
        value: `${load.unansweredAtEnd} of ${load.sent} sent`,
      },
      {
        label: 'error rate',
        value: `${percent(load.errorRate)} (GraphQL errors ${load.graphqlErrorResponses}, non-2xx ${load.non2xx}, connection errors ${load.connectionErrors}, timeouts ${load.timeouts})`,
      },
      { label: 'error codes (responses)', value: codes || 'none' },
      {
        label: 'p50 / p95 / p99 latency (answered requests)',
        value: `${ms(load.latency.p50Ms)} / ${ms(load.latency.p95Ms)} / ${ms(load.latency.p99Ms)}`,
      },
      { label: 'ERP / Salesforce requests', value: `${erp.total} / ${sf.total}` },
    ];
    const targets: TargetCheck[] = [
      {
        target: `ERP emulator never sees more in-flight requests than the cap (${config.erpMaxInFlight})`,
        measured: String(erp.maxInFlight),
        met: erp.maxInFlight <= config.erpMaxInFlight,
      },
    ];
    return {
      scenario: 'spike',
      title: spike.title,
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: context.machine,
      settings: {
        connections: config.spikeConnections,
        durationS: config.spikeDurationS,
        erpMaxInFlight: config.erpMaxInFlight,
        salesforceMaxInFlight: config.salesforceMaxInFlight,
        zipfExponent: config.zipfExponent,
        accounts: config.seedAccounts,
      },
      figures: { load, erp, salesforce: sf, distinctAccounts: workload.distinctAccounts() },
      summary,
      targets,
      notes: [
        'The in-flight maximum is counted by the ERP emulator itself (every API request between arrival and answer, OAuth token requests included).',
        'Errors under the spike are expected by design once the bounded queue is full (fail fast); their codes are listed above.',
        'Latency percentiles cover answered requests only; the requests still unanswered at the end had waited at least since they were sent and are counted separately.',
        'With 500 connections on 2 cores the load generator itself takes a large share of the CPU.',
      ],
    };
  },
};
