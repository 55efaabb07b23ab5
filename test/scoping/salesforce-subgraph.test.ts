// Partner row scope in the Salesforce subgraph, called directly (port 0) with forwarded identities,
// over a fake connector that records every call: Query.account, accountByErpNumber, accounts (scope
// pushed into the listing and the count, so paging and totalCount are right), Account references
// by id and by ERP customer number, and quotes through their account. Other roles make exactly the
// calls they made before scoping existed.
import { Registry } from 'prom-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SfQuoteRecord } from '../../connectors/salesforce/types.js';
import type { RunningServer } from '../../lib/http-server.js';
import type { Identity } from '../../lib/identity.js';
import { createShield } from '../../shield/index.js';
import { loadSalesforceSubgraphConfig, startSalesforceSubgraph } from '../../subgraphs/salesforce/index.js';
import { createSalesforceLoaders } from '../../subgraphs/salesforce/loaders.js';
import { FreshnessLedger } from '../../subgraphs/shared/freshness.js';
import { captureLogger } from '../subgraphs/support/capture-logger.js';
import { account, FakeSalesforceConnector, sfId, type SalesforceData } from '../subgraphs/support/fake-salesforce.js';
import { subgraphGraphQL } from '../subgraphs/support/graphql-client.js';
import { passThroughShield } from '../subgraphs/support/pass-through-shield.js';
import { forwardedIdentityHeaders, testIdentity, TEST_FORWARDING_ENV } from '../support/identity.js';

const postGraphQL = subgraphGraphQL('salesforce');

const ACCOUNTS = Array.from({ length: 60 }, (_, i) =>
  account(i + 1, { name: `Account ${String((i * 37) % 60).padStart(2, '0')} ${i % 2 ? 'Gears' : 'Shafts'}` }),
);
/** Every third account is the partner's: 20 of 60. */
const OWN = ACCOUNTS.filter((_, i) => i % 3 === 1);
const FOREIGN = ACCOUNTS.filter((_, i) => i % 3 !== 1);
const PARTNER = testIdentity('partner', { id: 'P-THIRDS', customers: OWN.map((a) => a.erpCustomerNumber!) });
const MISSING_ID = sfId('001', 999);

