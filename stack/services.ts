// The five services of the embedded stack, in dependency order: what each child runs, the
// environment it gets (the URLs of what it depends on), and how the launcher tells it is ready.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TRYTON_PASSWORD_FILE } from '../connectors/erp/tryton/defaults.js';
import { STACK_HOST, type StackConfig } from './config.js';

export interface ServiceSpec {
  readonly name: string;
  /** The service's standalone entry point (its main.ts). */
  readonly entry: string;
  /** Added to the inherited environment; wins over it. */
  readonly env: Readonly<Record<string, string>>;
  /** Base URL, e.g. http://127.0.0.1:4000 */
  readonly url: string;
  /** Answers 200 once the service can take requests. */
  readonly readinessUrl: string;
  /** When set, readiness is POSTed this JSON body (a JSON-RPC server answers nothing else). */
  readonly readinessBody?: string;
  /** How long it may take to become ready; the launcher's default when absent. */
  readonly readyTimeoutMs?: number;
}

export interface StackUrls {
  readonly gateway: string;
  readonly salesforceSubgraph: string;
  readonly erpSubgraph: string;
  readonly salesforceEmulator: string;
  readonly erpEmulator: string;
  /** Only with ERP_TRYTON=on. */
  readonly tryton: string | null;
}

export function stackUrls(config: StackConfig): StackUrls {
  const url = (port: number) => `http://${STACK_HOST}:${port}`;
  return {
    gateway: url(config.ports.gateway),
    salesforceSubgraph: url(config.ports.salesforceSubgraph),
    erpSubgraph: url(config.ports.erpSubgraph),
    salesforceEmulator: url(config.ports.salesforceEmulator),
    erpEmulator: url(config.ports.erpEmulator),
    tryton: config.tryton ? url(config.tryton.port) : null,
  };
}

const entry = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

// The ERP emulator's default tenant (EMULATOR_ERP_TENANT, docs/configuration.md) names the token endpoint.
const ERP_TENANT = 'customer360-dev';
// Emulators say they are up through their stats endpoint; product services through /healthz.
const EMULATOR_READINESS = '/__emulator/stats';

/** The first start of a day seeds Tryton's database: minutes on a small machine. */
const TRYTON_READY_TIMEOUT_MS = 20 * 60_000;

/** The Tryton server for the second company (ERP_TRYTON=on), started first: it takes longest. */
function trytonServices(config: StackConfig, urls: StackUrls): ServiceSpec[] {
  if (!config.tryton || !urls.tryton) return [];
  return [
    {
      name: 'tryton',
      entry: entry('tryton/main.ts'),
      env: {
        TRYTON_PORT: String(config.tryton.port),
        EMULATOR_SEED: String(config.seed),
        EMULATOR_SEED_TRYTON_ACCOUNTS: String(config.tryton.accounts),
      },
      url: urls.tryton,
      readinessUrl: `${urls.tryton}/`,
      readinessBody: JSON.stringify({ id: 0, method: 'common.server.version', params: [] }),
      readyTimeoutMs: TRYTON_READY_TIMEOUT_MS,
    },
  ];
}

/** What the ERP subgraph gets to reach Tryton (an ERP_ADAPTER=tryton subgraph uses it). */
function trytonConnection(config: StackConfig, urls: StackUrls): Record<string, string> {
  if (!config.tryton || !urls.tryton) return {};
  return {
    ERP_TRYTON_URL: urls.tryton,
    ERP_TRYTON_PASSWORD_FILE: resolve(config.dataDir, 'tryton', TRYTON_PASSWORD_FILE),
  };
}

export function stackServices(config: StackConfig): ServiceSpec[] {
  const urls = stackUrls(config);
  const seed = {
    EMULATOR_SEED_ACCOUNTS: String(config.seedAccounts),
    EMULATOR_SEED: String(config.seed),
    // The Tryton company's accounts in Salesforce (the ERP emulator holds the first company only).
    ...(config.tryton ? { EMULATOR_SEED_TRYTON_ACCOUNTS: String(config.tryton.accounts) } : {}),
  };
  return [
    ...trytonServices(config, urls),
    {
      name: 'salesforce-emulator',
      entry: entry('emulators/salesforce/main.ts'),
      env: {
        EMULATOR_SALESFORCE_HOST: STACK_HOST,
        EMULATOR_SALESFORCE_PORT: String(config.ports.salesforceEmulator),
        EMULATOR_SALESFORCE_LATENCY_MS: String(config.salesforceLatencyMs),
        ...seed,
      },
      url: urls.salesforceEmulator,
      readinessUrl: `${urls.salesforceEmulator}${EMULATOR_READINESS}`,
    },
    {
      name: 'erp-emulator',
      entry: entry('emulators/erp/main.ts'),
      env: {
        EMULATOR_ERP_HOST: STACK_HOST,
        EMULATOR_ERP_PORT: String(config.ports.erpEmulator),
        EMULATOR_ERP_LATENCY_MS: String(config.erpLatencyMs),
        ...seed,
      },
      url: urls.erpEmulator,
      readinessUrl: `${urls.erpEmulator}${EMULATOR_READINESS}`,
    },
    {
      name: 'salesforce-subgraph',
      entry: entry('subgraphs/salesforce/main.ts'),
      env: {
        SUBGRAPH_SALESFORCE_HOST: STACK_HOST,
        SUBGRAPH_SALESFORCE_PORT: String(config.ports.salesforceSubgraph),
        SALESFORCE_LOGIN_URL: urls.salesforceEmulator,
      },
      url: urls.salesforceSubgraph,
      readinessUrl: `${urls.salesforceSubgraph}/healthz`,
    },
    {
      name: 'erp-subgraph',
      entry: entry('subgraphs/erp/main.ts'),
      env: {
        SUBGRAPH_ERP_HOST: STACK_HOST,
        SUBGRAPH_ERP_PORT: String(config.ports.erpSubgraph),
        ERP_BASE_URL: `${urls.erpEmulator}/api/v2.0`,
        ERP_TOKEN_URL: `${urls.erpEmulator}/${ERP_TENANT}/oauth2/v2.0/token`,
        ...trytonConnection(config, urls),
        // submitQuote reads and updates quotes in Salesforce.
        SALESFORCE_LOGIN_URL: urls.salesforceEmulator,
      },
      url: urls.erpSubgraph,
      readinessUrl: `${urls.erpSubgraph}/healthz`,
    },
    {
      name: 'gateway',
      entry: entry('gateway/main.ts'),
      env: {
        GATEWAY_HOST: STACK_HOST,
        GATEWAY_PORT: String(config.ports.gateway),
        SUBGRAPH_SALESFORCE_URL: `${urls.salesforceSubgraph}/graphql`,
        SUBGRAPH_ERP_URL: `${urls.erpSubgraph}/graphql`,
        // See gateway/config.ts: @apollo/gateway phones home unless told not to.
        APOLLO_TELEMETRY_DISABLED: '1',
      },
      url: urls.gateway,
      readinessUrl: `${urls.gateway}/healthz`,
    },
  ];
}
