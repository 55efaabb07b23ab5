// The carrier emulator's configuration from the environment — the only module here that reads
// process.env. Every variable is optional; invalid values fail fast with the variable named.
import { resolve } from 'node:path';
import { z } from 'zod';
// The one product module emulators read: the Fetch standard's bad-port table, no product logic.
import { fetchablePort } from '../../lib/fetch-ports.js';
import type { ClientCredentials } from './oauth.js';
import type { RateLimits } from './rate-limit.js';

export interface CarrierEmulatorConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  latencyMs: number;
  /** Seed dataset: the same options as the other emulators, so the shipments agree. */
  seedAccounts: number;
  seed: number;
  credentials: ClientCredentials;
  tokenLifetimeSeconds: number;
  rateLimits: RateLimits;
  /** Absolute; the TLS files live in `${dataDir}/carrier-emulator/tls`. */
  dataDir: string;
}

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z.object({
  EMULATOR_CARRIER_HOST: z.string().min(1).default('127.0.0.1'),
  // Not on the Fetch standard's bad-port list: the carrier connector could not call it there.
  EMULATOR_CARRIER_PORT: fetchablePort(integer(0, 65_535)).default(4030),
  EMULATOR_CARRIER_LATENCY_MS: integer(0, 600_000).default(0),
  EMULATOR_SEED_ACCOUNTS: integer(1, 1_000_000).default(200),
  EMULATOR_SEED: integer(0, 2 ** 31 - 1).default(42),
  EMULATOR_CARRIER_CLIENT_ID: z.string().min(1).default('customer360-carrier-dev'),
  EMULATOR_CARRIER_CLIENT_SECRET: z.string().min(1).default('customer360-carrier-dev-secret'),
  // FedEx's tokens live one hour (its authorization guide); it answers expires_in 3599.
  EMULATOR_CARRIER_TOKEN_LIFETIME_SECONDS: integer(1, 86_400).default(3599),
  // FedEx's quotas and rate limits guide: 1,400 transactions per 10 seconds per project, and a
  // daily quota per capability (Track: 100,000 requests a day by default).
  EMULATOR_CARRIER_RATE_LIMIT: integer(1, 1_000_000).default(1400),
  EMULATOR_CARRIER_RATE_WINDOW_MS: integer(100, 3_600_000).default(10_000),
  EMULATOR_CARRIER_DAILY_QUOTA: integer(1, 1_000_000_000).default(100_000),
  DATA_DIR: z.string().min(1).default('./data'),
});

export function loadCarrierEmulatorConfig(
  env: Record<string, string | undefined> = process.env,
): CarrierEmulatorConfig {
  // An empty variable means "unset", not 0.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`Invalid carrier emulator configuration:\n${problems}`);
  }
  const v = parsed.data;
  return {
    host: v.EMULATOR_CARRIER_HOST,
    port: v.EMULATOR_CARRIER_PORT,
    latencyMs: v.EMULATOR_CARRIER_LATENCY_MS,
    seedAccounts: v.EMULATOR_SEED_ACCOUNTS,
    seed: v.EMULATOR_SEED,
    credentials: { clientId: v.EMULATOR_CARRIER_CLIENT_ID, clientSecret: v.EMULATOR_CARRIER_CLIENT_SECRET },
    tokenLifetimeSeconds: v.EMULATOR_CARRIER_TOKEN_LIFETIME_SECONDS,
    rateLimits: {
      perWindow: v.EMULATOR_CARRIER_RATE_LIMIT,
      windowMs: v.EMULATOR_CARRIER_RATE_WINDOW_MS,
      perDay: v.EMULATOR_CARRIER_DAILY_QUOTA,
    },
    dataDir: resolve(v.DATA_DIR),
  };
}
