// The Salesforce connector against the real emulator: auth flows, every batch read checked against
// the seeded dataset, one request per call, keyset paging, writes, and SOQL-injection attempts
// through every argument that reaches SOQL.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  // jsforce reads proxy variables when it is imported and ignores NO_PROXY.
  for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[name];
});

import { normalizeSalesforceId, type SalesforceConnector } from '../../connectors/salesforce/index.js';
import type { SfAccount } from '../../emulators/seed/types.js';
import {
  CREDENTIALS,
  backendError,
  ctx,
  seedDataset,
  startFixture,
  textOrder,
  type Fixture,
} from './salesforce-fixture.js';

let fx: Fixture;
let sf: SalesforceConnector;

/** Names with every character SOQL escapes, so injection tests have honest matches to find. */
const NASTY_NAMES = ["O'Brien \\ Sons", '50% off_Tools "Quoted"', "Back\\slash O'Hara_100%"];

beforeAll(async () => {
  const dataset = seedDataset();
  NASTY_NAMES.forEach((name, i) => (dataset.Account[20 + i]!.Name = name));
  fx = await startFixture(dataset);
  sf = fx.connector();
  await sf.ping(ctx());
});
afterAll(() => fx?.close());
beforeEach(() => fx.resetStats());

const accounts = () => fx.dataset.Account;
const sortedAccounts = (list: SfAccount[]) =>
  [...list].sort((a, b) => textOrder(a.Name, b.Name) || (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));

/** The API requests since the last reset, by route; fails on any 4xx/5xx. */
async function requests(): Promise<Record<string, number>> {
  const stats = await fx.stats();
  const failed = stats.recent.filter((r) => r.status >= 400);
  expect(failed).toEqual([]);
  return stats.byRoute;
}

describe('auth flows', () => {
  it('client_credentials, password and jwt_bearer each obtain a working session', async () => {
    const flows = [
      { flow: 'client_credentials', clientId: CREDENTIALS.clientId, clientSecret: CREDENTIALS.clientSecret },
      { flow: 'password', ...CREDENTIALS },
      {
        flow: 'jwt_bearer',
        clientId: CREDENTIALS.clientId,
        username: CREDENTIALS.username,
        privateKeyPem: fx.privateKeyPem,
      },
    ] as const;
    for (const auth of flows) {
      await fx.resetStats();
      const connector = fx.connector({ auth });
      const found = await connector.accountsByIds([accounts()[0]!.Id], ctx(`auth-${auth.flow}`));
      expect(found.get(accounts()[0]!.Id)?.name).toBe(accounts()[0]!.Name);
      expect(await requests()).toEqual({ token: 1, 'query Account': 1 });
    }
  });

  it('wrong credentials and a JWT signed by an unknown key are unauthorized', async () => {
    const wrongSecret = fx.connector({
      auth: { flow: 'client_credentials', clientId: CREDENTIALS.clientId, clientSecret: 'nope' },
    });
    expect(await backendError(wrongSecret.ping(ctx()))).toMatchObject({
      failure: 'unauthorized',
      details: { status: 400 },
    });

    const wrongPassword = fx.connector({ auth: { flow: 'password', ...CREDENTIALS, password: 'nope' } });
    expect((await backendError(wrongPassword.ping(ctx()))).failure).toBe('unauthorized');

    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const strangerKey = fx.connector({
      auth: {
        flow: 'jwt_bearer',
        clientId: CREDENTIALS.clientId,
        username: CREDENTIALS.username,
        privateKeyPem: privateKey,
      },
    });
    expect((await backendError(strangerKey.ping(ctx()))).failure).toBe('unauthorized');
  });
});

