// The ERP subgraph's configuration: the only module of this subgraph that reads the environment.
// ERP_ADAPTER picks the ERP (Business Central, the default, or Tryton), and only that adapter's
// variables are read. Defaults are the embedded stack's: the Business Central emulator on loopback
// with its development client credentials, or the Tryton server `npm run tryton` starts, signed in
// as its integration user with the password it keeps in DATA_DIR/tryton/.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { ErpConnectorOptions } from '../../connectors/erp/options.js';
import {
  DEFAULT_TRYTON_DATABASE,
  DEFAULT_TRYTON_PORT,
  DEFAULT_TRYTON_USERNAME,
  TRYTON_PASSWORD_FILE,
} from '../../connectors/erp/tryton/defaults.js';
import { analyticsBaseUrlOf } from '../../connectors/erp/business-central/client.js';
import { DEFAULT_ROW_READ_BUDGET, MAX_ROW_PAGE } from '../../connectors/erp/row-query.js';
import type { SalesforceConnectorOptions } from '../../connectors/salesforce/options.js';
import type { StoreOptions } from '../../connectors/store/options.js';
import type { ShieldOptions } from '../../shield/index.js';
import {
  ConfigError,
  fetchUrlSchema,
  logLevelSchema,
  optional,
  parseEnv,
  portSchema,
  timeoutMsSchema,
} from '../shared/env.js';
import { shieldEnvSchema, shieldOptionsFromEnv } from '../shared/shield-env.js';
import { storeEnvSchema, storeOptionsFromEnv } from '../shared/store-env.js';
import { forwardingEnvSchema, forwardingKeyFromEnv } from '../shared/forwarding-env.js';
import type { ForwardingKeySource } from '../../lib/forwarding-key.js';
import { DEFAULT_READINESS_INTERVAL_S, readinessIntervalSchema } from '../../lib/readiness.js';
import { loadSalesforceSubgraphConfig } from '../salesforce/config.js';
import { DEFAULT_ERP_COMMIT_DELAY_MS, DEFAULT_SUBMITTABLE_STATUSES } from './quote-to-order/index.js';

/**
 * The currency of ERP item prices. Business Central keeps Item.unitPrice in the company's local
 * currency (LCY), which the API v2.0 item resource does not carry; the emulator's company uses USD.
 */
export const ERP_LOCAL_CURRENCY = 'USD';

export interface ErpSubgraphConfig {
  host: string;
  port: number;
  logLevel: z.infer<typeof logLevelSchema>;
  connector: ErpConnectorOptions;
  /** Cache and resilience tier in front of the ERP (SHIELD_* variables). */
  shield: ShieldOptions;
  /** submitQuote reads the quote from Salesforce and writes the ERP outcome back (SALESFORCE_*). */
  salesforce: SalesforceConnectorOptions;
  /** Idempotency records and the audit log (DATA_DIR, DATABASE_URL). */
  store: StoreOptions;
  /** Verifies the identity the gateway forwards (IDENTITY_FORWARDING_SECRET, or DATA_DIR/auth/forwarding.key). */
  identityForwardingKey: ForwardingKeySource;
  /** READINESS_CHECK_INTERVAL_S in ms: how old the last backend outcome may be before /readyz checks (shared/backend-readiness.ts). */
  readinessIntervalMs: number;
  /** submitQuote's business rules (QUOTE_* variables). */
  quoteToOrder: {
    /** Quote statuses that may become ERP orders (QUOTE_SUBMITTABLE_STATUSES). */
    submittableStatuses: string[];
    /**
     * After a create's answer was lost, how long to wait for the order to show up before sending it
     * again: the ERP call's timeout (ERP_TIMEOUT_MS) plus the longest the ERP may still commit a
     * request we stopped waiting for (QUOTE_ERP_COMMIT_DELAY_MS).
     */
    settleMs: number;
  };
}

