// Paging, API limits, routing errors, traffic control and index use of the Salesforce emulator:
// autoFetch across query batches (default 2,000, Sforce-Query-Options), query locators,
// Sforce-Limit-Info and the daily allocation, JSON-only errors, injected faults and stats, and
// indexed lookups over 10,000 accounts / 40,000 contacts.
import type jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bulkDataset, fixtureDataset, rejection, startEmulator, type RunningFixture } from './salesforce-fixture.js';

describe('query paging', () => {
  let fx: RunningFixture;
  let conn: jsforce.Connection;
  beforeAll(async () => {
    fx = await startEmulator({ dataset: bulkDataset(500, 5) }); // 2,500 contacts
    conn = fx.connection();
  });
  afterAll(async () => {
    expect(fx.unexpected).toEqual([]);
    await fx.close();
  });

  const routeCount = async (route: string) => (await fx.stats()).byRoute[route] ?? 0;

  it('answers 2,000 rows and a nextRecordsUrl by default', async () => {
    const first = await conn.query('SELECT Id, LastName FROM Contact');
    expect(first.totalSize).toBe(2500);
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(2000);
    // jsforce rebuilds nextRecordsUrl from the locator; the raw answer is a path.
    const raw = await conn.request<{ nextRecordsUrl: string }>(
      `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Contact')}`,
    );
    expect(raw.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/01g[0-9A-Za-z]{15}-2000$/);
    const second = await conn.queryMore(first.nextRecordsUrl!);
    expect(second.records).toHaveLength(500);
    expect(second.done).toBe(true);
    expect(second.nextRecordsUrl).toBeUndefined();
    const ids = new Set([...first.records, ...second.records].map((r) => r.Id));
    expect(ids.size).toBe(2500);
  });

  it('autoFetch follows the locator across pages', async () => {
    const [queries, more] = [await routeCount('query Contact'), await routeCount('queryMore')];
    const result = await conn.query('SELECT Id FROM Contact ORDER BY LastName', { autoFetch: true, maxFetch: 10_000 });
    expect(result.records).toHaveLength(2500);
    expect(result.done).toBe(true);
    expect([(await routeCount('query Contact')) - queries, (await routeCount('queryMore')) - more]).toEqual([1, 1]);
  });

  it('honours Sforce-Query-Options: batchSize (200..2,000)', async () => {
    const more = await routeCount('queryMore');
    const result = await conn.query('SELECT Id FROM Contact', {
      autoFetch: true,
      maxFetch: 10_000,
      headers: { 'Sforce-Query-Options': 'batchSize=500' },
    });
    expect(result.records).toHaveLength(2500);
    expect((await routeCount('queryMore')) - more).toBe(4);
    const clamped = await conn.query('SELECT Id FROM Contact', { headers: { 'Sforce-Query-Options': 'batchSize=10' } });
    expect(clamped.records).toHaveLength(200);
  });

  it('pages queryAll results', async () => {
    const all = await conn.query('SELECT Id FROM Contact', { scanAll: true, autoFetch: true, maxFetch: 10_000 });
    expect(all.records).toHaveLength(2500);
  });

  it('answers INVALID_QUERY_LOCATOR for unknown locators', async () => {
    const err = await rejection(conn.queryMore('01gbk0000000001AAA-2000'));
    expect([err.errorCode, err.message]).toEqual(['INVALID_QUERY_LOCATOR', 'invalid query locator']);
  });
});