describe('batch reads', () => {
  it('accountsByIds: 50 keys (15- and 18-char, duplicated) in one request, mapped like the dataset', async () => {
    const wanted = accounts().slice(10, 60);
    const keys = wanted.flatMap((a, i) => (i % 2 === 0 ? [a.Id.slice(0, 15), a.Id] : [a.Id]));
    const found = await sf.accountsByIds(keys, ctx());
    expect([...found.keys()].sort()).toEqual(wanted.map((a) => a.Id).sort());
    expect(await requests()).toEqual({ 'query Account': 1 });

    const a = wanted[0]!;
    expect(found.get(a.Id)).toEqual({
      id: a.Id,
      name: a.Name,
      type: a.Type,
      industry: a.Industry,
      phone: a.Phone,
      website: a.Website,
      ownerId: a.OwnerId,
      erpCustomerNumber: a.ERP_Customer_Id__c,
      billingAddress: {
        street: a.BillingStreet,
        city: a.BillingCity,
        state: a.BillingState,
        postalCode: a.BillingPostalCode,
        country: a.BillingCountry,
      },
      annualRevenue: a.AnnualRevenue === null ? null : a.AnnualRevenue.toFixed(2),
      numberOfEmployees: a.NumberOfEmployees,
      description: a.Description,
      createdAt: new Date(a.CreatedDate).toISOString(),
      updatedAt: new Date(a.LastModifiedDate).toISOString(),
    });
  });

  it('accountsByIds chunks only above 200 keys; unknown or malformed ids are just absent', async () => {
    const all = await sf.accountsByIds([...accounts().map((a) => a.Id), 'bogus'], ctx());
    expect(all.size).toBe(200);
    expect(await requests()).toEqual({ 'query Account': 1 });

    await fx.resetStats();
    // 250 well-formed ids of accounts that do not exist: 450 keys → 3 statements.
    const unknown = Array.from({ length: 250 }, (_, i) =>
      normalizeSalesforceId(`001zzz${String(i).padStart(9, '0')}`)!,
    );
    const many = await sf.accountsByIds([...unknown, ...accounts().map((a) => a.Id)], ctx());
    expect(many.size).toBe(200);
    expect(await requests()).toEqual({ 'query Account': 3 });

    await fx.resetStats();
    expect((await sf.accountsByIds(['bogus', ''], ctx())).size).toBe(0);
    expect((await fx.stats()).total).toBe(0); // no valid key, no request
  });

  it('accountsByErpNumbers keys by ERP customer number, one request for 50', async () => {
    const wanted = accounts().slice(100, 150);
    const found = await sf.accountsByErpNumbers(
      wanted.map((a) => a.ERP_Customer_Id__c!),
      ctx(),
    );
    expect(found.size).toBe(50);
    for (const a of wanted) expect(found.get(a.ERP_Customer_Id__c!)?.id).toBe(a.Id);
    expect(await requests()).toEqual({ 'query Account': 1 });
  });

  it('accountsByErpNumbers answers under the key as given (Salesforce text equality ignores case)', async () => {
    const a = accounts()[7]!;
    const lower = a.ERP_Customer_Id__c!.toLowerCase();
    const found = await sf.accountsByErpNumbers([lower, a.ERP_Customer_Id__c!, 'x'.repeat(300)], ctx());
    expect([...found.keys()].sort()).toEqual([a.ERP_Customer_Id__c!, lower].sort());
    expect(found.get(lower)?.id).toBe(a.Id);
  });

  it('usersByIds', async () => {
    const users = fx.dataset.User;
    const found = await sf.usersByIds(
      users.map((u) => u.Id),
      ctx(),
    );
    expect(found.size).toBe(users.length);
    const u = users[0]!;
    expect(found.get(u.Id)).toEqual({ id: u.Id, name: u.Name, email: u.Email, title: u.Title });
  });

  it('contacts, opportunities, quotes and cases by 50 account ids: one request each, ordered', async () => {
    const ids = accounts()
      .slice(0, 50)
      .map((a) => a.Id);
    const idSet = new Set(ids);
    const [contacts, opportunities, quotes, cases] = await Promise.all([
      sf.contactsByAccountIds(ids, ctx()),
      sf.opportunitiesByAccountIds(ids, ctx()),
      sf.quotesByAccountIds(ids, ctx()),
      sf.casesByAccountIds(ids, ctx()),
    ]);
    expect(await requests()).toEqual({
      'query Contact': 1,
      'query Opportunity': 1,
      'query Quote': 1,
      'query Case': 1,
    });

    const expectGroups = <R extends { Id: string; AccountId: string | null }>(
      got: Map<string, { id: string }[]>,
      rows: R[],
      order: (a: R, b: R) => number,
    ) => {
      const expected = new Map<string, string[]>();
      for (const row of [...rows].filter((r) => idSet.has(r.AccountId!)).sort(order)) {
        expected.set(row.AccountId!, [...(expected.get(row.AccountId!) ?? []), row.Id]);
      }
      expect(new Map([...got].map(([k, v]) => [k, v.map((r) => r.id)]))).toEqual(expected);
    };
    const byId = (a: { Id: string }, b: { Id: string }) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0);
    expectGroups(
      contacts,
      fx.dataset.Contact,
      (a, b) => textOrder(a.LastName, b.LastName) || textOrder(a.FirstName, b.FirstName) || byId(a, b),
    );
    expectGroups(opportunities, fx.dataset.Opportunity, (a, b) => -textOrder(a.CloseDate, b.CloseDate) || byId(a, b));
    expectGroups(quotes, fx.dataset.Quote, (a, b) => -textOrder(a.QuoteNumber, b.QuoteNumber) || byId(a, b));
    expectGroups(cases, fx.dataset.Case, (a, b) => -textOrder(a.CreatedDate, b.CreatedDate) || byId(a, b));

    const o = fx.dataset.Opportunity.find((x) => idSet.has(x.AccountId))!;
    expect(opportunities.get(o.AccountId)!.find((x) => x.id === o.Id)).toEqual({
      id: o.Id,
      accountId: o.AccountId,
      name: o.Name,
      stage: o.StageName,
      amount: o.Amount === null ? null : o.Amount.toFixed(2),
      closeDate: o.CloseDate,
      probability: o.Probability,
      isClosed: o.IsClosed,
      isWon: o.IsWon,
      ownerId: o.OwnerId,
    });
    const c = fx.dataset.Case.find((x) => idSet.has(x.AccountId) && x.ClosedDate !== null)!;
    expect(cases.get(c.AccountId)!.find((x) => x.id === c.Id)).toMatchObject({
      number: c.CaseNumber,
      contactId: c.ContactId,
      isClosed: true,
      closedAt: new Date(c.ClosedDate!).toISOString(),
      createdAt: new Date(c.CreatedDate).toISOString(),
    });
  });

  it('quotesByIds and quoteLinesByQuoteIds (with Product2 code and name), money as decimal strings', async () => {
    const quotes = fx.dataset.Quote.slice(0, 50);
    const found = await sf.quotesByIds(
      quotes.map((q) => q.Id),
      ctx(),
    );
    expect(found.size).toBe(50);
    const q = quotes.find((x) => x.ERP_Order_Number__c !== null)!;
    expect(found.get(q.Id)).toEqual({
      id: q.Id,
      number: q.QuoteNumber,
      name: q.Name,
      accountId: q.AccountId,
      opportunityId: q.OpportunityId,
      status: q.Status,
      expirationDate: q.ExpirationDate,
      currency: q.CurrencyIsoCode,
      totalPrice: q.TotalPrice.toFixed(2),
      grandTotal: q.GrandTotal.toFixed(2),
      erpOrderNumber: q.ERP_Order_Number__c,
      erpSyncStatus: q.ERP_Sync_Status__c,
      erpSyncMessage: q.ERP_Sync_Message__c,
      erpLastSyncAt: new Date(q.ERP_Last_Sync_At__c!).toISOString(),
      updatedAt: new Date(q.LastModifiedDate).toISOString(),
    });

    const lines = await sf.quoteLinesByQuoteIds(
      quotes.map((x) => x.Id),
      ctx(),
    );
    expect(await requests()).toEqual({ 'query Quote': 1, 'query QuoteLineItem': 1 });
    const quoteIds = new Set(quotes.map((x) => x.Id));
    const expectedLines = fx.dataset.QuoteLineItem.filter((l) => quoteIds.has(l.QuoteId));
    expect([...lines.values()].flat()).toHaveLength(expectedLines.length);
    const l = expectedLines[0]!;
    const product = fx.dataset.Product2.find((p) => p.Id === l.Product2Id)!;
    const got = lines.get(l.QuoteId)!;
    expect(got.map((x) => x.lineNumber)).toEqual([...got.map((x) => x.lineNumber)].sort());
    expect(got.find((x) => x.id === l.Id)).toEqual({
      id: l.Id,
      quoteId: l.QuoteId,
      productId: l.Product2Id,
      productCode: product.ProductCode,
      productName: product.Name,
      lineNumber: l.LineNumber,
      description: l.Description,
      quantity: l.Quantity,
      unitPrice: l.UnitPrice.toFixed(2),
      discount: l.Discount,
      totalPrice: l.TotalPrice.toFixed(2),
    });
  });
});

