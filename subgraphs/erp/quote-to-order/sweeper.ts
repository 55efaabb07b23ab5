// The sweeper: finishes submissions left unfinished (README, "Quote to order"). It runs once when the
// service starts — a process that died mid-submission left records in progress whose leases have
// since run out — and then periodically, for submissions released with work still open in another
// system (the ERP accepted, Salesforce was down; or a rejection not yet written to the quote). Each
// sweep also re-checks completed submissions that once lost a create's answer for an order the ERP
// committed late (a duplicate: submit-quote.ts watchCompleted), and purges idempotency records past
// their retention (at least 24 hours).
import type { Store } from '../../../connectors/store/index.js';
import type { Logger } from '../../../lib/logger.js';
import type { QuoteSubmitter } from './submit-quote.js';
import { SUBMIT_QUOTE_OPERATION } from './submission-request.js';

const MIN_RETENTION_MS = 24 * 3600_000;
/** Records looked at per sweep; the next sweep takes the rest. */
const BATCH = 50;

export interface SweeperOptions {
  readonly intervalMs: number;
  /** Idempotency records are kept this long (never less than 24 hours). */
  readonly retentionMs: number;
}

export interface SweepReport {
  readonly examined: number;
  readonly finished: number;
  /** Completed submissions found with a duplicate order (removed or flagged). */
  readonly duplicates: number;
  readonly purged: number;
}

export class SubmissionSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SweepReport> | undefined;

  constructor(
    private readonly deps: {
      store: Store;
      submitter: QuoteSubmitter;
      clock: () => Date;
      logger: Logger;
      options: SweeperOptions;
    },
  ) {}

  /**
   * Sweeps now (in the background) and every intervalMs. An embedded store that was never created
   * holds nothing to sweep, and is not created just for that.
   */
  start(): void {
    const tick = () => {
      if (!this.deps.store.mayHoldData()) return;
      this.sweep().catch((error: unknown) =>
        this.deps.logger.warn({ err: error }, 'sweeper: sweep failed; next one in a while'),
      );
    };
    tick();
    this.timer = setInterval(tick, this.deps.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One sweep; concurrent calls share it. */
  sweep(): Promise<SweepReport> {
    this.running ??= this.sweepOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sweepOnce(): Promise<SweepReport> {
    const { store, submitter, clock, logger, options } = this.deps;
    const records = await store.idempotency.unfinished<never, never, never>(SUBMIT_QUOTE_OPERATION, clock(), BATCH);
    let finished = 0;
    for (const record of records) {
      try {
        const outcome = await submitter.recover(record);
        if (outcome !== null) {
          finished += outcome.status === 'ACCEPTED_BY_ERP' || outcome.status === 'REJECTED_BY_ERP' ? 1 : 0;
          logger.info(
            { idempotencyKey: record.key, scope: record.scope, status: outcome.status },
            'sweeper: took over an unfinished submission',
          );
        }
      } catch (error) {
        logger.warn(
          { err: error, idempotencyKey: record.key },
          'sweeper: could not finish a submission; next sweep retries',
        );
      }
    }
    const duplicates = await submitter.watchCompleted(options.retentionMs).catch((error: unknown) => {
      logger.warn({ err: error }, 'sweeper: duplicate watch failed; next sweep retries');
      return 0;
    });
    const cutoff = new Date(clock().getTime() - Math.max(options.retentionMs, MIN_RETENTION_MS));
    const purged = (await store.idempotency.purge(cutoff)) + (await store.leases.purge(cutoff));
    return { examined: records.length, finished, duplicates, purged };
  }
}
