// The Salesforce quote's ERP sync fields (ERP_Order_Number__c, ERP_Sync_Status__c,
// ERP_Sync_Message__c, ERP_Last_Sync_At__c) as submitQuote reads and writes them, and when a write
// is needed at all: a write-back that would change nothing is skipped, so a further key or caller for
// an already-ordered quote neither spends a Salesforce API call nor moves the quote's last-sync time.
import type { SalesforceConnector, SfQuoteRecord } from '../../../connectors/salesforce/types.js';
import type { AuditLog } from '../../../connectors/store/index.js';
import type { CacheKind } from '../../../shield/index.js';
import type { AuditedWrites, WriteContext } from './audited-writes.js';
import type { QuoteErpSyncSnapshot, ReasonCode } from './model.js';
import { probeAt, type StepProbe } from './probe.js';

export type CacheInvalidator = (kind: CacheKind, keys: readonly string[]) => void;

/** ERP_Sync_Status__c picklist values submitQuote writes. */
export const SYNC_STATUS = { accepted: 'Accepted', rejected: 'Rejected', error: 'Error' } as const;

/** What a person reads on the quote: ERP_Sync_Message__c is a plain text field of 255 characters. */
export function syncMessage(text: string): string {
  return text.length <= 255 ? text : `${text.slice(0, 254)}…`;
}

/** A flag for a person on the quote: the reason code first, so a list view can filter on it. */
export function flaggedMessage(code: ReasonCode, text: string): string {
  return syncMessage(`[${code}] ${text}`);
}

export function snapshotOf(quote: SfQuoteRecord): QuoteErpSyncSnapshot {
  return {
    orderNumber: quote.erpOrderNumber,
    status: quote.erpSyncStatus,
    message: quote.erpSyncMessage,
    lastSyncAt: quote.erpLastSyncAt,
  };
}

/**
 * Whether the quote already says what `desired` would: the same order number and status and, except
 * for an acceptance (whose message only narrates how the order was found), the same message. The
 * time is never compared: it is when the quote last changed, which is the point of not writing.
 */
export function alreadySays(current: QuoteErpSyncSnapshot, desired: QuoteErpSyncSnapshot): boolean {
  if (current.orderNumber !== desired.orderNumber || current.status !== desired.status || current.lastSyncAt === null)
    return false;
  return (
    desired.status === SYNC_STATUS.accepted ||
    current.message === (desired.message === null ? null : syncMessage(desired.message))
  );
}

export interface QuoteWriteBackDeps {
  /** Fresh reads of the quote (uncached) and the write-back. */
  readonly salesforce: SalesforceConnector;
  readonly writes: AuditedWrites;
  readonly audit: AuditLog;
  readonly clock: () => Date;
  readonly invalidate: CacheInvalidator;
  readonly probe?: StepProbe;
}

/**
 * Brings one quote's ERP sync fields to what a submission concluded, writing only on change. Also
 * settles write-backs a dead process left `pending` for this submission: the quote carrying the
 * values means the write went through, not carrying them means it did not.
 */
export class QuoteWriteBack {
  constructor(
    private readonly deps: QuoteWriteBackDeps,
    private readonly quoteId: string,
    private readonly ctx: WriteContext,
  ) {}

  /**
   * `current`: the quote's sync fields as this run already read them (undefined: read them now;
   * null: the quote could not be read, so write). Returns what the quote carries afterwards and
   * whether this wrote it. Throws the Salesforce BackendError of a failed read or write.
   */
  async apply(
    desired: QuoteErpSyncSnapshot,
    options: { current?: QuoteErpSyncSnapshot | null; accountId?: string | null } = {},
  ): Promise<{ sync: QuoteErpSyncSnapshot; wrote: boolean }> {
    const current = options.current !== undefined ? options.current : await this.read();
    const says = current !== null && alreadySays(current, desired);
    if (current !== null) await this.settleInterrupted(says, current);
    if (says) return { sync: current!, wrote: false };
    const written: QuoteErpSyncSnapshot = {
      ...desired,
      message: desired.message === null ? null : syncMessage(desired.message),
    };
    await this.deps.writes.updateQuoteErpSync(
      {
        quoteId: this.quoteId,
        erpOrderNumber: written.orderNumber,
        erpSyncStatus: written.status!,
        erpSyncMessage: written.message,
        erpLastSyncAt: written.lastSyncAt!,
      },
      this.ctx,
      { afterAnswer: () => probeAt(this.deps.probe, 'salesforce-update-answered', this.quoteId) },
    );
    // The ERP subgraph's own Salesforce entries (and, once invalidation is shared between processes,
    // the Salesforce subgraph's): the quote and its account's quote list carry the sync fields.
    this.deps.invalidate('sf.quote', [this.quoteId]);
    if (options.accountId) this.deps.invalidate('sf.quotesByAccount', [options.accountId]);
    return { sync: written, wrote: true };
  }

  /** The quote's sync fields now, from Salesforce; null when the quote is gone. */
  async read(): Promise<QuoteErpSyncSnapshot | null> {
    const quote = (await this.deps.salesforce.quotesByIds([this.quoteId], this.ctx)).get(this.quoteId);
    return quote === undefined ? null : snapshotOf(quote);
  }

  private async settleInterrupted(applied: boolean, current: QuoteErpSyncSnapshot): Promise<void> {
    if (this.ctx.idempotencyKey === null) return;
    await this.deps.audit.settlePending(
      {
        caller: this.ctx.caller,
        idempotencyKey: this.ctx.idempotencyKey,
        operation: 'updateQuotesErpSync',
        target: this.quoteId,
      },
      applied
        ? { status: 'succeeded', response: { settledBy: 'recovery', observed: current }, finishedAt: this.deps.clock() }
        : {
            status: 'failed',
            error: {
              settledBy: 'recovery',
              observed: current,
              message: 'the quote does not carry this write: it was not applied',
            },
            finishedAt: this.deps.clock(),
          },
    );
  }
}
