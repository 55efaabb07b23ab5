// Idempotency records (DESIGN.md "Idempotency"): claimed atomically per (scope, operation, key),
// held by a lease that the worker renews while it runs, finished as `completed` (the result is
// replayed from then on) or released as `open` (a retry or the sweeper may take it again).
//
// Concurrency: the claim is one INSERT ... ON CONFLICT DO NOTHING, so of any number of concurrent
// first calls, in one process or many, exactly one inserts the row. Taking over a record whose lease
// has expired, renewing, finishing and releasing are UPDATEs conditioned on the lease holder (and on
// the lease having expired, for a takeover): PostgreSQL re-checks the condition on the latest row
// version after a concurrent update commits, so only one worker wins. PGlite runs one statement at a
// time, which serializes the same statements trivially.
//
// Times are the caller's clock (passed in), so tests move time instead of sleeping; processes sharing
// one PostgreSQL are assumed to have synchronized clocks (NTP), with leases far longer than any skew.
import type { SqlDatabase, SqlParam } from './sql.js';

export type IdempotencyState = 'in_progress' | 'open' | 'completed';

export interface IdempotencyKeyRef {
  /** Who the key belongs to: keys of different callers never meet. */
  readonly scope: string;
  readonly operation: string;
  readonly key: string;
}

export interface IdempotencyRecord<Req = unknown, Res = unknown, Progress = unknown> extends IdempotencyKeyRef {
  readonly requestHash: string;
  readonly request: Req;
  readonly state: IdempotencyState;
  readonly stage: string | null;
  readonly progress: Progress | null;
  readonly result: Res | null;
  readonly correlationId: string;
  readonly leaseOwner: string | null;
  readonly leaseExpiresAt: Date | null;
  readonly attempts: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly completedAt: Date | null;
}

export type ClaimOutcome<Req, Res, Progress> =
  /** The caller holds the lease: a new record, or (resumed) one left open or abandoned. */
  | { readonly kind: 'claimed'; readonly record: IdempotencyRecord<Req, Res, Progress>; readonly resumed: boolean }
  /** Finished earlier with the same request: replay `record.result`. */
  | { readonly kind: 'completed'; readonly record: IdempotencyRecord<Req, Res, Progress> }
  /** Another worker holds a live lease on it. */
  | { readonly kind: 'in_progress'; readonly record: IdempotencyRecord<Req, Res, Progress> }
  /** The key was used with a different request. */
  | { readonly kind: 'reused'; readonly record: IdempotencyRecord<Req, Res, Progress> };

export interface ClaimInput<Req> extends IdempotencyKeyRef {
  readonly requestHash: string;
  readonly request: Req;
  readonly correlationId: string;
  readonly owner: string;
  readonly now: Date;
  readonly leaseMs: number;
}

interface Row {
  scope: string;
  operation: string;
  idempotency_key: string;
  request_hash: string;
  request: unknown;
  state: IdempotencyState;
  stage: string | null;
  progress: unknown;
  result: unknown;
  correlation_id: string;
  lease_owner: string | null;
  lease_expires_at: Date | string | null;
  attempts: number | string;
  created_at: Date | string;
  updated_at: Date | string;
  completed_at: Date | string | null;
}

const date = (value: Date | string) => (value instanceof Date ? value : new Date(value));
const json = (value: unknown): string => JSON.stringify(value ?? null);
const later = (now: Date, ms: number) => new Date(now.getTime() + ms);

function toRecord<Req, Res, Progress>(row: Row): IdempotencyRecord<Req, Res, Progress> {
  return {
    scope: row.scope,
    operation: row.operation,
    key: row.idempotency_key,
    requestHash: row.request_hash,
    request: row.request as Req,
    state: row.state,
    stage: row.stage,
    progress: (row.progress ?? null) as Progress | null,
    result: (row.result ?? null) as Res | null,
    correlationId: row.correlation_id,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at === null ? null : date(row.lease_expires_at),
    attempts: Number(row.attempts),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
    completedAt: row.completed_at === null ? null : date(row.completed_at),
  };
}

