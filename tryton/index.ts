// A Tryton server with the demo's second company, ready for the adapter: checks the installation,
// prepares the seeded database (database.ts) and runs trytond on it (server.ts). Used by
// `npm run tryton` (main.ts), the embedded stack (ERP_TRYTON=on), the contract suite and the
// benchmark.
import type { Writable } from 'node:stream';
import { DEFAULT_TRYTON_USERNAME } from '../connectors/erp/tryton/defaults.js';
import { prepareTrytonDatabase, type TrytonDatabase } from './database.js';
import { checkTrytonInstallation, DEFAULT_PYTHON } from './installation.js';
import { startTrytonServer, type RunningTryton } from './server.js';
import { readFile } from 'node:fs/promises';

export {
  TrytonNotInstalledError,
  installCommand,
  checkTrytonInstallation,
  TRYTON_DEBIAN_PACKAGES,
  TRYTON_MODULES,
} from './installation.js';
export { trytonSeedData, type TrytonSeedData } from './seed-data.js';

export interface StartTrytonOptions {
  /** DATA_DIR/tryton */
  readonly directory: string;
  readonly database: string;
  readonly host: string;
  readonly port: number;
  readonly seed: number;
  readonly today: string;
  readonly accounts: number;
  readonly python?: string;
  readonly sessionMaxAgeS?: number;
  readonly log: (line: string) => void;
  readonly output: Writable;
}

export interface StartedTryton extends RunningTryton {
  readonly database: string;
  readonly username: string;
  /** The integration user's password (also in prepared.integrationPasswordFile). */
  readonly password: string;
  readonly prepared: TrytonDatabase;
}

export async function startTryton(options: StartTrytonOptions): Promise<StartedTryton> {
  const python = options.python ?? DEFAULT_PYTHON;
  const version = await checkTrytonInstallation(python);
  options.log(`Tryton ${version} found`);
  const username = DEFAULT_TRYTON_USERNAME;
  const prepared = await prepareTrytonDatabase({
    directory: options.directory,
    database: options.database,
    seed: options.seed,
    today: options.today,
    accounts: options.accounts,
    python,
    username,
    log: options.log,
  });
  const password = (await readFile(prepared.integrationPasswordFile, 'utf8')).trim();
  const running = await startTrytonServer({
    directory: options.directory,
    databasesPath: prepared.databasesPath,
    database: options.database,
    host: options.host,
    port: options.port,
    python,
    username,
    password,
    output: options.output,
    ...(options.sessionMaxAgeS !== undefined ? { sessionMaxAgeS: options.sessionMaxAgeS } : {}),
  });
  return { ...running, stop: () => running.stop(), database: options.database, username, password, prepared };
}