function quote(serial: number, accountId: string | null): SfQuoteRecord {
  return {
    id: sfId('0Q0', serial),
    number: String(serial).padStart(8, '0'),
    name: `Q-${serial}`,
    accountId,
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
const QUOTES = [
  quote(1, OWN[0]!.id),
  quote(2, FOREIGN[0]!.id),
  quote(3, null),
  quote(4, OWN[1]!.id),
  quote(5, FOREIGN[1]!.id),
];

function dataset(): SalesforceData {
  return { accounts: ACCOUNTS, users: [], contacts: [], opportunities: [], quotes: QUOTES, quoteLines: [], cases: [] };
}

let server: RunningServer;
let fake: FakeSalesforceConnector;
const log = captureLogger();

beforeAll(async () => {
  fake = new FakeSalesforceConnector(dataset());
  const config = loadSalesforceSubgraphConfig({ SUBGRAPH_SALESFORCE_PORT: '0', ...TEST_FORWARDING_ENV });
  server = await startSalesforceSubgraph(
    { ...config, shield: passThroughShield() },
    { connector: fake, logger: log.logger },
  );
});
afterAll(() => server?.close());
beforeEach(() => fake.recorder.reset());

async function post(identity: Identity, query: string, variables: Record<string, unknown> = {}) {
  const response = await postGraphQL(server.url, query, variables, {}, identity);
  expect(response.status).toBe(200);
  return response.body;
}

const FOREIGN_KEYS = new Set(FOREIGN.flatMap((a) => [a.id, a.id.slice(0, 15), a.erpCustomerNumber!, a.name]));
/** Strings of the response that belong to accounts outside the partner's scope. */
function foreignIn(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string' && FOREIGN_KEYS.has(value)) found.push(value);
  else if (Array.isArray(value)) value.forEach((v) => foreignIn(v, found));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => foreignIn(v, found));
  return found;
}

describe('Salesforce subgraph: lookups by key', () => {
  it('Query.account and accountByErpNumber: foreign is null, exactly like missing, in one batch each', async () => {
    const own = OWN[4]!;
    const foreign = FOREIGN[7]!;
    const query = `{
      own: account(id: "${own.id}") { id erpCustomerNumber name }
      foreign: account(id: "${foreign.id}") { id erpCustomerNumber name }
      foreign15: account(id: "${foreign.id.slice(0, 15)}") { id }
      missing: account(id: "${MISSING_ID}") { id }
      ownByNumber: accountByErpNumber(erpCustomerNumber: "${own.erpCustomerNumber}") { id }
      foreignByNumber: accountByErpNumber(erpCustomerNumber: "${foreign.erpCustomerNumber}") { id }
      ownLowerCase: accountByErpNumber(erpCustomerNumber: "${own.erpCustomerNumber!.toLowerCase()}") { id }
      missingByNumber: accountByErpNumber(erpCustomerNumber: "C99999") { id }
    }`;
    const body = await post(PARTNER, query);
    expect(body).toEqual({
      data: {
        own: { id: own.id, erpCustomerNumber: own.erpCustomerNumber, name: own.name },
        foreign: null,
        foreign15: null,
        missing: null,
        ownByNumber: { id: own.id },
        foreignByNumber: null,
        ownLowerCase: null,
        missingByNumber: null,
      },
    });
    expect(fake.recorder.counts()).toEqual({ accountsByIds: 1, accountsByErpNumbers: 1 });
    // Numbers outside the scope are not even looked up.
    expect(fake.recorder.callsOf('accountsByErpNumbers')[0]!.input).toEqual([own.erpCustomerNumber]);
  });

  it('Account references by id and by ERP number: the partner’s resolve, the others are null, batched', async () => {
    const representations = ACCOUNTS.slice(0, 30).map((a, i) =>
      i % 2 ? { __typename: 'Account', id: a.id } : { __typename: 'Account', erpCustomerNumber: a.erpCustomerNumber },
    );
    const body = await post(
      PARTNER,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Account { id erpCustomerNumber name } } }`,
      { r: representations },
    );
    expect(body.errors).toBeUndefined();
    const ownIds = new Set(OWN.map((a) => a.id));
    expect(body.data._entities.map((e: any) => e?.id ?? null)).toEqual(
      ACCOUNTS.slice(0, 30).map((a) => (ownIds.has(a.id) ? a.id : null)),
    );
    expect(foreignIn(body)).toEqual([]);
    expect(fake.recorder.counts()).toEqual({ accountsByIds: 1, accountsByErpNumbers: 1 });
    const asked = fake.recorder.callsOf('accountsByErpNumbers')[0]!.input as string[];
    expect(asked.every((n) => PARTNER.partner!.customers.has(n))).toBe(true);
  });

  it('other roles: every account, with the same calls as before scoping', async () => {
    const representations = ACCOUNTS.slice(0, 30).map((a) => ({
      __typename: 'Account',
      erpCustomerNumber: a.erpCustomerNumber,
    }));
    const body = await post(
      testIdentity('service'),
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Account { id } } }`,
      { r: representations },
    );
    expect(body.data._entities.map((e: any) => e.id)).toEqual(ACCOUNTS.slice(0, 30).map((a) => a.id));
    expect(fake.recorder.callsOf('accountsByErpNumbers').map((c) => c.input)).toEqual([
      ACCOUNTS.slice(0, 30).map((a) => a.erpCustomerNumber),
    ]);
  });
});

