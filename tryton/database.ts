// The development Tryton database: SQLite files under DATA_DIR/tryton/.
//
//   admin.password, integration.password   made on the first start (0600), kept
//   seeded/empty-<modules>.sqlite           a database with the modules activated, nothing else (~25 s to make)
//   seeded/<fingerprint>.sqlite             that database seeded with the second company (seed_database.py)
//   databases/<database>.sqlite             what the server runs on: a fresh copy of the seeded one per start
//
// The fingerprint covers the seed data (seed, day, number of accounts), the seeder and the modules,
// so a seeded copy is made once and every later start with the same inputs is a file copy; a new
// day makes a new one (the demo's dates are relative to the day, as the emulators' are). Like the
// emulators, every start begins from the seed: orders created through the adapter are gone after a
// restart. Making a copy is serialised by a lock file, so parallel test workers seed once.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { TRYTON_PASSWORD_FILE } from '../connectors/erp/tryton/defaults.js';
import { isProcessAlive } from '../lib/process-alive.js';
import { readOrCreateSecretFile } from '../lib/secret-file.js';
import { TRYTON_MODULES } from './installation.js';
import { trytonSeedData, type TrytonSeedData } from './seed-data.js';

const run = promisify(execFile);

export const ADMIN_PASSWORD_FILE = 'admin.password';
const SEEDER = fileURLToPath(new URL('./seed_database.py', import.meta.url));
/** Activating the modules and seeding take a minute or two on a small, busy machine. */
const STEP_TIMEOUT_MS = 15 * 60_000;
const LOCK_WAIT_MS = 20 * 60_000;

export interface TrytonDatabaseOptions {
  /** DATA_DIR/tryton */
  readonly directory: string;
  readonly database: string;
  readonly seed: number;
  /** YYYY-MM-DD the demo's dates are relative to. */
  readonly today: string;
  /** The second company's accounts. */
  readonly accounts: number;
  readonly python: string;
  /** The integration user Tryton gets (the adapter signs in as it). */
  readonly username: string;
  readonly log: (line: string) => void;
}

export interface TrytonDatabase {
  /** Where databases/<database>.sqlite lives (trytond's [database] path). */
  readonly databasesPath: string;
  readonly integrationPasswordFile: string;
  readonly adminPasswordFile: string;
  readonly seedData: TrytonSeedData;
  /** Whether this start had to seed (false: a seeded copy was reused). */
  readonly seeded: boolean;
}

const PASSWORD_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const PASSWORD_LENGTH = 24;

/**
 * Tryton refuses a password shorter than 8 characters or with too few distinct ones ([password]
 * entropy, 0.75 of its length by default), which random base64 text sometimes is: 24 distinct
 * characters drawn without replacement (~134 bits).
 */
const newPassword = async () => {
  const pool = [...PASSWORD_ALPHABET];
  let password = '';
  for (let i = 0; i < PASSWORD_LENGTH; i += 1) password += pool.splice(randomInt(pool.length), 1)[0];
  return `${password}\n`;
};
const asPassword = (content: string) => {
  const password = content.trim();
  if (password.length < 8) throw new Error('the password is shorter than 8 characters');
  if (new Set(password).size < 0.75 * password.length) throw new Error('too many repeated characters for Tryton');
  return password;
};

export function trytondConfig(
  databasesPath: string,
  listen?: { host: string; port: number },
  sessionMaxAgeS?: number,
): string {
  // [session] max_age: how long a session lasts after sign-in (30 days by default); the adapter
  // signs in again when Tryton ends one (401).
  return [
    '[database]',
    'uri = sqlite://',
    `path = ${databasesPath}`,
    'list = False',
    ...(listen ? ['[web]', `listen = ${listen.host}:${listen.port}`] : []),
    ...(sessionMaxAgeS !== undefined ? ['[session]', `max_age = ${sessionMaxAgeS}`] : []),
    '',
  ].join('\n');
}

function fingerprint(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\u0000');
  return hash.digest('hex').slice(0, 16);
}

