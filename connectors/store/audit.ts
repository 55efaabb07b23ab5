// The audit log of every write to the ERP or Salesforce (DESIGN.md: "Every ERP write stores request,
// response, status and correlation id"). An entry is written 'pending' BEFORE the call and finished
// after it: a process that dies mid-call leaves a pending entry, the trace of a write whose outcome
// nobody learnt, instead of nothing.
import type { SqlDatabase } from './sql.js';

export type AuditSystem = 'erp' | 'salesforce';
export type AuditStatus = 'pending' | 'succeeded' | 'failed';

export interface AuditStart {
  readonly system: AuditSystem;
  /** The connector operation, e.g. createSalesOrder, updateQuotesErpSync, updateAccount. */
  readonly operation: string;
  /** What was written: an external document number, a Salesforce id. */
  readonly target: string | null;
  readonly caller: string;
  readonly correlationId: string;
  readonly idempotencyKey: string | null;
  readonly request: unknown;
  readonly startedAt: Date;
}

export interface AuditEntry extends AuditStart {
  readonly id: number;
  readonly status: AuditStatus;
  readonly response: unknown;
  readonly error: unknown;
  readonly finishedAt: Date | null;
}

export interface AuditFilter {
  readonly system?: AuditSystem;
  readonly target?: string;
  readonly correlationId?: string;
  readonly idempotencyKey?: string;
}

interface Row {
  id: number | string;
  system: AuditSystem;
  operation: string;
  target: string | null;
  caller: string;
  correlation_id: string;
  idempotency_key: string | null;
  status: AuditStatus;
  request: unknown;
  response: unknown;
  error: unknown;
  started_at: Date | string;
  finished_at: Date | string | null;
}

const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
const date = (value: Date | string) => (value instanceof Date ? value : new Date(value));

export class AuditLog {
  constructor(private readonly db: () => Promise<SqlDatabase>) {}

  /** Writes the pending entry; returns its id for finish(). */
  async begin(entry: AuditStart): Promise<number> {
    const db = await this.db();
    const [row] = await db.query<{ id: number | string }>(
      `INSERT INTO audit_log (system, operation, target, caller, correlation_id, idempotency_key, status, request, started_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8) RETURNING id`,
      [
        entry.system,
        entry.operation,
        entry.target,
        entry.caller,
        entry.correlationId,
        entry.idempotencyKey,
        json(entry.request),
        entry.startedAt,
      ],
    );
    return Number(row!.id);
  }

  async finish(
    id: number,
    outcome: { status: 'succeeded' | 'failed'; response?: unknown; error?: unknown; finishedAt: Date },
  ): Promise<void> {
    const db = await this.db();
    await db.query('UPDATE audit_log SET status = $2, response = $3, error = $4, finished_at = $5 WHERE id = $1', [
      id,
      outcome.status,
      json(outcome.response),
      json(outcome.error),
      outcome.finishedAt,
    ]);
  }

  /**
   * Finishes the entries still `pending` for one write of one submission (caller, idempotency key,
   * operation, target): the trace a process that died mid-call left behind, once a later run (a
   * retry, the sweeper) has learnt what became of that write. The outcome says how it was learnt
   * (e.g. `{ settledBy: 'recovery', ... }`). Returns how many entries it finished.
   */
  async settlePending(
    match: {
      readonly caller: string;
      readonly idempotencyKey: string;
      readonly operation: string;
      readonly target: string;
    },
    outcome: { status: 'succeeded' | 'failed'; response?: unknown; error?: unknown; finishedAt: Date },
  ): Promise<number> {
    const db = await this.db();
    const rows = await db.query(
      `UPDATE audit_log SET status = $5, response = $6, error = $7, finished_at = $8
        WHERE status = 'pending' AND caller = $1 AND idempotency_key = $2 AND operation = $3 AND target = $4
        RETURNING 1`,
      [
        match.caller,
        match.idempotencyKey,
        match.operation,
        match.target,
        outcome.status,
        json(outcome.response),
        json(outcome.error),
        outcome.finishedAt,
      ],
    );
    return rows.length;
  }

  /** Entries matching every given filter, oldest first. */
  async list(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const db = await this.db();
    const conditions: string[] = [];
    const params: string[] = [];
    const where = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      params.push(value);
      conditions.push(`${column} = $${params.length}`);
    };
    where('system', filter.system);
    where('target', filter.target);
    where('correlation_id', filter.correlationId);
    where('idempotency_key', filter.idempotencyKey);
    const rows = await db.query<Row>(
      `SELECT * FROM audit_log ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY id`,
      params,
    );
    return rows.map((row) => ({
      id: Number(row.id),
      system: row.system,
      operation: row.operation,
      target: row.target,
      caller: row.caller,
      correlationId: row.correlation_id,
      idempotencyKey: row.idempotency_key,
      status: row.status,
      request: row.request,
      response: row.response ?? null,
      error: row.error ?? null,
      startedAt: date(row.started_at),
      finishedAt: row.finished_at === null ? null : date(row.finished_at),
    }));
  }
}
