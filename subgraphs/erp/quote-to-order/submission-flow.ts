// One run of one submission record (submit-quote.ts holds the key's lease and the quote's lease
// around it): from "is this quote submittable at all" to the ERP order and the quote's write-back.
//
//   fresh: quote (Salesforce) ─ names an order? → confirm it ─ not submittable? → QUOTE_NOT_APPROVED
//   every run: ALL orders carrying SFQ-<quote id> (uncached) ─ found → keep one, remove duplicates, accept
//              │ none
//   an earlier create's outcome unknown and the settle window not over → PENDING_ERP (same key later)
//              │
//   read + validate (fresh) ─ rejected → quote "Rejected", REJECTED_BY_ERP
//              │ acceptable
//   stage order_submitting ─ createSalesOrder ─ stage order_created ─ quote "Accepted" (only on change)
//
// Statuses: ACCEPTED_BY_ERP and REJECTED_BY_ERP are final (stored, replayed). RETRY_REQUIRED: nothing
// reached the ERP (it or Salesforce was unavailable, or the quote is busy); retrying with the same
// key is safe. PENDING_ERP: the ERP has, or may have, the order but the submission is unfinished; the
// reason says which: ERP_OUTCOME_UNKNOWN wherever a create may have reached the ERP unanswered.
import type { ErpOrder, NewSalesOrder } from '../../../connectors/erp/port.js';
import type { SfQuoteRecord } from '../../../connectors/salesforce/types.js';
import type { IdempotencyKeyRef, IdempotencyRecord } from '../../../connectors/store/index.js';
import { isBackendError, type BackendError, type BackendName } from '../../../lib/backend-error.js';
import { ShieldRejectedError } from '../../../shield/index.js';
import type { AuditedWrites, WriteContext } from './audited-writes.js';
import { duplicateFlagText, type DuplicateResolution, type DuplicateResolver } from './duplicates.js';
import { readQuoteFacts } from './facts.js';
import type { QuoteErpSyncSnapshot, ReasonCode, SubmitOutcome, SubmitStatus } from './model.js';
import { probeAt, type SubmitStep } from './probe.js';
import { quoteExternalDocumentNumber } from './quote-reference.js';
import { flaggedMessage, QuoteWriteBack, snapshotOf, SYNC_STATUS } from './quote-sync.js';
import type { SubmitQuoteRequest } from './submission-request.js';
import type { QuoteSubmitterDeps } from './submit-quote.js';
import { evaluateQuote, type QuoteFacts } from './validation.js';

/**
 * order_submitting: a create was (or may have been) sent and its outcome is unknown; order_created:
 * the ERP has the order, the write-back is unfinished; rejection_pending: the quote was rejected
 * (nothing in the ERP) but marking it "Rejected" in Salesforce failed.
 */
export type Stage = 'order_submitting' | 'order_created' | 'rejection_pending';

export interface Progress {
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
  /**
   * The last time a create's answer was lost (timeout, dropped connection, 5xx, or the process died
   * mid-call): ISO instant. Kept after completion: the ERP may still commit that request later than
   * the settle window, so the sweeper keeps checking such quotes for a duplicate order.
   */
  readonly unconfirmedCreateAt?: string;
  /** rejection_pending: what the rejection said, to write it to the quote again. */
  readonly rejection?: { readonly reasonCodes: ReasonCode[]; readonly detail: string };
}

export type SubmitRecord = IdempotencyRecord<SubmitQuoteRequest, SubmitOutcome, Progress>;

/** What one run ends with: stored as final, or released with the stage left for recovery. */
export interface RunResult {
  readonly outcome: Omit<SubmitOutcome, 'correlationId' | 'idempotencyKey' | 'processedAt' | 'quoteId'>;
  readonly stage: Stage | null;
  readonly progress: Progress;
  readonly order: ErpOrder | null;
}

/** Our lease expired and someone else took the record over: stop before touching another system. */
export class LeaseLost extends Error {
  override readonly name = 'LeaseLost';
}

function backendOf(error: unknown): BackendName | null {
  return isBackendError(error) ? error.backend : null;
}

/**
 * A failed create that certainly created nothing: refused by our shield (open circuit, full
 * bulkhead), by the connector's input check before sending, by the ERP's rate limit (429) or its
 * authentication (401), or a connection that was never established: not processed. Everything else
 * (timeouts, 5xx, dropped connections) may still commit in the ERP.
 */
