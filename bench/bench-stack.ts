// The full stack for the benchmark, one child process per service (stack/services.ts, as `npm start`
// runs it) so the load generator, the gateway, the subgraphs and the emulators never share an event
// loop. It listens on its own ports (BENCH_PORT_BASE, default 4100+), so a running `npm start` is
// left alone. The emulators start once per invocation (seeding 10,000 accounts takes seconds and
// their data is only read) — the ERP emulator again only for a scenario that wants another number of
// invoices (setErpInvoices); the subgraphs and the gateway are restarted per run with that run's
// SHIELD_* settings, so every run begins with empty caches and a closed breaker.
import { createWriteStream, mkdirSync, mkdtempSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createServer } from 'node:net';
import { mintDevToken } from '../gateway/auth/dev-issuer.js';
import { spawnService, waitUntilReady, type ChildService } from '../stack/child-process.js';
import { loadStackConfig, STACK_HOST } from '../stack/config.js';
import { stackServices, stackUrls, type ServiceSpec, type StackUrls } from '../stack/services.js';
import type { BenchConfig } from './config.js';

export interface BenchStack {
  readonly urls: StackUrls;
  /** `${urls.gateway}/graphql` */
  readonly graphqlUrl: string;
  /**
   * `Authorization: Bearer <token>` for the running gateway (a development token of role
   * integration, which may run every operation), renewed by every restartProduct: send it with
   * every GraphQL request.
   */
  readonly authHeaders: Readonly<Record<string, string>>;
  /** Stops the subgraphs and the gateway (if running) and starts them again with `env` added. */
  restartProduct(env: Readonly<Record<string, string>>): Promise<void>;
  /**
   * Makes the ERP emulator hold `invoices` sales invoices (EMULATOR_SEED_INVOICES; undefined: the
   * seed's own, or the caller's EMULATOR_SEED_INVOICES), restarting it when it runs with another
   * number. Resolves true when it restarted: restart the product after it (its ERP token is gone).
   */
  setErpInvoices(invoices: number | undefined): Promise<boolean>;
  /**
   * Makes the Salesforce emulator hold the Tryton company's `accounts` too
   * (EMULATOR_SEED_TRYTON_ACCOUNTS; undefined: none), restarting it when it runs with another number.
   * Resolves true when it restarted: restart the product after it.
   */
  setSalesforceTrytonAccounts(accounts: number | undefined): Promise<boolean>;
  /** Throws when a service died since it was started (its log is in the stack log). */
  assertAlive(): void;
  /** Stops every service, the gateway first. */
  stop(): Promise<void>;
  /** Last resort on process exit: SIGKILL to every child still running, synchronously. */
  killNow(): void;
}

// Seeding 10,000 accounts plus tsx compiling the service on a busy 2-core machine.
const EMULATOR_READY_TIMEOUT_MS = 180_000;
const PRODUCT_READY_TIMEOUT_MS = 90_000;
const PREFIX_WIDTH = 'salesforce-emulator'.length;
const isEmulator = (spec: ServiceSpec) => spec.name.endsWith('-emulator');

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `port ${port} is already in use (another benchmark or service?); set BENCH_PORT_BASE to move the benchmark's stack`
            : `cannot probe port ${port}: ${error.message}`,
        ),
      ),
    );
    probe.listen(port, STACK_HOST, () => probe.close(() => resolve()));
  });
}

/** Waits for the gateway's /readyz to say ready (both subgraphs reach their backends; degraded is 200 too); a gateway without it counts as ready. */
async function waitForGatewayReadiness(gatewayUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${gatewayUrl}/readyz`, { signal: AbortSignal.timeout(5_000) });
      const body = (await response.json().catch(() => null)) as { status?: unknown } | null;
      if ((response.status === 200 && body?.status === 'ready') || response.status === 404) return;
      last = `answered ${response.status} ${JSON.stringify(body)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`gateway not ready after ${timeoutMs} ms (${gatewayUrl}/readyz: ${last})`);
}