const PK = 'scope = $1 AND operation = $2 AND idempotency_key = $3';
const pk = (ref: IdempotencyKeyRef): SqlParam[] => [ref.scope, ref.operation, ref.key];

export class IdempotencyRecords {
  constructor(private readonly db: () => Promise<SqlDatabase>) {}

  async claim<Req, Res, Progress>(input: ClaimInput<Req>): Promise<ClaimOutcome<Req, Res, Progress>> {
    const db = await this.db();
    const inserted = await db.query<Row>(
      `INSERT INTO idempotency_records
         (scope, operation, idempotency_key, request_hash, request, state, correlation_id,
          lease_owner, lease_expires_at, attempts, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'in_progress', $6, $7, $8, 1, $9, $9)
       ON CONFLICT (scope, operation, idempotency_key) DO NOTHING
       RETURNING *`,
      [
        ...pk(input),
        input.requestHash,
        json(input.request),
        input.correlationId,
        input.owner,
        later(input.now, input.leaseMs),
        input.now,
      ],
    );
    if (inserted[0]) return { kind: 'claimed', record: toRecord(inserted[0]), resumed: false };

    const existing = await this.get<Req, Res, Progress>(input);
    // Purged between the two statements (older than the retention): claim it anew.
    if (existing === null) return this.claim(input);
    if (existing.requestHash !== input.requestHash) return { kind: 'reused', record: existing };
    if (existing.state === 'completed') return { kind: 'completed', record: existing };
    if (existing.leaseExpiresAt !== null && existing.leaseExpiresAt > input.now)
      return { kind: 'in_progress', record: existing };

    const taken = await db.query<Row>(
      `UPDATE idempotency_records
          SET state = 'in_progress', lease_owner = $4, lease_expires_at = $5, attempts = attempts + 1, updated_at = $6
        WHERE ${PK} AND state <> 'completed' AND (lease_expires_at IS NULL OR lease_expires_at <= $6)
        RETURNING *`,
      [...pk(input), input.owner, later(input.now, input.leaseMs), input.now],
    );
    if (taken[0]) return { kind: 'claimed', record: toRecord(taken[0]), resumed: true };
    // Someone else took it (or finished it) in between.
    const now = await this.get<Req, Res, Progress>(input);
    if (now?.state === 'completed') return { kind: 'completed', record: now };
    return { kind: 'in_progress', record: now ?? existing };
  }