describe('Salesforce subgraph: Query.accounts', () => {
  const PAGE = `query ($first: Int, $after: String, $filter: AccountFilter) {
    accounts(first: $first, after: $after, filter: $filter) { totalCount nodes { id erpCustomerNumber name } pageInfo { hasNextPage endCursor } }
  }`;

  async function allPages(identity: Identity, first: number, filter?: Record<string, string>) {
    const ids: string[] = [];
    const totals: number[] = [];
    let after: string | null = null;
    for (let page = 0; page < 50; page++) {
      const body = await post(identity, PAGE, { first, after, filter });
      expect(body.errors).toBeUndefined();
      if (identity.partner !== null) expect(foreignIn(body)).toEqual([]);
      const connection = body.data.accounts;
      ids.push(...connection.nodes.map((n: { id: string }) => n.id));
      totals.push(connection.totalCount);
      if (!connection.pageInfo.hasNextPage) return { ids, totals };
      after = connection.pageInfo.endCursor;
    }
    throw new Error('paging does not end');
  }

  const byName = (list: typeof ACCOUNTS) =>
    [...list].sort((a, b) => (a.name === b.name ? (a.id < b.id ? -1 : 1) : a.name < b.name ? -1 : 1)).map((a) => a.id);

  it('a partner pages through its own accounts only; totalCount counts only them', async () => {
    const { ids, totals } = await allPages(PARTNER, 6);
    expect(ids).toEqual(byName(OWN));
    expect(new Set(totals)).toEqual(new Set([OWN.length]));
    // The scope is in the listing's and the count's filter, not applied afterwards.
    for (const call of [...fake.recorder.callsOf('listAccounts'), ...fake.recorder.callsOf('countAccounts')]) {
      const filter = (call.input as { filter?: { erpCustomerNumbers?: string[] } }).filter ?? call.input;
      expect((filter as { erpCustomerNumbers?: string[] }).erpCustomerNumbers).toEqual(
        [...PARTNER.partner!.customers].sort(),
      );
    }
  });

  it('with a client filter, the partner gets the intersection', async () => {
    const { ids, totals } = await allPages(PARTNER, 4, { nameContains: 'gears' });
    const expected = OWN.filter((a) => a.name.toLowerCase().includes('gears'));
    expect(expected.length).toBeGreaterThan(0);
    expect(ids).toEqual(byName(expected));
    expect(new Set(totals)).toEqual(new Set([expected.length]));
  });

  it('other roles list every account, with no scope in the filter', async () => {
    const { ids, totals } = await allPages(testIdentity('sales'), 25);
    expect(ids).toEqual(byName(ACCOUNTS));
    expect(new Set(totals)).toEqual(new Set([ACCOUNTS.length]));
    expect(fake.recorder.callsOf('listAccounts').map((c) => (c.input as { filter?: unknown }).filter)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('Salesforce subgraph: quotes', () => {
  // Partners may not select Quote at all (the access plugin refuses it before any resolver runs);
  // the quote loader still scopes them, through their account, as defense in depth.
  it('a partner’s quote loader finds quotes of its accounts only, in one batch with their accounts', async () => {
    const shield = createShield(passThroughShield(), { registry: new Registry() });
    const call = { correlationId: 'scoping-test' };
    const loaders = createSalesforceLoaders(shield.salesforce(fake), call, new FreshnessLedger(new Date()), PARTNER);
    const found = await Promise.all([
      ...QUOTES.map((q) => loaders.quoteById.load(q.id)),
      loaders.quoteById.load(sfId('0Q0', 99)),
    ]);
    expect(found.map((q) => q?.id ?? null)).toEqual([QUOTES[0]!.id, null, null, QUOTES[3]!.id, null, null]);
    expect(fake.recorder.counts()).toEqual({ quotesByIds: 1, accountsByIds: 1 });
    // Quote.account then costs nothing more.
    expect((await loaders.accountById.load(OWN[0]!.id))?.id).toBe(OWN[0]!.id);
    expect(fake.recorder.counts()).toEqual({ quotesByIds: 1, accountsByIds: 1 });
  });

  it('other roles: the quote loader reads quotes only', async () => {
    const shield = createShield(passThroughShield(), { registry: new Registry() });
    const loaders = createSalesforceLoaders(
      shield.salesforce(fake),
      { correlationId: 't' },
      new FreshnessLedger(new Date()),
      testIdentity('sales'),
    );
    const found = await Promise.all(QUOTES.map((q) => loaders.quoteById.load(q.id)));
    expect(found.map((q) => q?.id)).toEqual(QUOTES.map((q) => q.id));
    expect(fake.recorder.counts()).toEqual({ quotesByIds: 1 });
  });
});
