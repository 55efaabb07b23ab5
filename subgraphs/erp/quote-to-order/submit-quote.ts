// submitQuote: a Salesforce quote becomes exactly one ERP sales order (DESIGN.md "Idempotency").
//
//   claim the key ─ lease on the quote ─ order already in the ERP? ──yes──────────────┐
//                                            │ no                                      │
//                                  read + validate (fresh) ─ rejected → quote "Rejected", REJECTED_BY_ERP
//                                            │ acceptable                              │
//                          stage order_submitting ─ createSalesOrder ─ stage order_created
//                                                                                      │
//                          Salesforce quote "Accepted" (one collections call) ─ invalidate ─ complete
//
// Never a second order: every path looks the order up by its external document number (uncached)
// before creating one; one lease per quote keeps two keys for the same quote apart, and a key whose
// create has an unknown outcome keeps it through the settle window (so no other key sends a second
// order while the ERP may still be committing the first); the key's lease
// (renewed while working) keeps a second worker out while the first lives. Never a lost write-back:
// a record whose order exists but whose quote is not updated keeps its stage, so the next retry with
// the key, or the sweeper (sweeper.ts), finds the order and finishes the write-back.
//
// Statuses: ACCEPTED_BY_ERP and REJECTED_BY_ERP are final (stored, replayed). RETRY_REQUIRED: nothing
// reached the ERP (it or Salesforce was unavailable); retrying with the same key is safe. PENDING_ERP:
// the ERP has, or may have, the order but the submission is unfinished (its answer was lost, or the
// Salesforce write-back failed); retrying with the same key, or the sweeper, finishes it.
import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { ErpOrder, ErpPort, NewSalesOrder } from '../../../connectors/erp/port.js';
import type { SalesforceConnector } from '../../../connectors/salesforce/types.js';
import type { IdempotencyKeyRef, IdempotencyRecord, Store } from '../../../connectors/store/index.js';
import { isBackendError, type BackendError, type BackendName } from '../../../lib/backend-error.js';
import { ErrorCode } from '../../../lib/error-codes.js';
import type { Logger } from '../../../lib/logger.js';
import { ShieldRejectedError, type CacheKind } from '../../../shield/index.js';
import { AuditedWrites, type WriteContext } from './audited-writes.js';
import { readQuoteFacts } from './facts.js';
import {
  FINAL_STATUSES,
  type QuoteErpSyncSnapshot,
  type ReasonCode,
  type SubmitOutcome,
  type SubmitStatus,
} from './model.js';
import { firstOrder, quoteExternalDocumentNumber } from './quote-reference.js';
import {
  idempotencyKeyArgument,
  quoteIdArgument,
  requestHash,
  SUBMIT_QUOTE_OPERATION,
  type SubmitQuoteRequest,
} from './submission-request.js';
import { evaluateQuote, type QuoteFacts } from './validation.js';

/** Points of the flow where a test can simulate the process dying (the probe throws). */
export type SubmitStep = 'before-erp-call' | 'after-erp-accepted' | 'before-salesforce-update' | 'before-complete';
export type StepProbe = (step: SubmitStep, quoteId: string) => void | Promise<void>;

export type CacheInvalidator = (kind: CacheKind, keys: readonly string[]) => void;

export interface SubmitTiming {
  /** How long a worker's claim lasts without renewal (renewed every third of it while it works). */
  readonly leaseMs: number;
  /**
   * After an attempt whose ERP outcome is unknown (timeout, dropped connection, 5xx), how long —
   * counted from when we gave up on its answer — to keep waiting for the order to show up before
   * sending it again, with any key for the quote: longer than the ERP can still be working on it.
   */
  readonly settleMs: number;
}

export interface QuoteSubmitterDeps {
  readonly store: Store;
  /** Reads (uncached) and the quote write-back. */
  readonly salesforce: SalesforceConnector;
  /** createSalesOrder (the shielded port also drops the cache entries it affects). */
  readonly erp: ErpPort;
  /** Fresh ERP reads: the shield's uncached port, or the plain port. */
  readonly erpReads: ErpPort;
  readonly invalidate: CacheInvalidator;
  readonly clock: () => Date;
  readonly logger: Logger;
  readonly timing: SubmitTiming;
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
  /** The order as the ERP returned it in this call (null on replays: resolve it by number). */
  readonly order: ErpOrder | null;
}

/**
 * order_submitting: a create was (or may have been) sent and its outcome is unknown; order_created:
 * the ERP has the order, the write-back is unfinished; rejection_pending: the quote was rejected
 * (nothing in the ERP) but marking it "Rejected" in Salesforce failed.
 */
