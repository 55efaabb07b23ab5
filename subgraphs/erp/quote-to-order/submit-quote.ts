// submitQuote: a Salesforce quote becomes exactly one ERP sales order (README, "Quote to order"). This
// module holds the idempotency key and the leases around a run; the run itself is
// submission-flow.ts, the duplicate remedy duplicates.ts.
//
// Never a second order: every path looks up ALL orders carrying the quote's external document
// number (uncached) before creating one; one lease per quote keeps two keys for the same quote apart,
// and a key whose create has an unknown outcome keeps it through the settle window (so no other key
// sends a second order while the ERP may still be committing the first); the key's lease (renewed
// while working) keeps a second worker out while the first lives. None left silent: an ERP that
// commits later than the settle window can still leave a second order, so replays and the sweeper
// look again after completion and remove (or flag) what the submission does not account for. Never a
// lost write-back: a record whose order exists but whose quote is not updated keeps its stage, so
// the next retry with the key, or the sweeper (sweeper.ts), finds the order and finishes it.
import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { ErpOrder, ErpPort } from '../../../connectors/erp/port.js';
import type { SalesforceConnector } from '../../../connectors/salesforce/types.js';
import type { IdempotencyKeyRef, Store } from '../../../connectors/store/index.js';
import { ErrorCode } from '../../../lib/error-codes.js';
import type { Logger } from '../../../lib/logger.js';
import { AuditedWrites } from './audited-writes.js';
import { DuplicateResolver, duplicateFlagText } from './duplicates.js';
import type { QuoteToOrderMetrics } from './metrics.js';
import { FINAL_STATUSES, type QuoteErpSyncSnapshot, type SubmitOutcome } from './model.js';
import { Crash, type StepProbe } from './probe.js';
import { quoteExternalDocumentNumber } from './quote-reference.js';
import { flaggedMessage, QuoteWriteBack, SYNC_STATUS, type CacheInvalidator } from './quote-sync.js';
import {
  LeaseLost,
  SubmissionFlow,
  type Progress,
  type RunResult,
  type Stage,
  type SubmitRecord,
} from './submission-flow.js';
import {
  idempotencyKeyArgument,
  quoteIdArgument,
  requestHash,
  SUBMIT_QUOTE_OPERATION,
  type SubmitQuoteRequest,
} from './submission-request.js';
import type { SubmittablePolicy } from './submittable.js';

export type { CacheInvalidator } from './quote-sync.js';
export type { StepProbe, SubmitStep } from './probe.js';

export interface SubmitTiming {
  /** How long a worker's claim lasts without renewal (renewed every third of it while it works). */
  readonly leaseMs: number;
  /**
   * After an attempt whose ERP outcome is unknown (timeout, dropped connection, 5xx), how long —
   * counted from when we gave up on its answer — to keep waiting for the order to show up before
   * sending it again, with any key for the quote: longer than the ERP can still be working on it
   * (the ERP call's timeout plus the longest commit delay the deployment expects: config.ts).
   */
  readonly settleMs: number;
}

export interface QuoteSubmitterDeps {
  readonly store: Store;
  /** Reads (uncached) and the quote write-back. */
  readonly salesforce: SalesforceConnector;
  /** createSalesOrder and deleteSalesOrder (the shielded port also drops the cache entries they affect). */
  readonly erp: ErpPort;
  /** Fresh ERP reads: the shield's uncached port, or the plain port. */
  readonly erpReads: ErpPort;
  readonly invalidate: CacheInvalidator;
  readonly clock: () => Date;
  readonly logger: Logger;
  readonly timing: SubmitTiming;
  /** Which quote statuses may become orders. */
  readonly policy: SubmittablePolicy;
  readonly metrics: QuoteToOrderMetrics;
  /** Names this process in lease owners (logs, debugging). */
  readonly instanceId: string;
  /** Test seam: throwing here is a crash (nothing after it runs, leases are left to expire). */
  readonly probe?: StepProbe;
}

export interface SubmitCaller {
  /** The caller scope of the key (until access control exists, 'anonymous'). */
  readonly caller: string;
  readonly correlationId: string;
}

export interface SubmitAnswer {
  readonly outcome: SubmitOutcome;
  readonly replayed: boolean;
  /** The order as the ERP returned it in this call (null when not read: resolve it by number). */
  readonly order: ErpOrder | null;
}

/** Completed records the sweeper re-checks for a late duplicate per sweep (most recent first). */
const WATCH_BATCH = 200;
const MIN_RETENTION_MS = 24 * 3600_000;

