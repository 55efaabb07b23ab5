// Row scope behind the access rules. Partners may not call updateAccount, validateQuote or
// submitQuote at all (@requiresScopes, enforced by the gateway's and the subgraphs' access plugins),
// so these resolvers are called directly here, as if those checks were missing: a partner's account
// or quote outside its scope must still be refused — NOT_FOUND, word for word what an id that does not
// exist gets, before anything is written — and other roles pay no extra backend call for the check.
// Also here: Query.accounts with an empty scope (no token can carry one, but a scope is just a set)
// answers no rows and asks Salesforce nothing.
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SfAccountRecord, SfQuoteRecord } from '../../connectors/salesforce/types.js';
import type { AuditLog, Store } from '../../connectors/store/index.js';
import type { Identity } from '../../lib/identity.js';
import { createLogger } from '../../lib/logger.js';
import { createShield } from '../../shield/index.js';
import { createErpLoaders } from '../../subgraphs/erp/loaders.js';
import { createQuoteToOrder, type QuoteToOrder } from '../../subgraphs/erp/quote-to-order/index.js';
import { resolvers as erpResolvers } from '../../subgraphs/erp/resolvers/index.js';
import type { ErpContext } from '../../subgraphs/erp/context.js';
import { loadAccountWriteOwnership } from '../../subgraphs/salesforce/account-ownership.js';
import type { SalesforceContext } from '../../subgraphs/salesforce/context.js';
import { createSalesforceLoaders } from '../../subgraphs/salesforce/loaders.js';
import { resolvers as sfResolvers } from '../../subgraphs/salesforce/resolvers/index.js';
import { FreshnessLedger } from '../../subgraphs/shared/freshness.js';
import { account, FakeSalesforceConnector, sfId, type SalesforceData } from '../subgraphs/support/fake-salesforce.js';
import { FakeErpPort } from '../subgraphs/support/fake-erp.js';
import { erpDataset } from '../subgraphs/support/erp-data.js';
import { passThroughShield } from '../subgraphs/support/pass-through-shield.js';
import { testIdentity } from '../support/identity.js';

const logger = createLogger('test', 'silent');
const info = {} as GraphQLResolveInfo;
const OWN = account(1);
const FOREIGN = account(2);
const MISSING_ACCOUNT = sfId('001', 999);
const PARTNER = testIdentity('partner', { id: 'P-TEST', customers: [OWN.erpCustomerNumber!] });

function quote(serial: number, of: SfAccountRecord): SfQuoteRecord {
  return {
    id: sfId('0Q0', serial),
    number: String(serial).padStart(8, '0'),
    name: `Q-${serial}`,
    accountId: of.id,
    opportunityId: null,
    status: 'Draft',
    expirationDate: null,
    currency: 'EUR',
    totalPrice: '1.00',
    grandTotal: '1.00',
    erpOrderNumber: null,
    erpSyncStatus: null,
    erpSyncMessage: null,
    erpLastSyncAt: null,
    updatedAt: '2026-11-01T00:00:00.000Z',
  };
}
const OWN_QUOTE = quote(1, OWN);
const FOREIGN_QUOTE = quote(2, FOREIGN);
const MISSING_QUOTE = sfId('0Q0', 999);

function data(): SalesforceData {
  return {
    accounts: [OWN, FOREIGN],
    users: [],
    contacts: [],
    opportunities: [],
    quotes: [OWN_QUOTE, FOREIGN_QUOTE],
    quoteLines: [],
    cases: [],
  };
}

let salesforce: FakeSalesforceConnector;
beforeEach(() => {
  salesforce = new FakeSalesforceConnector(data());
});
afterEach(() => vi.restoreAllMocks());

/** What the resolver threw (fails when it returned). */
async function thrown(run: () => unknown): Promise<GraphQLError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error('expected the resolver to throw');
}

