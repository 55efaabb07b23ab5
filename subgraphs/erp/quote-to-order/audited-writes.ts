// The writes submitQuote makes, each recorded in the audit log (../../shared/audited-write.ts) with
// the caller, the correlation id and the idempotency key of the submission: the ERP order's create
// (and, for a duplicate, its delete) and the Salesforce quote's write-back. The hooks run inside the
// audited call — `beforeSend` once the pending entry is written, `afterAnswer` once the backend has
// answered, before the entry is finished: the test seams for a process dying mid-write.
import type { ErpOrder, ErpPort, NewSalesOrder } from '../../../connectors/erp/port.js';
import type { QuoteErpSyncUpdate, SalesforceConnector } from '../../../connectors/salesforce/types.js';
import { auditedWrite, type AuditedWriteDeps } from '../../shared/audited-write.js';

export interface WriteContext {
  readonly caller: string;
  readonly correlationId: string;
  readonly idempotencyKey: string | null;
}

type Hook = () => Promise<void>;
export interface WriteHooks {
  readonly beforeSend?: Hook;
  readonly afterAnswer?: Hook;
}

export class AuditedWrites {
  constructor(
    private readonly deps: AuditedWriteDeps & { readonly erp: ErpPort; readonly salesforce: SalesforceConnector },
  ) {}

  createSalesOrder(order: NewSalesOrder, ctx: WriteContext, hooks: WriteHooks = {}): Promise<ErpOrder> {
    return auditedWrite(
      this.deps,
      { system: 'erp', operation: 'createSalesOrder', target: order.externalDocumentNumber, request: order, ...ctx },
      async (call) => {
        await hooks.beforeSend?.();
        const created = await this.deps.erp.createSalesOrder(order, call);
        await hooks.afterAnswer?.();
        return created;
      },
    );
  }

  /** Whether the port can delete orders at all (an optional capability of the ERP port). */
  get canDeleteOrders(): boolean {
    return this.deps.erp.deleteSalesOrder !== undefined;
  }

  /** A duplicate order removed; the target is the quote's reference, like the create's. */
  deleteSalesOrder(
    order: ErpOrder,
    reason: { readonly externalDocumentNumber: string; readonly keptOrderNumber: string | null },
    ctx: WriteContext,
  ): Promise<'deleted' | 'not_found'> {
    const { erp } = this.deps;
    if (!erp.deleteSalesOrder) throw new Error('deleteSalesOrder: the ERP port cannot delete orders');
    return auditedWrite(
      this.deps,
      {
        system: 'erp',
        operation: 'deleteSalesOrder',
        target: reason.externalDocumentNumber,
        request: { id: order.id, number: order.number, status: order.status, keptOrderNumber: reason.keptOrderNumber },
        ...ctx,
      },
      (call) => erp.deleteSalesOrder!(order, call),
    );
  }

  updateQuoteErpSync(update: QuoteErpSyncUpdate, ctx: WriteContext, hooks: WriteHooks = {}): Promise<void> {
    return auditedWrite(
      this.deps,
      { system: 'salesforce', operation: 'updateQuotesErpSync', target: update.quoteId, request: update, ...ctx },
      async (call) => {
        await hooks.beforeSend?.();
        await this.deps.salesforce.updateQuotesErpSync([update], call);
        await hooks.afterAnswer?.();
      },
    );
  }
}