describe('limits and errors', () => {
  const org = fixtureDataset();
  let fx: RunningFixture;
  beforeAll(async () => {
    fx = await startEmulator({ dataset: org.dataset, dailyApiLimit: 5 });
  });
  afterAll(async () => {
    expect(fx.unexpected).toEqual([]);
    await fx.close();
  });

  it('reports api-usage in Sforce-Limit-Info (parsed into conn.limitInfo) and in /limits', async () => {
    fx.emulator.apiUsage.set({ used: 0 });
    const conn = fx.connection();
    await conn.query('SELECT Id FROM Account');
    expect(conn.limitInfo).toEqual({ apiUsage: { used: 1, limit: 5 } });
    const limits = await conn.limits();
    expect(limits.DailyApiRequests).toEqual({ Max: 5, Remaining: 3 });
    expect(conn.limitInfo.apiUsage).toEqual({ used: 2, limit: 5 });
  });

  it('answers 403 REQUEST_LIMIT_EXCEEDED once the daily allocation is used up', async () => {
    fx.emulator.apiUsage.set({ used: 4 });
    const conn = fx.connection();
    await conn.query('SELECT Id FROM Account');
    const err = await rejection(conn.sobject('Account').create({ Name: 'Over the limit' }));
    expect([err.errorCode, err.message]).toEqual(['REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.']);
    const raw = await fetch(`${fx.url}/services/data/v62.0/limits`, {
      headers: { authorization: `Bearer ${fx.emulator.issueToken(fx.url).access_token}` },
    });
    expect(raw.status).toBe(403);
    expect(raw.headers.get('sforce-limit-info')).toBe('api-usage=5/5');
    fx.emulator.apiUsage.set({ used: 0 });
  });

  it('lists API versions and the resources of a version', async () => {
    const response = await fetch(`${fx.url}/services/data/`);
    const versions = (await response.json()) as { version: string; label: string; url: string }[];
    expect(versions).toContainEqual({ version: '62.0', label: "Winter '25", url: '/services/data/v62.0' });
    expect(response.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/5$/);
    const resources = (await fx.connection().request('/services/data/v62.0')) as Record<string, string>;
    expect(resources).toMatchObject({ query: '/services/data/v62.0/query', sobjects: '/services/data/v62.0/sobjects' });
  });

  it('answers every error as a JSON array, never HTML', async () => {
    const token = fx.emulator.issueToken(fx.url).access_token;
    const auth = { authorization: `Bearer ${token}` };
    const cases: [string, RequestInit, number, string][] = [
      ['/services/data/v62.0/nothing/here', { headers: auth }, 404, 'NOT_FOUND'],
      ['/services/data/v99.0/sobjects', { headers: auth }, 404, 'NOT_FOUND'],
      ['/elsewhere', {}, 404, 'NOT_FOUND'],
      [
        '/services/data/v62.0/sobjects/Account',
        { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"Name":' },
        400,
        'JSON_PARSER_ERROR',
      ],
      [
        '/services/data/v62.0/sobjects/Account',
        { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '[1]' },
        400,
        'JSON_PARSER_ERROR',
      ],
      ['/services/data/v62.0/query', { headers: auth }, 400, 'MALFORMED_QUERY'],
      ['/services/data/v62.0/sobjects/Account/describe', { method: 'PUT', headers: auth }, 404, 'NOT_FOUND'],
    ];
    fx.emulator.apiUsage.set({ used: 0, limit: 1000 });
    for (const [path, init, status, errorCode] of cases) {
      const response = await fetch(`${fx.url}${path}`, init);
      expect([path, response.status]).toEqual([path, status]);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await response.json()) as { errorCode: string; message: string }[];
      expect(body).toEqual([{ errorCode, message: expect.any(String) }]);
    }
  });
});

