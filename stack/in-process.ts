// The whole embedded stack in ONE process on free ports (port 0), for end-to-end tests and
// benchmarks. Each service is built exactly as its own main.ts builds it: its config loader reads
// an environment object assembled here (never process.env), then its start function runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadErpEmulatorConfig, startErpEmulator } from '../emulators/erp/index.js';
import { loadSalesforceEmulatorConfig, startSalesforceEmulator } from '../emulators/salesforce/index.js';
import { mintDevToken, type DevTokenRequest } from '../gateway/auth/dev-issuer.js';
import { loadGatewayConfig, startGateway } from '../gateway/index.js';
import { loadErpSubgraphConfig, startErpSubgraph, type ErpSubgraphDeps } from '../subgraphs/erp/index.js';
import { loadSalesforceSubgraphConfig, startSalesforceSubgraph } from '../subgraphs/salesforce/index.js';

export interface InProcessStackOptions {
  /** Accounts in the demo dataset (default 200, as `npm start`). */
  readonly seedAccounts?: number;
  /** Generator seed of the demo dataset (default 42). */
  readonly seed?: number;
  /** The second company's accounts in the Salesforce emulator (EMULATOR_SEED_TRYTON_ACCOUNTS; default none). */
  readonly seedTrytonAccounts?: number;
  /**
   * Sales invoices the ERP emulator holds at least (EMULATOR_SEED_INVOICES): paid history added to
   * the seed (emulators/erp/invoice-history.ts), e.g. 100000. Default: the seed's own.
   */
  readonly seedInvoices?: number;
  /** Latency each emulator adds to every API call (default 0). */
  readonly sfLatencyMs?: number;
  readonly erpLatencyMs?: number;
  /** Log level of the product services (default silent: tests and benchmarks read results, not logs). */
  readonly logLevel?: string;
  /** Deadline of one subgraph request at the gateway (default: the gateway's). */
  readonly subgraphTimeoutMs?: number;
  /**
   * Extra environment for both subgraphs' config loaders, e.g. the shield's SHIELD_* settings
   * (docs/configuration.md): short TTLs and breaker times for tests, the cache off for a benchmark run.
   */
  readonly subgraphEnv?: Readonly<Record<string, string>>;
  /**
   * DATA_DIR of the subgraphs' embedded stores (idempotency records, audit log). Default: a fresh
   * temporary directory, removed on close, so stacks never share (or leave behind) state.
   */
  readonly dataDir?: string;
  /** DATABASE_URL: the subgraphs use this PostgreSQL instead of embedded stores. */
  readonly databaseUrl?: string;
  /** In-process only: the ERP subgraph's clock and quote-to-order tuning / test seam. */
  readonly erpSubgraph?: Pick<ErpSubgraphDeps, 'clock' | 'quoteToOrder'>;
  /**
   * Extra environment for the gateway's config loader, e.g. PERSISTED_OPERATIONS_REQUIRED_ROLES=none
   * for a test that sends partner operations outside the manifest (the row-scoping isolation test).
   */
  readonly gatewayEnv?: Readonly<Record<string, string>>;
}

export interface InProcessStack {
  /** Base URLs (no trailing slash); GraphQL is at `${gatewayUrl}/graphql`. */
  readonly gatewayUrl: string;
  readonly salesforceEmulatorUrl: string;
  readonly erpEmulatorUrl: string;
  readonly salesforceSubgraphUrl: string;
  readonly erpSubgraphUrl: string;
  /** DATA_DIR of every service: stores, the development issuer's key, the identity-forwarding key. */
  readonly dataDir: string;
  /**
   * A bearer token of the gateway's development issuer: `token({ role: 'sales' })`, or for a
   * partner `token({ role: 'partner', partnerId: 'P-NORTHWIND' })` (customers from DEV_PARTNERS
   * unless given). Send it as `Authorization: Bearer <token>`.
   */
  token(claims: DevTokenClaims): Promise<string>;
  /** Stops every service, the gateway first. */
  close(): Promise<void>;
}

/** What a development token says (stack/in-process.ts token()); the stack supplies the data folder. */
export type DevTokenClaims = Omit<DevTokenRequest, 'dataDir'>;

const LOOPBACK = '127.0.0.1';