/** Makes (or reuses) the seeded copy and puts a fresh copy of it where the server will run. */
export async function prepareTrytonDatabase(options: TrytonDatabaseOptions): Promise<TrytonDatabase> {
  const { directory, database } = options;
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const adminPasswordFile = join(directory, ADMIN_PASSWORD_FILE);
  const integrationPasswordFile = join(directory, TRYTON_PASSWORD_FILE);
  const adminPassword = await readOrCreateSecretFile(adminPasswordFile, newPassword, asPassword);
  const integrationPassword = await readOrCreateSecretFile(integrationPasswordFile, newPassword, asPassword);

  const seedData = trytonSeedData({ seed: options.seed, today: options.today, accounts: options.accounts });
  const seedJson = JSON.stringify(seedData);
  const seeder = await readFile(SEEDER, 'utf8');
  const modules = fingerprint(TRYTON_MODULES.join(','));
  // The passwords are in: a copy made for other passwords could not be signed in to.
  const seededName = fingerprint(modules, seeder, seedJson, options.username, integrationPassword, adminPassword);
  const seededDir = join(directory, 'seeded');
  const seededFile = join(seededDir, `${seededName}.sqlite`);
  await mkdir(seededDir, { recursive: true });

  let seeded = false;
  if (!existsSync(seededFile)) {
    const release = await acquireLock(join(directory, 'seeding.lock'), options.log);
    try {
      if (!existsSync(seededFile)) {
        await seedCopy({
          ...options,
          seedJson,
          seededFile,
          emptyFile: join(seededDir, `empty-${modules}.sqlite`),
          adminPasswordFile,
          integrationPasswordFile,
        });
        seeded = true;
        await pruneSeeded(seededDir, [`${seededName}.sqlite`, `empty-${modules}.sqlite`]);
      }
    } finally {
      release();
    }
  }
  const databasesPath = join(directory, 'databases');
  await mkdir(databasesPath, { recursive: true });
  const live = join(databasesPath, `${database}.sqlite`);
  await copyFile(seededFile, `${live}.tmp`);
  await rename(`${live}.tmp`, live);
  return { databasesPath, integrationPasswordFile, adminPasswordFile, seedData, seeded };
}

interface SeedCopy extends TrytonDatabaseOptions {
  readonly seedJson: string;
  readonly seededFile: string;
  readonly emptyFile: string;
  readonly adminPasswordFile: string;
  readonly integrationPasswordFile: string;
}

async function seedCopy(o: SeedCopy): Promise<void> {
  const work = join(o.directory, `work-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(work, { recursive: true });
  try {
    const config = join(work, 'trytond.conf');
    await writeFile(config, trytondConfig(work));
    const file = join(work, `${o.database}.sqlite`);
    if (existsSync(o.emptyFile)) {
      await copyFile(o.emptyFile, file);
    } else {
      o.log('creating the Tryton database and activating its modules (once; about half a minute)');
      // trytond's SQLite backend opens the database file, it does not create it.
      await writeFile(file, '');
      const env = { ...process.env, TRYTONPASSFILE: o.adminPasswordFile };
      await step(
        o.python,
        ['/usr/bin/trytond-admin', '-c', config, '-d', o.database, '--all', '--email', 'admin@example.com'],
        env,
        'trytond-admin --all',
      );
      await step(
        o.python,
        ['/usr/bin/trytond-admin', '-c', config, '-d', o.database, '-u', ...TRYTON_MODULES, '--activate-dependencies'],
        env,
        'trytond-admin -u',
      );
      await copyFile(file, `${o.emptyFile}.tmp`);
      await rename(`${o.emptyFile}.tmp`, o.emptyFile);
    }
    o.log(
      `seeding the Tryton company (${o.accounts} customers with their orders, shipments and invoices; a minute or two)`,
    );
    const data = join(work, 'seed.json');
    await writeFile(data, o.seedJson);
    const started = Date.now();
    const { stdout } = await step(
      o.python,
      [
        SEEDER,
        ...['--config', config, '--database', o.database, '--data', data],
        ...[
          '--integration-login',
          o.username,
          '--integration-password-file',
          o.integrationPasswordFile,
          '--admin-password-file',
          o.adminPasswordFile,
        ],
      ],
      process.env,
      'seed_database.py',
    );
    o.log(`${stdout.trim()} in ${Math.round((Date.now() - started) / 1000)} s`);
    await rename(file, o.seededFile);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function step(python: string, args: string[], env: NodeJS.ProcessEnv, what: string): Promise<{ stdout: string }> {
  try {
    const { stdout } = await run(python, args, { env, timeout: STEP_TIMEOUT_MS, maxBuffer: 32 * 1024 * 1024 });
    return { stdout };
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    const tail = stderr.trim().split('\n').slice(-15).join('\n');
    throw new Error(
      `${what} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}${tail ? `\n${tail}` : ''}`,
    );
  }
}

/** Keeps the current seeded copy and the empty database; older copies (other days) go. */
async function pruneSeeded(seededDir: string, keep: readonly string[]): Promise<void> {
  for (const name of await readdir(seededDir)) {
    if (name.endsWith('.sqlite') && !keep.includes(name)) await rm(join(seededDir, name), { force: true });
  }
}

/** A lock file naming its holder's pid; a holder that died leaves a stale lock, taken over. */
async function acquireLock(file: string, log: (line: string) => void): Promise<() => void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  let told = false;
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => unlinkSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
    if (!Number.isInteger(holder) || !isProcessAlive(holder)) {
      await rm(file, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${file}: process ${holder} has been seeding Tryton for too long`);
    if (!told) log(`waiting for process ${holder}, which is seeding Tryton`);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
