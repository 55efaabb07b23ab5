// Business Central's change feed (ErpPort.changeFeed) against the ERP emulator's webhooks: the
// notification endpoint answers the handshake and passes on checked notices, the subscriptions are
// created, reused, renewed before they expire, re-created when lost (with a resync notice), and
// deleted on request; a forged notification is refused with 403 and passes nothing on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createErpConnector,
  type ErpChangeFeed,
  type ErpChangeFeedEvent,
  type ErpChangeNotice,
  type ErpPort,
} from '../../connectors/erp/index.js';
import { clientStateMatches, readNotifications } from '../../connectors/erp/business-central/webhooks/notifications.js';
import { listen, type RunningServer } from '../../lib/http-server.js';
import { createLogger } from '../../lib/logger.js';
import { loadErpEmulatorConfig, startErpEmulator, type RunningErpEmulator } from '../../emulators/erp/index.js';
import { customerId, fixtureDataset } from '../emulators/erp-fixture.js';

const logger = createLogger('erp-change-feed-test', 'silent');
const ctx = { correlationId: 'change-feed-test' };
const SECRET = 'a-shared-secret-of-enough-length';
const ORDER_ID = '50000000-0000-4000-8000-000000000001';

describe('Business Central change feed', () => {
  let emulator: RunningErpEmulator;
  let erp: ErpPort;
  let endpoint: RunningServer;
  let feed: ErpChangeFeed | null;
  let notices: ErpChangeNotice[];
  let events: ErpChangeFeedEvent[];
  let route: (req: Parameters<ErpChangeFeed['handler']>[0], res: Parameters<ErpChangeFeed['handler']>[1]) => void;

  const openFeed = (overrides: Partial<Parameters<NonNullable<ErpPort['changeFeed']>>[0]> = {}) => {
    const created = erp.changeFeed!({
      notificationUrl: `${endpoint.url}/erp/notifications`,
      clientState: SECRET,
      sets: ['customers', 'customerFinancialDetails', 'salesOrders', 'salesInvoices', 'salesShipments', 'items'],
      onChanges: (batch) => notices.push(...batch),
      onEvent: (event) => events.push(event),
      checkIntervalMs: 100,
      ...overrides,
    });
    route = created.handler;
    feed = created;
    return created;
  };
  const until = async (check: () => boolean, what: string, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}: ${JSON.stringify({ notices, events })}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const subscriptions = () => emulator.emulator.webhooks.stats().subscriptions;
  const fault = (webhooks: unknown) =>
    fetch(`${emulator.url}/__emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ webhooks }),
    });

  beforeEach(async () => {
    notices = [];
    events = [];
    feed = null;
    emulator = await startErpEmulator(
      {
        ...loadErpEmulatorConfig({
          EMULATOR_ERP_PORT: '0',
          EMULATOR_ERP_WEBHOOK_DELAY_MS: '50',
          EMULATOR_ERP_WEBHOOK_LIFETIME_SECONDS: '3',
        }),
      },
      { dataset: fixtureDataset() },
    );
    erp = createErpConnector(
      {
        kind: 'business-central',
        baseUrl: emulator.apiUrl,
        tokenUrl: emulator.tokenUrl,
        clientId: 'customer360-erp-dev',
        clientSecret: 'customer360-erp-dev-secret',
        scope: 'https://api.businesscentral.dynamics.com/.default',
        timeoutMs: 5000,
      },
      logger,
    );
    // The endpoint listens before the feed starts: Business Central calls it to handshake.
    endpoint = await listen((req, res) => route(req, res), { host: '127.0.0.1', port: 0 });
  });
  afterEach(async () => {
    await feed?.stop();
    await endpoint.close();
    await emulator.close();
  });

  it('subscribes to the sets Business Central notifies about, and passes on checked notices', async () => {
    const started = openFeed();
    expect(started.sets).toEqual(['customers', 'items', 'salesOrders', 'salesInvoices', 'salesShipments']);
    await started.start(ctx);
    expect(
      events
        .filter((e) => e.kind === 'subscribed')
        .map((e) => (e as { set: string }).set)
        .sort(),
    ).toEqual([...started.sets].sort());
    expect(subscriptions().map((s) => s.resource)).toEqual(
      started.sets.map((set) => `companies(${emulator.emulator.companyId})/${set}`),
    );

    emulator.emulator.store.updateCustomer(emulator.emulator.store.table('customers').get(customerId(2))!, {
      creditLimit: 1,
    });
    const order = emulator.emulator.store.table('salesOrders').get(ORDER_ID)!;
    emulator.emulator.store.postSalesOrder(order);
    await until(() => notices.length >= 4, 'the notices');
    expect(notices.map(({ set, kind }) => `${set} ${kind}`).sort()).toEqual([
      'customers updated',
      'salesInvoices created',
      'salesOrders deleted',
      'salesShipments created',
    ]);
    expect(notices.find((n) => n.set === 'customers')).toEqual({
      set: 'customers',
      kind: 'updated',
      id: customerId(2),
      changedAt: expect.any(String),
    });
    expect(notices.find((n) => n.set === 'salesOrders')).toMatchObject({ kind: 'deleted', id: ORDER_ID });
  });

  it('reads a collection notification as a resync of the set since its first change', async () => {
    await emulator.close();
    emulator = await startErpEmulator(
      loadErpEmulatorConfig({
        EMULATOR_ERP_PORT: '0',
        EMULATOR_ERP_WEBHOOK_DELAY_MS: '100',
        EMULATOR_ERP_WEBHOOK_COLLECTION_THRESHOLD: '2',
      }),
      { dataset: fixtureDataset() },
    );
    erp = createErpConnector(
      {
        kind: 'business-central',
        baseUrl: emulator.apiUrl,
        tokenUrl: emulator.tokenUrl,
        clientId: 'customer360-erp-dev',
        clientSecret: 'customer360-erp-dev-secret',
        scope: 'https://api.businesscentral.dynamics.com/.default',
        timeoutMs: 5000,
      },
      logger,
    );
    await openFeed({ sets: ['customers'] }).start(ctx);
    const store = emulator.emulator.store;
    for (let n = 1; n <= 4; n++) store.updateCustomer(store.table('customers').get(customerId(n))!, { creditLimit: n });
    await until(() => notices.length === 1, 'the collection notice');
    expect(notices[0]).toEqual({
      set: 'customers',
      kind: 'collection',
      modifiedSince: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      changedAt: expect.any(String),
    });
  });

  it('renews its subscriptions before they expire, and reuses them when started again', async () => {
    await openFeed({ sets: ['customers'] }).start(ctx);
    const first = subscriptions()[0]!;
    await until(() => events.some((e) => e.kind === 'renewed'), 'a renewal', 5_000);
    const renewed = subscriptions()[0]!;
    expect(renewed.subscriptionId).toBe(first.subscriptionId);
    expect(Date.parse(renewed.expirationDateTime as string)).toBeGreaterThan(
      Date.parse(first.expirationDateTime as string),
    );
    await feed!.stop();

    // A new process with the same endpoint finds its subscription instead of adding one.
    events = [];
    await openFeed({ sets: ['customers'], checkIntervalMs: 60_000 }).start(ctx);
    expect(subscriptions()).toHaveLength(1);
    expect(events.some((e) => e.kind === 'subscribed')).toBe(false);
    // With a rotated secret it renews the subscription with the new one.
    await feed!.stop();
    await openFeed({
      sets: ['customers'],
      clientState: 'a-rotated-secret-also-long-enough',
      checkIntervalMs: 60_000,
    }).start(ctx);
    expect(subscriptions()[0]).toMatchObject({
      subscriptionId: first.subscriptionId,
      clientState: 'a-rotated-secret-also-long-enough',
    });
  });

  it('re-creates a lost subscription and says the set must be resynchronised', async () => {
    await openFeed({ sets: ['customers', 'items'] }).start(ctx);
    await fault({ expireSubscriptions: true });
    await until(() => events.filter((e) => e.kind === 'recreated').length === 2, 're-created subscriptions');
    expect(notices).toEqual(
      expect.arrayContaining([
        { set: 'customers', kind: 'collection', modifiedSince: null, changedAt: expect.any(String) },
        { set: 'items', kind: 'collection', modifiedSince: null, changedAt: expect.any(String) },
      ]),
    );
    expect(subscriptions()).toHaveLength(2);
  });

  it('deletes its subscriptions when stopped with unsubscribe', async () => {
    await openFeed({ sets: ['customers', 'salesOrders'] }).start(ctx);
    expect(subscriptions()).toHaveLength(2);
    await feed!.stop({ unsubscribe: true });
    expect(subscriptions()).toEqual([]);
  });

  it('refuses a forged notification with 403 and passes nothing on; answers handshakes; refuses what is not a notification', async () => {
    await openFeed({ sets: ['customers'] }).start(ctx);
    const url = `${endpoint.url}/erp/notifications`;
    const entry = (clientState: string) => ({
      subscriptionId: 'x',
      clientState,
      expirationDateTime: '2030-01-01T00:00:00Z',
      resource: `companies(${emulator.emulator.companyId})/customers(${customerId(1)})`,
      changeType: 'updated',
      lastModifiedDateTime: '2026-01-01T00:00:00Z',
    });
    const post = (body: string, query = '') =>
      fetch(`${url}${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await post(JSON.stringify({ value: [entry(SECRET), entry('guess')] }))).status).toBe(403);
    expect((await post(JSON.stringify({ value: [entry(SECRET.slice(0, -1))] }))).status).toBe(403);
    expect(notices).toEqual([]);
    expect(events.filter((e) => e.kind === 'notification-refused')).toHaveLength(2);
    expect((await post('not json')).status).toBe(400);
    expect((await post(JSON.stringify({ values: [] }))).status).toBe(400);
    expect((await fetch(url)).status).toBe(405);
    const handshake = await post('', '?validationToken=abc-123');
    expect([handshake.status, await handshake.text()]).toEqual([200, 'abc-123']);
    expect((await post(JSON.stringify({ value: [entry(SECRET)] }))).status).toBe(202);
    expect(notices).toEqual([
      { set: 'customers', kind: 'updated', id: customerId(1), changedAt: '2026-01-01T00:00:00Z' },
    ]);
  });
});

