// The Salesforce emulator's configuration from the environment — the only module here that reads
// process.env. Every variable is optional; invalid values fail fast with the variable named.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
// The one product module emulators read: the Fetch standard's bad-port table, no product logic.
import { fetchablePort } from '../../lib/fetch-ports.js';
import { DEFAULT_CREDENTIALS, type Credentials } from './oauth.js';

export interface SalesforceEmulatorConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  latencyMs: number;
  /** Seed dataset: number of accounts and the generator's seed. */
  seedAccounts: number;
  seed: number;
  /** Accounts of the second company, served by Tryton (0: none, the single-company dataset). */
  seedTrytonAccounts: number;
  credentials: Credentials;
  /** PEM RSA public keys / X.509 certificates verifying JWT bearer assertions (empty: unchecked). */
  jwtPublicKeys: string[];
  /** Extra accepted JWT audiences. */
  jwtAudiences: string[];
  tokenTtlSeconds: number;
  dailyApiLimit: number;
  /** Change Data Capture: selected objects (empty: all), retention, overflow, CometD long-poll timeout. */
  changeDataCapture: {
    entities: string[];
    retentionHours: number;
    maxRetainedEvents: number;
    overflowThreshold: number;
    timeoutSeconds: number;
  };
}

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const pem = z
  .string()
  // Environment files often carry PEM with literal "\n".
  .transform((s) => s.replace(/\\n/g, '\n'))
  .refine(
    (s) => /-----BEGIN (PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE)-----/.test(s),
    'must be a PEM public key or certificate',
  );

const schema = z.object({
  EMULATOR_SALESFORCE_HOST: z.string().min(1).default('127.0.0.1'),
  // Not on the Fetch standard's bad-port list: the connectors (Node's fetch) could not call it there.
  EMULATOR_SALESFORCE_PORT: fetchablePort(integer(0, 65_535)).default(4010),
  EMULATOR_SALESFORCE_LATENCY_MS: integer(0, 600_000).default(0),
  EMULATOR_SEED_ACCOUNTS: integer(1, 1_000_000).default(200),
  EMULATOR_SEED: integer(0, 2 ** 31 - 1).default(42),
  EMULATOR_SEED_TRYTON_ACCOUNTS: integer(0, 1_000_000).default(0),
  EMULATOR_SALESFORCE_CLIENT_ID: z.string().min(1).default(DEFAULT_CREDENTIALS.clientId),
  EMULATOR_SALESFORCE_CLIENT_SECRET: z.string().min(1).default(DEFAULT_CREDENTIALS.clientSecret),
  EMULATOR_SALESFORCE_USERNAME: z.string().min(1).default(DEFAULT_CREDENTIALS.username),
  EMULATOR_SALESFORCE_PASSWORD: z.string().min(1).default(DEFAULT_CREDENTIALS.password),
  EMULATOR_SALESFORCE_JWT_PUBLIC_KEY: pem.optional(),
  EMULATOR_SALESFORCE_JWT_PUBLIC_KEY_FILE: z.string().min(1).optional(),
  EMULATOR_SALESFORCE_JWT_AUDIENCES: z.string().optional(),
  EMULATOR_SALESFORCE_TOKEN_TTL_SECONDS: integer(1, 7 * 86_400).default(7200),
  EMULATOR_SALESFORCE_DAILY_API_LIMIT: integer(1, 1_000_000_000).default(100_000),
  EMULATOR_SALESFORCE_CDC_ENTITIES: z
    .string()
    .regex(/^\s*[A-Za-z][A-Za-z0-9_]*(\s*,\s*[A-Za-z][A-Za-z0-9_]*)*\s*$/, 'a comma-separated list of object names')
    .optional(),
  EMULATOR_SALESFORCE_CDC_RETENTION_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 365)
    .default(72),
  EMULATOR_SALESFORCE_CDC_MAX_EVENTS: integer(1, 10_000_000).default(50_000),
  EMULATOR_SALESFORCE_CDC_OVERFLOW_THRESHOLD: integer(1, 10_000_000).default(100_000),
  EMULATOR_SALESFORCE_STREAMING_TIMEOUT_SECONDS: integer(1, 600).default(110),
});

function fail(problems: string[]): never {
  throw new Error(`Invalid Salesforce emulator configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
}

export function loadSalesforceEmulatorConfig(
  env: Record<string, string | undefined> = process.env,
): SalesforceEmulatorConfig {
  // An empty variable means "unset", not 0.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) fail(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  const v = parsed.data;
  const jwtPublicKeys = v.EMULATOR_SALESFORCE_JWT_PUBLIC_KEY ? [v.EMULATOR_SALESFORCE_JWT_PUBLIC_KEY] : [];
  if (v.EMULATOR_SALESFORCE_JWT_PUBLIC_KEY_FILE) {
    let text: string;
    try {
      text = readFileSync(v.EMULATOR_SALESFORCE_JWT_PUBLIC_KEY_FILE, 'utf8');
    } catch (err) {
      fail([
        `EMULATOR_SALESFORCE_JWT_PUBLIC_KEY_FILE: cannot read ${v.EMULATOR_SALESFORCE_JWT_PUBLIC_KEY_FILE} (${(err as Error).message})`,
      ]);
    }
    const key = pem.safeParse(text);
    if (!key.success) fail([`EMULATOR_SALESFORCE_JWT_PUBLIC_KEY_FILE: ${key.error.issues[0]?.message ?? 'invalid'}`]);
    jwtPublicKeys.push(key.data);
  }
  return {
    host: v.EMULATOR_SALESFORCE_HOST,
    port: v.EMULATOR_SALESFORCE_PORT,
    latencyMs: v.EMULATOR_SALESFORCE_LATENCY_MS,
    seedAccounts: v.EMULATOR_SEED_ACCOUNTS,
    seed: v.EMULATOR_SEED,
    seedTrytonAccounts: v.EMULATOR_SEED_TRYTON_ACCOUNTS,
    credentials: {
      clientId: v.EMULATOR_SALESFORCE_CLIENT_ID,
      clientSecret: v.EMULATOR_SALESFORCE_CLIENT_SECRET,
      username: v.EMULATOR_SALESFORCE_USERNAME,
      password: v.EMULATOR_SALESFORCE_PASSWORD,
    },
    jwtPublicKeys,
    jwtAudiences: (v.EMULATOR_SALESFORCE_JWT_AUDIENCES ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    tokenTtlSeconds: v.EMULATOR_SALESFORCE_TOKEN_TTL_SECONDS,
    dailyApiLimit: v.EMULATOR_SALESFORCE_DAILY_API_LIMIT,
    changeDataCapture: {
      entities: (v.EMULATOR_SALESFORCE_CDC_ENTITIES ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
      retentionHours: v.EMULATOR_SALESFORCE_CDC_RETENTION_HOURS,
      maxRetainedEvents: v.EMULATOR_SALESFORCE_CDC_MAX_EVENTS,
      overflowThreshold: v.EMULATOR_SALESFORCE_CDC_OVERFLOW_THRESHOLD,
      timeoutSeconds: v.EMULATOR_SALESFORCE_STREAMING_TIMEOUT_SECONDS,
    },
  };
}
