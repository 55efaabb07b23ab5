// Named leases: an expiring lock held by one worker across processes (one INSERT ... ON CONFLICT DO
// UPDATE that only overwrites an expired lease or the holder's own). submitQuote holds one per quote,
// so two different idempotency keys for the same quote can never both create an ERP order.
import type { SqlDatabase } from './sql.js';

const later = (now: Date, ms: number) => new Date(now.getTime() + ms);

export class ResourceLeases {
  constructor(private readonly db: () => Promise<SqlDatabase>) {}

  /** True when `holder` now holds `name` until now + leaseMs at least (its own longer hold is kept). */
  async acquire(name: string, holder: string, now: Date, leaseMs: number): Promise<boolean> {
    const db = await this.db();
    const rows = await db.query(
      `INSERT INTO resource_leases (name, holder, acquired_at, expires_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, acquired_at = EXCLUDED.acquired_at,
              expires_at = CASE WHEN resource_leases.holder = EXCLUDED.holder
                                THEN GREATEST(resource_leases.expires_at, EXCLUDED.expires_at) ELSE EXCLUDED.expires_at END
        WHERE resource_leases.expires_at <= EXCLUDED.acquired_at OR resource_leases.holder = EXCLUDED.holder
       RETURNING 1`,
      [name, holder, now, later(now, leaseMs)],
    );
    return rows.length === 1;
  }

  /**
   * Extends the holder's lease to at least now + leaseMs. Never shortens it: a lease held on purpose
   * past its usual length (submitQuote's settle window) survives the holder's next heartbeat.
   */
  async renew(name: string, holder: string, now: Date, leaseMs: number): Promise<boolean> {
    const db = await this.db();
    const rows = await db.query(
      'UPDATE resource_leases SET expires_at = GREATEST(expires_at, $3) WHERE name = $1 AND holder = $2 RETURNING 1',
      [name, holder, later(now, leaseMs)],
    );
    return rows.length === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    const db = await this.db();
    await db.query('DELETE FROM resource_leases WHERE name = $1 AND holder = $2', [name, holder]);
  }

  /** Drops leases that expired before `cutoff` (their holders are gone). */
  async purge(cutoff: Date): Promise<number> {
    const db = await this.db();
    return (await db.query('DELETE FROM resource_leases WHERE expires_at < $1 RETURNING 1', [cutoff])).length;
  }
}
