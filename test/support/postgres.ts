// A throw-away PostgreSQL database per test file: CREATE DATABASE c360_test_<random> on the server
// of C360_TEST_POSTGRES_URL (default: the loopback server CI starts, trust auth, user postgres), and
// DROP DATABASE ... WITH (FORCE) afterwards. Tests that need PostgreSQL fail with this message when it
// is not reachable rather than skip: CI must run them.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const ADMIN_URL = process.env['C360_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** A DATABASE_URL for the fresh database. */
  readonly url: string;
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${ADMIN_URL} (${(error as Error).message}). ` +
        'Start it, or point C360_TEST_POSTGRES_URL at a server where the user may CREATE DATABASE.',
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `c360_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