/** Read only when ERP_ADAPTER=tryton: a Business Central deployment is not bothered by them. */
const trytonEnvSchema = z.object({
  // Refused on a port Node's fetch will not connect to, as every URL fetched (shared/env.ts).
  ERP_TRYTON_URL: optional(fetchUrlSchema.default(`http://127.0.0.1:${DEFAULT_TRYTON_PORT}`)),
  ERP_TRYTON_DATABASE: optional(z.string().min(1).default(DEFAULT_TRYTON_DATABASE)),
  ERP_TRYTON_USERNAME: optional(z.string().min(1).default(DEFAULT_TRYTON_USERNAME)),
  ERP_TRYTON_PASSWORD: optional(z.string().min(1).optional()),
  ERP_TRYTON_PASSWORD_FILE: optional(z.string().min(1).optional()),
  ERP_TRYTON_COMPANY: optional(z.coerce.number().int().positive().optional()),
  ERP_TRYTON_WAREHOUSE: optional(z.coerce.number().int().positive().optional()),
});

/** "Approved, Accepted" → ["Approved", "Accepted"]: Salesforce picklist values, comma-separated. */
const statusListSchema = z
  .string()
  .transform((value) => [
    ...new Set(
      value
        .split(',')
        .map((status) => status.trim())
        .filter((status) => status !== ''),
    ),
  ])
  .refine(
    (statuses) => statuses.length > 0,
    'name at least one Salesforce quote status, e.g. "Approved" or "Approved,Accepted"',
  )
  .refine((statuses) => statuses.every((status) => status.length <= 255), 'a quote status is at most 255 characters');

const envSchema = z.object({
  SUBGRAPH_ERP_HOST: optional(z.string().min(1).default('127.0.0.1')),
  SUBGRAPH_ERP_PORT: optional(portSchema.default(4002)),
  LOG_LEVEL: optional(logLevelSchema.default('info')),
  ERP_ADAPTER: optional(z.enum(['business-central', 'tryton']).default('business-central')),
  ERP_BASE_URL: optional(fetchUrlSchema.default('http://127.0.0.1:4020/api/v2.0')),
  // Business Central's Analytics API, where order lines are read across orders; unset: next to
  // ERP_BASE_URL (.../api/v2.0 → .../api/microsoft/analytics/v1.0).
  ERP_ANALYTICS_BASE_URL: optional(fetchUrlSchema.optional()),
  ERP_COMPANY_ID: optional(z.string().min(1).optional()),
  ERP_TOKEN_URL: optional(fetchUrlSchema.default('http://127.0.0.1:4020/customer360-dev/oauth2/v2.0/token')),
  ERP_CLIENT_ID: optional(z.string().min(1).default('customer360-erp-dev')),
  ERP_CLIENT_SECRET: optional(z.string().min(1).default('customer360-erp-dev-secret')),
  ERP_SCOPE: optional(z.string().min(1).default('https://api.businesscentral.dynamics.com/.default')),
  ERP_TIMEOUT_MS: optional(timeoutMsSchema.default(10_000)),
  // Rows one row query may ask of the ERP across all its requests (connectors/erp/row-query.ts); at
  // least one full page, or the pages the schema allows (first: 2000) would be refused.
  ERP_ROW_READ_BUDGET: optional(
    z.coerce.number().int().min(MAX_ROW_PAGE).max(1_000_000).default(DEFAULT_ROW_READ_BUDGET),
  ),
  QUOTE_SUBMITTABLE_STATUSES: optional(statusListSchema.default([...DEFAULT_SUBMITTABLE_STATUSES])),
  // Up to a day: a window that long already holds a quote's other submissions back that long.
  QUOTE_ERP_COMMIT_DELAY_MS: optional(
    z.coerce.number().int().min(0).max(86_400_000).default(DEFAULT_ERP_COMMIT_DELAY_MS),
  ),
  ...shieldEnvSchema.shape,
  ...storeEnvSchema.shape,
  ...forwardingEnvSchema.shape,
  READINESS_CHECK_INTERVAL_S: optional(readinessIntervalSchema.default(DEFAULT_READINESS_INTERVAL_S)),
});

type ParsedEnv = z.output<typeof envSchema>;

