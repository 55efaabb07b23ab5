// The Salesforce connector behind the shield: a decorator that IS a SalesforceConnector and adds
// `served` (values with asOf/stale). Salesforce rations API calls per day (DESIGN.md), so keyed
// reads are cached like the ERP's; list and count queries go through the resilience policy only
// (their arguments are open-ended and paging must stay consistent); writes are never retried.
import type {
  SalesforceConnector,
  SfAccountRecord,
  SfCaseRecord,
  SfContactRecord,
  SfOpportunityRecord,
  SfQuoteLineRecord,
  SfQuoteRecord,
  SfUserRecord,
} from '../connectors/salesforce/types.js';
import { createCacheFactory, type ShieldDeps } from './cache-factory.js';
import type { ServedReads } from './keyed-cache.js';
import type { ShieldOptions } from './options.js';
import { createResiliencePolicy, type ResiliencePolicy } from './resilience.js';

export type CachedSalesforceRead =
  | 'accountsByIds'
  | 'accountsByErpNumbers'
  | 'usersByIds'
  | 'contactsByAccountIds'
  | 'opportunitiesByAccountIds'
  | 'quotesByAccountIds'
  | 'quotesByIds'
  | 'quoteLinesByQuoteIds'
  | 'casesByAccountIds';

export interface ShieldedSalesforce extends SalesforceConnector {
  /** The cached reads with freshness, results aligned with the keys (Served | null | BackendError). */
  readonly served: ServedReads<SalesforceConnector, CachedSalesforceRead>;
  /**
   * The connector behind the resilience policy only: reads that must see the org as it is now, e.g.
   * submitQuote reading the quote and lines it turns into an ERP order.
   */
  readonly uncached: SalesforceConnector;
  readonly policy: ResiliencePolicy;
}