type Stage = 'order_submitting' | 'order_created' | 'rejection_pending';

interface Progress {
  readonly customerNumber?: string;
  readonly accountId?: string | null;
  readonly orderNumber?: string;
  /** When the create was (last) sent: ISO instant. */
  readonly submittedAt?: string;
  /**
   * When a failed create's outcome was found unknown (the connector gave up): ISO instant. The
   * settle window counts from here, not from submittedAt, so it covers the whole time the ERP may
   * still be working on a request we stopped waiting for (the write deadline ate into it otherwise).
   */
  readonly unknownSince?: string;
  /** rejection_pending: what the rejection said, to write it to the quote again. */
  readonly rejection?: { readonly reasonCodes: ReasonCode[]; readonly detail: string };
}

type SubmitRecord = IdempotencyRecord<SubmitQuoteRequest, SubmitOutcome, Progress>;

/** What one run ends with: stored as final, or released with the stage left for recovery. */
interface RunResult {
  readonly outcome: Omit<SubmitOutcome, 'correlationId' | 'idempotencyKey' | 'processedAt' | 'quoteId'>;
  readonly stage: Stage | null;
  readonly progress: Progress;
  readonly order: ErpOrder | null;
}

/** A simulated process death (the probe threw): nothing after it may run. */
class Crash extends Error {
  override readonly name = 'Crash';
}

/** Our lease expired and someone else took the record over: stop before touching another system. */
class LeaseLost extends Error {
  override readonly name = 'LeaseLost';
}