export async function startBenchStack(config: BenchConfig, logPath: string): Promise<BenchStack> {
  const p = config.portBase;
  const stackConfig = loadStackConfig({
    ...config.inheritedEnv,
    GATEWAY_PORT: String(p),
    SUBGRAPH_SALESFORCE_PORT: String(p + 1),
    SUBGRAPH_ERP_PORT: String(p + 2),
    EMULATOR_SALESFORCE_PORT: String(p + 10),
    EMULATOR_ERP_PORT: String(p + 20),
    EMULATOR_SEED_ACCOUNTS: String(config.seedAccounts),
    EMULATOR_SEED: String(config.seed),
    EMULATOR_SALESFORCE_LATENCY_MS: String(config.salesforceLatencyMs),
    EMULATOR_ERP_LATENCY_MS: String(config.erpLatencyMs),
  });
  // Every child inherits this; the per-run SHIELD_CACHE_ENABLED is added by restartProduct.
  const baseEnv: Record<string, string | undefined> = {
    ...stackConfig.inheritedEnv,
    LOG_LEVEL: 'warn',
    APOLLO_TELEMETRY_DISABLED: '1',
    // The emulated org's daily API allocation (default 100,000) would run out during an uncached
    // run and turn the rest of the invocation into REQUEST_LIMIT_EXCEEDED errors.
    EMULATOR_SALESFORCE_DAILY_API_LIMIT: '1000000000',
    SHIELD_ERP_MAX_IN_FLIGHT: String(config.erpMaxInFlight),
    SHIELD_SALESFORCE_MAX_IN_FLIGHT: String(config.salesforceMaxInFlight),
    // The subgraphs' embedded stores (idempotency records, audit log) in a folder of this run's own,
    // never the developer's ./data (a PGlite directory takes one process at a time).
    DATA_DIR: mkdtempSync(join(tmpdir(), 'c360-bench-')),
    // The Tryton company's accounts join Salesforce only for the run that asks (setSalesforceTrytonAccounts).
    EMULATOR_SEED_TRYTON_ACCOUNTS: undefined,
  };
  const specs = stackServices(stackConfig);
  const urls = stackUrls(stackConfig);
  for (const port of Object.values(stackConfig.ports)) await assertPortFree(port);

  mkdirSync(dirname(logPath), { recursive: true });
  const log: WriteStream = createWriteStream(logPath, { flags: 'w' });
  const output = { stdout: log, stderr: log };
  const emulators: ChildService[] = [];
  const product: ChildService[] = [];
  // Every child ever spawned, also one still starting: what killNow must reach.
  const spawned: ChildService[] = [];

  async function start(
    spec: ServiceSpec,
    env: Readonly<Record<string, string | undefined>>,
    timeoutMs: number,
  ): Promise<ChildService> {
    const child = spawnService(spec, env, PREFIX_WIDTH, output);
    spawned.push(child);
    try {
      await waitUntilReady(child, timeoutMs);
    } catch (error) {
      await child.stop();
      throw new Error(
        `${spec.name} did not start: ${error instanceof Error ? error.message : String(error)} (log: ${logPath})`,
      );
    }
    return child;
  }

  async function stopProduct(): Promise<void> {
    for (const child of product.splice(0).reverse()) await child.stop();
  }

  // What the running ERP emulator was started with (the caller's environment at first).
  let erpInvoices = baseEnv.EMULATOR_SEED_INVOICES;
  let salesforceTrytonAccounts = baseEnv.EMULATOR_SEED_TRYTON_ACCOUNTS;
  let authHeaders: Readonly<Record<string, string>> = {};
  const stack: BenchStack = {
    urls,
    graphqlUrl: `${urls.gateway}/graphql`,
    get authHeaders() {
      return authHeaders;
    },
    async restartProduct(env) {
      await stopProduct();
      log.write(`${'bench'.padEnd(PREFIX_WIDTH)} | (re)starting subgraphs and gateway with ${JSON.stringify(env)}\n`);
      for (const spec of specs.filter((s) => !isEmulator(s))) {
        product.push(await start(spec, { ...baseEnv, ...env }, PRODUCT_READY_TIMEOUT_MS));
      }
      await waitForGatewayReadiness(urls.gateway, PRODUCT_READY_TIMEOUT_MS);
      // Signed with the development issuer's key in the DATA_DIR this run's gateway got.
      const dataDir = env.DATA_DIR ?? baseEnv.DATA_DIR!;
      authHeaders = {
        authorization: `Bearer ${await mintDevToken({ dataDir, role: 'integration', subject: 'bench', expiresIn: '1d' })}`,
      };
    },
    async setErpInvoices(invoices) {
      const wanted = invoices === undefined ? baseEnv.EMULATOR_SEED_INVOICES : String(invoices);
      const index = emulators.findIndex((child) => child.spec.name === 'erp-emulator');
      if (wanted === erpInvoices || index < 0) return false;
      const spec = emulators[index]!.spec;
      log.write(
        `${'bench'.padEnd(PREFIX_WIDTH)} | restarting the ERP emulator with EMULATOR_SEED_INVOICES=${wanted ?? '(unset)'}\n`,
      );
      await emulators[index]!.stop();
      emulators.splice(index, 1);
      // spawn leaves out undefined variables: unset means the seed's own invoices.
      emulators.push(await start(spec, { ...baseEnv, EMULATOR_SEED_INVOICES: wanted }, EMULATOR_READY_TIMEOUT_MS));
      erpInvoices = wanted;
      return true;
    },
    async setSalesforceTrytonAccounts(accounts) {
      const wanted = accounts === undefined ? undefined : String(accounts);
      const index = emulators.findIndex((child) => child.spec.name === 'salesforce-emulator');
      if (wanted === salesforceTrytonAccounts || index < 0) return false;
      const spec = emulators[index]!.spec;
      log.write(
        `${'bench'.padEnd(PREFIX_WIDTH)} | restarting the Salesforce emulator with EMULATOR_SEED_TRYTON_ACCOUNTS=${wanted ?? '(unset)'}\n`,
      );
      await emulators[index]!.stop();
      emulators.splice(index, 1);
      emulators.push(
        await start(spec, { ...baseEnv, EMULATOR_SEED_TRYTON_ACCOUNTS: wanted }, EMULATOR_READY_TIMEOUT_MS),
      );
      salesforceTrytonAccounts = wanted;
      return true;
    },
    assertAlive() {
      const dead = [...emulators, ...product].filter((child) => child.hasExited);
      if (dead.length > 0)
        throw new Error(`${dead.map((child) => child.spec.name).join(', ')} exited during the run (log: ${logPath})`);
    },
    async stop() {
      await stopProduct();
      for (const child of emulators.splice(0).reverse()) await child.stop();
      await new Promise<void>((resolve) => log.end(resolve));
    },
    killNow() {
      for (const child of spawned) child.kill();
    },
  };

  try {
    for (const spec of specs.filter(isEmulator)) {
      emulators.push(await start(spec, baseEnv, EMULATOR_READY_TIMEOUT_MS));
    }
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}
