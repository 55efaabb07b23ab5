// The five services of the embedded stack, in dependency order: what each child runs, the
// environment it gets (the URLs of what it depends on), and how the launcher tells it is ready.
import { fileURLToPath } from 'node:url';
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
}

export interface StackUrls {
  readonly gateway: string;
  readonly salesforceSubgraph: string;
  readonly erpSubgraph: string;
  readonly salesforceEmulator: string;
  readonly erpEmulator: string;
}

export function stackUrls(config: StackConfig): StackUrls {
  const url = (port: number) => `http://${STACK_HOST}:${port}`;
  return {
    gateway: url(config.ports.gateway),
    salesforceSubgraph: url(config.ports.salesforceSubgraph),
    erpSubgraph: url(config.ports.erpSubgraph),
    salesforceEmulator: url(config.ports.salesforceEmulator),
    erpEmulator: url(config.ports.erpEmulator),
  };
}

const entry = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

// The ERP emulator's default tenant (config-contract.md) names the token endpoint.
const ERP_TENANT = 'customer360-dev';
// Emulators say they are up through their stats endpoint (DESIGN.md); product services through /healthz.
const EMULATOR_READINESS = '/__emulator/stats';

export function stackServices(config: StackConfig): ServiceSpec[] {
  const urls = stackUrls(config);
  const seed = { EMULATOR_SEED_ACCOUNTS: String(config.seedAccounts), EMULATOR_SEED: String(config.seed) };
  return [
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