describe('Salesforce subgraph', () => {
  function context(identity: Identity): SalesforceContext {
    const shield = createShield(passThroughShield(), { registry: new Registry() });
    const connector = shield.salesforce(salesforce);
    const call = { correlationId: 'scoping-test' };
    const freshness = new FreshnessLedger(new Date());
    const audit = { begin: async () => 1, finish: async () => undefined } as unknown as AuditLog;
    return {
      correlationId: call.correlationId,
      logger,
      call,
      connector,
      loaders: createSalesforceLoaders(connector, call, freshness, identity),
      freshness,
      accountUpdates: {
        connector,
        ownership: loadAccountWriteOwnership(),
        audit,
        invalidate: shield.invalidate,
        clock: () => new Date(),
        logger,
      },
      identity,
      caller: `${identity.issuer}|${identity.subject}`,
    };
  }
  const updateAccount = (identity: Identity, id: string) =>
    (sfResolvers.Mutation!.updateAccount as Function)({}, { input: { id, name: 'Renamed' } }, context(identity), info);

  it('updateAccount: a partner writes nothing outside its scope, refused as if the account did not exist', async () => {
    const foreign = await thrown(() => updateAccount(PARTNER, FOREIGN.id));
    const missing = await thrown(() => updateAccount(PARTNER, MISSING_ACCOUNT));
    expect(foreign.extensions['code']).toBe('NOT_FOUND');
    expect(foreign.message.replace(FOREIGN.id, '<id>')).toBe(missing.message.replace(MISSING_ACCOUNT, '<id>'));
    expect(foreign.extensions).toEqual(missing.extensions);
    expect(salesforce.recorder.callsOf('updateAccount')).toEqual([]);
  });

  it('updateAccount: inside its scope the partner reaches the write; other roles pay no extra read', async () => {
    expect((await updateAccount(PARTNER, OWN.id)).account.id).toBe(OWN.id);
    expect(salesforce.recorder.calls.map((c) => c.method)).toEqual(['accountsByIds', 'updateAccount', 'accountsByIds']);
    salesforce.recorder.reset();
    expect((await updateAccount(testIdentity('sales'), FOREIGN.id)).account.id).toBe(FOREIGN.id);
    expect(salesforce.recorder.calls.map((c) => c.method)).toEqual(['updateAccount', 'accountsByIds']);
  });

  it('Query.accounts with an empty scope: no rows, totalCount 0, no Salesforce call', async () => {
    const ctx = context(testIdentity('partner', { id: 'P-NOBODY', customers: [] }));
    const page = await (sfResolvers.Query!.accounts as Function)({}, { first: 10 }, ctx, info);
    expect(page.accounts).toEqual([]);
    expect(page.hasNextPage).toBe(false);
    expect(await (sfResolvers.AccountConnection!.totalCount as Function)(page, {}, ctx, info)).toBe(0);
    expect(salesforce.recorder.calls).toEqual([]);
  });
});

describe('ERP subgraph', () => {
  let quoteToOrder: QuoteToOrder;
  let validate: ReturnType<typeof vi.spyOn>;
  let submit: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    // The store is never reached: every call below is refused, or stubbed, before the submission.
    quoteToOrder = createQuoteToOrder({ store: {} as Store, salesforce, erp: new FakeErpPort(erpDataset()), logger });
    validate = vi.spyOn(quoteToOrder, 'validate').mockResolvedValue({} as never);
    submit = vi.spyOn(quoteToOrder, 'submit').mockResolvedValue({} as never);
  });

  function context(identity: Identity): ErpContext {
    const shield = createShield(passThroughShield(), { registry: new Registry() });
    const erp = shield.erp(new FakeErpPort(erpDataset()));
    const call = { correlationId: 'scoping-test' };
    const freshness = new FreshnessLedger(new Date());
    return {
      correlationId: call.correlationId,
      logger,
      call,
      erp,
      loaders: createErpLoaders(erp, call, freshness, identity),
      freshness,
      today: '2026-11-24',
      quoteToOrder,
      identity,
      caller: `${identity.issuer}|${identity.subject}`,
    };
  }
  const validateQuote = (identity: Identity, quoteId: string) =>
    (erpResolvers.Query!.validateQuote as Function)({}, { quoteId }, context(identity), info);
  const submitQuote = (identity: Identity, quoteId: string) =>
    (erpResolvers.Mutation!.submitQuote as Function)(
      {},
      { input: { quoteId, idempotencyKey: 'scoping-key-0001' } },
      context(identity),
      info,
    );

  it.each([
    ['validateQuote', validateQuote],
    ['submitQuote', submitQuote],
  ] as const)(
    '%s: a partner quote outside the scope is refused as if it did not exist, before any ERP work',
    async (_name, run) => {
      const foreign = await thrown(() => run(PARTNER, FOREIGN_QUOTE.id));
      const missing = await thrown(() => run(PARTNER, MISSING_QUOTE));
      expect(foreign.extensions['code']).toBe('NOT_FOUND');
      expect(foreign.message.replace(FOREIGN_QUOTE.id, '<id>')).toBe(missing.message.replace(MISSING_QUOTE, '<id>'));
      expect(foreign.extensions).toEqual(missing.extensions);
      // The 15-character spelling of the same foreign quote is no way around it.
      expect((await thrown(() => run(PARTNER, FOREIGN_QUOTE.id.slice(0, 15)))).extensions['code']).toBe('NOT_FOUND');
      expect(validate).not.toHaveBeenCalled();
      expect(submit).not.toHaveBeenCalled();
    },
  );

  it('a partner quote inside the scope goes on; other roles are not checked (no extra Salesforce call)', async () => {
    await validateQuote(PARTNER, OWN_QUOTE.id);
    await submitQuote(PARTNER, OWN_QUOTE.id);
    expect(validate).toHaveBeenCalledTimes(1);
    expect(submit).toHaveBeenCalledTimes(1);
    salesforce.recorder.reset();
    await validateQuote(testIdentity('sales'), FOREIGN_QUOTE.id);
    await submitQuote(testIdentity('integration'), FOREIGN_QUOTE.id);
    expect(validate).toHaveBeenCalledTimes(2);
    expect(submit).toHaveBeenCalledTimes(2);
    expect(salesforce.recorder.calls).toEqual([]);
  });
});
