// The Salesforce emulator serving the generated demo dataset (emulators/seed/generate.ts): every
// seeded record and field comes back through SOQL unchanged (date-times in Salesforce's format),
// relationships line up, and startSalesforceEmulator boots from configuration.
import type jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSalesforceEmulatorConfig, startSalesforceEmulator } from '../../emulators/salesforce/index.js';
import { generateDataset } from '../../emulators/seed/generate.js';
import type { SalesforceDataset } from '../../emulators/seed/types.js';
import { startEmulator, type RunningFixture } from './salesforce-fixture.js';

const OBJECTS = ['User', 'Account', 'Contact', 'Opportunity', 'Product2', 'Quote', 'QuoteLineItem', 'Case'] as const;

let dataset: SalesforceDataset;
let fx: RunningFixture;
let conn: jsforce.Connection;

beforeAll(async () => {
  dataset = generateDataset({ accounts: 40, seed: 7, today: '2025-06-01' }).salesforce;
  fx = await startEmulator({ dataset });
  conn = fx.connection();
});
afterAll(async () => {
  expect(fx.unexpected).toEqual([]);
  await fx.close();
});

/** The value as the REST API answers it: date-times as "...+0000". */
function wire(value: unknown): unknown {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T.*Z$/.test(value)
    ? new Date(value).toISOString().replace('Z', '+0000')
    : value;
}

describe('generated dataset', () => {
  it.each(OBJECTS)('serves every %s record with every seeded field', async (name) => {
    const seeded = dataset[name] as unknown as Record<string, unknown>[];
    expect(seeded.length).toBeGreaterThan(0);
    const fields = Object.keys(seeded[0]!);
    const result = await conn.query<Record<string, unknown>>(`SELECT ${fields.join(', ')} FROM ${name} ORDER BY Id`, {
      autoFetch: true,
      maxFetch: 100_000,
    });
    expect(result.records).toHaveLength(seeded.length);
    const byId = new Map(result.records.map((r) => [r.Id, r]));
    for (const record of seeded) {
      const served = byId.get(record.Id as string);
      expect(served, `${name} ${String(record.Id)}`).toBeDefined();
      for (const field of fields) expect([field, served![field]]).toEqual([field, wire(record[field])]);
    }
  });

  it('relates records: every contact, quote and case belongs to a served account', async () => {
    const orphans = await conn.query('SELECT COUNT() FROM Contact WHERE AccountId NOT IN (SELECT Id FROM Account)');
    expect(orphans.totalSize).toBe(0);
    const acc = dataset.Account[0]!;
    const [served] = (
      await conn.query<Record<string, unknown>>(
        `SELECT Name, Owner.Name, (SELECT Id FROM Contacts), (SELECT Id FROM Quotes), (SELECT Id FROM Cases) FROM Account WHERE ERP_Customer_Id__c = '${acc.ERP_Customer_Id__c!}'`,
      )
    ).records;
    const count = (rows: { AccountId: string }[]) => rows.filter((r) => r.AccountId === acc.Id).length;
    const size = (v: unknown) => (v === null ? 0 : (v as { totalSize: number }).totalSize);
    expect([size(served!.Contacts), size(served!.Quotes), size(served!.Cases)]).toEqual([
      count(dataset.Contact),
      count(dataset.Quote),
      count(dataset.Case),
    ]);
    expect((served!.Owner as { Name: string }).Name).toBe(dataset.User.find((u) => u.Id === acc.OwnerId)!.Name);
  });

  it("keeps quote totals equal to the sum of their lines' totals", async () => {
    const sums = await conn.query<{ QuoteId: string; expr0: number }>(
      'SELECT QuoteId, SUM(TotalPrice) FROM QuoteLineItem GROUP BY QuoteId',
    );
    const quotes = new Map(dataset.Quote.map((q) => [q.Id, q.TotalPrice]));
    for (const row of sums.records) expect(row.expr0).toBeCloseTo(quotes.get(row.QuoteId)!, 2);
  });

  it('logs the seeded integration user in through the configured credentials', async () => {
    const identity = await conn.identity();
    expect(identity.user_id).toBe(dataset.integrationUserId);
  });
});

describe('startSalesforceEmulator', () => {
  it('generates its dataset from configuration and listens on the configured port', async () => {
    const config = { ...loadSalesforceEmulatorConfig({ EMULATOR_SEED_ACCOUNTS: '3' }), port: 0 };
    const running = await startSalesforceEmulator(config, { today: '2025-06-01' });
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const token = running.emulator.issueToken(running.url);
      const response = await fetch(`${running.url}/services/data/v62.0/query?q=SELECT+COUNT()+FROM+Account`, {
        headers: { authorization: `Bearer ${token.access_token}` },
      });
      expect(await response.json()).toEqual({ totalSize: 3, done: true, records: [] });
    } finally {
      await running.close();
    }
  });
});