function connectorOptions(parsed: ParsedEnv, env: Record<string, string | undefined>): ErpConnectorOptions {
  const common = { timeoutMs: parsed.ERP_TIMEOUT_MS, rowReadBudget: parsed.ERP_ROW_READ_BUDGET };
  if (parsed.ERP_ADAPTER === 'tryton') {
    const tryton = parseEnv(trytonEnvSchema, env);
    return {
      kind: 'tryton',
      url: tryton.ERP_TRYTON_URL.replace(/\/+$/, ''),
      database: tryton.ERP_TRYTON_DATABASE,
      username: tryton.ERP_TRYTON_USERNAME,
      password: trytonPassword(tryton, parsed.DATA_DIR),
      ...(tryton.ERP_TRYTON_COMPANY !== undefined && { company: tryton.ERP_TRYTON_COMPANY }),
      ...(tryton.ERP_TRYTON_WAREHOUSE !== undefined && { warehouse: tryton.ERP_TRYTON_WAREHOUSE }),
      ...common,
    };
  }
  return {
    kind: 'business-central',
    baseUrl: parsed.ERP_BASE_URL.replace(/\/+$/, ''),
    analyticsBaseUrl: (parsed.ERP_ANALYTICS_BASE_URL ?? analyticsBaseUrlOf(parsed.ERP_BASE_URL)!).replace(/\/+$/, ''),
    ...(parsed.ERP_COMPANY_ID !== undefined && { companyId: parsed.ERP_COMPANY_ID }),
    tokenUrl: parsed.ERP_TOKEN_URL,
    clientId: parsed.ERP_CLIENT_ID,
    clientSecret: parsed.ERP_CLIENT_SECRET,
    scope: parsed.ERP_SCOPE,
    ...common,
  };
}

/**
 * ERP_TRYTON_PASSWORD, else the file ERP_TRYTON_PASSWORD_FILE names, else the integration user's
 * password the Tryton launcher keeps (DATA_DIR/tryton/integration.password).
 */
function trytonPassword(parsed: z.output<typeof trytonEnvSchema>, dataDir: string): string {
  if (parsed.ERP_TRYTON_PASSWORD !== undefined) return parsed.ERP_TRYTON_PASSWORD;
  const file = parsed.ERP_TRYTON_PASSWORD_FILE ?? resolve(dataDir, 'tryton', TRYTON_PASSWORD_FILE);
  let password: string;
  try {
    password = readFileSync(file, 'utf8').trim();
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    const hint = parsed.ERP_TRYTON_PASSWORD_FILE ? '' : ' (start Tryton first: npm run tryton)';
    throw new ConfigError(
      `Invalid configuration:\n  ERP_TRYTON_PASSWORD_FILE: ${file} ${why}${hint}; or set ERP_TRYTON_PASSWORD`,
    );
  }
  if (!password) throw new ConfigError(`Invalid configuration:\n  ERP_TRYTON_PASSWORD_FILE: ${file} is empty`);
  return password;
}

export function loadErpSubgraphConfig(env: Record<string, string | undefined> = process.env): ErpSubgraphConfig {
  const parsed = parseEnv(
    envSchema.refine(
      (values) => values.ERP_ANALYTICS_BASE_URL !== undefined || analyticsBaseUrlOf(values.ERP_BASE_URL) !== undefined,
      {
        path: ['ERP_ANALYTICS_BASE_URL'],
        message:
          'required when ERP_BASE_URL does not end in /api/v2.0 (the Analytics API root, .../api/microsoft/analytics/v1.0)',
      },
    ),
    env,
  );
  return {
    host: parsed.SUBGRAPH_ERP_HOST,
    port: parsed.SUBGRAPH_ERP_PORT,
    logLevel: parsed.LOG_LEVEL,
    connector: connectorOptions(parsed, env),
    shield: shieldOptionsFromEnv(parsed),
    // The same SALESFORCE_* variables as the Salesforce subgraph, parsed by its own loader so both
    // services read them alike.
    salesforce: loadSalesforceSubgraphConfig(env).connector,
    store: storeOptionsFromEnv(parsed, 'erp-subgraph'),
    identityForwardingKey: forwardingKeyFromEnv(parsed),
    readinessIntervalMs: parsed.READINESS_CHECK_INTERVAL_S * 1000,
    quoteToOrder: {
      submittableStatuses: parsed.QUOTE_SUBMITTABLE_STATUSES,
      settleMs: parsed.ERP_TIMEOUT_MS + parsed.QUOTE_ERP_COMMIT_DELAY_MS,
    },
  };
}
