// A partner's row scope pushed into Salesforce (Query.accounts): the connector's customer-number
// filter against the real emulator. The filter becomes `ERP_Customer_Id__c IN (...)` built with
// soql.ts's escaping; paging and COUNT() see only the scoped rows; a long scope is split into
// statements of at most 200 numbers whose pages are merged in Salesforce's order; an empty scope
// costs no request.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  // jsforce reads proxy variables when it is imported and ignores NO_PROXY.
  for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[name];
});

import { countAccountsSoql, listAccountsSoql } from '../../connectors/salesforce/queries.js';
import type {
  AccountListFilter,
  AccountPosition,
  SalesforceConnector,
  SfAccountRecord,
} from '../../connectors/salesforce/types.js';
import type { SfAccount } from '../../emulators/seed/types.js';
import { ctx, seedDataset, startFixture, textOrder, type Fixture } from '../connectors/salesforce-fixture.js';

let fx: Fixture;
let sf: SalesforceConnector;

beforeAll(async () => {
  fx = await startFixture(seedDataset(120));
  sf = fx.connector();
  await sf.ping(ctx());
});
afterAll(() => fx?.close());
beforeEach(() => fx.resetStats());

const accounts = () => fx.dataset.Account;
const inOrder = (list: readonly SfAccount[]) =>
  [...list].sort((a, b) => textOrder(a.Name, b.Name) || (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0)).map((a) => a.Id);

/** Every page of the listing, `first` at a time; the number of pages read. */
async function listAll(filter: AccountListFilter, first: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let after: AccountPosition | undefined;
  let pages = 0;
  for (;;) {
    const page = await sf.listAccounts({ first, filter, ...(after && { after }) }, ctx());
    pages++;
    ids.push(...page.accounts.map((a: SfAccountRecord) => a.id));
    const last = page.accounts.at(-1);
    if (!page.hasNextPage || last === undefined) return { ids, pages };
    after = { name: last.name, id: last.id };
    if (pages > 100) throw new Error('paging does not end');
  }
}

async function queries(): Promise<number> {
  const stats = await fx.stats();
  expect(stats.recent.filter((r) => r.status >= 400)).toEqual([]);
  return stats.byRoute['query Account'] ?? 0;
}

describe('SOQL', () => {
  it('the customer numbers become an escaped IN list beside the other conditions', () => {
    const filter = { nameContains: 'a', erpCustomerNumbers: ['C00001', "x' OR Name != '"] };
    expect(listAccountsSoql({ first: 5, filter })).toContain(
      `WHERE Name LIKE '%a%' AND ERP_Customer_Id__c IN ('C00001','x\\' OR Name != \\'')`,
    );
    expect(countAccountsSoql(filter)).toBe(
      `SELECT COUNT() FROM Account WHERE Name LIKE '%a%' AND ERP_Customer_Id__c IN ('C00001','x\\' OR Name != \\'')`,
    );
  });
});

describe('listAccounts and countAccounts with a customer scope', () => {
  it('pages through exactly the scoped accounts, one request per page, and counts them', async () => {
    const scoped = accounts().filter((_, i) => i % 9 === 2);
    const filter = { erpCustomerNumbers: scoped.map((a) => a.ERP_Customer_Id__c!) };
    const { ids, pages } = await listAll(filter, 4);
    expect(ids).toEqual(inOrder(scoped));
    expect(await queries()).toBe(pages);
    await fx.resetStats();
    expect(await sf.countAccounts(filter, ctx())).toBe(scoped.length);
    expect(await queries()).toBe(1);
  });

  it('combines with the client filter (AND), never widening the scope', async () => {
    const scoped = accounts().slice(0, 40);
    const letter = 'e';
    const filter = { nameContains: letter, erpCustomerNumbers: scoped.map((a) => a.ERP_Customer_Id__c!) };
    const expected = scoped.filter((a) => a.Name.toLowerCase().includes(letter));
    expect(expected.length).toBeGreaterThan(0);
    expect((await listAll(filter, 7)).ids).toEqual(inOrder(expected));
    expect(await sf.countAccounts(filter, ctx())).toBe(expected.length);
  });

  it('a scope entry cannot inject SOQL', async () => {
    const own = accounts()[3]!;
    const filter = { erpCustomerNumbers: [own.ERP_Customer_Id__c!, "' OR Name != '", "x') OR (Name != 'x"] };
    expect((await listAll(filter, 50)).ids).toEqual([own.Id]);
    expect(await sf.countAccounts(filter, ctx())).toBe(1);
  });

  it('a scope above 200 numbers is split into statements whose pages merge in order, counted once each', async () => {
    const scoped = accounts().filter((_, i) => i % 3 === 0);
    const numbers = [
      ...Array.from({ length: 380 }, (_, i) => `NX${String(i).padStart(5, '0')}`),
      ...scoped.map((a) => a.ERP_Customer_Id__c!),
      // Equal but for case: the same accounts, so dropped before splitting (else counted twice).
      ...scoped.slice(0, 10).map((a) => a.ERP_Customer_Id__c!.toLowerCase()),
    ];
    const filter = { erpCustomerNumbers: numbers };
    const { ids, pages } = await listAll(filter, 6);
    expect(ids).toEqual(inOrder(scoped));
    // 420 distinct numbers: 3 statements per page.
    expect(await queries()).toBe(3 * pages);
    await fx.resetStats();
    expect(await sf.countAccounts(filter, ctx())).toBe(scoped.length);
  });

  it('an empty scope is no rows and no request', async () => {
    expect(await sf.listAccounts({ first: 10, filter: { erpCustomerNumbers: [] } }, ctx())).toEqual({
      accounts: [],
      hasNextPage: false,
    });
    expect(await sf.countAccounts({ nameContains: 'a', erpCustomerNumbers: [] }, ctx())).toBe(0);
    expect((await fx.stats()).total).toBe(0);
  });
});
