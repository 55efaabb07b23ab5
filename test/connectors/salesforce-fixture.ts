// Shared setup of the Salesforce connector tests: a seeded emulator on port 0 (with a JWT signing key
// registered), its stats and fault switches, and connectors pointed at it.
import { generateKeyPairSync } from 'node:crypto';
import { pino } from 'pino';
import { createSalesforceConnector } from '../../connectors/salesforce/index.js';
import type { SalesforceAuthOptions } from '../../connectors/salesforce/options.js';
import type { SalesforceConnector } from '../../connectors/salesforce/types.js';
import { BackendError } from '../../lib/backend-error.js';
import type { Faults, TrafficStats } from '../../emulators/common/traffic.js';
import {
  DEFAULT_CREDENTIALS,
  loadSalesforceEmulatorConfig,
  startSalesforceEmulator,
  type RunningSalesforceEmulator,
  type SalesforceEmulator,
} from '../../emulators/salesforce/index.js';
import { generateDataset, resolveSeedOptions } from '../../emulators/seed/index.js';
import type { SalesforceDataset } from '../../emulators/seed/types.js';

/** The emulator's default OAuth client and integration user (config contract). */
export const CREDENTIALS = { ...DEFAULT_CREDENTIALS };

export function seedDataset(accounts = 200): SalesforceDataset {
  return generateDataset(resolveSeedOptions({ accounts, seed: 42, today: '2025-06-01' })).salesforce;
}

export interface Fixture {
  emulator: SalesforceEmulator;
  server: RunningSalesforceEmulator;
  dataset: SalesforceDataset;
  privateKeyPem: string;
  stats(): Promise<TrafficStats>;
  resetStats(): Promise<void>;
  faults(faults: Faults | Record<string, never>): Promise<void>;
  connector(options?: { auth?: SalesforceAuthOptions; timeoutMs?: number }): SalesforceConnector;
  close(): Promise<void>;
}

export async function startFixture(dataset: SalesforceDataset = seedDataset()): Promise<Fixture> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const config = loadSalesforceEmulatorConfig({
    EMULATOR_SALESFORCE_PORT: '0',
    EMULATOR_SALESFORCE_JWT_PUBLIC_KEY: publicKey,
  });
  const server = await startSalesforceEmulator(config, { dataset });
  const { emulator } = server;
  const logger = pino({ level: 'silent' });
  return {
    emulator,
    server,
    dataset,
    privateKeyPem: privateKey,
    stats: async () => (await fetch(`${server.url}/__emulator/stats`)).json() as Promise<TrafficStats>,
    resetStats: async () => {
      await fetch(`${server.url}/__emulator/stats`, { method: 'DELETE' });
    },
    faults: async (faults) => {
      const res = await fetch(`${server.url}/__emulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(faults),
      });
      if (!res.ok) throw new Error(`faults: ${res.status} ${await res.text()}`);
    },
    connector: (options = {}) =>
      createSalesforceConnector(
        {
          loginUrl: server.url,
          apiVersion: '62.0',
          timeoutMs: options.timeoutMs ?? 5_000,
          auth: options.auth ?? {
            flow: 'client_credentials',
            clientId: CREDENTIALS.clientId,
            clientSecret: CREDENTIALS.clientSecret,
          },
        },
        logger,
      ),
    close: () => server.close(),
  };
}

/** The BackendError a promise rejects with (fails the test when it resolves or throws something else). */
export async function backendError(promise: Promise<unknown>): Promise<BackendError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BackendError) return error;
    throw error;
  }
  throw new Error('expected a BackendError, but the call succeeded');
}

/** Case-insensitive text order of the emulator and of Salesforce ("Sorting is case insensitive"). */
export function textOrder(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

export const ctx = (correlationId = 'test-correlation') => ({ correlationId });