describe('listAccounts and countAccounts', () => {
  it('pages through every account in (Name, Id) order with keyset cursors', async () => {
    const seen: string[] = [];
    let after: { name: string; id: string } | undefined;
    let pages = 0;
    for (;;) {
      const page = await sf.listAccounts({ first: 60, ...(after ? { after } : {}) }, ctx());
      pages += 1;
      seen.push(...page.accounts.map((a) => a.id));
      if (!page.hasNextPage) break;
      const last = page.accounts.at(-1)!;
      after = { name: last.name, id: last.id };
    }
    expect(pages).toBe(4);
    expect(seen).toEqual(sortedAccounts(accounts()).map((a) => a.Id));
    expect(await requests()).toEqual({ 'query Account': 4 });
  });

  it('filters by industry, type and name substring; countAccounts agrees', async () => {
    const a = accounts()[3]!;
    const filter = { industry: a.Industry!, type: a.Type!, nameContains: a.Name.slice(2, 6).toUpperCase() };
    const expected = sortedAccounts(
      accounts().filter(
        (x) =>
          x.Industry === filter.industry &&
          x.Type === filter.type &&
          x.Name.toLowerCase().includes(filter.nameContains.toLowerCase()),
      ),
    );
    const page = await sf.listAccounts({ first: 200, filter }, ctx());
    expect(page.accounts.map((x) => x.id)).toEqual(expected.map((x) => x.Id));
    expect(page.hasNextPage).toBe(false);
    expect(await sf.countAccounts(filter, ctx())).toBe(expected.length);
    expect(await sf.countAccounts(undefined, ctx())).toBe(200);
  });

  it('refuses filter values longer than any text field without calling Salesforce', async () => {
    const error = await backendError(sf.countAccounts({ nameContains: 'x'.repeat(256) }, ctx()));
    expect(error).toMatchObject({ failure: 'rejected', details: { backendCode: 'INVALID_ARGUMENT' } });
    expect((await fx.stats()).total).toBe(0);
  });

  it('refuses first outside 1..200 without calling Salesforce', async () => {
    for (const first of [0, 201, 1.5]) {
      expect(await backendError(sf.listAccounts({ first }, ctx()))).toMatchObject({
        failure: 'rejected',
        details: { backendCode: 'INVALID_ARGUMENT' },
      });
    }
    expect((await fx.stats()).total).toBe(0);
  });
});

