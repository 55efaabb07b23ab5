// A real Tryton server for tests: the demo's second company seeded once per day into a folder of
// the system's temporary directory shared by every test run (a new run on the same day copies it in
// seconds; parallel test files wait for one another's seeding), a database of its own per server,
// and the counting, fault-injecting JSON-RPC proxy in front.
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { isFetchBadPort } from '../../../lib/fetch-ports.js';
import { startTryton, type StartedTryton } from '../../../tryton/index.js';
import { startTrytonRpcProxy, type TrytonRpcProxy } from '../../../tryton/rpc-proxy.js';

/** Enough customers for batches and row queries, few enough to seed in about a minute. */
export const TEST_TRYTON_ACCOUNTS = 12;
export const TEST_TRYTON_SEED = 42;
/** Seeding (the first run of a day) can take minutes on a busy two-core machine. */
export const TRYTON_SETUP_TIMEOUT_MS = 15 * 60_000;

export interface TestTryton {
  readonly tryton: StartedTryton;
  readonly proxy: TrytonRpcProxy;
  /** The log lines of trytond and the launcher, for a failing test's message. */
  readonly output: string[];
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', reject);
      probe.listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    if (port > 0 && !isFetchBadPort(port)) return port;
  }
}

let databases = 0;

export async function startTestTryton(options: { readonly sessionMaxAgeS?: number } = {}): Promise<TestTryton> {
  const output: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      output.push(String(chunk));
      if (output.length > 200) output.shift();
      done();
    },
  });
  const directory = join(tmpdir(), 'customer360-tryton-tests');
  const database = `test_${process.pid}_${++databases}`;
  const port = await freePort();
  const tryton = await startTryton({
    directory,
    database,
    host: '127.0.0.1',
    port,
    seed: TEST_TRYTON_SEED,
    today: new Date().toISOString().slice(0, 10),
    accounts: TEST_TRYTON_ACCOUNTS,
    log: (line) => output.push(line),
    output: sink,
    ...(options.sessionMaxAgeS !== undefined ? { sessionMaxAgeS: options.sessionMaxAgeS } : {}),
  });
  const proxy = await startTrytonRpcProxy(tryton.url);
  return {
    tryton,
    proxy,
    output,
    async close() {
      await proxy.close();
      await tryton.stop();
      // The seeded copy stays for the next run; this server's own database and configuration go.
      await rm(join(tryton.prepared.databasesPath, `${database}.sqlite`), { force: true });
      await rm(join(directory, `trytond-${port}.conf`), { force: true });
    },
  };
}
