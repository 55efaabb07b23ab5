// Per-request DataLoaders of the Salesforce subgraph: one per lookup by key, each batch one
// connector call (see ../shared/loaders.ts for why).
import type { CallContext } from '../../lib/call-context.js';
import type { SalesforceConnector } from '../../connectors/salesforce/types.js';
import { listLoader, recordLoader } from '../shared/loaders.js';

export type SalesforceLoaders = ReturnType<typeof createSalesforceLoaders>;

export function createSalesforceLoaders(connector: SalesforceConnector, call: CallContext) {
  return {
    /** Keyed by 18-character id. */
    accountById: recordLoader((ids) => connector.accountsByIds(ids, call)),
    /** Keyed by ERP customer number (Account.ERP_Customer_Id__c). */
    accountByErpNumber: recordLoader((numbers) => connector.accountsByErpNumbers(numbers, call)),
    userById: recordLoader((ids) => connector.usersByIds(ids, call)),
    quoteById: recordLoader((ids) => connector.quotesByIds(ids, call)),
    contactsByAccountId: listLoader((ids) => connector.contactsByAccountIds(ids, call)),
    opportunitiesByAccountId: listLoader((ids) => connector.opportunitiesByAccountIds(ids, call)),
    quotesByAccountId: listLoader((ids) => connector.quotesByAccountIds(ids, call)),
    casesByAccountId: listLoader((ids) => connector.casesByAccountIds(ids, call)),
    quoteLinesByQuoteId: listLoader((ids) => connector.quoteLinesByQuoteIds(ids, call)),
  };
}