describe('SOQL injection attempts return exactly the honest result', () => {
  const hostileIds = [
    "001' OR Name != '",
    "001') OR (Name != '",
    "' OR Id != '",
    '0018d0000000001AAA OR Id != null',
    '0018d0000000001\\',
    '0018d0000000001%',
  ];
  const hostileText = [
    "'",
    '\\',
    "\\'",
    "' OR Name != '",
    '%',
    '_',
    "%'",
    '\\%',
    "') OR (Name LIKE '%",
    "O'H",
    "x\\' OR Name != \\'",
    '\\s',
    '"quoted"',
    '_100%',
    'f_T',
    '0% O',
    // Sent as \uXXXX escapes (a raw U+2028 made the statement unparseable), decoded back by the emulator.
    'line\u2028break',
    'para\u2029',
    'next\u0085line',
    'ctrl\u0001',
    'lone\ud800',
    '\udc00x',
  ];

  it('ids: malformed ones match nothing, valid ones still match', async () => {
    const valid = accounts()[0]!;
    const byIds = await sf.accountsByIds([...hostileIds, valid.Id], ctx());
    expect([...byIds.keys()]).toEqual([valid.Id]);
    expect((await sf.usersByIds(hostileIds, ctx())).size).toBe(0);
    expect((await sf.quotesByIds(hostileIds, ctx())).size).toBe(0);
    expect((await sf.contactsByAccountIds(hostileIds, ctx())).size).toBe(0);
    expect((await sf.quoteLinesByQuoteIds(hostileIds, ctx())).size).toBe(0);
    await requests(); // nothing failed
  });

  it('ERP numbers with quotes and backslashes', async () => {
    const valid = accounts()[1]!;
    const found = await sf.accountsByErpNumbers(
      [...hostileText, `${valid.ERP_Customer_Id__c}' OR Name != '`, valid.ERP_Customer_Id__c!],
      ctx(),
    );
    expect([...found.keys()]).toEqual([valid.ERP_Customer_Id__c]);
    await requests();
  });

  it('nameContains, industry, type and the keyset name', async () => {
    for (const text of hostileText) {
      const expected = sortedAccounts(accounts().filter((a) => a.Name.toLowerCase().includes(text.toLowerCase())));
      const page = await sf.listAccounts({ first: 200, filter: { nameContains: text } }, ctx());
      expect(
        page.accounts.map((a) => a.id),
        text,
      ).toEqual(expected.map((a) => a.Id));
      expect(await sf.countAccounts({ nameContains: text }, ctx()), text).toBe(expected.length);
      expect(await sf.countAccounts({ industry: text }, ctx())).toBe(0);
      expect(await sf.countAccounts({ type: `Prospect${text}` }, ctx())).toBe(0);

      const after = { name: text, id: accounts()[0]!.Id };
      const sorted = sortedAccounts(accounts());
      const rest = sorted.filter(
        (a) => textOrder(a.Name, after.name) > 0 || (textOrder(a.Name, after.name) === 0 && a.Id > after.id),
      );
      const afterPage = await sf.listAccounts({ first: 5, after }, ctx());
      expect(
        afterPage.accounts.map((a) => a.id),
        text,
      ).toEqual(rest.slice(0, 5).map((a) => a.Id));
    }
    // Not vacuous: quote, backslash, % and _ each match real names.
    for (const text of ["'", '\\', '%', '_', "O'H", '\\s']) {
      expect(
        accounts().some((a) => a.Name.includes(text)),
        text,
      ).toBe(true);
    }
    await requests();
  });

  it('a malformed keyset id is refused before any request', async () => {
    const error = await backendError(sf.listAccounts({ first: 5, after: { name: 'A', id: "001' OR Id != '" } }, ctx()));
    expect(error).toMatchObject({ failure: 'rejected', details: { backendCode: 'INVALID_ARGUMENT' } });
    expect((await fx.stats()).total).toBe(0);
  });
});

