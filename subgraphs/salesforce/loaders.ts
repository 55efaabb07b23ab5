// Per-request DataLoaders of the Salesforce subgraph: one per lookup by key, each batch one `served`
// read of the shielded connector (see ../shared/loaders.ts for why).
import type { CallContext } from '../../lib/call-context.js';
import type { ShieldedSalesforce } from '../../shield/index.js';
import type { FreshnessLedger } from '../shared/freshness.js';
import { listLoader, recordLoader } from '../shared/loaders.js';

export type SalesforceLoaders = ReturnType<typeof createSalesforceLoaders>;

export function createSalesforceLoaders(connector: ShieldedSalesforce, call: CallContext, freshness: FreshnessLedger) {
  const { served } = connector;
  return {
    /** Keyed by 18-character id. */
    accountById: recordLoader((ids) => served.accountsByIds(ids, call), freshness),
    /** Keyed by ERP customer number (Account.ERP_Customer_Id__c). */
    accountByErpNumber: recordLoader((numbers) => served.accountsByErpNumbers(numbers, call), freshness),
    userById: recordLoader((ids) => served.usersByIds(ids, call), freshness),
    quoteById: recordLoader((ids) => served.quotesByIds(ids, call), freshness),
    contactsByAccountId: listLoader((ids) => served.contactsByAccountIds(ids, call), freshness),
    opportunitiesByAccountId: listLoader((ids) => served.opportunitiesByAccountIds(ids, call), freshness),
    quotesByAccountId: listLoader((ids) => served.quotesByAccountIds(ids, call), freshness),
    casesByAccountId: listLoader((ids) => served.casesByAccountIds(ids, call), freshness),
    quoteLinesByQuoteId: listLoader((ids) => served.quoteLinesByQuoteIds(ids, call), freshness),
  };
}
