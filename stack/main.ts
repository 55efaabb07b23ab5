// `npm start`: the embedded stack (docs/architecture.md). Both emulators, both subgraphs and the
// gateway run as child processes on loopback, started in dependency order, each awaited until
// ready; Ctrl-C (or SIGTERM) stops them in reverse order. A child that dies takes the stack down.
import { resolve } from 'node:path';
import { DEFAULT_TRYTON_DATABASE } from '../connectors/erp/tryton/defaults.js';
import { describeExit, spawnService, waitUntilReady, type ChildService } from './child-process.js';
import { loadStackConfig, type StackConfig } from './config.js';
import { stackServices, stackUrls } from './services.js';

// `npm run token` reads DATA_DIR the same way; only another folder needs saying.
const DEFAULT_DATA_DIR = resolve('./data');

// Generous: the first start of a child includes tsx compiling it, on a small machine.
const READY_TIMEOUT_MS = 60_000;

// Wide enough for the longest service name, so the prefixed columns line up.
const PREFIX_WIDTH = 'salesforce-emulator'.length;
const log = (line: string) => process.stdout.write(`${'stack'.padEnd(PREFIX_WIDTH)} | ${line}\n`);

const running: ChildService[] = [];
// Set once: whoever stops the stack first (a signal, a dead child, a failed start) decides the exit code.
let stopping: Promise<never> | undefined;

function stop(exitCode: number, message: string): Promise<never> {
  stopping ??= (async () => {
    if (exitCode === 0) log(message);
    else process.stderr.write(`${'stack'.padEnd(PREFIX_WIDTH)} | ${message}\n`);
    for (const child of [...running].reverse()) {
      if (child.hasExited) continue;
      log(`stopping ${child.spec.name}`);
      await child.stop();
    }
    process.exit(exitCode);
  })();
  return stopping;
}

const onSignal = (signal: NodeJS.Signals) => void stop(0, `${signal}: stopping the stack`);

/** `npm run token` signs with the key in its DATA_DIR: name the stack's when it is not the default. */
function tokenCommand(config: StackConfig): string {
  return `${config.dataDir === DEFAULT_DATA_DIR ? '' : `DATA_DIR=${config.dataDir} `}npm run token --`;
}

function banner(config: StackConfig): string {
  const urls = stackUrls(config);
  return [
    '',
    `customer360-graph is running (demo data: ${config.seedAccounts} accounts, seed ${config.seed}; try customer C00001)`,
    `  GraphiQL             ${urls.gateway}/graphql  (header editor prefilled with a development token)`,
    `  Customer 360 console ${urls.gateway}/app`,
    `  OData 4.0 service    ${urls.gateway}/odata/v4/  (Salesforce Connect; same bearer tokens)`,
    `  Gateway health       ${urls.gateway}/healthz  ${urls.gateway}/readyz`,
    `  Metrics              ${urls.gateway}/metrics  ${urls.salesforceSubgraph}/metrics  ${urls.erpSubgraph}/metrics`,
    `  Salesforce subgraph  ${urls.salesforceSubgraph}/graphql`,
    `  ERP subgraph         ${urls.erpSubgraph}/graphql`,
    `  Salesforce emulator  ${urls.salesforceEmulator}  (stats: ${urls.salesforceEmulator}/__emulator/stats)`,
    `  ERP emulator         ${urls.erpEmulator}  (stats: ${urls.erpEmulator}/__emulator/stats)`,
    ...(urls.tryton && config.tryton
      ? [
          `  Tryton (2nd company) ${urls.tryton}/  (JSON-RPC, database ${DEFAULT_TRYTON_DATABASE}; ${config.tryton.accounts} accounts T00001..; see docs/tryton.md)`,
        ]
      : []),
    `Every GraphQL request needs a bearer token. Get a development token (roles: sales, service, finance, partner, integration):`,
    `  ${tokenCommand(config)} --role sales`,
    `  ${tokenCommand(config)} --role partner --partner P-NORTHWIND`,
    `and send it as the header  Authorization: Bearer <token>`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  let config: StackConfig;
  try {
    config = loadStackConfig();
  } catch (error) {
    return stop(1, error instanceof Error ? error.message : String(error));
  }
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // Children live in their own process groups; never leave one behind, even on a crash here.
  process.once('exit', () => running.forEach((child) => child.kill()));

  for (const spec of stackServices(config)) {
    if (stopping) return;
    log(`starting ${spec.name}`);
    const child = spawnService(spec, config.inheritedEnv, PREFIX_WIDTH);
    running.push(child);
    void child.exited.then((status) =>
      stop(1, `${spec.name} exited unexpectedly (${describeExit(status)}); stopping the others`),
    );
    try {
      await waitUntilReady(child, spec.readyTimeoutMs ?? READY_TIMEOUT_MS);
    } catch (error) {
      return stop(1, `${spec.name} did not start: ${error instanceof Error ? error.message : String(error)}`);
    }
    log(`${spec.name} ready at ${spec.url}`);
  }
  process.stdout.write(banner(config));
}

await main();
