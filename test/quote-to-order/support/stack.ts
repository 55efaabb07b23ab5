// The quote-to-order test stack: both emulators (held in-process, so tests read their stores and set
// faults directly), one or two complete sets of subgraphs + gateway sharing one durable store, a
// movable clock for leases, and the submitQuote step probe. Built from the services' public start
// functions, as stack/in-process.ts builds the embedded stack, plus what these tests need:
// restarting the ERP subgraph (a new process on the same store) and two instances.
import { join } from 'node:path';
import { createStore, type Store } from '../../../connectors/store/index.js';
import { loadErpEmulatorConfig, startErpEmulator, type RunningErpEmulator } from '../../../emulators/erp/index.js';
import { loadSalesforceEmulatorConfig, startSalesforceEmulator } from '../../../emulators/salesforce/index.js';
import type { RunningSalesforceEmulator } from '../../../emulators/salesforce/main.js';
import { generateDataset, type Dataset } from '../../../emulators/seed/index.js';
import type { BcSalesOrder } from '../../../emulators/seed/types.js';
import { DEV_ISSUER, mintDevToken } from '../../../gateway/auth/dev-issuer.js';
import { loadGatewayConfig, startGateway } from '../../../gateway/index.js';
import type { RunningServer } from '../../../lib/http-server.js';
import { createLogger } from '../../../lib/logger.js';
import { loadErpSubgraphConfig, startErpSubgraph } from '../../../subgraphs/erp/index.js';
import type { StepProbe, SubmitStep } from '../../../subgraphs/erp/quote-to-order/index.js';
import { loadSalesforceSubgraphConfig, startSalesforceSubgraph } from '../../../subgraphs/salesforce/index.js';
import { FaultProxy } from '../../support/fault-proxy.js';
import { TEST_FORWARDING_ENV } from '../../support/identity.js';
import { createTempDir, type TempDir } from '../../support/temp-dir.js';

const LOOPBACK = '127.0.0.1';
const logger = createLogger('quote-to-order-test', 'silent');
/** The subject of the tests' bearer token (a sales user: may validate and submit quotes and update accounts). */
const SUBJECT = 'quote-tests';

export interface QuoteStackOptions {
  /** Default 200: the embedded demo's dataset. */
  readonly seedAccounts?: number;
  /** PostgreSQL for the stores; embedded (PGlite in a temporary directory) otherwise. */
  readonly databaseUrl?: string;
  /** Two complete sets of subgraphs and gateways on one store (PostgreSQL only). */
  readonly instances?: 1 | 2;
  readonly erpTimeoutMs?: number;
  readonly leaseMs?: number;
  /** The settle window as such; without it the service derives it from its configuration. */
  readonly settleMs?: number;
  readonly sweepIntervalMs?: number;
  /** QUOTE_SUBMITTABLE_STATUSES (default: the service's, Approved). */
  readonly submittableStatuses?: readonly string[];
  /** A fault proxy between the ERP subgraph and the ERP emulator (`stack.erpProxy`). */
  readonly erpProxy?: boolean;
  /** A fault proxy between the gateway and the ERP subgraph (`stack.erpSubgraphProxy`). */
  readonly erpSubgraphProxy?: boolean;
}

export interface GraphQLResult {
  status: number;
  body: { data?: any; errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, any> }> };
}

/** Wall-clock time plus an offset the test moves: leases expire without sleeping. */
export class TestClock {
  private offsetMs = 0;
  readonly now = (): Date => new Date(Date.now() + this.offsetMs);
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** What the next submission does at each step; `crashAt` makes the probe throw (a process death). */
export class ProbeControl {
  private handler: StepProbe | null = null;
  readonly probe: StepProbe = (step, quoteId) => this.handler?.(step, quoteId);
  on(handler: StepProbe | null): void {
    this.handler = handler;
  }
  crashAt(step: SubmitStep): void {
    this.handler = (at) => {
      if (at !== step) return;
      this.handler = null;
      throw new Error(`test: process dies at ${step}`);
    };
  }
}

interface Instance {
  salesforceSubgraph: RunningServer;
  erpSubgraph: RunningServer;
  gateway: RunningServer;
  erpStore: Store;
  sfStore: Store;
}

export class QuoteStack {
  readonly clock = new TestClock();
  readonly probe = new ProbeControl();
  private readonly instances: Instance[] = [];
  private tempDir: TempDir | undefined;
  /** Every gateway's DATA_DIR (the development issuer's key); stores use it too unless on PostgreSQL. */
  private authDir: TempDir | undefined;
  private token = '';
  /** Who the tests' requests come from, as idempotency records and the audit log name it (lib/identity.ts callerKey). */
  readonly caller = `${DEV_ISSUER}|${SUBJECT}`;
  /** With options.erpProxy: what the ERP subgraph's requests to the ERP go through. */
  erpProxy: FaultProxy | undefined;
  /** With options.erpSubgraphProxy: what the gateway's requests to the ERP subgraph (instance 0) go through. */
  erpSubgraphProxy: FaultProxy | undefined;

