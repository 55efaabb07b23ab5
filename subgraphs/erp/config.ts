// The ERP subgraph's configuration (config-contract.md): the only module of this subgraph that reads
// the environment. Defaults are the embedded stack's: the Business Central emulator on loopback with
// its development client credentials.
import { z } from 'zod';
import type { ErpConnectorOptions } from '../../connectors/erp/options.js';
import { DEFAULT_ROW_READ_BUDGET, MAX_ROW_PAGE } from '../../connectors/erp/row-query.js';
import type { SalesforceConnectorOptions } from '../../connectors/salesforce/options.js';
import type { StoreOptions } from '../../connectors/store/options.js';
import type { ShieldOptions } from '../../shield/index.js';
import { logLevelSchema, optional, parseEnv, portSchema, timeoutMsSchema } from '../shared/env.js';
import { shieldEnvSchema, shieldOptionsFromEnv } from '../shared/shield-env.js';
import { storeEnvSchema, storeOptionsFromEnv } from '../shared/store-env.js';
import { forwardingEnvSchema, forwardingKeyFromEnv } from '../shared/forwarding-env.js';
import type { ForwardingKeySource } from '../../lib/forwarding-key.js';
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

/** "Approved, Accepted" → ["Approved", "Accepted"]: Salesforce picklist values, comma-separated. */
const statusListSchema = z
  .string()
  .transform((value) => [...new Set(value.split(',').map((status) => status.trim()).filter((status) => status !== ''))])
  .refine((statuses) => statuses.length > 0, 'name at least one Salesforce quote status, e.g. "Approved" or "Approved,Accepted"')
  .refine((statuses) => statuses.every((status) => status.length <= 255), 'a quote status is at most 255 characters');

const envSchema = z.object({
  SUBGRAPH_ERP_HOST: optional(z.string().min(1).default('127.0.0.1')),
  SUBGRAPH_ERP_PORT: optional(portSchema.default(4002)),
  LOG_LEVEL: optional(logLevelSchema.default('info')),
  ERP_ADAPTER: optional(z.enum(['business-central']).default('business-central')),
  ERP_BASE_URL: optional(z.url().default('http://127.0.0.1:4020/api/v2.0')),
  ERP_COMPANY_ID: optional(z.string().min(1).optional()),
  ERP_TOKEN_URL: optional(z.url().default('http://127.0.0.1:4020/customer360-dev/oauth2/v2.0/token')),
  ERP_CLIENT_ID: optional(z.string().min(1).default('customer360-erp-dev')),
  ERP_CLIENT_SECRET: optional(z.string().min(1).default('customer360-erp-dev-secret')),
  ERP_SCOPE: optional(z.string().min(1).default('https://api.businesscentral.dynamics.com/.default')),
  ERP_TIMEOUT_MS: optional(timeoutMsSchema.default(10_000)),
  // Rows one row query may ask of the ERP across all its requests (connectors/erp/row-query.ts); at
  // least one full page, or the pages the schema allows (first: 2000) would be refused.
  ERP_ROW_READ_BUDGET: optional(z.coerce.number().int().min(MAX_ROW_PAGE).max(1_000_000).default(DEFAULT_ROW_READ_BUDGET)),
  QUOTE_SUBMITTABLE_STATUSES: optional(statusListSchema.default([...DEFAULT_SUBMITTABLE_STATUSES])),
  // Up to a day: a window that long already holds a quote's other submissions back that long.
  QUOTE_ERP_COMMIT_DELAY_MS: optional(z.coerce.number().int().min(0).max(86_400_000).default(DEFAULT_ERP_COMMIT_DELAY_MS)),
  ...shieldEnvSchema.shape,
  ...storeEnvSchema.shape,
  ...forwardingEnvSchema.shape,
});

export function loadErpSubgraphConfig(env: Record<string, string | undefined> = process.env): ErpSubgraphConfig {
  const parsed = parseEnv(envSchema, env);
  return {
    host: parsed.SUBGRAPH_ERP_HOST,
    port: parsed.SUBGRAPH_ERP_PORT,
    logLevel: parsed.LOG_LEVEL,
    connector: {
      adapter: parsed.ERP_ADAPTER,
      baseUrl: parsed.ERP_BASE_URL.replace(/\/+$/, ''),
      ...(parsed.ERP_COMPANY_ID !== undefined && { companyId: parsed.ERP_COMPANY_ID }),
      tokenUrl: parsed.ERP_TOKEN_URL,
      clientId: parsed.ERP_CLIENT_ID,
      clientSecret: parsed.ERP_CLIENT_SECRET,
      scope: parsed.ERP_SCOPE,
      timeoutMs: parsed.ERP_TIMEOUT_MS,
      rowReadBudget: parsed.ERP_ROW_READ_BUDGET,
    },
    shield: shieldOptionsFromEnv(parsed),
    // The same SALESFORCE_* variables as the Salesforce subgraph, parsed by its own loader so both
    // services read them alike.
    salesforce: loadSalesforceSubgraphConfig(env).connector,
    store: storeOptionsFromEnv(parsed, 'erp-subgraph'),
    identityForwardingKey: forwardingKeyFromEnv(parsed),
    quoteToOrder: {
      submittableStatuses: parsed.QUOTE_SUBMITTABLE_STATUSES,
      settleMs: parsed.ERP_TIMEOUT_MS + parsed.QUOTE_ERP_COMMIT_DELAY_MS,
    },
  };
}