function neverReachedErp(error: BackendError): boolean {
  return (
    error instanceof ShieldRejectedError ||
    error.failure === 'rate_limited' ||
    error.failure === 'unauthorized' ||
    error.details.neverSent === true ||
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

const RETRY_SAME_KEY = 'Retry with the same key: the order is looked up before anything is sent again.';

export class SubmissionFlow {
  private readonly quoteId: string;
  private readonly reference: string;
  private progress: Progress;
  /** The record's stage as last recorded by this run. */
  private stage: Stage | null;
  private readonly call: { correlationId: string };
  /** The quote as this run read it (fresh); undefined until read. */
  private quote: SfQuoteRecord | undefined;
  private readonly writeBack: QuoteWriteBack;

  constructor(
    private readonly deps: QuoteSubmitterDeps,
    private readonly writes: AuditedWrites,
    private readonly duplicates: DuplicateResolver,
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
    // A record found mid-create (its process died there, or gave up on the answer) has a create of
    // unknown outcome behind it, whatever this run learns: remember it for the duplicate watch.
    if (this.stage === 'order_submitting' && this.progress.unconfirmedCreateAt === undefined) {
      this.progress = {
        ...this.progress,
        unconfirmedCreateAt: this.progress.unknownSince ?? this.progress.submittedAt ?? deps.clock().toISOString(),
      };
    }
    // Reads and writes of a submission do not follow the client's abort signal: a mutation under way
    // is finished (or left recoverable), not dropped halfway because the caller hung up.
    this.call = { correlationId: writeContext.correlationId };
    this.writeBack = new QuoteWriteBack(
      {
        salesforce: deps.salesforce,
        writes,
        audit: deps.store.audit,
        clock: deps.clock,
        invalidate: deps.invalidate,
        ...(deps.probe && { probe: deps.probe }),
      },
      this.quoteId,
      writeContext,
    );
  }

  /** When this run leaves a create of unknown outcome behind: the start of its settle window; else null. */
  outcomeUnknownSince(): Date | null {
    return this.settleStart() ?? (this.stage === 'order_submitting' ? this.deps.clock() : null);
  }

  /** Whether the ERP may hold an order from this record (a create was sent, or succeeded). */
  mayHaveOrder(): boolean {
    return this.stage === 'order_submitting' || this.stage === 'order_created';
  }

  /** What a run that failed unexpectedly answers once an order may exist: retry with the same key. */
  interrupted(): RunResult {
    return this.notFinal(
      'PENDING_ERP',
      'ERP_OUTCOME_UNKNOWN',
      `The submission was interrupted after the ERP may have received the order. ${RETRY_SAME_KEY}`,
      this.stage,
    );
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
    const stage = this.record.stage as Stage | null;
    if (stage === null && this.mode === 'client') {
      // Nothing of this key can be in the ERP yet: check the quote before anything touches the ERP.
      let quote: SfQuoteRecord | null;
      try {
        quote = await this.readQuote();
      } catch (error) {
        return this.unavailable(error, 'nothing was submitted');
      }
      if (quote === null) return this.reject(['QUOTE_NOT_FOUND'], `Salesforce has no quote ${this.quoteId}.`, null);
      // The quote already names its ERP order (written back by an earlier submission, perhaps with a
      // key purged since): confirm that order, never create another.
      if (quote.erpOrderNumber) return this.confirmRecordedOrder(quote);
      if (!this.deps.policy.isSubmittable(quote.status)) return this.notSubmittable(quote);
    }

    let orders: ErpOrder[];
    try {
      orders = await this.lookUpAll();
    } catch (error) {
      if (backendOf(error) !== 'erp') throw error;
      return this.lookUpFailed(stage);
    }
    if (orders.length > 0) return this.acceptFound(orders, this.progress.orderNumber ?? null);

    const unknownSince = this.settleStart();
    if (unknownSince !== null) {
      const waited = this.deps.clock().getTime() - unknownSince.getTime();
      if (waited < this.deps.timing.settleMs) {
        return this.notFinal(
          'PENDING_ERP',
          'ERP_OUTCOME_UNKNOWN',
          `The ERP has not confirmed an earlier attempt and the order has not shown up yet. Retry with the same key in a little while: the order is looked up before anything is sent again.`,
          'order_submitting',
        );
      }
      // The window is over and no order showed up: that create did not go through. An audit entry a
      // dead process left pending for it says so from now on.
      await this.settleCreates({
        status: 'failed',
        error: {
          settledBy: 'recovery',
          observed: `no order carried ${this.reference} within the settle window: not created`,
        },
      });
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
      facts = await readQuoteFacts(
        this.quoteId,
        { salesforce: this.deps.salesforce, erp: this.deps.erpReads },
        this.call,
        this.deps.clock(),
        { existingOrders: [], quote: this.quote },
      );
    } catch (error) {
      return this.unavailable(error, 'nothing was submitted');
    }
    if (facts.quote !== null) {
      this.quote = facts.quote;
      if (facts.quote.erpOrderNumber) return this.confirmRecordedOrder(facts.quote);
    }
    const validation = evaluateQuote(facts, this.deps.policy);
    // A resumed record whose quote left the submittable statuses meanwhile: no order for it either.
    if (facts.quote !== null && validation.reasonCodes.includes('QUOTE_NOT_APPROVED'))
      return this.notSubmittable(facts.quote);
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
      created = await this.writes.createSalesOrder(order, this.writeContext, {
        beforeSend: () => this.at('erp-create-sending'),
        afterAnswer: () => this.at('erp-create-answered'),
      });
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
  private notFinal(
    status: Exclude<SubmitStatus, 'ACCEPTED_BY_ERP' | 'REJECTED_BY_ERP'>,
    reasonCode: ReasonCode | null,
    message: string,
    stage: Stage | null = null,
    order: ErpOrder | null = null,
  ): RunResult {
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

  /**
   * The quote's status is not one the deployment submits: final, and nothing is sent to the ERP or
   * written to Salesforce (the quote is not marked Rejected: nobody asked the ERP anything).
   */
  private notSubmittable(quote: SfQuoteRecord): RunResult {
    return {
      outcome: {
        status: 'REJECTED_BY_ERP',
        reasonCode: 'QUOTE_NOT_APPROVED',
        reasonCodes: ['QUOTE_NOT_APPROVED'],
        message: `${this.deps.policy.refusal(quote.number, quote.status)} Nothing was sent to the ERP or written to Salesforce; once the quote is approved, submit it with a new idempotency key.`,
        orderNumber: null,
        quoteErpSync: null,
      },
      stage: null,
      progress: this.progress,
      order: null,
    };
  }

  private async readQuote(): Promise<SfQuoteRecord | null> {
    const quote = (await this.deps.salesforce.quotesByIds([this.quoteId], this.call)).get(this.quoteId) ?? null;
    if (quote !== null) this.quote = quote;
    return quote;
  }

  /** Every order carrying the quote's reference (the ERP does not keep it unique), uncached. */
  private async lookUpAll(): Promise<ErpOrder[]> {
    const byReference = await this.deps.erpReads.ordersByExternalDocumentNumbers([this.reference], this.call);
    return byReference.get(this.reference) ?? [];
  }

  /** The order lookup failed: what may exist in the ERP decides the answer. */
  private lookUpFailed(stage: Stage | null): RunResult {
    if (stage === 'order_submitting') {
      return this.notFinal(
        'PENDING_ERP',
        'ERP_OUTCOME_UNKNOWN',
        `The ERP cannot be asked now whether an earlier attempt created the order. ${RETRY_SAME_KEY}`,
        stage,
      );
    }
    if (stage === 'order_created') {
      return this.notFinal(
        'PENDING_ERP',
        'ERP_UNAVAILABLE',
        `The ERP accepted order ${this.progress.orderNumber ?? ''} but cannot be reached to finish the submission. Retry with the same key later (the sweeper also finishes it).`,
        stage,
      );
    }
    return this.notFinal(
      'RETRY_REQUIRED',
      'ERP_UNAVAILABLE',
      'The ERP is unavailable; nothing was submitted. Retry with the same key later.',
    );
  }

  private unavailable(error: unknown, what: string): RunResult {
    const backend = backendOf(error);
    if (backend === 'salesforce') {
      return this.notFinal(
        'RETRY_REQUIRED',
        'SALESFORCE_UNAVAILABLE',
        `Salesforce is unavailable; ${what}. Retry with the same key later.`,
      );
    }
    if (backend === 'erp')
      return this.notFinal(
        'RETRY_REQUIRED',
        'ERP_UNAVAILABLE',
        `The ERP is unavailable; ${what}. Retry with the same key later.`,
      );
    throw error;
  }

  /**
   * createSalesOrder failed. Unless it certainly never reached the ERP, the order is looked up first: a
   * create can fail after the ERP stored the order (the read-back of the created order failing, a
   * proxy's 408 or 5xx, a lost answer), and only a look that finds nothing allows calling it refused or
   * not created.
   */
  private async afterFailedCreate(error: BackendError, accountId: string | null): Promise<RunResult> {
    if (neverReachedErp(error)) {
      // Certainly never sent, or refused before the ERP did anything: nothing was created.
      await this.advance(null, { submittedAt: undefined, unknownSince: undefined });
      if (error.failure === 'rejected')
        return this.reject(['ERP_REJECTED'], 'the order is not valid for the ERP.', accountId);
      return this.notFinal(
        'RETRY_REQUIRED',
        'ERP_UNAVAILABLE',
        'The ERP could not take the order now; nothing was created. Retry with the same key later.',
      );
    }
    let found: ErpOrder[];
    try {
      found = await this.lookUpAll();
    } catch {
      const now = this.deps.clock().toISOString();
      await this.advance('order_submitting', { unknownSince: now, unconfirmedCreateAt: now });
      return this.notFinal(
        'PENDING_ERP',
        'ERP_OUTCOME_UNKNOWN',
        `The ERP did not confirm the order and cannot be asked now. ${RETRY_SAME_KEY}`,
        'order_submitting',
      );
    }
    if (found.length > 0) return this.acceptFound(found, null);
    if (isDefiniteRefusal(error)) {
      await this.advance(null, { submittedAt: undefined, unknownSince: undefined });
      return this.reject(
        ['ERP_REJECTED'],
        `The ERP refused the order${error.details.backendCode ? ` (${error.details.backendCode})` : ''}.`,
        accountId,
      );
    }
    // Timeout, dropped connection, 5xx, 408, unreadable answer: the ERP may still commit the order.
    // The settle window starts now, when we stopped waiting for it.
    const now = this.deps.clock().toISOString();
    await this.advance('order_submitting', { unknownSince: now, unconfirmedCreateAt: now });
    return this.notFinal(
      'PENDING_ERP',
      'ERP_OUTCOME_UNKNOWN',
      'The ERP did not confirm the order; it may still appear. Retry with the same key in a little while: it is looked up before anything is sent again.',
      'order_submitting',
    );
  }

  /**
   * The Salesforce quote already names an ERP order: confirm it (the write-back only if the quote's
   * sync fields do not say so already); never create a second one. If the ERP does not show that
   * order, nothing is created either: that needs a person, not a retry loop creating orders.
   */
  private async confirmRecordedOrder(quote: SfQuoteRecord): Promise<RunResult> {
    const number = quote.erpOrderNumber!;
    let named: ErpOrder | null;
    let carrying: ErpOrder[];
    try {
      // The named order, and every order carrying the reference (a duplicate may sit beside it).
      const [byNumber, all] = await Promise.all([
        this.deps.erpReads.ordersByNumbers([number], this.call),
        this.lookUpAll(),
      ]);
      named = byNumber.get(number) ?? null;
      carrying = all;
    } catch (error) {
      return this.unavailable(error, 'nothing was submitted');
    }
    if (named === null) {
      return this.notFinal(
        'RETRY_REQUIRED',
        'ERP_OUTCOME_UNKNOWN',
        `The quote already names ERP order ${number}, which the ERP does not show; no other order is created for it.`,
      );
    }
    return this.acceptFound([named, ...carrying.filter((order) => order.number !== number)], number);
  }

  /** Orders carrying the quote exist: keep one (removing or flagging the others) and accept it. */
  private async acceptFound(orders: readonly ErpOrder[], named: string | null): Promise<RunResult> {
    if (orders.length === 1) return this.accept(orders[0]!, true);
    const resolution = await this.duplicates.resolve(
      this.reference,
      orders,
      { keep: true, named: named ?? this.quote?.erpOrderNumber ?? null },
      this.writeContext,
    );
    return this.accept(resolution.kept!, true, resolution);
  }

  /**
   * The ERP has the order: record it, write it back to the quote (only what changes), drop stale
   * cache entries. With a duplicate that could not be removed, the quote is flagged instead.
   */
  private async accept(order: ErpOrder, foundExisting: boolean, duplicates?: DuplicateResolution): Promise<RunResult> {
    await this.advance('order_created', { orderNumber: order.number, customerNumber: order.customerNumber });
    // A create a dead process left pending did go through.
    if (foundExisting)
      await this.settleCreates({
        status: 'succeeded',
        response: { settledBy: 'recovery', observed: { number: order.number } },
      });
    this.dropErpEntries(order);
    await this.at('before-salesforce-update');
    const stuck = duplicates?.stuck ?? [];
    const flag =
      stuck.length > 0 ? flaggedMessage('ERP_DUPLICATE_ORDER', duplicateFlagText(this.reference, order, stuck)) : null;
    const message =
      flag ??
      (foundExisting
        ? `ERP order ${order.number} (created from this quote earlier) confirmed.`
        : `ERP order ${order.number} created from this quote.`);
    const desired: QuoteErpSyncSnapshot = {
      orderNumber: order.number,
      status: flag === null ? SYNC_STATUS.accepted : SYNC_STATUS.error,
      message,
      lastSyncAt: this.deps.clock().toISOString(),
    };
    let sync: QuoteErpSyncSnapshot;
    try {
      const result = await this.writeBack.apply(desired, {
        ...this.current(),
        accountId: this.progress.accountId ?? this.quote?.accountId ?? null,
      });
      sync = result.sync;
      if (flag !== null && result.wrote) this.deps.metrics.duplicateOrder('flagged', stuck.length);
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
      outcome: {
        status: 'ACCEPTED_BY_ERP',
        reasonCode: flag === null ? null : 'ERP_DUPLICATE_ORDER',
        reasonCodes: flag === null ? [] : ['ERP_DUPLICATE_ORDER'],
        message,
        orderNumber: order.number,
        quoteErpSync: sync,
      },
      stage: null,
      progress: this.progress,
      order,
    };
  }

  private async reject(reasonCodes: ReasonCode[], detail: string, accountId: string | null): Promise<RunResult> {
    const message = `Rejected by the ERP: ${detail}`;
    const rejected = (sync: QuoteErpSyncSnapshot | null): RunResult => ({
      outcome: {
        status: 'REJECTED_BY_ERP',
        reasonCode: reasonCodes[0] ?? null,
        reasonCodes,
        message,
        orderNumber: null,
        quoteErpSync: sync,
      },
      stage: null,
      progress: this.progress,
      order: null,
    });
    if (reasonCodes.includes('QUOTE_NOT_FOUND')) return rejected(null);
    this.progress = { ...this.progress, accountId, rejection: { reasonCodes, detail } };
    const desired: QuoteErpSyncSnapshot = {
      orderNumber: null,
      status: SYNC_STATUS.rejected,
      message,
      lastSyncAt: this.deps.clock().toISOString(),
    };
    let sync: QuoteErpSyncSnapshot;
    try {
      sync = (await this.writeBack.apply(desired, { ...this.current(), accountId })).sync;
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

  /** The quote's sync fields as this run read them, if it did (else QuoteWriteBack reads them). */
  private current(): { current?: QuoteErpSyncSnapshot } {
    return this.quote === undefined ? {} : { current: snapshotOf(this.quote) };
  }

  /** Settles the create entries a dead process left pending for this submission. */
  private async settleCreates(
    outcome: { status: 'succeeded'; response: unknown } | { status: 'failed'; error: unknown },
  ): Promise<void> {
    if (this.record.stage === null && this.record.attempts <= 1) return; // a first run left nothing behind
    await this.deps.store.audit.settlePending(
      {
        caller: this.writeContext.caller,
        idempotencyKey: this.record.key,
        operation: 'createSalesOrder',
        target: this.reference,
      },
      { ...outcome, finishedAt: this.deps.clock() },
    );
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

  private at(step: SubmitStep): Promise<void> {
    return probeAt(this.deps.probe, step, this.quoteId);
  }
}