describe('writes', () => {
  it('updateAccount PATCHes only the given fields, once', async () => {
    const a = accounts()[5]!;
    await sf.updateAccount(a.Id.slice(0, 15), { phone: '+1 555 0100', description: null }, ctx());
    expect(await requests()).toEqual({ 'update Account': 1 });
    const after = (await sf.accountsByIds([a.Id], ctx())).get(a.Id)!;
    expect(after).toMatchObject({ phone: '+1 555 0100', description: null, name: a.Name, website: a.Website });
  });

  it('updateAccount refuses fields it does not own and ids that are not accounts', async () => {
    const a = accounts()[5]!;
    const notOwned = await backendError(sf.updateAccount(a.Id, { erpCustomerNumber: 'X' } as never, ctx()));
    expect(notOwned).toMatchObject({ failure: 'rejected', details: { backendCode: 'INVALID_ARGUMENT' } });
    const notAccount = await backendError(sf.updateAccount(fx.dataset.Quote[0]!.Id, { phone: '1' }, ctx()));
    expect(notAccount.failure).toBe('rejected');
    expect((await fx.stats()).total).toBe(0);
  });

  it('updateQuotesErpSync: one allOrNone collections call; a failing item rolls back all', async () => {
    const [q1, q2, q3] = fx.dataset.Quote.slice(10, 13);
    const at = '2025-06-01T12:00:00.000Z';
    await sf.updateQuotesErpSync(
      [q1!, q2!, q3!].map((q, i) => ({
        quoteId: q.Id,
        erpOrderNumber: `SO-9${i}`,
        erpSyncStatus: 'Accepted',
        erpSyncMessage: i === 0 ? 'it\'s "ok"' : null,
        erpLastSyncAt: at,
      })),
      ctx(),
    );
    expect(await requests()).toEqual({ 'collections update': 1 });
    const found = await sf.quotesByIds([q1!.Id, q2!.Id, q3!.Id], ctx());
    expect(found.get(q1!.Id)).toMatchObject({
      erpOrderNumber: 'SO-90',
      erpSyncStatus: 'Accepted',
      erpSyncMessage: 'it\'s "ok"',
      erpLastSyncAt: at,
    });
    expect(found.get(q3!.Id)?.erpOrderNumber).toBe('SO-92');

    await fx.resetStats();
    const error = await backendError(
      sf.updateQuotesErpSync(
        [
          {
            quoteId: q1!.Id,
            erpOrderNumber: 'SO-X1',
            erpSyncStatus: 'Accepted',
            erpSyncMessage: null,
            erpLastSyncAt: at,
          },
          // ERP_Order_Number__c holds 30 characters.
          {
            quoteId: q2!.Id,
            erpOrderNumber: 'X'.repeat(31),
            erpSyncStatus: 'Accepted',
            erpSyncMessage: null,
            erpLastSyncAt: at,
          },
        ],
        ctx(),
      ),
    );
    expect(error.failure).toBe('rejected');
    expect(error.details.backendCode).not.toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
    expect((await fx.stats()).byRoute).toEqual({ 'collections update': 1 });
    expect((await sf.quotesByIds([q1!.Id], ctx())).get(q1!.Id)?.erpOrderNumber).toBe('SO-90');
  });
});

describe('api usage and ping', () => {
  it('apiUsage reflects the last Sforce-Limit-Info', async () => {
    await sf.ping(ctx());
    const usage = sf.apiUsage();
    expect(usage).toEqual({ used: fx.emulator.apiUsage.snapshot().used, limit: 100_000 });
    expect(await requests()).toEqual({ limits: 1 });
  });
});
