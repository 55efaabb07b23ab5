// Starting the Salesforce emulator as a server: in-process (tests, the embedded stack) or directly
// (`node --import tsx emulators/salesforce/main.ts`), which prints its URL and exits cleanly on
// SIGINT/SIGTERM.
import { pathToFileURL } from 'node:url';
import { listen } from '../common/listen.js';
import { generateDataset } from '../seed/generate.js';
import type { SalesforceDataset } from '../seed/types.js';
import { createSalesforceEmulator, type SalesforceEmulator } from './app.js';
import { loadSalesforceEmulatorConfig, type SalesforceEmulatorConfig } from './config.js';

export interface RunningSalesforceEmulator {
  /** e.g. http://127.0.0.1:4010 — the login URL and the instance URL alike. */
  readonly url: string;
  readonly port: number;
  readonly emulator: SalesforceEmulator;
  close(): Promise<void>;
}

export async function startSalesforceEmulator(
  config: SalesforceEmulatorConfig,
  overrides: { dataset?: SalesforceDataset; now?: () => Date; today?: string } = {},
): Promise<RunningSalesforceEmulator> {
  const dataset =
    overrides.dataset ??
    generateDataset({
      accounts: config.seedAccounts,
      seed: config.seed,
      secondCompanyAccounts: config.seedTrytonAccounts,
      ...(overrides.today ? { today: overrides.today } : {}),
    }).salesforce;
  const emulator = createSalesforceEmulator({
    dataset,
    latencyMs: config.latencyMs,
    credentials: config.credentials,
    jwtPublicKeys: config.jwtPublicKeys,
    jwtAudiences: config.jwtAudiences,
    tokenTtlMs: config.tokenTtlSeconds * 1000,
    dailyApiLimit: config.dailyApiLimit,
    changeDataCapture: {
      ...(config.changeDataCapture.entities.length > 0 ? { entities: config.changeDataCapture.entities } : {}),
      retentionMs: config.changeDataCapture.retentionHours * 3_600_000,
      maxRetainedEvents: config.changeDataCapture.maxRetainedEvents,
      overflowThreshold: config.changeDataCapture.overflowThreshold,
      timeoutSeconds: config.changeDataCapture.timeoutSeconds,
    },
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  const server = await listen(emulator.app, { host: config.host, port: config.port });
  return {
    url: server.url,
    port: server.port,
    emulator,
    close: async () => {
      emulator.close();
      await server.close();
    },
  };
}

async function runDirectly(): Promise<void> {
  const config = loadSalesforceEmulatorConfig();
  const running = await startSalesforceEmulator(config);
  process.stdout.write(
    `Salesforce emulator (REST API v20.0-v64.0) listening on ${running.url}\n` +
      `  token: POST ${running.url}/services/oauth2/token  (client_id=${config.credentials.clientId}, username=${config.credentials.username})\n` +
      `  streaming (Change Data Capture): ${running.url}/cometd/62.0\n` +
      `  stats: GET ${running.url}/__emulator/stats\n`,
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
