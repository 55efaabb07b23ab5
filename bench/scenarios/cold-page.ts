// cold-page: one query for 50 accounts with credit, open invoices, orders and shipments on freshly
// started subgraphs (empty caches): ERP requests per entity kind, from the ERP emulator's per-route
// counters. The same query is then repeated (warm cache), and run once more on subgraphs without the
// cache tier, for comparison. Then the Tryton run (cold-page-tryton.ts): customer-360 for a customer
// of the second company, served by a real Tryton server.
import { readStats, resetStats } from '../emulator-client.js';
import { ms } from '../format.js';
import { postGraphql } from '../graphql-client.js';
import { COLD_PAGE } from '../queries.js';
import type { Scenario, ScenarioContext, SummaryRow, TargetCheck } from '../scenario.js';
import { trytonColdPage } from './cold-page-tryton.js';

// Connector set-up, not entity reads: the OAuth token and the company lookup (BC API v2.0 entity
// sets live under companies({id})); shown, but not judged as "entity kinds".
const SETUP_ROUTES = new Set(['token', 'GET companies', 'GET $metadata', 'GET serviceDocument']);

interface PageRun {
  readonly label: string;
  readonly nodes: number;
  readonly errors: number;
  readonly elapsedMs: number;
  readonly erpByRoute: Readonly<Record<string, number>>;
  readonly erpTotal: number;
  readonly salesforceByRoute: Readonly<Record<string, number>>;
  readonly salesforceTotal: number;
}

async function queryPage(context: ScenarioContext, label: string): Promise<PageRun> {
  const { stack } = context;
  await Promise.all([resetStats(stack.urls.erpEmulator), resetStats(stack.urls.salesforceEmulator)]);
  const answer = await postGraphql<{ accounts: { nodes: unknown[] } }>(
    stack.graphqlUrl,
    COLD_PAGE,
    {},
    stack.authHeaders,
  );
  const [erp, sf] = await Promise.all([readStats(stack.urls.erpEmulator), readStats(stack.urls.salesforceEmulator)]);
  const run: PageRun = {
    label,
    nodes: answer.data?.accounts.nodes.length ?? 0,
    errors: answer.errors.length,
    elapsedMs: answer.elapsedMs,
    erpByRoute: erp.byRoute,
    erpTotal: erp.total,
    salesforceByRoute: sf.byRoute,
    salesforceTotal: sf.total,
  };
  context.print(
    `  [${label}] ${run.nodes} accounts, ${run.errors} errors, ${ms(run.elapsedMs)}; ERP ${run.erpTotal} requests ${JSON.stringify(run.erpByRoute)}; ` +
      `Salesforce ${run.salesforceTotal} ${JSON.stringify(run.salesforceByRoute)}`,
  );
  return run;
}

const entityRoutes = (byRoute: Readonly<Record<string, number>>) =>
  Object.entries(byRoute).filter(([route]) => !SETUP_ROUTES.has(route));
const describeRoutes = (byRoute: Readonly<Record<string, number>>) =>
  Object.entries(byRoute)
    .map(([route, count]) => `${route} ${count}`)
    .join(', ') || 'none';

export const coldPage: Scenario = {
  name: 'cold-page',
  title:
    '50 accounts with credit, open invoices, orders and shipments on an empty cache; customer-360 of a Tryton customer',
  async run(context) {
    const startedAt = new Date().toISOString();
    const { stack, print } = context;
    print('  [cache on] starting subgraphs and gateway');
    await stack.restartProduct({ SHIELD_CACHE_ENABLED: 'true' });
    const cold = await queryPage(context, 'cache on, cold');
    const warm = await queryPage(context, 'cache on, repeated');
    print('  [cache off] starting subgraphs and gateway');
    await stack.restartProduct({ SHIELD_CACHE_ENABLED: 'false' });
    const uncached = await queryPage(context, 'cache off');
    stack.assertAlive();
    const tryton = await trytonColdPage(context);

    const worst = entityRoutes(cold.erpByRoute).reduce((max, [, count]) => Math.max(max, count), 0);
    const summary: SummaryRow[] = [
      { label: 'accounts returned / errors (cold)', value: `${cold.nodes} / ${cold.errors}` },
      { label: 'ERP requests by route, cold cache', value: describeRoutes(cold.erpByRoute) },
      {
        label: 'ERP requests, same query repeated (warm cache)',
        value: `${warm.erpTotal} (${describeRoutes(warm.erpByRoute)})`,
      },
      { label: 'ERP requests by route, cache tier off', value: describeRoutes(uncached.erpByRoute) },
      { label: 'Salesforce requests by route, cold cache', value: describeRoutes(cold.salesforceByRoute) },
      {
        label: 'latency cold / repeated / cache off',
        value: `${ms(cold.elapsedMs)} / ${ms(warm.elapsedMs)} / ${ms(uncached.elapsedMs)}`,
      },
      ...tryton.summary,
    ];
    const targets: TargetCheck[] = [
      {
        target: 'at most one ERP request per entity kind for the cold page',
        measured: `max ${worst} per entity route (${describeRoutes(Object.fromEntries(entityRoutes(cold.erpByRoute)))})`,
        met: cold.nodes > 0 && worst <= 1,
      },
      ...tryton.targets,
    ];
    return {
      scenario: 'cold-page',
      title: coldPage.title,
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: context.machine,
      settings: {
        accounts: context.config.seedAccounts,
        pageSize: 50,
        erpLatencyMs: context.config.erpLatencyMs,
        salesforceLatencyMs: context.config.salesforceLatencyMs,
      },
      figures: { cold, warm, uncached, tryton: tryton.figures },
      summary,
      targets,
      notes: [
        `Route keys are the ERP emulator's (one per entity set, navigation included); ${[...SETUP_ROUTES].join(', ')} are connector set-up, reported but not judged as entity kinds.`,
        'The subgraphs are restarted before the cold query, so every cache is empty; the gateway checks /readyz first, which may already have fetched the OAuth token.',
        ...tryton.notes,
      ],
    };
  },
};