  private constructor(
    readonly options: QuoteStackOptions,
    readonly dataset: Dataset,
    readonly sf: RunningSalesforceEmulator,
    readonly erp: RunningErpEmulator,
  ) {}

  static async start(options: QuoteStackOptions = {}): Promise<QuoteStack> {
    const accounts = options.seedAccounts ?? 200;
    const today = new Date().toISOString().slice(0, 10);
    const dataset = generateDataset({ accounts, today });
    const seed = { EMULATOR_SEED_ACCOUNTS: String(accounts) };
    const sf = await startSalesforceEmulator(
      loadSalesforceEmulatorConfig({ ...seed, EMULATOR_SALESFORCE_HOST: LOOPBACK, EMULATOR_SALESFORCE_PORT: '0' }),
      { dataset: dataset.salesforce },
    );
    const erp = await startErpEmulator(
      loadErpEmulatorConfig({ ...seed, EMULATOR_ERP_HOST: LOOPBACK, EMULATOR_ERP_PORT: '0' }),
      {
        dataset: dataset.erp,
      },
    );
    const stack = new QuoteStack(options, dataset, sf, erp);
    try {
      if (options.erpProxy) stack.erpProxy = await FaultProxy.start(erp.url);
      if (options.databaseUrl === undefined) stack.tempDir = createTempDir('quote-stack');
      stack.authDir = stack.tempDir ?? createTempDir('quote-stack-auth');
      stack.token = await mintDevToken({ dataDir: stack.authDir.path, role: 'sales', subject: SUBJECT });
      for (let i = 0; i < (options.instances ?? 1); i++) stack.instances.push(await stack.startInstance(i));
    } catch (error) {
      await stack.close();
      throw error;
    }
    return stack;
  }

  get gatewayUrl(): string {
    return this.instances[0]!.gateway.url;
  }

  /** The ERP subgraph's store of instance 0 (the idempotency records and audit log of submitQuote). */
  /** The ERP subgraph of instance 0 (its /metrics). */
  get erpSubgraphUrl(): string {
    return this.instances[0]!.erpSubgraph.url;
  }

  get erpStore(): Store {
    return this.instances[0]!.erpStore;
  }

  get sfStore(): Store {
    return this.instances[0]!.sfStore;
  }

  private newStore(service: string): Store {
    return this.options.databaseUrl !== undefined
      ? createStore({ kind: 'postgres', connectionString: this.options.databaseUrl }, logger)
      : createStore({ kind: 'embedded', directory: join(this.tempDir!.path, 'store', service) }, logger);
  }

  private async startErpSubgraph(erpStore: Store, port: number): Promise<RunningServer> {
    return startErpSubgraph(
      loadErpSubgraphConfig({
        SUBGRAPH_ERP_HOST: LOOPBACK,
        SUBGRAPH_ERP_PORT: String(port),
        LOG_LEVEL: 'silent',
        ERP_BASE_URL: this.erpProxy ? this.erpProxy.via(this.erp.apiUrl) : this.erp.apiUrl,
        ERP_TOKEN_URL: this.erp.tokenUrl,
        SALESFORCE_LOGIN_URL: this.sf.url,
        ...TEST_FORWARDING_ENV,
        ...(this.options.erpTimeoutMs !== undefined && { ERP_TIMEOUT_MS: String(this.options.erpTimeoutMs) }),
        ...(this.options.submittableStatuses !== undefined && {
          QUOTE_SUBMITTABLE_STATUSES: this.options.submittableStatuses.join(','),
        }),
      }),
      {
        store: erpStore,
        clock: this.clock.now,
        quoteToOrder: {
          probe: this.probe.probe,
          options: {
            ...(this.options.leaseMs !== undefined && { leaseMs: this.options.leaseMs }),
            ...(this.options.settleMs !== undefined && { settleMs: this.options.settleMs }),
            ...(this.options.sweepIntervalMs !== undefined && { sweepIntervalMs: this.options.sweepIntervalMs }),
          },
        },
      },
    );
  }