function refused(code: ErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

const quoteLeaseName = (quoteId: string) => `submitQuote:${quoteExternalDocumentNumber(quoteId)}`;

export class QuoteSubmitter {
  private readonly writes: AuditedWrites;
  private readonly duplicates: DuplicateResolver;

  constructor(private readonly deps: QuoteSubmitterDeps) {
    this.writes = new AuditedWrites({
      erp: deps.erp,
      salesforce: deps.salesforce,
      audit: deps.store.audit,
      clock: deps.clock,
      logger: deps.logger,
      // A simulated crash leaves the audit entry of the write under way pending, as a real one does.
      abandons: (error) => error instanceof Crash,
    });
    this.duplicates = new DuplicateResolver({
      writes: this.writes,
      audit: deps.store.audit,
      metrics: deps.metrics,
      logger: deps.logger,
      clock: deps.clock,
    });
  }

  /** The mutation: checks the input, claims the key, then runs or replays. */
  async submit(input: { quoteId: unknown; idempotencyKey: unknown }, caller: SubmitCaller): Promise<SubmitAnswer> {
    const key = idempotencyKeyArgument(input.idempotencyKey);
    const request: SubmitQuoteRequest = { quoteId: quoteIdArgument('input.quoteId', input.quoteId) };
    const owner = this.newOwner();
    const claim = await this.deps.store.idempotency.claim<SubmitQuoteRequest, SubmitOutcome, Progress>({
      scope: caller.caller,
      operation: SUBMIT_QUOTE_OPERATION,
      key,
      requestHash: requestHash(SUBMIT_QUOTE_OPERATION, request),
      request,
      correlationId: caller.correlationId,
      owner,
      now: this.deps.clock(),
      leaseMs: this.deps.timing.leaseMs,
    });
    switch (claim.kind) {
      case 'reused':
        throw refused(
          ErrorCode.IDEMPOTENCY_KEY_REUSED,
          // The other request's content is not this caller's business: name the key only.
          `Idempotency key "${key}" was already used for another request. Use a new key for a new request.`,
        );
      case 'in_progress':
        throw refused(
          ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS,
          `A submission with idempotency key "${key}" is in progress. Retry with the same key shortly to get its result.`,
        );
      case 'completed':
        // The first result, unchanged; but the ERP is asked again for the quote's orders, so a
        // duplicate committed after completion is found by the next caller who asks.
        return {
          outcome: claim.record.result!,
          replayed: true,
          order: await this.reconcile(claim.record, caller.correlationId),
        };
      case 'claimed':
        return this.process(claim.record, owner, caller.correlationId, 'client');
    }
  }

  /**
   * The sweeper's entry: takes over an unfinished record (if nobody else holds it) and finishes what
   * was started in the ERP. It never creates an order on its own: with nothing in the ERP it releases
   * the record as RETRY_REQUIRED for the client's next retry. Null when someone else holds it.
   */
  async recover(record: SubmitRecord): Promise<SubmitOutcome | null> {
    const owner = this.newOwner();
    const claim = await this.deps.store.idempotency.claim<SubmitQuoteRequest, SubmitOutcome, Progress>({
      scope: record.scope,
      operation: record.operation,
      key: record.key,
      requestHash: record.requestHash,
      request: record.request,
      correlationId: record.correlationId,
      owner,
      now: this.deps.clock(),
      leaseMs: this.deps.timing.leaseMs,
    });
    if (claim.kind !== 'claimed') return null;
    // The writes carry the correlation id of the call that started it: one id for the whole story.
    return (await this.process(claim.record, owner, claim.record.correlationId, 'sweeper')).outcome;
  }

  /**
   * The sweeper's duplicate watch: completed submissions that once lost a create's answer, within the
   * retention, looked up in ONE ERP read; those with more orders than they account for are resolved.
   * Returns how many quotes had a duplicate.
   */
  async watchCompleted(retentionMs: number): Promise<number> {
    const { store, clock, erpReads } = this.deps;
    const since = new Date(clock().getTime() - Math.max(retentionMs, MIN_RETENTION_MS));
    const records = await store.idempotency.completedWithProgress<SubmitQuoteRequest, SubmitOutcome, Progress>(
      SUBMIT_QUOTE_OPERATION,
      'unconfirmedCreateAt',
      since,
      WATCH_BATCH,
    );
    // One record per quote, an accepted one where there is one (it accounts for an order).
    const byReference = new Map<string, SubmitRecord>();
    for (const record of records) {
      const reference = quoteExternalDocumentNumber(record.request.quoteId);
      const seen = byReference.get(reference);
      if (!seen || (seen.result?.status !== 'ACCEPTED_BY_ERP' && record.result?.status === 'ACCEPTED_BY_ERP'))
        byReference.set(reference, record);
    }
    if (byReference.size === 0) return 0;
    const orders = await erpReads.ordersByExternalDocumentNumbers([...byReference.keys()], {
      correlationId: `sweeper-${randomUUID()}`,
    });
    let found = 0;
    for (const [reference, record] of byReference) {
      const carrying = orders.get(reference) ?? [];
      if (carrying.length > expectedOrders(record)) {
        found += 1;
        await this.reconcile(record, record.correlationId, carrying);
      }
    }
    return found;
  }

  /**
   * After completion: every order carrying the quote's reference, against what the result accounts
   * for (one when accepted, none otherwise). More than that is a duplicate the ERP committed late:
   * resolved under the quote's lease (skipped if a submission holds it: it looks up all orders
   * itself), and the quote brought up to date (the kept order, or the flag). Best effort: a replay
   * never fails because of it. Returns the result's order when it is among those read.
   */
  private async reconcile(
    record: SubmitRecord,
    correlationId: string,
    known?: readonly ErpOrder[],
  ): Promise<ErpOrder | null> {
    const outcome = record.result!;
    if (outcome.status !== 'ACCEPTED_BY_ERP' && record.progress?.unconfirmedCreateAt === undefined) return null;
    const { store, clock, timing, logger, erpReads } = this.deps;
    const reference = quoteExternalDocumentNumber(record.request.quoteId);
    const ctx = { caller: record.scope, correlationId, idempotencyKey: record.key };
    try {
      const orders =
        known ?? (await erpReads.ordersByExternalDocumentNumbers([reference], { correlationId })).get(reference) ?? [];
      const ours = orders.find((order) => order.number === outcome.orderNumber) ?? null;
      if (orders.length <= expectedOrders(record)) return ours;
      const lease = quoteLeaseName(record.request.quoteId);
      const holder = `reconcile:${this.newOwner()}`;
      if (!(await store.leases.acquire(lease, holder, clock(), timing.leaseMs))) return ours;
      try {
        const keep = outcome.status === 'ACCEPTED_BY_ERP';
        const resolution = await this.duplicates.resolve(reference, orders, { keep, named: outcome.orderNumber }, ctx);
        const { kept, stuck } = resolution;
        const writeBack = new QuoteWriteBack(
          {
            salesforce: this.deps.salesforce,
            writes: this.writes,
            audit: store.audit,
            clock,
            invalidate: this.deps.invalidate,
          },
          record.request.quoteId,
          ctx,
        );
        const flag =
          stuck.length > 0 ? flaggedMessage('ERP_DUPLICATE_ORDER', duplicateFlagText(reference, kept, stuck)) : null;
        const now = clock().toISOString();
        let desired: QuoteErpSyncSnapshot | null = null;
        if (flag !== null)
          desired = { orderNumber: kept?.number ?? null, status: SYNC_STATUS.error, message: flag, lastSyncAt: now };
        else if (kept !== null)
          desired = {
            orderNumber: kept.number,
            status: SYNC_STATUS.accepted,
            message: `ERP order ${kept.number} confirmed; duplicate orders carrying ${reference} removed.`,
            lastSyncAt: now,
          };
        if (desired !== null) {
          const { wrote } = await writeBack.apply(desired, { accountId: record.progress?.accountId ?? null });
          if (flag !== null && wrote) this.deps.metrics.duplicateOrder('flagged', stuck.length);
        }
        return kept !== null && kept.number === outcome.orderNumber ? kept : null;
      } finally {
        await store.leases.release(lease, holder).catch(() => undefined);
      }
    } catch (error) {
      logger.warn(
        { err: error, idempotencyKey: record.key, quoteId: record.request.quoteId },
        'submitQuote: duplicate check after completion failed; the next replay or sweep looks again',
      );
      return null;
    }
  }

  private newOwner(): string {
    return `${this.deps.instanceId}:${randomUUID()}`;
  }

  private async process(
    record: SubmitRecord,
    owner: string,
    correlationId: string,
    mode: 'client' | 'sweeper',
  ): Promise<SubmitAnswer> {
    const { store, clock, timing, logger } = this.deps;
    const ref: IdempotencyKeyRef = { scope: record.scope, operation: record.operation, key: record.key };
    const quoteLease = quoteLeaseName(record.request.quoteId);
    // The quote lease belongs to the key, not to this run: a key whose create has an unknown outcome
    // keeps the quote for the settle window (below), and its own retries (or the sweeper acting for
    // it) must get back in to look the order up. Two runs of one key are kept apart by the key's lease.
    const quoteHolder = `key:${record.scope}:${record.key}`;
    const log = logger.child({
      idempotencyKey: record.key,
      quoteId: record.request.quoteId,
      attempt: record.attempts,
      mode,
    });
    let holdsQuoteLease = false;
    let crashed = false;
    // The quote lease is the key's, not this run's: a run that lost the key's lease to a takeover
    // must not release the quote from under the worker that took over.
    let lostKey = false;

    // Renew both leases while working; a failed renewal is noticed at the next stage change.
    const heartbeat = setInterval(
      () => {
        const now = clock();
        void store.idempotency
          .renew(ref, owner, now, timing.leaseMs)
          .catch((error: unknown) => log.warn({ err: error }, 'submitQuote: lease renewal failed'));
        if (holdsQuoteLease)
          void store.leases.renew(quoteLease, quoteHolder, now, timing.leaseMs).catch(() => undefined);
      },
      Math.max(10, Math.floor(timing.leaseMs / 3)),
    );
    heartbeat.unref();

    const finish = (result: RunResult): SubmitOutcome => ({
      ...result.outcome,
      quoteId: record.request.quoteId,
      correlationId,
      idempotencyKey: record.key,
      processedAt: clock().toISOString(),
    });

    let flow: SubmissionFlow | undefined;
    /** The stage the run ended with (undefined: it ended by throwing). */
    let endStage: Stage | null | undefined;
    try {
      flow = new SubmissionFlow(this.deps, this.writes, this.duplicates, record, owner, ref, mode, {
        caller: record.scope,
        correlationId,
        idempotencyKey: record.key,
      });
      holdsQuoteLease = await store.leases.acquire(quoteLease, quoteHolder, clock(), timing.leaseMs);
      const result = holdsQuoteLease ? await flow.run() : flow.quoteBusy();
      endStage = result.stage;
      const outcome = finish(result);
      const final = FINAL_STATUSES.has(outcome.status);
      const stored = final
        ? await store.idempotency.complete(ref, owner, outcome, clock())
        : await store.idempotency.release(ref, owner, outcome, result.stage, result.progress, clock());
      if (!stored) {
        lostKey = true;
        log.warn(
          { status: outcome.status },
          'submitQuote: lease lost before the result was stored; the next worker redoes the (idempotent) rest',
        );
      }
      log.info(
        { status: outcome.status, reasonCode: outcome.reasonCode, orderNumber: outcome.orderNumber },
        'submitQuote: done',
      );
      return { outcome, replayed: false, order: result.order };
    } catch (error) {
      if (error instanceof Crash) {
        crashed = true;
        throw error;
      }
      if (error instanceof LeaseLost) {
        lostKey = true;
        throw refused(
          ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS,
          `Another worker took over idempotency key "${record.key}". Retry with the same key to get its result.`,
        );
      }
      // Unexpected (a bug, the store failing): give the key back so a retry need not wait for the
      // lease, with the stage and progress exactly as recorded, so recovery still knows what may exist
      // in the ERP. A record that cannot be read is not released (a release with a guessed stage could
      // wipe the recovery marker): its lease runs out instead.
      log.error({ err: error }, 'submitQuote: unexpected failure');
      const current = await store.idempotency.get<SubmitQuoteRequest, SubmitOutcome, Progress>(ref).catch(() => null);
      if (current !== null && current.leaseOwner === owner) {
        await store.idempotency
          .release(ref, owner, current.result, current.stage, current.progress, clock())
          .catch(() => undefined);
      }
      // Once a create may have reached the ERP, the caller must not hear "failed, try again" (a new
      // key would risk a second order): the outcome is unknown, and the same key settles it.
      if (flow?.mayHaveOrder()) return { outcome: finish(flow.interrupted()), replayed: false, order: null };
      throw error;
    } finally {
      clearInterval(heartbeat);
      // A crashed process releases nothing: its leases run out, as after a real crash.
      if (holdsQuoteLease && !crashed && !lostKey) {
        const unknownSince =
          endStage === undefined || endStage === 'order_submitting' ? (flow?.outcomeUnknownSince() ?? null) : null;
        await this.releaseQuote(quoteLease, quoteHolder, unknownSince);
      }
    }
  }

  /**
   * Gives the quote up, unless a create sent for it has an unknown outcome: then the quote stays held
   * (by this key) until the settle window has passed, so no other key for the quote can look, miss an
   * order the ERP is still creating, and send a second one (README, "Quote to order": one order per
   * quote). This key's retries and the sweeper get in, look the order up, and wait out the rest.
   */
  private async releaseQuote(name: string, holder: string, unknownSince: Date | null): Promise<void> {
    const { store, clock, timing } = this.deps;
    if (unknownSince === null) {
      await store.leases.release(name, holder).catch(() => undefined);
      return;
    }
    const now = clock();
    const holdMs = Math.max(timing.leaseMs, unknownSince.getTime() + timing.settleMs - now.getTime());
    await store.leases.renew(name, holder, now, holdMs).catch(() => undefined);
  }
}

/** Orders a completed submission accounts for: its accepted order, or none. */
function expectedOrders(record: SubmitRecord): number {
  return record.result?.status === 'ACCEPTED_BY_ERP' ? 1 : 0;
}
