// The Salesforce subgraph's configuration (README, "Configuration"): the only module of this subgraph
// that reads the environment. Defaults are the embedded stack's: the Salesforce emulator on loopback
// with its development credentials.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { SalesforceAuthOptions, SalesforceConnectorOptions } from '../../connectors/salesforce/options.js';
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

/**
 * The org's corporate currency: Opportunity.Amount is in it when the org is single-currency (the
 * emulator's and most orgs'). A multi-currency org would read Opportunity.CurrencyIsoCode instead;
 * the connector records carry no currency for opportunities yet.
 */
export const SALESFORCE_CORPORATE_CURRENCY = 'USD';

export interface SalesforceSubgraphConfig {
  host: string;
  port: number;
  logLevel: z.infer<typeof logLevelSchema>;
  connector: SalesforceConnectorOptions;
  /** Cache and resilience tier in front of Salesforce (SHIELD_* variables). */
  shield: ShieldOptions;
  /** The audit log of updateAccount's writes (DATA_DIR, DATABASE_URL). */
  store: StoreOptions;
  /** Verifies the identity the gateway forwards (IDENTITY_FORWARDING_SECRET, or DATA_DIR/auth/forwarding.key). */
  identityForwardingKey: ForwardingKeySource;
  /** READINESS_CHECK_INTERVAL_S in ms: how old the last backend outcome may be before /readyz checks (shared/backend-readiness.ts). */
  readinessIntervalMs: number;
}

const envSchema = z.object({
  SUBGRAPH_SALESFORCE_HOST: optional(z.string().min(1).default('127.0.0.1')),
  SUBGRAPH_SALESFORCE_PORT: optional(portSchema.default(4001)),
  LOG_LEVEL: optional(logLevelSchema.default('info')),
  SALESFORCE_LOGIN_URL: optional(fetchUrlSchema.default('http://127.0.0.1:4010')),
  SALESFORCE_API_VERSION: optional(
    z
      .string()
      .regex(/^\d{2,3}\.0$/, 'expected a REST API version such as 62.0')
      .default('62.0'),
  ),
  SALESFORCE_AUTH_FLOW: optional(
    z.enum(['client_credentials', 'jwt_bearer', 'password']).default('client_credentials'),
  ),
  SALESFORCE_CLIENT_ID: optional(z.string().min(1).default('customer360-dev')),
  SALESFORCE_CLIENT_SECRET: optional(z.string().min(1).default('customer360-dev-secret')),
  // The emulator's integration user (the emulator defaults to the same).
  SALESFORCE_USERNAME: optional(z.string().min(1).default('integration@customer360.example')),
  SALESFORCE_PASSWORD: optional(z.string().min(1).default('customer360-dev-password')),
  SALESFORCE_JWT_PRIVATE_KEY_FILE: optional(z.string().min(1).optional()),
  SALESFORCE_TIMEOUT_MS: optional(timeoutMsSchema.default(10_000)),
  ...shieldEnvSchema.shape,
  ...storeEnvSchema.shape,
  ...forwardingEnvSchema.shape,
  READINESS_CHECK_INTERVAL_S: optional(readinessIntervalSchema.default(DEFAULT_READINESS_INTERVAL_S)),
});

type Env = z.output<typeof envSchema>;

export function loadSalesforceSubgraphConfig(
  env: Record<string, string | undefined> = process.env,
): SalesforceSubgraphConfig {
  const parsed = parseEnv(envSchema, env);
  return {
    host: parsed.SUBGRAPH_SALESFORCE_HOST,
    port: parsed.SUBGRAPH_SALESFORCE_PORT,
    logLevel: parsed.LOG_LEVEL,
    connector: {
      loginUrl: parsed.SALESFORCE_LOGIN_URL.replace(/\/+$/, ''),
      apiVersion: parsed.SALESFORCE_API_VERSION,
      timeoutMs: parsed.SALESFORCE_TIMEOUT_MS,
      auth: authOptions(parsed),
    },
    shield: shieldOptionsFromEnv(parsed),
    store: storeOptionsFromEnv(parsed, 'salesforce-subgraph'),
    identityForwardingKey: forwardingKeyFromEnv(parsed),
    readinessIntervalMs: parsed.READINESS_CHECK_INTERVAL_S * 1000,
  };
}

function authOptions(env: Env): SalesforceAuthOptions {
  const clientId = env.SALESFORCE_CLIENT_ID;
  switch (env.SALESFORCE_AUTH_FLOW) {
    case 'client_credentials':
      return { flow: 'client_credentials', clientId, clientSecret: env.SALESFORCE_CLIENT_SECRET };
    case 'password':
      return {
        flow: 'password',
        clientId,
        clientSecret: env.SALESFORCE_CLIENT_SECRET,
        username: env.SALESFORCE_USERNAME,
        password: env.SALESFORCE_PASSWORD,
      };
    case 'jwt_bearer':
      return { flow: 'jwt_bearer', clientId, username: env.SALESFORCE_USERNAME, privateKeyPem: readPrivateKey(env) };
  }
}

function readPrivateKey(env: Env): string {
  const file = env.SALESFORCE_JWT_PRIVATE_KEY_FILE;
  if (file === undefined) {
    throw new ConfigError(
      'Invalid configuration:\n  SALESFORCE_JWT_PRIVATE_KEY_FILE: required when SALESFORCE_AUTH_FLOW=jwt_bearer',
    );
  }
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `Invalid configuration:\n  SALESFORCE_JWT_PRIVATE_KEY_FILE: cannot read ${file} (${(error as Error).message})`,
    );
  }
  if (!pem.includes('-----BEGIN') || !pem.includes('PRIVATE KEY-----')) {
    throw new ConfigError(
      `Invalid configuration:\n  SALESFORCE_JWT_PRIVATE_KEY_FILE: ${file} is not a PEM private key`,
    );
  }
  return pem;
}
