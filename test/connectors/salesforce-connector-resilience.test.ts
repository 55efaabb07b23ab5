// The Salesforce connector when things go wrong: deadlines against a hanging or failing emulator
// (no jsforce retries), guarded re-authorization, rate limiting, correlation ids, and paging across
// nextRecordsUrl; plus the headers it sends, checked against a stub.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  // jsforce reads proxy variables when it is imported and ignores NO_PROXY.
  for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[name];
});

import {
  createSalesforceConnector,
  normalizeSalesforceId,
  type SalesforceConnector,
} from '../../connectors/salesforce/index.js';
import type { SfContact } from '../../emulators/seed/types.js';
import { backendError, ctx, seedDataset, startFixture, textOrder, type Fixture } from './salesforce-fixture.js';

const EXTRA_CONTACTS = 2_100;

let fx: Fixture;
let pagedAccountId: string;

beforeAll(async () => {
  // One account gets more contacts than a query batch (2,000) holds, so its query has two pages.
  const dataset = seedDataset(50);
  const account = dataset.Account[0]!;
  pagedAccountId = account.Id;
  const template = dataset.Contact.find((c) => c.AccountId === account.Id)!;
  for (let i = 0; i < EXTRA_CONTACTS; i++) {
    const id = normalizeSalesforceId(`0039zz${String(i).padStart(9, '0')}`)!; // a pod no seeded id uses
    const contact: SfContact = {
      ...template,
      Id: id,
      FirstName: `First${i % 7}`,
      LastName: `Paged${String(i % 300).padStart(3, '0')}`,
      Name: `First${i % 7} Paged${String(i % 300).padStart(3, '0')}`,
      Email: null,
    };
    dataset.Contact.push(contact);
  }
  fx = await startFixture(dataset);
});
afterAll(() => fx?.close());
beforeEach(() => fx.resetStats());
afterEach(() => fx.faults({}));

async function ready(timeoutMs: number): Promise<SalesforceConnector> {
  const connector = fx.connector({ timeoutMs });
  await connector.ping(ctx('warm-up'));
  await fx.resetStats();
  return connector;
}

async function timed<T>(promise: Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await promise;
  return { ms: performance.now() - started, result };
}

const someAccount = () => fx.dataset.Account[1]!.Id;

