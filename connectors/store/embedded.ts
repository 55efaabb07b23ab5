// The embedded store engine: PGlite (PostgreSQL compiled to WebAssembly) persisting to a directory,
// so the default run needs no database server and its state survives restarts. PGlite is a single
// connection: it runs one statement at a time and a transaction holds it exclusively, which is the
// serialization the repositories rely on here (PostgreSQL gives the same guarantees with row locks).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { lockDirectory } from './directory-lock.js';
import type { SqlDatabase, SqlExecutor, SqlParam } from './sql.js';

function executor(target: PGlite | Transaction): SqlExecutor {
  return {
    async query<R extends object>(text: string, params: readonly SqlParam[] = []) {
      const result = await target.query<R>(text, [...params]);
      return result.rows;
    },
    async exec(script: string) {
      await target.exec(script);
    },
  };
}

export async function openEmbeddedDatabase(directory: string): Promise<SqlDatabase> {
  mkdirSync(dirname(directory), { recursive: true });
  const unlock = lockDirectory(directory);
  let db: PGlite;
  try {
    db = new PGlite(directory);
    await db.waitReady;
  } catch (error) {
    unlock();
    throw error;
  }
  const self = executor(db);
  return {
    kind: 'embedded',
    query: self.query,
    exec: self.exec,
    transaction: (work) => db.transaction((tx) => work(executor(tx))),
    async close() {
      try {
        await db.close();
      } finally {
        unlock();
      }
    },
  };
}
