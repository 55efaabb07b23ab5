// The store's schema, as numbered migrations applied in order by a tiny runner: each runs once per
// database, recorded in store_migrations. The same SQL runs on PGlite and PostgreSQL. Append new
// migrations; never edit one that has shipped (a database that already ran it would not see the
// change).
import type { SqlDatabase } from './sql.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'idempotency records, resource leases, audit log',
    sql: `
      -- One row per (caller scope, operation, idempotency key): DESIGN.md "Idempotency".
      CREATE TABLE idempotency_records (
        scope            text        NOT NULL,
        operation        text        NOT NULL,
        idempotency_key  text        NOT NULL,
        request_hash     text        NOT NULL,
        request          jsonb       NOT NULL,
        -- in_progress: a worker holds the lease; open: released, a retry (or the sweeper) may take it;
        -- completed: result is final and is replayed.
        state            text        NOT NULL CHECK (state IN ('in_progress', 'open', 'completed')),
        -- Non-null while an effect in another system may exist that the record has not finished
        -- (e.g. an ERP order created, Salesforce not yet updated): the sweeper picks these up.
        stage            text,
        progress         jsonb,
        result           jsonb,
        correlation_id   text        NOT NULL,
        lease_owner      text,
        lease_expires_at timestamptz,
        attempts         integer     NOT NULL DEFAULT 1,
        created_at       timestamptz NOT NULL,
        updated_at       timestamptz NOT NULL,
        completed_at     timestamptz,
        PRIMARY KEY (scope, operation, idempotency_key)
      );
      CREATE INDEX idempotency_records_unfinished ON idempotency_records (updated_at) WHERE state <> 'completed';
      CREATE INDEX idempotency_records_created ON idempotency_records (created_at);

      -- Named, expiring locks held by one worker (e.g. one quote's submission across all keys).
      CREATE TABLE resource_leases (
        name        text        PRIMARY KEY,
        holder      text        NOT NULL,
        acquired_at timestamptz NOT NULL,
        expires_at  timestamptz NOT NULL
      );

      -- Every write to the ERP or Salesforce: written 'pending' before the call, finished after it,
      -- so a write whose outcome was never learnt (the process died) still shows up.
      CREATE TABLE audit_log (
        id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        system          text        NOT NULL CHECK (system IN ('erp', 'salesforce')),
        operation       text        NOT NULL,
        target          text,
        caller          text        NOT NULL,
        correlation_id  text        NOT NULL,
        idempotency_key text,
        status          text        NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
        request         jsonb       NOT NULL,
        response        jsonb,
        error           jsonb,
        started_at      timestamptz NOT NULL,
        finished_at     timestamptz
      );
      CREATE INDEX audit_log_correlation ON audit_log (correlation_id);
      CREATE INDEX audit_log_target ON audit_log (system, target);
    `,
  },
];

/** An arbitrary constant: the advisory lock that serializes migration runs across processes. */
const MIGRATION_LOCK = 4_360_001;

/**
 * Applies the migrations this database has not run yet, in one transaction under an advisory lock
 * (two services starting together against one PostgreSQL must not both create the tables). Returns
 * the versions applied now.
 */
export async function migrate(db: SqlDatabase, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS store_migrations (
        version    integer     PRIMARY KEY,
        name       text        NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const done = new Set(
      (await tx.query<{ version: number }>('SELECT version FROM store_migrations')).map((row) => Number(row.version)),
    );
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO store_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    return applied;
  });
}