describe('reading notifications', () => {
  const base = {
    subscriptionId: 's',
    clientState: 'secret',
    expirationDateTime: 'x',
    lastModifiedDateTime: '2026-01-01T00:00:00Z',
  };
  const read = (entries: object[]) => readNotifications({ value: entries }, 'secret', ['customers', 'salesInvoices']);

  it('reads entities, filtered and unfiltered collections, and skips what it cannot place', () => {
    const outcome = read([
      {
        ...base,
        resource: '/api/v2.0/companies(c1)/salesInvoices(70000000-0000-4000-8000-000000000001)',
        changeType: 'created',
      },
      {
        ...base,
        resource:
          'https://bc.example/v2.0/t/production/api/v2.0/companies(c1)/customers?$filter=lastModifiedDateTime%20gt%202026-01-01T00:00:00.950Z',
        changeType: 'collection',
      },
      { ...base, resource: 'companies(c1)/customers', changeType: 'collection' },
      { ...base, resource: 'companies(c1)/vendors(1)', changeType: 'updated' },
      { ...base, resource: 'companies(c1)/customers(1)', changeType: 'merged' },
    ]);
    expect(outcome).toEqual({
      ok: true,
      notices: [
        {
          set: 'salesInvoices',
          kind: 'created',
          id: '70000000-0000-4000-8000-000000000001',
          changedAt: base.lastModifiedDateTime,
        },
        {
          set: 'customers',
          kind: 'collection',
          modifiedSince: '2026-01-01T00:00:00.950Z',
          changedAt: base.lastModifiedDateTime,
        },
        { set: 'customers', kind: 'collection', modifiedSince: null, changedAt: base.lastModifiedDateTime },
      ],
      skipped: ['unrecognised resource companies(c1)/vendors(1)', 'malformed notification'],
    });
  });

  it('compares client states in constant time, whatever their lengths', () => {
    expect(clientStateMatches('secret', 'secret')).toBe(true);
    expect(clientStateMatches('secreT', 'secret')).toBe(false);
    expect(clientStateMatches('a much longer value than the secret', 'secret')).toBe(false);
    expect(clientStateMatches(null, 'secret')).toBe(false);
    expect(
      read([{ ...base, clientState: undefined, resource: 'companies(c1)/customers(1)', changeType: 'updated' }]),
    ).toMatchObject({ ok: false, status: 403 });
  });
});