export async function startStack(options: InProcessStackOptions = {}): Promise<InProcessStack> {
  const seed = {
    ...(options.seedAccounts !== undefined && { EMULATOR_SEED_ACCOUNTS: String(options.seedAccounts) }),
    ...(options.seed !== undefined && { EMULATOR_SEED: String(options.seed) }),
  };
  const logLevel = options.logLevel ?? 'silent';
  // Started services, in start order; closed in reverse, also when a later start fails.
  const started: { close(): Promise<void> }[] = [];
  const close = async () => {
    for (const service of started.splice(0).reverse()) await service.close();
  };

  try {
    let dataDir = options.dataDir;
    if (dataDir === undefined) {
      const temporary = mkdtempSync(join(tmpdir(), 'c360-stack-'));
      track({ close: async () => rmSync(temporary, { recursive: true, force: true }) });
      dataDir = temporary;
    }
    const storeEnv = {
      DATA_DIR: dataDir,
      ...(options.databaseUrl !== undefined && { DATABASE_URL: options.databaseUrl }),
    };
    // One at a time, in dependency order: a failed start then leaves nothing half-tracked behind.
    const salesforceEmulator = track(
      await startSalesforceEmulator(
        loadSalesforceEmulatorConfig({
          EMULATOR_SALESFORCE_HOST: LOOPBACK,
          EMULATOR_SALESFORCE_PORT: '0',
          EMULATOR_SALESFORCE_LATENCY_MS: String(options.sfLatencyMs ?? 0),
          ...(options.seedTrytonAccounts !== undefined && {
            EMULATOR_SEED_TRYTON_ACCOUNTS: String(options.seedTrytonAccounts),
          }),
          ...seed,
        }),
      ),
    );
    const erpEmulator = track(
      await startErpEmulator(
        loadErpEmulatorConfig({
          EMULATOR_ERP_HOST: LOOPBACK,
          EMULATOR_ERP_PORT: '0',
          EMULATOR_ERP_LATENCY_MS: String(options.erpLatencyMs ?? 0),
          ...(options.seedInvoices !== undefined && { EMULATOR_SEED_INVOICES: String(options.seedInvoices) }),
          ...seed,
        }),
      ),
    );
    const salesforceSubgraph = track(
      await startSalesforceSubgraph(
        loadSalesforceSubgraphConfig({
          ...options.subgraphEnv,
          SUBGRAPH_SALESFORCE_HOST: LOOPBACK,
          SUBGRAPH_SALESFORCE_PORT: '0',
          LOG_LEVEL: logLevel,
          SALESFORCE_LOGIN_URL: salesforceEmulator.url,
          ...storeEnv,
        }),
      ),
    );
    const erpSubgraph = track(
      await startErpSubgraph(
        loadErpSubgraphConfig({
          ...options.subgraphEnv,
          SUBGRAPH_ERP_HOST: LOOPBACK,
          SUBGRAPH_ERP_PORT: '0',
          LOG_LEVEL: logLevel,
          ERP_BASE_URL: erpEmulator.apiUrl,
          ERP_TOKEN_URL: erpEmulator.tokenUrl,
          // submitQuote reads and updates quotes in Salesforce.
          SALESFORCE_LOGIN_URL: salesforceEmulator.url,
          ...storeEnv,
        }),
        options.erpSubgraph,
      ),
    );
    const gateway = track(
      await startGateway(
        loadGatewayConfig({
          ...options.gatewayEnv,
          GATEWAY_HOST: LOOPBACK,
          GATEWAY_PORT: '0',
          SUBGRAPH_SALESFORCE_URL: `${salesforceSubgraph.url}/graphql`,
          SUBGRAPH_ERP_URL: `${erpSubgraph.url}/graphql`,
          LOG_LEVEL: logLevel,
          // The subgraphs' DATA_DIR: the same identity-forwarding key, and the development issuer's key for token().
          DATA_DIR: dataDir,
          ...(options.subgraphTimeoutMs !== undefined && { SUBGRAPH_TIMEOUT_MS: String(options.subgraphTimeoutMs) }),
        }),
      ),
    );

    return {
      gatewayUrl: gateway.url,
      salesforceEmulatorUrl: salesforceEmulator.url,
      erpEmulatorUrl: erpEmulator.url,
      salesforceSubgraphUrl: salesforceSubgraph.url,
      erpSubgraphUrl: erpSubgraph.url,
      dataDir,
      token: (claims) => mintDevToken({ ...claims, dataDir }),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }

  function track<T extends { close(): Promise<void> }>(service: T): T {
    started.push(service);
    return service;
  }
}