describe('traffic control', () => {
  const org = fixtureDataset();
  let fx: RunningFixture;
  let conn: jsforce.Connection;
  beforeAll(async () => {
    fx = await startEmulator({ dataset: org.dataset });
    conn = fx.connection();
  });
  afterAll(async () => {
    expect(fx.unexpected).toEqual([]);
    await fx.close();
  });

  const setFaults = (faults: object) =>
    fetch(`${fx.url}/__emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    });

  it('counts API requests per route in /__emulator/stats', async () => {
    await fetch(`${fx.url}/__emulator/stats`, { method: 'DELETE' });
    await conn.query('SELECT Id FROM Account');
    await conn.query("SELECT Id, (SELECT Id FROM Contacts) FROM Account WHERE Name = 'Acme Corp'");
    await conn.sobject('Account').retrieve(org.accounts.acme.Id);
    await conn.sobject('Contact').update([{ Id: org.contacts[0]!.Id, Title: 'Buyer' }]);
    await conn.describe('Account');
    const stats = await fx.stats();
    expect(stats.total).toBe(5);
    expect(stats.byRoute).toEqual({
      'query Account': 2,
      'retrieve Account': 1,
      'collections update': 1,
      'describe Account': 1,
    });
  });

  it('fails requests with an injected status in Salesforce error shape', async () => {
    await setFaults({ status: 503, count: 1, pathPattern: '/sobjects/Account$' });
    const err = await rejection(conn.sobject('Account').create({ Name: 'During outage' }));
    expect(err.errorCode).toBe('SERVER_UNAVAILABLE');
    // The fault was used up: the next call goes through.
    expect((await conn.sobject('Account').create({ Name: 'After outage' })).success).toBe(true);
  });

  it('jsforce retries a GET that met a 503', async () => {
    await fetch(`${fx.url}/__emulator/stats`, { method: 'DELETE' });
    await setFaults({ status: 503, count: 1 });
    expect((await conn.query('SELECT Id FROM Account')).totalSize).toBeGreaterThan(0);
    expect((await fx.stats()).byStatus).toEqual({ 503: 1, 200: 1 });
  });

  it('drops connections during an outage', async () => {
    await setFaults({ outage: true, count: 1 });
    const err = await rejection(conn.sobject('Account').create({ Name: 'Lost' }));
    expect(err.errorCode).toBeUndefined();
    await setFaults({});
    expect((await conn.sobject('Account').create({ Name: 'Back' })).success).toBe(true);
  });

  it('adds configured latency', async () => {
    const slow = await startEmulator({ dataset: org.dataset, latencyMs: 150 });
    try {
      const started = Date.now();
      await slow.connection().query('SELECT Id FROM Account LIMIT 1');
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect((await slow.stats()).baseLatencyMs).toBe(150);
    } finally {
      await slow.close();
    }
  });
});

describe('indexed lookups at scale (10,000 accounts, 40,000 contacts)', () => {
  const dataset = bulkDataset(10_000, 4);
  let fx: RunningFixture;
  let conn: jsforce.Connection;
  beforeAll(async () => {
    fx = await startEmulator({ dataset });
    conn = fx.connection();
  });
  afterAll(async () => {
    expect(fx.unexpected).toEqual([]);
    await fx.close();
  });

  const sample = dataset.Account.filter((_, i) => i % 200 === 7).map((a) => a.Id);
  const inList = (ids: string[]) => ids.map((id) => `'${id}'`).join(', ');

  it('answers Id IN (50 ids) and AccountId IN (50 ids) from the indexes, without scanning', async () => {
    expect(sample).toHaveLength(50);
    const scans = vi.spyOn(fx.emulator.store, 'records');
    const started = Date.now();
    const accounts = await conn.query(
      `SELECT Id, Name FROM Account WHERE Id IN (${inList(sample.map((id) => id.slice(0, 15)))})`,
    );
    const contacts = await conn.query(
      `SELECT Id, AccountId FROM Contact WHERE AccountId IN (${inList(sample)}) AND LastName != null`,
    );
    const withChildren = await conn.query(
      `SELECT Id, (SELECT Id FROM Contacts) FROM Account WHERE Id IN (${inList(sample)})`,
    );
    const elapsed = Date.now() - started;
    expect(accounts.totalSize).toBe(50);
    expect(contacts.totalSize).toBe(200);
    expect(withChildren.records.every((r) => (r as { Contacts: { totalSize: number } }).Contacts.totalSize === 4)).toBe(
      true,
    );
    expect(scans).not.toHaveBeenCalled();
    expect(elapsed).toBeLessThan(2000);

    // A condition no index can answer falls back to a scan, with the same semantics.
    const scanned = await conn.query(`SELECT Id FROM Account WHERE Id IN (${inList(sample)}) OR Name = 'nothing'`);
    expect(scanned.totalSize).toBe(50);
    expect(scans).toHaveBeenCalled();
    scans.mockRestore();
  });

  it('finds by external id through its index', async () => {
    const scans = vi.spyOn(fx.emulator.store, 'records');
    const result = await conn.query("SELECT Id, Name FROM Account WHERE ERP_Customer_Id__c = 'c000042'");
    expect(result.records.map((r) => (r as { Name: string }).Name)).toEqual(['Account 000042']);
    expect(scans).not.toHaveBeenCalled();
    scans.mockRestore();
  });
});
