// The SHIELD_* variables (config-contract.md, "ADDED (issue 3)") as both subgraphs read them: each
// subgraph's config.ts merges this schema into its own, so a bad value is a ConfigError naming the
// variable, and turns the parsed values into the shield's options here (only config.ts touches
// process.env). The same variables configure both processes; each shield uses the settings of the
// backends and cache kinds it holds. Every variable is checked on its own, so the combination
// always passes the shield's schema.
import { z } from 'zod';
import {
  ERP_CACHE_KINDS,
  parseShieldOptions,
  SALESFORCE_CACHE_KINDS,
  type CacheKind,
  type ShieldOptions,
  type ShieldOptionsInput,
} from '../../shield/options.js';
import { optional } from './env.js';

const CACHE_KINDS: readonly CacheKind[] = [...ERP_CACHE_KINDS, ...SALESFORCE_CACHE_KINDS];

const count = z.coerce.number().int().min(1);
const ms = z.coerce.number().int().min(1);

/** JSON object of cache kind → TTL in ms, e.g. {"erp.customer":60000,"erp.item":300000}. */
const ttlsSchema = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a JSON object of cache kind → TTL in ms, e.g. {"erp.customer":60000}',
      });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string(), z.number().int().min(1)))
  .superRefine((ttls, ctx) => {
    for (const kind of Object.keys(ttls)) {
      if (!(CACHE_KINDS as readonly string[]).includes(kind)) {
        ctx.addIssue({ code: 'custom', path: [kind], message: `unknown cache kind; known: ${CACHE_KINDS.join(', ')}` });
      }
    }
  });

export const shieldEnvSchema = z.object({
  SHIELD_CACHE_ENABLED: optional(z.enum(['true', 'false'], { error: 'must be true or false' }).default('true')),
  SHIELD_CACHE_TTLS_MS: optional(ttlsSchema.optional()),
  SHIELD_MAX_STALE_MS: optional(z.coerce.number().int().min(0).default(900_000)),
  SHIELD_ERP_MAX_IN_FLIGHT: optional(count.default(8)),
  SHIELD_ERP_QUEUE: optional(z.coerce.number().int().min(0).default(64)),
  SHIELD_SALESFORCE_MAX_IN_FLIGHT: optional(count.default(16)),
  SHIELD_SALESFORCE_QUEUE: optional(z.coerce.number().int().min(0).default(128)),
  SHIELD_READ_TIMEOUT_MS: optional(ms.default(4_000)),
  SHIELD_BREAKER_FAILURES: optional(count.default(5)),
  SHIELD_BREAKER_HALF_OPEN_MS: optional(ms.default(5_000)),
  SHIELD_ERP_REPLICA: optional(z.enum(['on', 'off'], { error: 'must be on or off' }).default('off')),
  SHIELD_ERP_REPLICA_POLL_MS: optional(z.coerce.number().int().min(100).default(5_000)),
});

export type ShieldEnv = z.output<typeof shieldEnvSchema>;

/** The parsed SHIELD_* variables as complete shield options. */
export function shieldOptionsFromEnv(env: ShieldEnv): ShieldOptions {
  const ttls = env.SHIELD_CACHE_TTLS_MS ?? {};
  const caches = Object.fromEntries(
    CACHE_KINDS.map((kind) => [
      kind,
      { maxStaleMs: env.SHIELD_MAX_STALE_MS, ...(ttls[kind] !== undefined && { ttlMs: ttls[kind] }) },
    ]),
  );
  const backend = (maxConcurrent: number, maxQueue: number) => ({
    maxConcurrent,
    maxQueue,
    readTimeoutMs: env.SHIELD_READ_TIMEOUT_MS,
    breakerThreshold: env.SHIELD_BREAKER_FAILURES,
    halfOpenAfterMs: env.SHIELD_BREAKER_HALF_OPEN_MS,
  });
  const input: ShieldOptionsInput = {
    cacheEnabled: env.SHIELD_CACHE_ENABLED === 'true',
    erpReplica: { enabled: env.SHIELD_ERP_REPLICA === 'on', pollMs: env.SHIELD_ERP_REPLICA_POLL_MS },
    erp: backend(env.SHIELD_ERP_MAX_IN_FLIGHT, env.SHIELD_ERP_QUEUE),
    salesforce: backend(env.SHIELD_SALESFORCE_MAX_IN_FLIGHT, env.SHIELD_SALESFORCE_QUEUE),
    caches,
  };
  return parseShieldOptions(input);
}
