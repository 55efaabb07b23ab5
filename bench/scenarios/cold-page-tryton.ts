// cold-page's Tryton run: customer-360 for a customer of the second company, served by a real Tryton
// server (tryton/) through the ERP subgraph's Tryton adapter (ERP_ADAPTER=tryton), on an empty cache
// and then repeated. JSON-RPC calls are counted at a proxy in front of Tryton (tryton/rpc-proxy.ts),
// per method: the entity reads (`model.<model>.search_read`) are judged, sign-in and company discovery
// (SETUP_METHODS) are shown apart.
import { Writable } from 'node:stream';
import { ms } from '../format.js';
import { postGraphql } from '../graphql-client.js';
import { CUSTOMER_360 } from '../queries.js';
import type { ScenarioContext, SummaryRow, TargetCheck } from '../scenario.js';
import { startTryton, TrytonNotInstalledError, type StartedTryton } from '../../tryton/index.js';
import { SETUP_METHODS, startTrytonRpcProxy, type TrytonRpcProxy } from '../../tryton/rpc-proxy.js';

export interface TrytonPageRun {
  readonly label: string;
  readonly customer: string;
  readonly errors: number;
  readonly elapsedMs: number;
  /** Entity reads by JSON-RPC method. */
  readonly byMethod: Readonly<Record<string, number>>;
  readonly setup: Readonly<Record<string, number>>;
  readonly total: number;
}

export interface TrytonColdPage {
  readonly summary: SummaryRow[];
  readonly targets: TargetCheck[];
  readonly figures: { readonly cold: TrytonPageRun; readonly warm: TrytonPageRun } | { readonly skipped: string };
  readonly notes: string[];
}

const describe = (byMethod: Readonly<Record<string, number>>) =>
  Object.entries(byMethod)
    .map(([method, count]) => `${method.replace(/^model\./, '')} ${count}`)
    .join(', ') || 'none';

async function queryCustomer(
  context: ScenarioContext,
  proxy: TrytonRpcProxy,
  customer: string,
  label: string,
): Promise<TrytonPageRun> {
  proxy.reset();
  const answer = await postGraphql<{ accountByErpNumber: unknown }>(
    context.stack.graphqlUrl,
    CUSTOMER_360,
    { erp: customer },
    context.stack.authHeaders,
  );
  const counted = proxy.stats().byMethod;
  const split = (setup: boolean) =>
    Object.fromEntries(Object.entries(counted).filter(([method]) => SETUP_METHODS.includes(method) === setup));
  const run: TrytonPageRun = {
    label,
    customer,
    errors: answer.errors.length + (answer.data?.accountByErpNumber ? 0 : 1),
    elapsedMs: answer.elapsedMs,
    byMethod: split(false),
    setup: split(true),
    total: proxy.stats().total,
  };
  context.print(
    `  [tryton, ${label}] ${customer}: ${run.errors} errors, ${ms(run.elapsedMs)}; JSON-RPC ${run.total} calls: ${describe(run.byMethod)} (set-up: ${describe(run.setup)})`,
  );
  return run;
}

export async function trytonColdPage(context: ScenarioContext): Promise<TrytonColdPage> {
  const { config, stack, print } = context;
  let tryton: StartedTryton | undefined;
  let proxy: TrytonRpcProxy | undefined;
  try {
    print(
      `  [tryton] starting Tryton (${config.trytonAccounts} accounts; the first run of a day seeds a copy: minutes)`,
    );
    tryton = await startTryton({
      directory: config.trytonDirectory,
      // Not the stack's database: a running `npm start` keeps its own.
      database: 'bench_customer360',
      host: '127.0.0.1',
      port: config.portBase + 40,
      seed: config.seed,
      today: new Date().toISOString().slice(0, 10),
      accounts: config.trytonAccounts,
      log: (line) => print(`  [tryton] ${line}`),
      output: new Writable({ write: (_chunk, _encoding, done) => done() }),
    });
    proxy = await startTrytonRpcProxy(tryton.url);
    await stack.setSalesforceTrytonAccounts(config.trytonAccounts);
    await stack.restartProduct({
      SHIELD_CACHE_ENABLED: 'true',
      ERP_ADAPTER: 'tryton',
      ERP_TRYTON_URL: proxy.url,
      ERP_TRYTON_DATABASE: tryton.database,
      ERP_TRYTON_USERNAME: tryton.username,
      ERP_TRYTON_PASSWORD_FILE: tryton.prepared.integrationPasswordFile,
    });
    // A customer with something in every part of the page: open invoices, orders and shipments.
    const erp = tryton.prepared.seedData.erp;
    const customer =
      erp.customers.find(
        (c) =>
          erp.salesInvoices.some((i) => i.customerNumber === c.number && i.remainingAmount > 0) &&
          erp.salesShipments.some((s) => s.customerNumber === c.number),
      )?.number ?? erp.customers[0]!.number;
    const cold = await queryCustomer(context, proxy, customer, 'cold');
    const warm = await queryCustomer(context, proxy, customer, 'repeated');
    stack.assertAlive();
    const worst = Object.values(cold.byMethod).reduce((max, n) => Math.max(max, n), 0);
    const warmEntity = Object.values(warm.byMethod).reduce((sum, n) => sum + n, 0);
    return {
      figures: { cold, warm },
      summary: [
        { label: 'Tryton: customer-360 errors (cold)', value: `${cold.errors} (${customer})` },
        { label: 'Tryton: JSON-RPC reads by method, cold cache', value: describe(cold.byMethod) },
        {
          label: 'Tryton: JSON-RPC calls, same query repeated (warm cache)',
          value: `${warm.total} (${describe({ ...warm.byMethod, ...warm.setup })})`,
        },
        { label: 'Tryton: set-up calls (sign-in, company, warehouse)', value: describe(cold.setup) },
        { label: 'Tryton: latency cold / repeated', value: `${ms(cold.elapsedMs)} / ${ms(warm.elapsedMs)}` },
      ],
      targets: [
        {
          target: 'customer-360 for a Tryton customer: at most one JSON-RPC read per entity kind, cold',
          measured: `max ${worst} per method (${describe(cold.byMethod)})`,
          met: cold.errors === 0 && worst <= 1,
        },
        {
          target: 'customer-360 for a Tryton customer: no JSON-RPC read, warm',
          measured: `${warmEntity} reads`,
          met: warm.errors === 0 && warmEntity === 0,
        },
      ],
      notes: [
        `Tryton run: Tryton 6.0 (Debian) on SQLite, database seeded with the second company (${config.trytonAccounts} accounts, seed ${config.seed}); calls counted at a JSON-RPC proxy per method. Set-up calls (${SETUP_METHODS.join(', ')}) are shown, not judged: the subgraph's readiness check may already have made them.`,
      ],
    };
  } catch (error) {
    if (!(error instanceof TrytonNotInstalledError)) throw error;
    print(`  [tryton] skipped: ${error.message}`);
    return {
      figures: { skipped: error.message },
      summary: [{ label: 'Tryton run', value: 'skipped: Tryton is not installed' }],
      targets: [
        {
          target: 'customer-360 for a Tryton customer: at most one JSON-RPC read per entity kind cold, none warm',
          measured: 'not run (Tryton not installed)',
          met: null,
        },
      ],
      notes: [error.message],
    };
  } finally {
    await proxy?.close();
    await tryton?.stop();
    // The other scenarios run on the first company alone.
    await stack.setSalesforceTrytonAccounts(undefined);
  }
}
