// Quote (entity, key `id`) and its lines. Amounts are decimal strings from the connector and are
// passed through unchanged (never parsed into floats).
import { normalizeSalesforceId } from '../../../connectors/salesforce/ids.js';
import type { QuoteLineResolvers, QuoteResolvers } from '../__generated__/resolvers-types.js';
import { KEY_PREFIX } from '../arguments.js';

export const quoteResolvers: QuoteResolvers = {
  __resolveReference: (reference, { loaders }) => {
    // Quote ids also arrive from the ERP subgraph (parsed out of an order's SFQ-<id> reference),
    // possibly in their 15-character form.
    const id = normalizeSalesforceId(reference.id, KEY_PREFIX.quote);
    return id === null ? null : loaders.quoteById.load(id);
  },
  total: (quote) => ({ amount: quote.totalPrice, currency: quote.currency }),
  grandTotal: (quote) => ({ amount: quote.grandTotal, currency: quote.currency }),
  account: (quote, _args, { loaders }) => (quote.accountId === null ? null : loaders.accountById.load(quote.accountId)),
  lines: async (quote, _args, { loaders }) => {
    const lines = await loaders.quoteLinesByQuoteId.load(quote.id);
    return lines.map((line) => ({ ...line, currency: quote.currency }));
  },
  erpSync: (quote) => ({
    orderNumber: quote.erpOrderNumber,
    status: quote.erpSyncStatus,
    message: quote.erpSyncMessage,
    lastSyncAt: quote.erpLastSyncAt,
  }),
};

export const quoteLineResolvers: QuoteLineResolvers = {
  unitPrice: (line) => ({ amount: line.unitPrice, currency: line.currency }),
  totalPrice: (line) => ({ amount: line.totalPrice, currency: line.currency }),
  // A reference only: the ERP subgraph resolves the item (Product2.ProductCode is its number).
  product: (line) => (line.productCode === null ? null : { __typename: 'Product', number: line.productCode }),
};