describe('deadlines', () => {
  it('a backend slower than timeoutMs gives a timeout within about timeoutMs', async () => {
    const sf = await ready(1_000);
    await fx.faults({ latencyMs: 5_000, pathPattern: '^/services/data' });
    const { ms, result } = await timed(backendError(sf.accountsByIds([someAccount()], ctx())));
    expect(result.failure).toBe('timeout');
    expect(ms).toBeGreaterThanOrEqual(980);
    expect(ms).toBeLessThan(2_000); // generous for a loaded machine; the backend would take 5 s
  });

  it('a 503 is unavailable at once: jsforce does not retry (a GET would take ~15 s)', async () => {
    const sf = await ready(5_000);
    await fx.faults({ status: 503, pathPattern: '^/services/data' });
    const { ms, result } = await timed(backendError(sf.accountsByIds([someAccount()], ctx())));
    expect(result).toMatchObject({
      failure: 'unavailable',
      details: { status: 503, backendCode: 'SERVER_UNAVAILABLE' },
    });
    expect(ms).toBeLessThan(1_500);
    expect((await fx.stats()).byStatus).toEqual({ '503': 1 }); // exactly one request: no retry
  });

  it('a dropped connection is unavailable, also for a write, which is sent once', async () => {
    const sf = await ready(5_000);
    await fx.faults({ outage: true, pathPattern: '^/services/data' });
    expect((await backendError(sf.countAccounts(undefined, ctx()))).failure).toBe('unavailable');
    await fx.faults({ status: 500, pathPattern: '^/services/data' });
    const write = await backendError(sf.updateAccount(someAccount(), { phone: '1' }, ctx()));
    expect(write).toMatchObject({ failure: 'unavailable', details: { status: 500 } });
    const stats = await fx.stats();
    expect(stats.total).toBe(2);
    expect(stats.recent.map((r) => r.method)).toEqual(['GET', 'PATCH']);
  });

  it('a refused connection is unavailable', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const sf = createSalesforceConnector(
      {
        loginUrl: `http://127.0.0.1:${port}`,
        apiVersion: '62.0',
        timeoutMs: 2_000,
        auth: { flow: 'client_credentials', clientId: 'x', clientSecret: 'y' },
      },
      pino({ level: 'silent' }),
    );
    expect((await backendError(sf.ping(ctx()))).failure).toBe('unavailable');
  });

  it("the caller's signal cuts the call short", async () => {
    const sf = await ready(5_000);
    await fx.faults({ latencyMs: 5_000, pathPattern: '^/services/data' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const { ms, result } = await timed(
      backendError(sf.accountsByIds([someAccount()], { correlationId: 'abandoned', signal: controller.signal })),
    );
    expect(result.failure).toBe('timeout');
    expect(ms).toBeLessThan(1_500); // the deadline itself is 5 s
  });

  it('the daily allocation exhausted (403 REQUEST_LIMIT_EXCEEDED) is rate_limited', async () => {
    const sf = await ready(5_000);
    const { limit } = fx.emulator.apiUsage.snapshot();
    const { used } = fx.emulator.apiUsage.snapshot();
    fx.emulator.apiUsage.set({ used: limit });
    try {
      const error = await backendError(sf.ping(ctx()));
      expect(error).toMatchObject({
        failure: 'rate_limited',
        details: { status: 403, backendCode: 'REQUEST_LIMIT_EXCEEDED' },
      });
    } finally {
      fx.emulator.apiUsage.set({ used });
    }
  });
});

describe('guarded re-authorization', () => {
  it('an expired session is re-authorized once and the call retried, shared by concurrent calls', async () => {
    const sf = await ready(5_000);
    fx.emulator.oauth.expireAllSessions();
    const results = await Promise.all(Array.from({ length: 10 }, () => sf.accountsByIds([someAccount()], ctx())));
    expect(results.every((r) => r.size === 1)).toBe(true);
    const stats = await fx.stats();
    expect(stats.byRoute.token).toBe(1);
    expect(stats.byRoute['query Account']).toBe(20);
    expect(stats.byStatus['401']).toBe(10);
  });

  it('a permanent 401 ends as unauthorized after one re-authorization, without hammering the token endpoint', async () => {
    const sf = await ready(5_000);
    await fx.faults({ status: 401, pathPattern: '^/services/data' });
    const { ms } = await timed(
      (async () => {
        const first = await backendError(sf.ping(ctx()));
        expect(first).toMatchObject({ failure: 'unauthorized' });
        const burst = await Promise.all(
          Array.from({ length: 20 }, () => backendError(sf.countAccounts(undefined, ctx()))),
        );
        expect(burst.every((e) => e.failure === 'unauthorized')).toBe(true);
      })(),
    );
    const stats = await fx.stats();
    // One re-authorization for the first call; the burst shares it or fails fast (at most one per second).
    expect(stats.byRoute.token).toBeGreaterThanOrEqual(1);
    expect(stats.byRoute.token).toBeLessThanOrEqual(1 + Math.floor(ms / 1_000));
    // Each call: its request and at most one retry.
    expect(stats.byStatus['401']).toBeGreaterThanOrEqual(2 + 20);
    expect(stats.byStatus['401']).toBeLessThanOrEqual(2 * 21);
  });

  it('a failing token endpoint is asked at most once per second; callers fail fast meanwhile', async () => {
    const sf = fx.connector({ timeoutMs: 5_000 });
    await fx.faults({ status: 500, pathPattern: 'oauth2/token' });
    const { ms, result: errors } = await timed(
      (async () => {
        const all = await Promise.all(Array.from({ length: 10 }, () => backendError(sf.ping(ctx()))));
        all.push(...(await Promise.all(Array.from({ length: 10 }, () => backendError(sf.ping(ctx()))))));
        return all;
      })(),
    );
    expect(errors.every((e) => e.failure === 'unavailable')).toBe(true);
    const stats = await fx.stats();
    expect(stats.total).toBeLessThanOrEqual(1 + Math.floor(ms / 1_000)); // normally exactly 1
    expect(stats.recent[0]?.path).toBe('/services/oauth2/token');
  });
});

describe('correlation id and paging', () => {
  it('every request, the token request included, carries X-Correlation-Id', async () => {
    const sf = fx.connector();
    await sf.accountsByIds([someAccount()], ctx('corr-42'));
    const recent = (await fx.stats()).recent;
    expect(recent.map((r) => [r.route, r.correlationId])).toEqual([
      ['token', 'corr-42'],
      ['query Account', 'corr-42'],
    ]);
  });

  it('follows nextRecordsUrl: all contacts of an account beyond one 2,000-row batch, every page with the header', async () => {
    const sf = await ready(5_000);
    const contacts = await sf.contactsByAccountIds([pagedAccountId], ctx('paged'));
    const expected = fx.dataset.Contact.filter((c) => c.AccountId === pagedAccountId).sort(
      (a, b) => textOrder(a.LastName, b.LastName) || textOrder(a.FirstName, b.FirstName) || (a.Id < b.Id ? -1 : 1),
    );
    expect(expected.length).toBeGreaterThan(EXTRA_CONTACTS);
    expect(contacts.get(pagedAccountId)!.map((c) => c.id)).toEqual(expected.map((c) => c.Id));
    const recent = (await fx.stats()).recent;
    expect(recent.map((r) => r.route)).toEqual(['query Contact', 'queryMore']);
    expect(recent.every((r) => r.correlationId === 'paged' && r.status === 200)).toBe(true);
  });
});

describe('what goes on the wire (stub backend)', () => {
  let stub: http.Server;
  let stubUrl: string;
  const seen: http.IncomingHttpHeaders[] = [];
  let queryBody: unknown;

  beforeAll(async () => {
    stub = http.createServer((req, res) => {
      if (req.url === '/services/oauth2/token') {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            access_token: 'stub-token',
            instance_url: stubUrl,
            id: `${stubUrl}/id/00D/005`,
            token_type: 'Bearer',
            issued_at: '1',
          }),
        );
        return;
      }
      seen.push(req.headers);
      res.setHeader('content-type', 'application/json');
      res.setHeader('sforce-limit-info', 'api-usage=7/15000');
      res.end(JSON.stringify(queryBody));
    });
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
    stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => stub.close(() => resolve())));

  const stubConnector = () =>
    createSalesforceConnector(
      {
        loginUrl: stubUrl,
        apiVersion: '62.0',
        timeoutMs: 2_000,
        auth: { flow: 'client_credentials', clientId: 'x', clientSecret: 'y' },
      },
      pino({ level: 'silent' }),
    );

  it('sends the bearer token, X-Correlation-Id and Sforce-Call-Options; reads Sforce-Limit-Info', async () => {
    queryBody = { totalSize: 3, done: true, records: [] };
    const sf = stubConnector();
    expect(await sf.countAccounts(undefined, ctx('wire'))).toBe(3);
    expect(seen.at(-1)).toMatchObject({
      authorization: 'Bearer stub-token',
      'x-correlation-id': 'wire',
      'sforce-call-options': 'client=customer360-graph',
    });
    expect(sf.apiUsage()).toEqual({ used: 7, limit: 15_000 });
  });

  it('an unreadable answer is invalid_response; a nextRecordsUrl to another host is not followed', async () => {
    const sf = stubConnector();
    queryBody = { records: 'nope' };
    expect((await backendError(sf.countAccounts(undefined, ctx()))).failure).toBe('invalid_response');
    queryBody = { totalSize: 1, done: true, records: [{ Id: 'not-an-id', Name: 'x' }] };
    expect((await backendError(sf.usersByIds(['005000000000000'], ctx()))).failure).toBe('invalid_response');
    const before = seen.length;
    queryBody = {
      totalSize: 5000,
      done: false,
      nextRecordsUrl: 'http://evil.example/services/data/v62.0/query/x-2000',
      records: [],
    };
    expect((await backendError(sf.usersByIds(['005000000000000'], ctx()))).failure).toBe('invalid_response');
    expect(seen.length).toBe(before + 1);
  });
});