function refused(code: ErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

function backendOf(error: unknown): BackendName | null {
  return isBackendError(error) ? error.backend : null;
}

/**
 * A failed create that certainly created nothing: refused by our shield (open circuit, full
 * bulkhead), by the connector's input check before sending, by the ERP's rate limit (429) or its
 * authentication (401): not processed. Everything else (timeouts, 5xx, dropped connections) may
 * still commit in the ERP.
 */
function neverReachedErp(error: BackendError): boolean {
  return (
    error instanceof ShieldRejectedError ||
    error.failure === 'rate_limited' ||
    error.failure === 'unauthorized' ||
    error.details.backendCode === 'Connector_InvalidInput'
  );
}

/**
 * The ERP's own answer refusing the order (a 4xx validation error). A 408 comes from a proxy that
 * gave up waiting, not from the ERP: its outcome is unknown.
 */
function isDefiniteRefusal(error: BackendError): boolean {
  return error.failure === 'rejected' && error.details.status !== undefined && error.details.status !== 408;
}

/** Salesforce text fields hold 255 characters (ERP_Sync_Message__c is a plain text field). */
function syncMessage(text: string): string {
  return text.length <= 255 ? text : `${text.slice(0, 254)}…`;
}

export class QuoteSubmitter {
  private readonly writes: AuditedWrites;

  constructor(private readonly deps: QuoteSubmitterDeps) {
    this.writes = new AuditedWrites({
      erp: deps.erp,
      salesforce: deps.salesforce,
      audit: deps.store.audit,
      clock: deps.clock,
      logger: deps.logger,
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
        return { outcome: claim.record.result!, replayed: true, order: null };
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

  private newOwner(): string {
    return `${this.deps.instanceId}:${randomUUID()}`;
  }

  private async process(record: SubmitRecord, owner: string, correlationId: string, mode: 'client' | 'sweeper'): Promise<SubmitAnswer> {
    const { store, clock, timing, logger } = this.deps;
    const ref: IdempotencyKeyRef = { scope: record.scope, operation: record.operation, key: record.key };
    const quoteLease = `submitQuote:${quoteExternalDocumentNumber(record.request.quoteId)}`;
    // The quote lease belongs to the key, not to this run: a key whose create has an unknown outcome
    // keeps the quote for the settle window (below), and its own retries (or the sweeper acting for
    // it) must get back in to look the order up. Two runs of one key are kept apart by the key's lease.
    const quoteHolder = `key:${record.scope}:${record.key}`;
    const log = logger.child({ idempotencyKey: record.key, quoteId: record.request.quoteId, attempt: record.attempts, mode });
    let holdsQuoteLease = false;
    let crashed = false;
    // The quote lease is the key's, not this run's: a run that lost the key's lease to a takeover
    // must not release the quote from under the worker that took over.
    let lostKey = false;

    // Renew both leases while working; a failed renewal is noticed at the next stage change.
    const heartbeat = setInterval(() => {
      const now = clock();
      void store.idempotency.renew(ref, owner, now, timing.leaseMs).catch((error: unknown) => log.warn({ err: error }, 'submitQuote: lease renewal failed'));
      if (holdsQuoteLease) void store.leases.renew(quoteLease, quoteHolder, now, timing.leaseMs).catch(() => undefined);
    }, Math.max(10, Math.floor(timing.leaseMs / 3)));
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
      flow = new SubmissionFlow(this.deps, this.writes, record, owner, ref, mode, {
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
        log.warn({ status: outcome.status }, 'submitQuote: lease lost before the result was stored; the next worker redoes the (idempotent) rest');
      }
      log.info({ status: outcome.status, reasonCode: outcome.reasonCode, orderNumber: outcome.orderNumber }, 'submitQuote: done');
      return { outcome, replayed: false, order: result.order };
    } catch (error) {
      if (error instanceof Crash) {
        crashed = true;
        throw error;
      }
      if (error instanceof LeaseLost) {
        lostKey = true;
        throw refused(ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS, `Another worker took over idempotency key "${record.key}". Retry with the same key to get its result.`);
      }
      // Unexpected (a bug, the store failing): give the key back so a retry need not wait for the
      // lease, with the stage and progress exactly as recorded, so recovery still knows what may exist
      // in the ERP. A record that cannot be read is not released (a release with a guessed stage could
      // wipe the recovery marker): its lease runs out instead.
      log.error({ err: error }, 'submitQuote: unexpected failure');
      const current = await store.idempotency.get<SubmitQuoteRequest, SubmitOutcome, Progress>(ref).catch(() => null);
      if (current !== null && current.leaseOwner === owner) {
        await store.idempotency.release(ref, owner, current.result, current.stage, current.progress, clock()).catch(() => undefined);
      }
      throw error;
    } finally {
      clearInterval(heartbeat);
      // A crashed process releases nothing: its leases run out, as after a real crash.
      if (holdsQuoteLease && !crashed && !lostKey) {
        const unknownSince = endStage === undefined || endStage === 'order_submitting' ? (flow?.outcomeUnknownSince() ?? null) : null;
        await this.releaseQuote(quoteLease, quoteHolder, unknownSince);
      }
    }
  }

  /**
   * Gives the quote up, unless a create sent for it has an unknown outcome: then the quote stays held
   * (by this key) until the settle window has passed, so no other key for the quote can look, miss an
   * order the ERP is still creating, and send a second one (DESIGN.md "Idempotency": one order per
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

/** One run of one record, holding its key's lease and the quote's lease. */
class SubmissionFlow {
  private readonly quoteId: string;
  private readonly reference: string;
  private progress: Progress;
  /** The record's stage as last recorded by this run. */
  private stage: Stage | null;
  private readonly call: { correlationId: string };

  constructor(
    private readonly deps: QuoteSubmitterDeps,
    private readonly writes: AuditedWrites,
    private readonly record: SubmitRecord,
    private readonly owner: string,
    private readonly ref: IdempotencyKeyRef,
    private readonly mode: 'client' | 'sweeper',
    private readonly writeContext: WriteContext,
  ) {
    this.quoteId = record.request.quoteId;
    this.reference = quoteExternalDocumentNumber(this.quoteId);
    this.progress = record.progress ?? {};
    this.stage = record.stage as Stage | null;
    // Reads and writes of a submission do not follow the client's abort signal: a mutation under way
    // is finished (or left recoverable), not dropped halfway because the caller hung up.
    this.call = { correlationId: writeContext.correlationId };
  }

  /** When this run leaves a create of unknown outcome behind: the start of its settle window; else null. */
  outcomeUnknownSince(): Date | null {
    return this.settleStart() ?? (this.stage === 'order_submitting' ? this.deps.clock() : null);
  }

  /** The start of the settle window the record carries (null: no create of unknown outcome). */
  private settleStart(): Date | null {
    if (this.stage !== 'order_submitting') return null;
    const since = this.progress.unknownSince ?? this.progress.submittedAt;
    return since === undefined ? null : new Date(since);
  }

  async run(): Promise<RunResult> {
    // Rejected earlier (nothing in the ERP), only the "Rejected" write-back is left to do.
    if (this.record.stage === 'rejection_pending' && this.progress.rejection) {
      const { reasonCodes, detail } = this.progress.rejection;
      return this.reject(reasonCodes, detail, this.progress.accountId ?? null);
    }
    const wasSubmitting = this.record.stage !== null;
    let existing: ErpOrder | null;
    try {
      existing = await this.lookUpOrder();
    } catch (error) {
      if (backendOf(error) !== 'erp') throw error;
      return wasSubmitting
        ? this.notFinal('PENDING_ERP', 'ERP_UNAVAILABLE', 'The ERP is unavailable; an earlier attempt may already have created the order. Retry with the same key later.', this.record.stage as Stage)
        : this.notFinal('RETRY_REQUIRED', 'ERP_UNAVAILABLE', 'The ERP is unavailable; nothing was submitted. Retry with the same key later.');
    }
    if (existing) return this.accept(existing, true);

    const unknownSince = this.settleStart();
    if (unknownSince !== null) {
      const waited = this.deps.clock().getTime() - unknownSince.getTime();
      if (waited < this.deps.timing.settleMs) {
        return this.notFinal(
          'PENDING_ERP',
          'ERP_OUTCOME_UNKNOWN',
          'The ERP has not confirmed an earlier attempt and the order has not shown up yet. Retry with the same key in a little while.',
          'order_submitting',
        );
      }
    }
    if (this.mode === 'sweeper') {
      return this.notFinal(
        'RETRY_REQUIRED',
        this.record.stage === null ? null : 'ERP_UNAVAILABLE',
        'The submission stopped before the ERP received the order; nothing was created. Retry with the same key.',
      );
    }

    let facts: QuoteFacts;
    try {
      facts = await readQuoteFacts(this.quoteId, { salesforce: this.deps.salesforce, erp: this.deps.erpReads }, this.call, this.deps.clock(), []);
    } catch (error) {
      return this.unavailable(error, 'nothing was submitted');
    }
    // The quote already names its ERP order (written back by an earlier submission, perhaps with a key
    // purged since): confirm that order, never create another.
    if (facts.quote !== null && facts.quote.erpOrderNumber) return this.confirmRecordedOrder(facts.quote);
    const validation = evaluateQuote(facts);
    if (validation.verdict === 'REJECTED') {
      return this.reject(
        validation.reasonCodes,
        validation.reasons.map((reason) => reason.message).join(' '),
        facts.quote === null ? null : facts.quote.accountId,
      );
    }

    await this.at('before-erp-call');
    const order = this.newOrder(facts);
    await this.advance('order_submitting', {
      customerNumber: order.customerNumber,
      accountId: facts.quote!.accountId,
      submittedAt: this.deps.clock().toISOString(),
      unknownSince: undefined,
    });
    let created: ErpOrder;
    try {
      created = await this.writes.createSalesOrder(order, this.writeContext);
    } catch (error) {
      if (backendOf(error) !== 'erp') throw error;
      return this.afterFailedCreate(error as BackendError, facts.quote!.accountId);
    }
    await this.at('after-erp-accepted');
    return this.accept(created, false);
  }

  /**
   * Another submission of the same quote holds it: nothing is done; what this record may already
   * have started in the ERP stays recorded for the next attempt.
   */
  quoteBusy(): RunResult {
    const stage = this.record.stage as Stage | null;
    return this.notFinal(
      stage === null || stage === 'rejection_pending' ? 'RETRY_REQUIRED' : 'PENDING_ERP',
      'SUBMISSION_IN_PROGRESS',
      'Another submission of this quote is in progress. Retry with the same key shortly.',
      stage,
    );
  }

  /** A RunResult that is not final: released for a retry, with `stage` kept for recovery. */
  private notFinal(status: Exclude<SubmitStatus, 'ACCEPTED_BY_ERP' | 'REJECTED_BY_ERP'>, reasonCode: ReasonCode | null, message: string, stage: Stage | null = null, order: ErpOrder | null = null): RunResult {
    return {
      outcome: {
        status,
        reasonCode,
        reasonCodes: reasonCode === null ? [] : [reasonCode],
        message,
        orderNumber: order?.number ?? this.progress.orderNumber ?? null,
        quoteErpSync: null,
      },
      stage,
      progress: this.progress,
      order,
    };
  }

  private async lookUpOrder(): Promise<ErpOrder | null> {
    const byReference = await this.deps.erpReads.ordersByExternalDocumentNumbers([this.reference], this.call);
    return firstOrder(byReference.get(this.reference) ?? []);
  }

  private unavailable(error: unknown, what: string): RunResult {
    const backend = backendOf(error);
    if (backend === 'salesforce') {
      return this.notFinal('RETRY_REQUIRED', 'SALESFORCE_UNAVAILABLE', `Salesforce is unavailable; ${what}. Retry with the same key later.`);
    }
    if (backend === 'erp') return this.notFinal('RETRY_REQUIRED', 'ERP_UNAVAILABLE', `The ERP is unavailable; ${what}. Retry with the same key later.`);
    throw error;
  }

  /**
   * createSalesOrder failed. Whatever the error, the order is looked up first: a create can fail after
   * the ERP stored the order (the read-back of the created order failing, a proxy's 408 or 5xx, a lost
   * answer), and only a look that finds nothing allows calling it refused or not created.
   */
  private async afterFailedCreate(error: BackendError, accountId: string | null): Promise<RunResult> {
    let found: ErpOrder | null;
    try {
      found = await this.lookUpOrder();
    } catch {
      await this.advance('order_submitting', { unknownSince: this.deps.clock().toISOString() });
      return this.notFinal('PENDING_ERP', 'ERP_OUTCOME_UNKNOWN', 'The ERP did not confirm the order and cannot be asked now. Retry with the same key later: the order is looked up before anything is sent again.', 'order_submitting');
    }
    if (found) return this.accept(found, false);
    if (neverReachedErp(error)) {
      // Certainly never sent, or refused before the ERP did anything: nothing was created.
      await this.advance(null, { submittedAt: undefined, unknownSince: undefined });
      if (error.failure === 'rejected') return this.reject(['ERP_REJECTED'], 'the order is not valid for the ERP.', accountId);
      return this.notFinal('RETRY_REQUIRED', 'ERP_UNAVAILABLE', 'The ERP could not take the order now; nothing was created. Retry with the same key later.');
    }
    if (isDefiniteRefusal(error)) {
      await this.advance(null, { submittedAt: undefined, unknownSince: undefined });
      return this.reject(['ERP_REJECTED'], `The ERP refused the order${error.details.backendCode ? ` (${error.details.backendCode})` : ''}.`, accountId);
    }
    // Timeout, dropped connection, 5xx, 408, unreadable answer: the ERP may still commit the order.
    // The settle window starts now, when we stopped waiting for it.
    await this.advance('order_submitting', { unknownSince: this.deps.clock().toISOString() });
    return this.notFinal('PENDING_ERP', 'ERP_OUTCOME_UNKNOWN', 'The ERP did not confirm the order; it may still appear. Retry with the same key in a little while: it is looked up before anything is sent again.', 'order_submitting');
  }

  /**
   * The Salesforce quote already names an ERP order: confirm it (the write-back only if the quote's
   * sync fields do not say so already); never create a second one. If the ERP does not show that
   * order, nothing is created either: that needs a person, not a retry loop creating orders.
   */
  private async confirmRecordedOrder(quote: NonNullable<QuoteFacts['quote']>): Promise<RunResult> {
    const number = quote.erpOrderNumber!;
    let order: ErpOrder | null;
    try {
      order = (await this.deps.erpReads.ordersByNumbers([number], this.call)).get(number) ?? null;
    } catch (error) {
      return this.unavailable(error, 'nothing was submitted');
    }
    if (order === null) {
      return this.notFinal(
        'RETRY_REQUIRED',
        'ERP_OUTCOME_UNKNOWN',
        `The quote already names ERP order ${number}, which the ERP does not show; no other order is created for it.`,
      );
    }
    const current: QuoteErpSyncSnapshot = {
      orderNumber: quote.erpOrderNumber,
      status: quote.erpSyncStatus,
      message: quote.erpSyncMessage,
      lastSyncAt: quote.erpLastSyncAt,
    };
    return this.accept(order, true, current.status === 'Accepted' && current.lastSyncAt !== null ? current : null);
  }

  /**
   * The ERP has the order: record it, write it back to the quote, drop stale cache entries.
   * `written`: the quote already carries the order (its sync fields as read): no write-back.
   */
  private async accept(order: ErpOrder, foundExisting: boolean, written: QuoteErpSyncSnapshot | null = null): Promise<RunResult> {
    await this.advance('order_created', { orderNumber: order.number, customerNumber: order.customerNumber });
    this.dropErpEntries(order);
    await this.at('before-salesforce-update');
    const message = foundExisting
      ? `ERP order ${order.number} (created from this quote earlier) confirmed.`
      : `ERP order ${order.number} created from this quote.`;
    const sync: QuoteErpSyncSnapshot = written ?? { orderNumber: order.number, status: 'Accepted', message, lastSyncAt: this.deps.clock().toISOString() };
    try {
      if (written === null) await this.writeBack(sync);
    } catch (error) {
      if (backendOf(error) !== 'salesforce') throw error;
      return this.notFinal(
        'PENDING_ERP',
        'SALESFORCE_UNAVAILABLE',
        `The ERP accepted order ${order.number}, but updating the Salesforce quote failed. Retry with the same key to finish it (the sweeper also does).`,
        'order_created',
        order,
      );
    }
    await this.at('before-complete');
    return {
      outcome: { status: 'ACCEPTED_BY_ERP', reasonCode: null, reasonCodes: [], message, orderNumber: order.number, quoteErpSync: sync },
      stage: null,
      progress: this.progress,
      order,
    };
  }

  private async reject(reasonCodes: ReasonCode[], detail: string, accountId: string | null): Promise<RunResult> {
    const message = `Rejected by the ERP: ${detail}`;
    const rejected = (sync: QuoteErpSyncSnapshot | null): RunResult => ({
      outcome: { status: 'REJECTED_BY_ERP', reasonCode: reasonCodes[0] ?? null, reasonCodes, message, orderNumber: null, quoteErpSync: sync },
      stage: null,
      progress: this.progress,
      order: null,
    });
    if (reasonCodes.includes('QUOTE_NOT_FOUND')) return rejected(null);
    this.progress = { ...this.progress, accountId, rejection: { reasonCodes, detail } };
    const sync: QuoteErpSyncSnapshot = { orderNumber: null, status: 'Rejected', message: syncMessage(message), lastSyncAt: this.deps.clock().toISOString() };
    try {
      await this.writeBack(sync);
    } catch (error) {
      if (backendOf(error) !== 'salesforce') throw error;
      // Kept as rejection_pending: the sweeper (or the retry) writes "Rejected" to the quote again.
      await this.advance('rejection_pending', {});
      return this.notFinal(
        'RETRY_REQUIRED',
        'SALESFORCE_UNAVAILABLE',
        `The ERP rejected the quote (${reasonCodes.join(', ')}) but Salesforce could not be updated. Retry with the same key later (the sweeper also finishes it).`,
        'rejection_pending',
      );
    }
    return rejected(sync);
  }

  private async writeBack(sync: QuoteErpSyncSnapshot): Promise<void> {
    await this.writes.updateQuoteErpSync(
      {
        quoteId: this.quoteId,
        erpOrderNumber: sync.orderNumber,
        erpSyncStatus: sync.status!,
        erpSyncMessage: sync.message === null ? null : syncMessage(sync.message),
        erpLastSyncAt: sync.lastSyncAt!,
      },
      this.writeContext,
    );
    // The ERP subgraph's own Salesforce entries (and, once invalidation is shared between processes,
    // the Salesforce subgraph's): the quote and its account's quote list carry the sync fields.
    this.deps.invalidate('sf.quote', [this.quoteId]);
    if (this.progress.accountId) this.deps.invalidate('sf.quotesByAccount', [this.progress.accountId]);
  }

  /** Credit exposure and order lists of the customer changed; the new order may sit in the negative cache. */
  private dropErpEntries(order: ErpOrder): void {
    const customer = [order.customerNumber];
    this.deps.invalidate('erp.ordersByCustomer', customer);
    this.deps.invalidate('erp.customer', customer);
    this.deps.invalidate('erp.financials', customer);
    this.deps.invalidate('erp.order', [order.number]);
  }

  private newOrder(facts: QuoteFacts): NewSalesOrder {
    return {
      customerNumber: facts.customer!.number,
      externalDocumentNumber: this.reference,
      // Validation established that every line has an ERP item at the quoted price; the customer's
      // currency (the order's default) equals the quote's.
      lines: facts.lines.map((line) => ({
        itemNumber: line.productCode!,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        ...(line.discount ? { discountPercent: line.discount } : {}),
      })),
    };
  }

  /** Records the stage, only while holding a live lease; otherwise stops the run. */
  private async advance(stage: Stage | null, progress: Progress): Promise<void> {
    this.progress = { ...this.progress, ...progress };
    this.stage = stage;
    const { store, clock } = this.deps;
    if (!(await store.idempotency.advance(this.ref, this.owner, stage, this.progress, clock()))) throw new LeaseLost();
  }

  private async at(step: SubmitStep): Promise<void> {
    if (!this.deps.probe) return;
    try {
      await this.deps.probe(step, this.quoteId);
    } catch (error) {
      throw new Crash(`simulated crash at ${step}`, { cause: error });
    }
  }
}