  async get<Req, Res, Progress>(ref: IdempotencyKeyRef): Promise<IdempotencyRecord<Req, Res, Progress> | null> {
    const db = await this.db();
    const rows = await db.query<Row>(`SELECT * FROM idempotency_records WHERE ${PK}`, pk(ref));
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Extends the lease; false when `owner` no longer holds it (it expired and was taken over). */
  async renew(ref: IdempotencyKeyRef, owner: string, now: Date, leaseMs: number): Promise<boolean> {
    const db = await this.db();
    const rows = await db.query(
      `UPDATE idempotency_records SET lease_expires_at = $5, updated_at = $6
        WHERE ${PK} AND lease_owner = $4 AND state = 'in_progress'
        RETURNING 1`,
      [...pk(ref), owner, later(now, leaseMs), now],
    );
    return rows.length === 1;
  }

  /**
   * Records how far the work got, only while `owner` holds a live lease: false means the lease is
   * lost and the caller must stop before touching another system.
   */
  async advance(
    ref: IdempotencyKeyRef,
    owner: string,
    stage: string | null,
    progress: unknown,
    now: Date,
  ): Promise<boolean> {
    const db = await this.db();
    const rows = await db.query(
      `UPDATE idempotency_records SET stage = $5, progress = $6, updated_at = $7
        WHERE ${PK} AND lease_owner = $4 AND state = 'in_progress' AND lease_expires_at > $7
        RETURNING 1`,
      [...pk(ref), owner, stage, json(progress), now],
    );
    return rows.length === 1;
  }

  /** Final: the result is replayed from now on. False when `owner` had lost the lease. */
  async complete(ref: IdempotencyKeyRef, owner: string, result: unknown, now: Date): Promise<boolean> {
    const db = await this.db();
    const rows = await db.query(
      `UPDATE idempotency_records
          SET state = 'completed', result = $5, stage = NULL, lease_owner = NULL, lease_expires_at = NULL,
              completed_at = $6, updated_at = $6
        WHERE ${PK} AND lease_owner = $4 AND state = 'in_progress'
        RETURNING 1`,
      [...pk(ref), owner, json(result), now],
    );
    return rows.length === 1;
  }

  /**
   * Not final: gives the lease up with the latest (non-final) result. A non-null `stage` marks work
   * left in another system that the sweeper must finish.
   */
  async release(
    ref: IdempotencyKeyRef,
    owner: string,
    result: unknown,
    stage: string | null,
    progress: unknown,
    now: Date,
  ): Promise<boolean> {
    const db = await this.db();
    const rows = await db.query(
      `UPDATE idempotency_records
          SET state = 'open', result = $5, stage = $6, progress = $7, lease_owner = NULL, lease_expires_at = NULL, updated_at = $8
        WHERE ${PK} AND lease_owner = $4 AND state = 'in_progress'
        RETURNING 1`,
      [...pk(ref), owner, json(result), stage, json(progress), now],
    );
    return rows.length === 1;
  }

  /**
   * Records the sweeper should look at: abandoned (in progress, lease expired: the worker died) or
   * released with unfinished work in another system (stage set). Oldest first.
   */
  async unfinished<Req, Res, Progress>(
    operation: string,
    now: Date,
    limit: number,
  ): Promise<IdempotencyRecord<Req, Res, Progress>[]> {
    const db = await this.db();
    const rows = await db.query<Row>(
      `SELECT * FROM idempotency_records
        WHERE operation = $1 AND state <> 'completed'
          AND (lease_expires_at IS NULL OR lease_expires_at <= $2)
          AND (state = 'in_progress' OR stage IS NOT NULL)
        ORDER BY updated_at
        LIMIT $3`,
      [operation, now, limit],
    );
    return rows.map((row) => toRecord<Req, Res, Progress>(row));
  }

  /**
   * Completed records still worth watching: finished at or after `since`, with `progressKey` set in
   * their progress (e.g. a create whose answer was lost, which the ERP may still commit late). Most
   * recently completed first.
   */
  async completedWithProgress<Req, Res, Progress>(
    operation: string,
    progressKey: string,
    since: Date,
    limit: number,
  ): Promise<IdempotencyRecord<Req, Res, Progress>[]> {
    const db = await this.db();
    const rows = await db.query<Row>(
      `SELECT * FROM idempotency_records
        WHERE operation = $1 AND state = 'completed' AND completed_at >= $2 AND progress ->> $3 IS NOT NULL
        ORDER BY completed_at DESC
        LIMIT $4`,
      [operation, since, progressKey, limit],
    );
    return rows.map((row) => toRecord<Req, Res, Progress>(row));
  }

  /**
   * Deletes records that need nothing more — completed ones, and open ones with no unfinished work
   * elsewhere — whose last activity (completion, else last update) is before `cutoff`: the retention
   * counts from when a result was last given out, so a key retried for a long while is not forgotten
   * right after it finally completed. Returns how many went.
   */
  async purge(cutoff: Date): Promise<number> {
    const db = await this.db();
    const rows = await db.query(
      `DELETE FROM idempotency_records
        WHERE COALESCE(completed_at, updated_at) < $1 AND (state = 'completed' OR (state = 'open' AND stage IS NULL))
        RETURNING 1`,
      [cutoff],
    );
    return rows.length;
  }
}
