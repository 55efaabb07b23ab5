// Starting the ERP emulator as a server: in-process (tests, the embedded stack) or directly
// (`node --import tsx emulators/erp/main.ts`), which prints its URLs and exits cleanly on
// SIGINT/SIGTERM.
import { pathToFileURL } from 'node:url';
import { listen } from '../common/listen.js';
import { generateDataset } from '../seed/generate.js';
import type { ErpDataset } from '../seed/types.js';
import { createErpEmulator, type ErpEmulator } from './app.js';
import { loadErpEmulatorConfig, type ErpEmulatorConfig } from './config.js';
import { withInvoiceHistory } from './invoice-history.js';

export interface RunningErpEmulator {
  /** e.g. http://127.0.0.1:4020 */
  readonly url: string;
  readonly port: number;
  /** `${url}/api/v2.0` */
  readonly apiUrl: string;
  /** `${url}/${tenant}/oauth2/v2.0/token` */
  readonly tokenUrl: string;
  /** `${apiUrl}/companies(${companyId})` — the base of every entity set. */
  readonly companyUrl: string;
  readonly emulator: ErpEmulator;
  close(): Promise<void>;
}

export async function startErpEmulator(
  config: ErpEmulatorConfig,
  overrides: { dataset?: ErpDataset; now?: () => Date; today?: string } = {},
): Promise<RunningErpEmulator> {
  const seeded =
    overrides.dataset ??
    generateDataset({
      accounts: config.seedAccounts,
      seed: config.seed,
      ...(overrides.today ? { today: overrides.today } : {}),
    }).erp;
  const dataset =
    config.seedInvoices === undefined
      ? seeded
      : withInvoiceHistory(seeded, config.seedInvoices, {
          seed: config.seed,
          today: overrides.today ?? new Date().toISOString().slice(0, 10),
        });
  const emulator = createErpEmulator({
    dataset,
    latencyMs: config.latencyMs,
    pageSize: config.pageSize,
    credentials: config.credentials,
    tokenLifetimeSeconds: config.tokenLifetimeSeconds,
    ...(config.strictFilters !== undefined && { strictFilters: config.strictFilters }),
    webhooks: config.webhooks,
    ...(config.activity && {
      activity: {
        intervalMs: config.activity.intervalMs,
        seed: config.seed,
        onStep: (step: string) => process.stdout.write(`[erp-emulator] activity: ${step}\n`),
      },
    }),
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  const server = await listen(emulator.app, { host: config.host, port: config.port });
  const apiUrl = `${server.url}/api/v2.0`;
  return {
    url: server.url,
    port: server.port,
    apiUrl,
    tokenUrl: `${server.url}/${config.credentials.tenant}/oauth2/v2.0/token`,
    companyUrl: `${apiUrl}/companies(${emulator.companyId})`,
    emulator,
    close: async () => {
      emulator.close();
      await server.close();
    },
  };
}

async function runDirectly(): Promise<void> {
  const config = loadErpEmulatorConfig();
  const running = await startErpEmulator(config);
  process.stdout.write(
    `ERP emulator (Business Central API v2.0) listening on ${running.url}\n` +
      `  token:   POST ${running.tokenUrl}  (client_id=${config.credentials.clientId})\n` +
      `  company: ${running.companyUrl}\n` +
      `  webhooks: ${running.apiUrl}/subscriptions (notifications ${config.webhooks.delayMs} ms after a change)` +
      `${config.activity ? `; activity simulator every ${config.activity.intervalMs} ms` : ''}\n`,
  );
  const stop = () => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runDirectly().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
