// Per-request DataLoaders of the Salesforce subgraph: one per lookup by key, each batch one `served`
// read of the shielded connector (see ../shared/loaders.ts for why). The account and quote loaders
// are scoped to the caller (../shared/partner-scope.ts): a partner gets an account only when its ERP
// customer number is in scope, and a quote only when its account is. Every Account and Quote of this
// subgraph (by id, by ERP number, entity references, Quote.account) comes through them; the child
// lists (contacts, opportunities, quotes, cases) are loaded by the id of an account already visible.
import type DataLoader from 'dataloader';
import type { SfAccountRecord, SfQuoteRecord } from '../../connectors/salesforce/types.js';
import type { CallContext } from '../../lib/call-context.js';
import type { Identity } from '../../lib/identity.js';
import { isBackendError } from '../../lib/backend-error.js';
import type { ServedResult, ShieldedSalesforce } from '../../shield/index.js';
import type { FreshnessLedger } from '../shared/freshness.js';
import { listLoader, recordLoader } from '../shared/loaders.js';
import { customerKeys, scopeRecords, type ServedBatchRead } from '../shared/partner-scope.js';

export type SalesforceLoaders = ReturnType<typeof createSalesforceLoaders>;

export function createSalesforceLoaders(
  connector: ShieldedSalesforce,
  call: CallContext,
  freshness: FreshnessLedger,
  identity: Identity,
) {
  const { served } = connector;
  const ofAccount = (account: SfAccountRecord) => account.erpCustomerNumber;
  const accountById = recordLoader(
    scopeRecords(identity, (ids) => served.accountsByIds(ids, call), ofAccount),
    freshness,
  );
  const quotesById: ServedBatchRead<SfQuoteRecord> = (ids) => served.quotesByIds(ids, call);
  return {
    /** Keyed by 18-character id. */
    accountById,
    /** Keyed by ERP customer number (Account.ERP_Customer_Id__c). */
    accountByErpNumber: recordLoader(
      scopeRecords(identity, (numbers) => served.accountsByErpNumbers(numbers, call), ofAccount),
      freshness,
      {
        // A partner's numbers outside its scope are not looked up at all.
        ...(identity.partner !== null && { accepts: customerKeys(identity) }),
      },
    ),
    userById: recordLoader((ids) => served.usersByIds(ids, call), freshness),
    quoteById: recordLoader(
      identity.partner === null ? quotesById : quotesOfVisibleAccounts(quotesById, accountById),
      freshness,
    ),
    contactsByAccountId: listLoader((ids) => served.contactsByAccountIds(ids, call), freshness),
    opportunitiesByAccountId: listLoader((ids) => served.opportunitiesByAccountIds(ids, call), freshness),
    quotesByAccountId: listLoader((ids) => served.quotesByAccountIds(ids, call), freshness),
    casesByAccountId: listLoader((ids) => served.casesByAccountIds(ids, call), freshness),
    quoteLinesByQuoteId: listLoader((ids) => served.quoteLinesByQuoteIds(ids, call), freshness),
  };
}

/**
 * Quotes whose account the (partner) caller may see; the others are none. Their accounts are loaded
 * through the scoped account loader, in one batch for the whole batch of quotes. When an account
 * cannot be read, its quotes fail with that error (it says Salesforce failed, not whether they exist).
 */
function quotesOfVisibleAccounts(
  read: ServedBatchRead<SfQuoteRecord>,
  accountById: DataLoader<string, SfAccountRecord | null>,
): ServedBatchRead<SfQuoteRecord> {
  return async (ids) => {
    const results = await read(ids);
    const quoteAccount = (result: ServedResult<SfQuoteRecord>) =>
      result === null || result instanceof Error ? null : result.value.accountId;
    const accountIds = [...new Set(results.map(quoteAccount).filter((id) => id !== null))];
    const loaded = accountIds.length === 0 ? [] : await accountById.loadMany(accountIds);
    const accounts = new Map(accountIds.map((id, i) => [id, loaded[i]] as const));
    return results.map((result) => {
      if (result === null || result instanceof Error) return result;
      const account = result.value.accountId === null ? null : accounts.get(result.value.accountId);
      if (account instanceof Error) {
        if (isBackendError(account)) return account;
        throw account;
      }
      return account === null || account === undefined ? null : result;
    });
  };
}
