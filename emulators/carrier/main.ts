// Starting the carrier emulator as a server: in-process (tests, the embedded stack) or directly
// (`node --import tsx emulators/carrier/main.ts`), which prints its URLs and the CA certificate a
// client must trust, and exits cleanly on SIGINT/SIGTERM. It serves HTTPS only, as carrier APIs do,
// with the certificate tls.ts keeps under DATA_DIR.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { listen } from '../common/listen.js';
import { generateDataset } from '../seed/generate.js';
import type { ErpDataset } from '../seed/types.js';
import { createCarrierEmulator, type CarrierEmulator } from './app.js';
import { loadCarrierEmulatorConfig, type CarrierEmulatorConfig } from './config.js';
import { certificateHostnames, ensureTlsMaterial, type TlsMaterial } from './tls.js';

export interface RunningCarrierEmulator {
  /** e.g. https://127.0.0.1:4030 */
  readonly url: string;
  readonly port: number;
  /** `${url}/oauth/token` */
  readonly tokenUrl: string;
  /** `${url}/track/v1/trackingnumbers` */
  readonly trackUrl: string;
  /** The CA certificate (PEM file) a client must trust to reach the emulator. */
  readonly caFile: string;
  readonly tls: TlsMaterial;
  readonly emulator: CarrierEmulator;
  close(): Promise<void>;
}

/** Where the emulator keeps its TLS files: `${dataDir}/carrier-emulator/tls`. */
export function carrierEmulatorTlsDir(dataDir: string): string {
  return join(dataDir, 'carrier-emulator', 'tls');
}

export async function startCarrierEmulator(
  config: CarrierEmulatorConfig,
  overrides: { dataset?: Pick<ErpDataset, 'customers' | 'salesShipments'>; now?: () => Date; today?: string } = {},
): Promise<RunningCarrierEmulator> {
  const dataset =
    overrides.dataset ??
    generateDataset({
      accounts: config.seedAccounts,
      seed: config.seed,
      ...(overrides.today ? { today: overrides.today } : {}),
    }).erp;
  const tls = ensureTlsMaterial(carrierEmulatorTlsDir(config.dataDir), certificateHostnames(config.host));
  const emulator = createCarrierEmulator({
    dataset,
    seed: config.seed,
    latencyMs: config.latencyMs,
    credentials: config.credentials,
    tokenLifetimeSeconds: config.tokenLifetimeSeconds,
    rateLimits: config.rateLimits,
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  const server = await listen(emulator.app, {
    host: config.host,
    port: config.port,
    tls: { cert: tls.certPem, key: tls.keyPem },
  });
  return {
    url: server.url,
    port: server.port,
    tokenUrl: `${server.url}/oauth/token`,
    trackUrl: `${server.url}/track/v1/trackingnumbers`,
    caFile: tls.caFile,
    tls,
    emulator,
    close: () => server.close(),
  };
}

async function runDirectly(): Promise<void> {
  const config = loadCarrierEmulatorConfig();
  const running = await startCarrierEmulator(config);
  const created = {
    none: 'existing',
    server: 'server certificate re-issued on this start',
    all: 'created on this start',
  }[running.tls.created];
  process.stdout.write(
    `Carrier emulator (FedEx Track API v1, serving ${running.emulator.packages.size} seeded packages of UPS, FedEx, DHL and DB Schenker) listening on ${running.url}\n` +
      `  token:  POST ${running.tokenUrl}  (client_id=${config.credentials.clientId})\n` +
      `  track:  POST ${running.trackUrl}  (up to 30 numbers per request)\n` +
      `  CA:     ${running.caFile}  (${created}; trust it with CARRIER_CA_FILE)\n`,
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
