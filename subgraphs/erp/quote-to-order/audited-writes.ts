// The two writes submitQuote makes, each recorded in the audit log (shared/audited-write.ts) with the
// caller, the correlation id and the idempotency key of the submission.
import type { ErpOrder, ErpPort, NewSalesOrder } from '../../../connectors/erp/port.js';
import type { QuoteErpSyncUpdate, SalesforceConnector } from '../../../connectors/salesforce/types.js';
import { auditedWrite, type AuditedWriteDeps } from '../../shared/audited-write.js';

export interface WriteContext {
  readonly caller: string;
  readonly correlationId: string;
  readonly idempotencyKey: string | null;
}

export class AuditedWrites {
  constructor(private readonly deps: AuditedWriteDeps & { readonly erp: ErpPort; readonly salesforce: SalesforceConnector }) {}

  createSalesOrder(order: NewSalesOrder, ctx: WriteContext): Promise<ErpOrder> {
    return auditedWrite(
      this.deps,
      { system: 'erp', operation: 'createSalesOrder', target: order.externalDocumentNumber, request: order, ...ctx },
      (call) => this.deps.erp.createSalesOrder(order, call),
    );
  }

  updateQuoteErpSync(update: QuoteErpSyncUpdate, ctx: WriteContext): Promise<void> {
    return auditedWrite(
      this.deps,
      { system: 'salesforce', operation: 'updateQuotesErpSync', target: update.quoteId, request: update, ...ctx },
      (call) => this.deps.salesforce.updateQuotesErpSync([update], call),
    );
  }
}
