// The durable store's public surface: idempotency records, resource leases and the audit log, over
// PGlite (embedded, the default) or PostgreSQL (DATABASE_URL), with the same SQL and migrations.
//
// Opened lazily: the first repository call opens the database and runs the migrations (an embedded
// store costs a few seconds and a few hundred MB the first time, which a service that never writes
// should not pay). `ready()` opens it eagerly.
import { existsSync } from 'node:fs';
import type { Logger } from '../../lib/logger.js';
import { AuditLog } from './audit.js';
import { openEmbeddedDatabase } from './embedded.js';
import { IdempotencyRecords } from './idempotency.js';
import { ResourceLeases } from './leases.js';
import { migrate } from './migrations.js';
import type { StoreOptions } from './options.js';
import { openPostgresDatabase } from './postgres.js';
import type { SqlDatabase } from './sql.js';

export type { AuditEntry, AuditFilter, AuditStart, AuditStatus, AuditSystem } from './audit.js';
export { StoreLockedError } from './directory-lock.js';
export type { ClaimOutcome, IdempotencyKeyRef, IdempotencyRecord, IdempotencyState } from './idempotency.js';
export { MIGRATIONS, migrate, type Migration } from './migrations.js';
export type { StoreOptions } from './options.js';
export type { AuditLog } from './audit.js';
export type { IdempotencyRecords } from './idempotency.js';
export type { ResourceLeases } from './leases.js';

export interface Store {
  readonly kind: StoreOptions['kind'];
  /** Where it lives, for logs: the directory, or the database URL without its password. */
  readonly location: string;
  readonly idempotency: IdempotencyRecords;
  readonly leases: ResourceLeases;
  readonly audit: AuditLog;
  /**
   * Whether there may be state to look at without creating any: false for an embedded store whose
   * directory does not exist yet (a start-up sweep then has nothing to do).
   */
  mayHoldData(): boolean;
  /** Opens and migrates now. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

function redact(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres (unparseable URL)';
  }
}

export function createStore(options: StoreOptions, logger: Logger): Store {
  const log = logger.child({ component: 'store', store: options.kind });
  let opening: Promise<SqlDatabase> | undefined;
  let closed = false;

  const open = async (): Promise<SqlDatabase> => {
    const db =
      options.kind === 'embedded'
        ? await openEmbeddedDatabase(options.directory)
        : openPostgresDatabase(options.connectionString, options.maxConnections, log);
    try {
      const applied = await migrate(db);
      if (applied.length > 0) log.info({ applied }, 'store: migrations applied');
      return db;
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
  };

  const db = (): Promise<SqlDatabase> => {
    if (closed) return Promise.reject(new Error('store: closed'));
    opening ??= open().catch((error: unknown) => {
      // Not cached: the next call tries again (PostgreSQL may come back).
      opening = undefined;
      throw error;
    });
    return opening;
  };

  return {
    kind: options.kind,
    location: options.kind === 'embedded' ? options.directory : redact(options.connectionString),
    idempotency: new IdempotencyRecords(db),
    leases: new ResourceLeases(db),
    audit: new AuditLog(db),
    mayHoldData: () => options.kind === 'postgres' || existsSync(options.directory),
    ready: async () => {
      await db();
    },
    async close() {
      closed = true;
      const pending = opening;
      opening = undefined;
      if (pending) await (await pending.catch(() => null))?.close();
    },
  };
}
