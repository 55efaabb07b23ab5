// validateQuote, submitQuote and the types they return (schema/erp.graphql, "Quote to order"). The
// work is in ../quote-to-order/; this maps its plain results onto the SDL. Orders are ERP entities
// resolved here; quotes are references for the Salesforce subgraph, except the ERP sync fields that
// submitQuote's payload provides (@provides): what it just wrote, never a cached copy.
import type {
  MutationResolvers,
  QueryResolvers,
  QuoteResolvers,
  QuoteCreditCheckResolvers,
  QuoteLineCheckResolvers,
  QuoteValidationResolvers,
  SubmitQuotePayloadResolvers,
} from '../__generated__/resolvers-types.js';
import { canSeeCustomer, visibleOrNull } from '../../shared/partner-scope.js';
import { money } from '../money.js';
import { requireQuoteInScope } from '../quote-scope.js';
import { quoteExternalDocumentNumber } from '../quote-to-order/quote-reference.js';
import { HOLD_REASON } from '../statuses.js';

export const quoteToOrderQueryResolvers: QueryResolvers = {
  validateQuote: async (_root, { quoteId }, context) => {
    await requireQuoteInScope('quoteId', quoteId, context);
    return context.quoteToOrder.validate(quoteId, context.call);
  },
};

export const quoteToOrderMutationResolvers: MutationResolvers = {
  submitQuote: async (_root, { input }, context) => {
    await requireQuoteInScope('input.quoteId', input.quoteId, context);
    const { quoteToOrder, caller, correlationId } = context;
    return quoteToOrder.submit(
      { quoteId: input.quoteId, idempotencyKey: input.idempotencyKey },
      { caller, correlationId },
    );
  },
};

export const quoteValidationResolvers: QuoteValidationResolvers = {
  quote: (validation) => (validation.reasonCodes.includes('QUOTE_NOT_FOUND') ? null : { id: validation.quoteId }),
  account: (validation, _args, { identity }) =>
    validation.erpCustomerNumber === null || !canSeeCustomer(identity, validation.erpCustomerNumber)
      ? null
      : { erpCustomerNumber: validation.erpCustomerNumber },
  quotedTotal: (validation) =>
    validation.quotedTotal === null || validation.currency === null
      ? null
      : money(validation.quotedTotal, validation.currency),
  lines: (validation) => validation.lines.map((line) => ({ ...line, currency: validation.currency ?? '' })),
  existingOrder: (validation, _args, { loaders }) =>
    validation.existingOrderNumber === null ? null : loaders.orderByNumber.load(validation.existingOrderNumber),
};

/** Quote entities the gateway sends with their status (@requires): whether submitQuote would take one. */
export const quoteResolvers: QuoteResolvers = {
  __resolveReference: (reference) => reference,
  submittable: (quote, _args, { quoteToOrder }) => quoteToOrder.isSubmittable(quote.status),
};

export const quoteCreditCheckResolvers: QuoteCreditCheckResolvers = {
  limit: (credit) => money(credit.limit, credit.currency),
  balance: (credit) => money(credit.balance, credit.currency),
  openOrderExposure: (credit) => money(credit.openOrderExposure, credit.currency),
  available: (credit) => money(credit.available, credit.currency),
  required: (credit) => money(credit.required, credit.currency),
  onHold: (credit) => credit.blocked !== 'none',
  holdReason: (credit) => HOLD_REASON[credit.blocked],
};

export const quoteLineCheckResolvers: QuoteLineCheckResolvers = {
  quotedUnitPrice: (line) => money(line.quotedUnitPrice, line.currency),
  erpUnitPrice: (line) => (line.erpUnitPrice === null ? null : money(line.erpUnitPrice, line.currency)),
  product: (line, _args, { loaders }) =>
    line.itemFound && line.itemNumber !== null ? loaders.itemByNumber.load(line.itemNumber) : null,
};

export const submitQuotePayloadResolvers: SubmitQuotePayloadResolvers = {
  status: ({ outcome }) => outcome.status,
  reasonCode: ({ outcome }) => outcome.reasonCode,
  reasonCodes: ({ outcome }) => outcome.reasonCodes,
  message: ({ outcome }) => outcome.message,
  correlationId: ({ outcome }) => outcome.correlationId,
  idempotencyKey: ({ outcome }) => outcome.idempotencyKey,
  processedAt: ({ outcome }) => outcome.processedAt,
  replayed: ({ replayed }) => replayed,
  // The order as this call got it from the ERP; on a replay, read again by number — and only if it
  // still is this quote's (an ERP restored from a backup, or the demo's emulators restarted under a
  // kept store, may have given the number to another order).
  order: async ({ order, outcome }, _args, { loaders, identity }) => {
    // Scoped like every other order (the loader below is; this one came straight from the ERP).
    if (order !== null || outcome.orderNumber === null) return visibleOrNull(identity, order, (o) => o.customerNumber);
    const byNumber = await loaders.orderByNumber.load(outcome.orderNumber);
    return byNumber?.externalDocumentNumber === quoteExternalDocumentNumber(outcome.quoteId) ? byNumber : null;
  },
  quote: ({ outcome }) =>
    outcome.quoteErpSync === null ? null : { id: outcome.quoteId, erpSync: outcome.quoteErpSync },
};