  private async startInstance(index: number): Promise<Instance> {
    const erpStore = this.newStore(`erp-subgraph-${index}`);
    const sfStore = this.newStore(`salesforce-subgraph-${index}`);
    // Created up front (an embedded store takes seconds to create): no test's first write waits on
    // it past the gateway's subgraph deadline.
    await erpStore.ready();
    const salesforceSubgraph = await startSalesforceSubgraph(
      loadSalesforceSubgraphConfig({
        SUBGRAPH_SALESFORCE_HOST: LOOPBACK,
        SUBGRAPH_SALESFORCE_PORT: '0',
        LOG_LEVEL: 'silent',
        SALESFORCE_LOGIN_URL: this.sf.url,
        ...TEST_FORWARDING_ENV,
      }),
      { store: sfStore },
    );
    const erpSubgraph = await this.startErpSubgraph(erpStore, 0);
    if (index === 0 && this.options.erpSubgraphProxy) this.erpSubgraphProxy = await FaultProxy.start(erpSubgraph.url);
    const erpSubgraphUrl = index === 0 && this.erpSubgraphProxy ? this.erpSubgraphProxy.url : erpSubgraph.url;
    const gateway = await startGateway(
      loadGatewayConfig({
        GATEWAY_HOST: LOOPBACK,
        GATEWAY_PORT: '0',
        SUBGRAPH_SALESFORCE_URL: `${salesforceSubgraph.url}/graphql`,
        SUBGRAPH_ERP_URL: `${erpSubgraphUrl}/graphql`,
        LOG_LEVEL: 'silent',
        DATA_DIR: this.authDir!.path,
        ...TEST_FORWARDING_ENV,
      }),
    );
    return { salesforceSubgraph, erpSubgraph, gateway, erpStore, sfStore };
  }

  /**
   * A new ERP subgraph process in place of instance 0's: the old one stops (its store closed, as a
   * dying process would leave it), a new one opens the same store and listens on the same port, so
   * the gateway keeps routing to it. Its start-up sweep runs in the background (tests poll the store
   * for its effect).
   */
  async restartErpSubgraph(): Promise<void> {
    const instance = this.instances[0]!;
    const port = instance.erpSubgraph.port;
    await instance.erpSubgraph.close();
    await instance.erpStore.close();
    instance.erpStore = this.newStore('erp-subgraph-0');
    instance.erpSubgraph = await this.startErpSubgraph(instance.erpStore, port);
  }

  async gql(
    query: string,
    variables: Record<string, unknown> = {},
    options: { instance?: number; correlationId?: string } = {},
  ): Promise<GraphQLResult> {
    const gateway = this.instances[options.instance ?? 0]!.gateway;
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${this.token}`,
        ...(options.correlationId && { 'x-correlation-id': options.correlationId }),
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as GraphQLResult['body'] };
  }

  /** ERP orders carrying a quote's external document number, straight from the ERP emulator. */
  ordersOf(quoteId: string): BcSalesOrder[] {
    return this.erp.emulator.store
      .table('salesOrders')
      .all()
      .filter((order) => order.externalDocumentNumber === `SFQ-${quoteId}`);
  }

  /** The quote as the Salesforce emulator holds it now. */
  quoteRecord(quoteId: string): Record<string, unknown> {
    const record = this.sf.emulator.store.get('Quote', quoteId);
    if (!record) throw new Error(`no quote ${quoteId}`);
    return record as unknown as Record<string, unknown>;
  }

  /** Requests each emulator served by route (e.g. "POST salesOrders"), since the last reset. */
  erpRequests(route: string): number {
    return this.erp.emulator.traffic.stats().byRoute[route] ?? 0;
  }

  sfRequests(route: string): number {
    return this.sf.emulator.traffic.stats().byRoute[route] ?? 0;
  }

  resetTraffic(): void {
    this.erp.emulator.traffic.resetStats();
    this.sf.emulator.traffic.resetStats();
  }

  async close(): Promise<void> {
    for (const instance of this.instances.splice(0).reverse()) {
      await instance.gateway.close();
      await instance.erpSubgraph.close();
      await instance.salesforceSubgraph.close();
      await instance.erpStore.close();
      await instance.sfStore.close();
    }
    await this.erpSubgraphProxy?.close();
    await this.erpProxy?.close();
    await this.erp.close();
    await this.sf.close();
    this.tempDir?.remove();
    this.authDir?.remove();
  }
}