export function shieldSalesforce(
  connector: SalesforceConnector,
  options: ShieldOptions,
  deps: ShieldDeps,
): ShieldedSalesforce {
  const policy = createResiliencePolicy('salesforce', options.salesforce, deps.metrics);
  const uncached: SalesforceConnector = {
    accountsByIds: (keys, ctx) => policy.read('accountsByIds', ctx, (c) => connector.accountsByIds(keys, c)),
    accountsByErpNumbers: (keys, ctx) =>
      policy.read('accountsByErpNumbers', ctx, (c) => connector.accountsByErpNumbers(keys, c)),
    listAccounts: (args, ctx) => policy.read('listAccounts', ctx, (c) => connector.listAccounts(args, c)),
    countAccounts: (filter, ctx) => policy.read('countAccounts', ctx, (c) => connector.countAccounts(filter, c)),
    usersByIds: (keys, ctx) => policy.read('usersByIds', ctx, (c) => connector.usersByIds(keys, c)),
    contactsByAccountIds: (keys, ctx) =>
      policy.read('contactsByAccountIds', ctx, (c) => connector.contactsByAccountIds(keys, c)),
    opportunitiesByAccountIds: (keys, ctx) =>
      policy.read('opportunitiesByAccountIds', ctx, (c) => connector.opportunitiesByAccountIds(keys, c)),
    quotesByAccountIds: (keys, ctx) =>
      policy.read('quotesByAccountIds', ctx, (c) => connector.quotesByAccountIds(keys, c)),
    quotesByIds: (keys, ctx) => policy.read('quotesByIds', ctx, (c) => connector.quotesByIds(keys, c)),
    quoteLinesByQuoteIds: (keys, ctx) =>
      policy.read('quoteLinesByQuoteIds', ctx, (c) => connector.quoteLinesByQuoteIds(keys, c)),
    casesByAccountIds: (keys, ctx) =>
      policy.read('casesByAccountIds', ctx, (c) => connector.casesByAccountIds(keys, c)),
    updateAccount: (id, update, ctx) =>
      policy.write('updateAccount', ctx, (c) => connector.updateAccount(id, update, c)),
    updateQuotesErpSync: (updates, ctx) =>
      policy.write('updateQuotesErpSync', ctx, (c) => connector.updateQuotesErpSync(updates, c)),
    // Once, no retries, through the breaker on purpose (see shielded-erp.ts, ping).
    ping: (ctx) => policy.write('ping', ctx, (c) => connector.ping(c)),
    apiUsage: () => connector.apiUsage(),
  };

  const cache = createCacheFactory('salesforce', options, deps, policy);
  const accounts = cache<SfAccountRecord>('sf.account', 'accountsByIds', (keys, c) => connector.accountsByIds(keys, c));
  const accountsByErpNumber = cache<SfAccountRecord>('sf.accountByErpNumber', 'accountsByErpNumbers', (keys, c) =>
    connector.accountsByErpNumbers(keys, c),
  );
  const users = cache<SfUserRecord>('sf.user', 'usersByIds', (keys, c) => connector.usersByIds(keys, c));
  const contacts = cache<SfContactRecord[]>('sf.contactsByAccount', 'contactsByAccountIds', (keys, c) =>
    connector.contactsByAccountIds(keys, c),
  );
  const opportunities = cache<SfOpportunityRecord[]>(
    'sf.opportunitiesByAccount',
    'opportunitiesByAccountIds',
    (keys, c) => connector.opportunitiesByAccountIds(keys, c),
  );
  const quotesByAccount = cache<SfQuoteRecord[]>('sf.quotesByAccount', 'quotesByAccountIds', (keys, c) =>
    connector.quotesByAccountIds(keys, c),
  );
  const quotes = cache<SfQuoteRecord>('sf.quote', 'quotesByIds', (keys, c) => connector.quotesByIds(keys, c));
  const quoteLines = cache<SfQuoteLineRecord[]>('sf.quoteLinesByQuote', 'quoteLinesByQuoteIds', (keys, c) =>
    connector.quoteLinesByQuoteIds(keys, c),
  );
  const cases = cache<SfCaseRecord[]>('sf.casesByAccount', 'casesByAccountIds', (keys, c) =>
    connector.casesByAccountIds(keys, c),
  );

  return {
    accountsByIds: accounts.getMap,
    accountsByErpNumbers: accountsByErpNumber.getMap,
    listAccounts: uncached.listAccounts,
    countAccounts: uncached.countAccounts,
    usersByIds: users.getMap,
    contactsByAccountIds: contacts.getMap,
    opportunitiesByAccountIds: opportunities.getMap,
    quotesByAccountIds: quotesByAccount.getMap,
    quotesByIds: quotes.getMap,
    quoteLinesByQuoteIds: quoteLines.getMap,
    casesByAccountIds: cases.getMap,
    // After a write, also when it failed (a timed-out write may have gone through), drop the entries
    // keyed by what the write names. Entries keyed otherwise (sf.accountByErpNumber,
    // sf.quotesByAccount) are the caller's to invalidate: only it knows those keys.
    async updateAccount(id, update, ctx) {
      try {
        await uncached.updateAccount(id, update, ctx);
      } finally {
        deps.invalidation.invalidate('sf.account', [id]);
      }
    },
    async updateQuotesErpSync(updates, ctx) {
      try {
        await uncached.updateQuotesErpSync(updates, ctx);
      } finally {
        deps.invalidation.invalidate(
          'sf.quote',
          updates.map((u) => u.quoteId),
        );
      }
    },
    ping: uncached.ping,
    apiUsage: uncached.apiUsage,
    served: {
      accountsByIds: accounts.getMany,
      accountsByErpNumbers: accountsByErpNumber.getMany,
      usersByIds: users.getMany,
      contactsByAccountIds: contacts.getMany,
      opportunitiesByAccountIds: opportunities.getMany,
      quotesByAccountIds: quotesByAccount.getMany,
      quotesByIds: quotes.getMany,
      quoteLinesByQuoteIds: quoteLines.getMany,
      casesByAccountIds: cases.getMany,
    },
    uncached,
    policy,
  };
}
