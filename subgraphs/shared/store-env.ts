// DATA_DIR and DATABASE_URL (config-contract.md, "ADDED (issue 4)") as the subgraphs' config modules
// read them (each merges this schema into its own; only config.ts touches process.env). Embedded by
// default: PGlite under DATA_DIR/store/<service> — one directory per service, because PGlite serves
// one process; with DATABASE_URL every service shares that PostgreSQL instead.
import { resolve } from 'node:path';
import { z } from 'zod';
import type { StoreOptions } from '../../connectors/store/options.js';
import { optional } from './env.js';

export const storeEnvSchema = z.object({
  DATA_DIR: optional(z.string().min(1).default('./data')),
  DATABASE_URL: optional(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'expected a PostgreSQL connection URL, postgres://user@host:port/database')
      .optional(),
  ),
});

export function storeOptionsFromEnv(parsed: z.output<typeof storeEnvSchema>, service: string): StoreOptions {
  return parsed.DATABASE_URL !== undefined
    ? { kind: 'postgres', connectionString: parsed.DATABASE_URL }
    : { kind: 'embedded', directory: resolve(parsed.DATA_DIR, 'store', service) };
}
