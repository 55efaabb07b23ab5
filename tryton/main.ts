// `npm run tryton`: a real Tryton 6.0 server (Debian's packages) with the demo's second company, on
// loopback (port 4040 by default). The first start of a day seeds a copy (a minute or two), later
// starts copy it (seconds). Ctrl-C stops it. Without Tryton installed it says what to install.
import { resolve } from 'node:path';
import { loadTrytonLauncherConfig } from './config.js';
import { startTryton, TrytonNotInstalledError } from './index.js';

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const config = loadTrytonLauncherConfig();
  const tryton = await startTryton({
    ...config,
    today: new Date().toISOString().slice(0, 10),
    log,
    output: process.stderr,
  });
  const adapterEnv = [
    'ERP_ADAPTER=tryton',
    `ERP_TRYTON_URL=${tryton.url}`,
    `ERP_TRYTON_DATABASE=${tryton.database}`,
    `ERP_TRYTON_USERNAME=${tryton.username}`,
    `ERP_TRYTON_PASSWORD_FILE=${tryton.prepared.integrationPasswordFile}`,
  ];
  log(
    [
      `Tryton serves database '${tryton.database}' at ${tryton.url}/ (JSON-RPC), company ${tryton.prepared.seedData.erp.company.name}:`,
      `  ${config.accounts} customers T00001.. with orders, shipments and invoices (seed ${config.seed}, day ${tryton.prepared.seedData.today})`,
      `  integration user '${tryton.username}', password in ${tryton.prepared.integrationPasswordFile}`,
      `  administrator 'admin', password in ${tryton.prepared.adminPasswordFile} (for the Tryton desktop client)`,
      `Point the ERP subgraph at it: ${adapterEnv.join(' ')}`,
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
  let stopping = false;
  const stop = () => {
    stopping = true;
    void tryton.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // A launcher that dies must not leave trytond behind.
  process.once('exit', () => tryton.process.kill('SIGKILL'));
  const code = await tryton.exited;
  if (stopping) return;
  process.stderr.write(`trytond exited unexpectedly (${code ?? 'killed'})\n`);
  process.exit(1);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${error instanceof TrytonNotInstalledError ? '' : 'Tryton did not start: '}${message}\n`);
  process.stderr.write(`(data folder: ${resolve(process.env['DATA_DIR'] || './data', 'tryton')})\n`);
  process.exit(1);
});
