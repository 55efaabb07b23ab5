// The store on PostgreSQL (DATABASE_URL): a node-postgres pool shared by the process. Several
// processes may use one database; the repositories' statements (INSERT ... ON CONFLICT DO NOTHING,
// conditional UPDATEs on lease columns) are what keeps them from stepping on each other.
import pg from 'pg';
import type { Logger } from '../../lib/logger.js';
import type { SqlDatabase, SqlExecutor, SqlParam } from './sql.js';

const DEFAULT_MAX_CONNECTIONS = 10;

function executor(target: pg.Pool | pg.PoolClient): SqlExecutor {
  return {
    async query<R extends object>(text: string, params: readonly SqlParam[] = []) {
      const result = await target.query<R>(text, [...params]);
      return result.rows;
    },
    async exec(script: string) {
      // No parameters: node-postgres sends the simple protocol, which runs several statements.
      await target.query(script);
    },
  };
}

export function openPostgresDatabase(
  connectionString: string,
  maxConnections: number | undefined,
  logger: Logger,
): SqlDatabase {
  const pool = new pg.Pool({
    connectionString,
    max: maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    application_name: 'customer360-graph',
  });
  // An idle client losing its connection (server restart) must not crash the process; the pool
  // replaces it, and the next query reports the outage to its caller.
  pool.on('error', (error) => logger.warn({ err: error }, 'store: idle PostgreSQL connection failed'));
  const self = executor(pool);
  return {
    kind: 'postgres',
    query: self.query,
    exec: self.exec,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(executor(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
