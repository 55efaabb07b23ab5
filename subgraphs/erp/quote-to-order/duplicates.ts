// The duplicate detector's remedy. Business Central does not enforce unique external document
// numbers, so an ERP that commits a create long after we gave up on it (later than the settle window)
// can leave two orders carrying one quote's reference. Every lookup of a quote's orders (a run, a
// replay, a sweep) reads them all; finding more than the submission accounts for, this keeps one and
// deletes the others while the ERP still allows it (a Draft: not yet released), each delete audited,
// counted on /metrics and logged at error level. What cannot be deleted any more stays, and the
// caller flags the quote for a person (ERP_DUPLICATE_ORDER): never two silent orders.
import type { ErpOrder } from '../../../connectors/erp/port.js';
import type { AuditLog } from '../../../connectors/store/index.js';
import { isBackendError } from '../../../lib/backend-error.js';
import type { Logger } from '../../../lib/logger.js';
import type { AuditedWrites, WriteContext } from './audited-writes.js';
import type { QuoteToOrderMetrics } from './metrics.js';
import { firstOrder } from './quote-reference.js';

export interface DuplicateResolution {
  /** The order kept; null when the submission accounts for none (it was rejected). */
  readonly kept: ErpOrder | null;
  readonly deleted: readonly ErpOrder[];
  /** Extra orders past Draft (or a port that cannot delete): they stay, and the quote is flagged. */
  readonly stuck: readonly ErpOrder[];
  /** Extra orders whose delete failed for now (the ERP unavailable): the next replay or sweep retries. */
  readonly retry: readonly ErpOrder[];
}

/**
 * Which order stays: the only one past Draft if exactly one is (the drafts around it can all go);
 * else the one the quote already names, if it is among them and may stay; else the first created
 * (the lowest number: Business Central numbers documents in sequence).
 */
export function chooseKept(orders: readonly ErpOrder[], named: string | null): ErpOrder {
  const pastDraft = orders.filter((order) => order.status !== 'draft');
  if (pastDraft.length === 1) return pastDraft[0]!;
  const namedOrder = orders.find((order) => order.number === named);
  if (namedOrder && (pastDraft.length === 0 || namedOrder.status !== 'draft')) return namedOrder;
  return firstOrder(pastDraft.length > 0 ? pastDraft : orders)!;
}

/** The flag's text on the quote (the caller prefixes the reason code). */
export function duplicateFlagText(reference: string, kept: ErpOrder | null, stuck: readonly ErpOrder[]): string {
  const numbers = stuck.map((order) => order.number).join(', ');
  return kept === null
    ? `ERP order ${numbers} carries ${reference} although this quote was not ordered, and is past Draft: cancel it in the ERP.`
    : `ERP orders ${kept.number} and ${numbers} all carry ${reference}; ${numbers} is past Draft and cannot be deleted: cancel it in the ERP, keep ${kept.number}.`;
}

export class DuplicateResolver {
  constructor(
    private readonly deps: {
      readonly writes: AuditedWrites;
      readonly audit: AuditLog;
      readonly metrics: QuoteToOrderMetrics;
      readonly logger: Logger;
      readonly clock: () => Date;
    },
  ) {}

  /**
   * `orders`: every order carrying `reference`, as just read; `keep`: whether the submission accounts
   * for one (accepted) or none (rejected); `named`: the order number the quote or record names.
   */
  async resolve(
    reference: string,
    orders: readonly ErpOrder[],
    options: { keep: boolean; named: string | null },
    ctx: WriteContext,
  ): Promise<DuplicateResolution> {
    const { writes, metrics, logger } = this.deps;
    await this.settleInterruptedDeletes(reference, orders);
    const kept = options.keep && orders.length > 0 ? chooseKept(orders, options.named) : null;
    const extra = orders.filter((order) => order !== kept);
    const deleted: ErpOrder[] = [];
    const stuck: ErpOrder[] = [];
    const retry: ErpOrder[] = [];
    for (const order of extra) {
      // Only a Draft can go: trying a released one would only collect the ERP's refusal.
      if (order.status !== 'draft' || !writes.canDeleteOrders) {
        stuck.push(order);
        continue;
      }
      try {
        await writes.deleteSalesOrder(
          order,
          { externalDocumentNumber: reference, keptOrderNumber: kept?.number ?? null },
          ctx,
        );
        deleted.push(order);
      } catch (error) {
        // The ERP refused (released in the meantime): it stays. Unavailable: next time.
        if (isBackendError(error) && error.failure === 'rejected') stuck.push(order);
        else if (isBackendError(error)) retry.push(order);
        else throw error;
      }
    }
    if (deleted.length > 0) metrics.duplicateOrder('deleted', deleted.length);
    if (extra.length > 0) {
      logger.error(
        {
          externalDocumentNumber: reference,
          kept: kept?.number ?? null,
          deleted: deleted.map((o) => o.number),
          stuck: stuck.map((o) => o.number),
          retry: retry.map((o) => o.number),
          idempotencyKey: ctx.idempotencyKey,
          correlationId: ctx.correlationId,
        },
        'submitQuote: duplicate ERP orders for one quote',
      );
    }
    return { kept, deleted, stuck, retry };
  }

  /**
   * Deletes a dead process left `pending`: the order is still there (not deleted) or gone (deleted).
   * Decided from the orders just read, before any new delete.
   */
  private async settleInterruptedDeletes(reference: string, orders: readonly ErpOrder[]): Promise<void> {
    const { audit, clock } = this.deps;
    const present = new Set(orders.map((order) => order.number));
    const pending = (await audit.list({ system: 'erp', target: reference })).filter(
      (e) => e.operation === 'deleteSalesOrder' && e.status === 'pending',
    );
    for (const entry of pending) {
      const number = (entry.request as { number?: unknown } | null)?.number;
      const gone = typeof number === 'string' && !present.has(number);
      await audit.finish(entry.id, {
        status: gone ? 'succeeded' : 'failed',
        ...(gone
          ? { response: { settledBy: 'recovery', observed: 'the order is gone' } }
          : { error: { settledBy: 'recovery', observed: 'the order is still in the ERP: not deleted' } }),
        finishedAt: clock(),
      });
    }
  }
}
