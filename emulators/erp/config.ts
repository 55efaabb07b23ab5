// The ERP emulator's configuration from the environment — the only module here that reads
// process.env. Every variable is optional; invalid values fail fast with the variable named.
import { z } from 'zod';
// The one product module emulators read: the Fetch standard's bad-port table, no product logic.
import { fetchablePort } from '../../lib/fetch-ports.js';
import type { ClientCredentials } from './oauth.js';
import { DEFAULT_WEBHOOK_SETTINGS, type WebhookSettings } from './webhooks/webhooks.js';

export interface ErpEmulatorConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  latencyMs: number;
  pageSize: number;
  /** Seed dataset: number of customers/accounts and the generator's seed. */
  seedAccounts: number;
  seed: number;
  credentials: ClientCredentials;
  tokenLifetimeSeconds: number;
  /**
   * Scale: sales invoices the ERP holds at least, paid history added to the seed (invoice-history.ts),
   * e.g. 100000 for the pushdown proof. Unset: the seed's own (a few per customer).
   */
  seedInvoices?: number;
  /**
   * Refuse $filter expressions Business Central refuses (app.ts strictFilters). Unset: strict, as BC;
   * EMULATOR_ERP_STRICT_FILTERS=false opts out (cross-property ORs are then evaluated).
   */
  strictFilters?: boolean;
  /** Webhook subscriptions and notifications (webhooks/webhooks.ts). */
  webhooks: WebhookSettings;
  /** The activity simulator: null when off (the default). */
  activity: { intervalMs: number } | null;
}

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z.object({
  EMULATOR_ERP_HOST: z.string().min(1).default('127.0.0.1'),
  // Not on the Fetch standard's bad-port list: the connectors (Node's fetch) could not call it there.
  EMULATOR_ERP_PORT: fetchablePort(integer(0, 65_535)).default(4020),
  EMULATOR_ERP_LATENCY_MS: integer(0, 600_000).default(0),
  EMULATOR_ERP_PAGE_SIZE: integer(1, 20_000).default(1000),
  EMULATOR_SEED_ACCOUNTS: integer(1, 1_000_000).default(200),
  EMULATOR_SEED: integer(0, 2 ** 31 - 1).default(42),
  EMULATOR_ERP_TENANT: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dots, dashes or underscores')
    .default('customer360-dev'),
  EMULATOR_ERP_CLIENT_ID: z.string().min(1).default('customer360-erp-dev'),
  EMULATOR_ERP_CLIENT_SECRET: z.string().min(1).default('customer360-erp-dev-secret'),
  EMULATOR_ERP_TOKEN_LIFETIME_SECONDS: integer(1, 86_400).default(3599),
  EMULATOR_SEED_INVOICES: integer(0, 2_000_000).optional(),
  EMULATOR_ERP_STRICT_FILTERS: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  EMULATOR_ERP_WEBHOOK_DELAY_MS: integer(0, 600_000).default(DEFAULT_WEBHOOK_SETTINGS.delayMs),
  EMULATOR_ERP_WEBHOOK_COLLECTION_THRESHOLD: integer(1, 1_000_000).default(
    DEFAULT_WEBHOOK_SETTINGS.collectionThreshold,
  ),
  EMULATOR_ERP_WEBHOOK_RETRY_DELAYS_MS: z
    .string()
    .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'a comma-separated list of milliseconds')
    .optional()
    .transform((s) =>
      s === undefined ? [...DEFAULT_WEBHOOK_SETTINGS.retryDelaysMs] : s.split(',').map((n) => Number(n.trim())),
    ),
  EMULATOR_ERP_WEBHOOK_HANDSHAKE_TIMEOUT_MS: integer(1, 600_000).default(DEFAULT_WEBHOOK_SETTINGS.handshakeTimeoutMs),
  EMULATOR_ERP_WEBHOOK_SEND_TIMEOUT_MS: integer(1, 600_000).default(DEFAULT_WEBHOOK_SETTINGS.sendTimeoutMs),
  EMULATOR_ERP_WEBHOOK_LIFETIME_SECONDS: integer(1, 365 * 86_400).default(DEFAULT_WEBHOOK_SETTINGS.lifetimeMs / 1000),
  EMULATOR_ERP_WEBHOOK_MAX_SUBSCRIPTIONS: integer(1, 100_000).default(DEFAULT_WEBHOOK_SETTINGS.maxSubscriptions),
  EMULATOR_ERP_ACTIVITY: z.enum(['on', 'off'], { error: 'must be on or off' }).default('off'),
  EMULATOR_ERP_ACTIVITY_INTERVAL_MS: integer(100, 3_600_000).default(10_000),
});

export function loadErpEmulatorConfig(env: Record<string, string | undefined> = process.env): ErpEmulatorConfig {
  // An empty variable means "unset", not 0.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`Invalid ERP emulator configuration:\n${problems}`);
  }
  const v = parsed.data;
  return {
    host: v.EMULATOR_ERP_HOST,
    port: v.EMULATOR_ERP_PORT,
    latencyMs: v.EMULATOR_ERP_LATENCY_MS,
    pageSize: v.EMULATOR_ERP_PAGE_SIZE,
    seedAccounts: v.EMULATOR_SEED_ACCOUNTS,
    seed: v.EMULATOR_SEED,
    credentials: {
      tenant: v.EMULATOR_ERP_TENANT,
      clientId: v.EMULATOR_ERP_CLIENT_ID,
      clientSecret: v.EMULATOR_ERP_CLIENT_SECRET,
    },
    tokenLifetimeSeconds: v.EMULATOR_ERP_TOKEN_LIFETIME_SECONDS,
    ...(v.EMULATOR_SEED_INVOICES !== undefined && { seedInvoices: v.EMULATOR_SEED_INVOICES }),
    ...(v.EMULATOR_ERP_STRICT_FILTERS !== undefined && { strictFilters: v.EMULATOR_ERP_STRICT_FILTERS === 'true' }),
    webhooks: {
      delayMs: v.EMULATOR_ERP_WEBHOOK_DELAY_MS,
      collectionThreshold: v.EMULATOR_ERP_WEBHOOK_COLLECTION_THRESHOLD,
      retryDelaysMs: v.EMULATOR_ERP_WEBHOOK_RETRY_DELAYS_MS,
      handshakeTimeoutMs: v.EMULATOR_ERP_WEBHOOK_HANDSHAKE_TIMEOUT_MS,
      sendTimeoutMs: v.EMULATOR_ERP_WEBHOOK_SEND_TIMEOUT_MS,
      lifetimeMs: v.EMULATOR_ERP_WEBHOOK_LIFETIME_SECONDS * 1000,
      maxSubscriptions: v.EMULATOR_ERP_WEBHOOK_MAX_SUBSCRIPTIONS,
    },
    activity: v.EMULATOR_ERP_ACTIVITY === 'on' ? { intervalMs: v.EMULATOR_ERP_ACTIVITY_INTERVAL_MS } : null,
  };
}
