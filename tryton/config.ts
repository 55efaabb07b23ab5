// `npm run tryton`'s configuration: the only module of the launcher that reads the environment.
// The seed variables are the emulators' own, so a stack started with the same ones has the same
// second company in Salesforce and in Tryton.
import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_TRYTON_DATABASE, DEFAULT_TRYTON_PORT } from '../connectors/erp/tryton/defaults.js';
import { fetchablePort } from '../lib/fetch-ports.js';
import { DEFAULT_PYTHON } from './installation.js';

/** The second company's accounts when nothing says otherwise (seeding takes about 2 s per account). */
export const DEFAULT_TRYTON_ACCOUNTS = 20;

export interface TrytonLauncherConfig {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** DATA_DIR/tryton, absolute. */
  readonly directory: string;
  readonly seed: number;
  readonly accounts: number;
  readonly python: string;
  readonly sessionMaxAgeS?: number;
}

const schema = z.object({
  TRYTON_PORT: fetchablePort(
    z.coerce.number({ error: 'must be a port number' }).int().min(1, 'must be 1..65535').max(65535, 'must be 1..65535'),
  ).default(DEFAULT_TRYTON_PORT),
  TRYTON_DATABASE: z
    .string()
    .regex(/^[A-Za-z0-9_]+$/, 'letters, digits and underscores')
    .default(DEFAULT_TRYTON_DATABASE),
  DATA_DIR: z.string().min(1).default('./data'),
  EMULATOR_SEED: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(42),
  EMULATOR_SEED_TRYTON_ACCOUNTS: z.coerce
    .number()
    .int()
    .min(1, 'must be at least 1')
    .max(2000)
    .default(DEFAULT_TRYTON_ACCOUNTS),
  TRYTON_PYTHON: z.string().min(1).default(DEFAULT_PYTHON),
  TRYTON_SESSION_MAX_AGE_S: z.coerce.number().int().min(1).max(86_400).optional(),
});

export class TrytonConfigError extends Error {
  override readonly name = 'TrytonConfigError';
}

export function loadTrytonLauncherConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): TrytonLauncherConfig {
  // An empty variable means "unset".
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new TrytonConfigError(`Invalid Tryton configuration:\n${problems}`);
  }
  const v = parsed.data;
  return {
    // Loopback only: the development server's credentials live in a local folder.
    host: '127.0.0.1',
    port: v.TRYTON_PORT,
    database: v.TRYTON_DATABASE,
    directory: resolve(v.DATA_DIR, 'tryton'),
    seed: v.EMULATOR_SEED,
    accounts: v.EMULATOR_SEED_TRYTON_ACCOUNTS,
    python: v.TRYTON_PYTHON,
    ...(v.TRYTON_SESSION_MAX_AGE_S !== undefined ? { sessionMaxAgeS: v.TRYTON_SESSION_MAX_AGE_S } : {}),
  };
}
