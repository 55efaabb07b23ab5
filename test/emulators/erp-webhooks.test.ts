// Business Central's webhooks in the ERP emulator (api-reference/v2.0 "Working with webhooks"):
// the subscriptions resource with its validationToken handshake, and the notifications a real
// receiver gets — delayed, batched per notification URL, merged, turned into a `collection` past
// the threshold, retried on BC's rules, and the subscription deleted when the receiver rejects.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMPANY_ID, customerId, fixtureDataset, startFixtureEmulator, type ErpTestClient } from './erp-fixture.js';
import { echoHandshake, startReceiver, type Receiver } from './erp-webhook-receiver.js';
import { waitFor } from './salesforce-streaming-support.js';
import type { WebhookSettings } from '../../emulators/erp/index.js';

type Entity = Record<string, unknown>;

const FAST: Partial<WebhookSettings> = {
  delayMs: 50,
  retryDelaysMs: [30, 30, 30],
  handshakeTimeoutMs: 500,
  sendTimeoutMs: 500,
};

describe('ERP webhooks', () => {
  let clock: number;
  let erp: ErpTestClient;
  let receiver: Receiver;
  const start = async (webhooks: Partial<WebhookSettings> = FAST) => {
    erp = await startFixtureEmulator({ dataset: fixtureDataset(), now: () => new Date(clock), webhooks });
  };
  const api = (path: string) => `${erp.running.apiUrl}${path}`;
  const resource = (set: string) => `/api/v2.0/companies(${COMPANY_ID})/${set}`;
  const send = (path: string, method: string, body?: unknown, etag?: string) =>
    erp.json<Entity>(path, {
      method,
      headers: { 'content-type': 'application/json', ...(etag ? { 'if-match': etag } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const subscribe = (set: string, extra: Entity = {}) =>
    send(api('/subscriptions'), 'POST', {
      notificationUrl: receiver.url,
      resource: resource(set),
      clientState: 'shh',
      ...extra,
    });
  const touchCustomer = (n: number, creditLimit: number) =>
    send(`/customers(${customerId(n)})`, 'PATCH', { creditLimit }, '*');

  beforeEach(async () => {
    clock = Date.parse('2026-11-23T10:00:00.000Z');
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await erp?.running.close();
    await receiver.close();
  });

  describe('subscriptions', () => {
    it('creates a subscription once the notification URL echoes the validation token', async () => {
      await start();
      const created = await subscribe('customers');
      expect(created.status).toBe(201);
      const id = created.body.subscriptionId as string;
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect(created.body).toMatchObject({
        '@odata.context': expect.stringContaining('/api/v2.0/$metadata#subscriptions/$entity'),
        '@odata.etag': expect.stringMatching(/^W\/"/),
        notificationUrl: receiver.url,
        resource: resource('customers'),
        clientState: 'shh',
        userId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/),
        expirationDateTime: '2026-11-26T10:00:00.000Z',
        lastModifiedDateTime: '2026-11-23T10:00:00.000Z',
      });
      expect(created.headers.get('location')).toBe(api(`/subscriptions('${id}')`));
      expect(receiver.requests).toHaveLength(1);
      expect(receiver.requests[0]).toMatchObject({
        method: 'POST',
        path: '/hooks/bc',
        validationToken: expect.stringMatching(/^[\w-]{20,}$/),
      });

      const list = await erp.json<{ value: Entity[] }>(api('/subscriptions'));
      expect(list.body.value.map((s) => s.subscriptionId)).toEqual([id]);
      expect((await erp.json<Entity>(api(`/subscriptions('${id}')`))).body.subscriptionId).toBe(id);
      expect((await erp.json<Entity>(api(`/subscriptions(${id})`))).status).toBe(404);
      expect((await erp.json<Entity>(api(`/subscriptions('${'0'.repeat(32)}')`))).body).toMatchObject({
        error: { code: 'Internal_RecordNotFound' },
      });
      expect(erp.running.emulator.traffic.stats().byRoute['POST subscriptions']).toBe(1);
    });

    it('creates nothing when the handshake fails: wrong echo, an error status, no answer in time, nobody listening', async () => {
      await start();
      const answers: Array<Receiver['answer']> = [
        () => ({ status: 200, body: 'not the token' }),
        () => ({ status: 503 }),
        () => 'hang',
      ];
      for (const answer of answers) {
        receiver.answer = answer;
        const refused = await subscribe('customers');
        expect(refused.status).toBe(400);
        expect((refused.body as { error: { message: string } }).error.message).toMatch(
          /^The subscription was not created: the notificationUrl must answer the handshake/,
        );
      }
      const nobody = await send(api('/subscriptions'), 'POST', {
        notificationUrl: 'http://127.0.0.1:9/nobody',
        resource: resource('items'),
      });
      expect(nobody.status).toBe(400);
      expect((await erp.json<{ value: Entity[] }>(api('/subscriptions'))).body.value).toEqual([]);
    });

    it('validates the request as BC does', async () => {
      await start();
      const cases: Array<[Entity, number, string]> = [
        [{ resource: resource('customers') }, 400, "'notificationUrl' is required"],
        [{ notificationUrl: 'ftp://x/y', resource: resource('customers') }, 400, 'not an http or https URL'],
        [{ notificationUrl: receiver.url }, 400, "'resource' is required"],
        [
          { notificationUrl: receiver.url, resource: resource('customerFinancialDetails') },
          400,
          'does not support webhooks',
        ],
        [
          { notificationUrl: receiver.url, resource: `${resource('customers')}(${customerId(1)})` },
          400,
          'is not valid',
        ],
        [
          {
            notificationUrl: receiver.url,
            resource: '/api/v2.0/companies(00000000-0000-4000-8000-000000000000)/customers',
          },
          404,
          'cannot be found',
        ],
        [
          { notificationUrl: receiver.url, resource: resource('customers'), clientState: 'x'.repeat(2049) },
          400,
          'less than or equal to 2048',
        ],
        [
          { notificationUrl: receiver.url, resource: resource('customers'), colour: 'red' },
          400,
          "The property 'colour' does not exist",
        ],
      ];
      for (const [body, status, message] of cases) {
        const answer = await send(api('/subscriptions'), 'POST', body);
        expect([answer.status, (answer.body as { error: { message: string } }).error.message]).toEqual([
          status,
          expect.stringContaining(message),
        ]);
      }
      // Relative and absolute spellings of the resource name the same entity set.
      for (const spelling of [
        `companies(${COMPANY_ID})/items`,
        `${erp.running.apiUrl}/companies(${COMPANY_ID})/items`,
      ]) {
        expect(
          (await send(api('/subscriptions'), 'POST', { notificationUrl: receiver.url, resource: spelling })).status,
        ).toBe(201);
      }
      expect(receiver.requests.every((r) => r.validationToken !== null)).toBe(true);
    });

    it('renews with PATCH (If-Match, a new handshake, three more days) and deletes with DELETE', async () => {
      await start();
      const created = await subscribe('customers');
      const id = created.body.subscriptionId as string;
      const etag = created.body['@odata.etag'] as string;
      clock += 2 * 86_400_000;
      await erp.reauthorize();
      expect((await send(api(`/subscriptions('${id}')`), 'PATCH', {})).body).toMatchObject({
        error: { code: 'BadRequest_InvalidToken' },
      });
      const renewed = await send(api(`/subscriptions('${id}')`), 'PATCH', { clientState: 'new secret' }, etag);
      expect(renewed.status).toBe(200);
      expect(renewed.body).toMatchObject({
        subscriptionId: id,
        clientState: 'new secret',
        expirationDateTime: '2026-11-28T10:00:00.000Z',
      });
      expect(receiver.requests.filter((r) => r.validationToken !== null)).toHaveLength(2);
      expect((await send(api(`/subscriptions('${id}')`), 'PATCH', {}, etag)).status).toBe(409);
      // A renewal whose handshake fails leaves the subscription as it was.
      receiver.answer = () => ({ status: 500 });
      expect((await send(api(`/subscriptions('${id}')`), 'PATCH', {}, '*')).status).toBe(400);
      expect((await erp.json<Entity>(api(`/subscriptions('${id}')`))).body.expirationDateTime).toBe(
        '2026-11-28T10:00:00.000Z',
      );
      receiver.answer = echoHandshake;

      expect((await erp.call(api(`/subscriptions('${id}')`), { method: 'DELETE' })).status).toBe(204);
      expect((await erp.json(api(`/subscriptions('${id}')`))).status).toBe(404);
      await touchCustomer(1, 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(receiver.notifications()).toEqual([]);
    });

    it('expires a subscription three days after its last renewal: gone, and notified no more', async () => {
      await start();
      await subscribe('customers');
      clock += 3 * 86_400_000 + 1;
      await erp.reauthorize();
      expect((await erp.json<{ value: Entity[] }>(api('/subscriptions'))).body.value).toEqual([]);
      await touchCustomer(1, 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(receiver.notifications()).toEqual([]);
    });
  });

  describe('notifications', () => {
    it('notifies each change after the delay, batched per URL, clientState echoed, updates of one record merged', async () => {
      await start({ ...FAST, delayMs: 300 });
      const customers = await subscribe('customers');
      const orders = await subscribe('salesOrders', { clientState: 'orders' });
      const changedAt = Date.now();
      await touchCustomer(1, 100);
      clock += 1000;
      await touchCustomer(1, 200);
      await touchCustomer(2, 300);
      const order = await send('/salesOrders', 'POST', {
        customerNumber: 'C00005',
        salesOrderLines: [{ lineObjectNumber: '1000-A', quantity: 1 }],
      });
      await send(`/salesOrders(${order.body.id as string})`, 'DELETE', undefined, '*');
      await waitFor(() => receiver.notifications().length === 1, 5_000, 'the notification');
      const delivery = receiver.requests.find((r) => r.validationToken === null)!;
      expect(delivery.at - changedAt).toBeGreaterThanOrEqual(300);
      expect(delivery.contentType).toMatch(/^application\/json/);
      const { value } = receiver.notifications()[0]!;
      expect(value).toEqual([
        {
          subscriptionId: customers.body.subscriptionId,
          clientState: 'shh',
          expirationDateTime: customers.body.expirationDateTime,
          resource: `${resource('customers')}(${customerId(1)})`,
          changeType: 'updated',
          lastModifiedDateTime: '2026-11-23T10:00:01.000Z',
        },
        expect.objectContaining({ resource: `${resource('customers')}(${customerId(2)})`, changeType: 'updated' }),
        expect.objectContaining({
          subscriptionId: orders.body.subscriptionId,
          clientState: 'orders',
          resource: `${resource('salesOrders')}(${order.body.id as string})`,
          changeType: 'created',
        }),
        expect.objectContaining({
          subscriptionId: orders.body.subscriptionId,
          resource: `${resource('salesOrders')}(${order.body.id as string})`,
          changeType: 'deleted',
        }),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(receiver.notifications()).toHaveLength(1);
    });

    it('notifies what shipAndInvoice did: the order deleted, the shipment and the invoice created; not the computed balance', async () => {
      await start();
      for (const set of ['salesOrders', 'salesShipments', 'salesInvoices', 'customers']) await subscribe(set);
      const orderId = '50000000-0000-4000-8000-000000000001';
      expect((await erp.call(`/salesOrders(${orderId})/Microsoft.NAV.shipAndInvoice`, { method: 'POST' })).status).toBe(
        204,
      );
      await waitFor(() => receiver.notifications().length === 1);
      const changes = receiver
        .notifications()[0]!
        .value.map((n) => [/\/(\w+)\([^()]*\)$/.exec(String(n.resource))?.[1], n.changeType]);
      expect(changes.sort()).toEqual([
        ['salesInvoices', 'created'],
        ['salesOrders', 'deleted'],
        ['salesShipments', 'created'],
      ]);
    });

    it('sends one collection notification past the threshold: filtered on lastModifiedDateTime, unfiltered when a deletion is among them', async () => {
      await start({ ...FAST, collectionThreshold: 3, delayMs: 200 });
      const customers = await subscribe('customers');
      for (let n = 1; n <= 5; n++) {
        clock += 1000;
        await touchCustomer(n, n * 1000);
      }
      await waitFor(() => receiver.notifications().length === 1);
      expect(receiver.notifications()[0]!.value).toEqual([
        {
          subscriptionId: customers.body.subscriptionId,
          clientState: 'shh',
          expirationDateTime: customers.body.expirationDateTime,
          resource: `${resource('customers')}?$filter=lastModifiedDateTime%20gt%202026-11-23T10:00:00.950Z`,
          changeType: 'collection',
          lastModifiedDateTime: '2026-11-23T10:00:05.000Z',
        },
      ]);
      // The filter finds every changed customer.
      const filter = decodeURIComponent(
        String(receiver.notifications()[0]!.value[0]!.resource).split('?')[1]!.replace('$filter=', ''),
      );
      const changed = await erp.json<{ value: Entity[] }>(`/customers?$filter=${encodeURIComponent(filter)}`);
      expect(changed.body.value).toHaveLength(5);

      await subscribe('salesOrders');
      const ids: string[] = [];
      for (let n = 0; n < 3; n++) {
        const order = await send('/salesOrders', 'POST', { customerNumber: 'C00005' });
        ids.push(order.body.id as string);
      }
      await send(`/salesOrders(${ids[0]!})`, 'DELETE', undefined, '*');
      await waitFor(() => receiver.notifications().length === 2);
      expect(receiver.notifications()[1]!.value).toEqual([
        expect.objectContaining({ resource: resource('salesOrders'), changeType: 'collection' }),
      ]);
    });

    it("retries 408/429/5xx and no answer on BC's schedule, then delivers what is pending, merged", async () => {
      await start();
      await subscribe('customers');
      let failures = 3;
      receiver.answer = (request) =>
        request.validationToken !== null
          ? echoHandshake(request)
          : failures-- > 0
            ? failures === 1
              ? 'hang'
              : { status: failures === 2 ? 503 : 429 }
            : { status: 202 };
      await touchCustomer(1, 10);
      await waitFor(() => erp.running.emulator.webhooks.stats().deliveries.length === 4, 10_000, 'four attempts');
      const attempts = receiver.requests.filter((r) => r.validationToken === null);
      expect(attempts.map((r) => JSON.parse(r.body).value.length)).toEqual([1, 1, 1, 1]);
      const stats = erp.running.emulator.webhooks.stats();
      expect(stats.deliveries.map((d) => [d.outcome, d.status])).toEqual([
        ['retry', 503],
        ['retry', null],
        ['retry', 429],
        ['delivered', 202],
      ]);
      expect(stats.subscriptions).toHaveLength(1);
      expect(stats.pending).toEqual({});
    });

    it('deletes the subscriptions of a URL that rejects notifications, or that keeps failing past the last retry', async () => {
      await start();
      const first = await subscribe('customers');
      await subscribe('items');
      receiver.answer = (request) => (request.validationToken !== null ? echoHandshake(request) : { status: 410 });
      await touchCustomer(1, 10);
      await waitFor(
        () => erp.running.emulator.webhooks.stats().subscriptions.length === 0,
        5_000,
        'the rejected subscriptions to go',
      );
      expect((await erp.json(api(`/subscriptions('${first.body.subscriptionId as string}')`))).status).toBe(404);

      await subscribe('customers');
      receiver.answer = (request) => (request.validationToken !== null ? echoHandshake(request) : { status: 500 });
      await touchCustomer(2, 10);
      await waitFor(
        () => erp.running.emulator.webhooks.stats().subscriptions.length === 0,
        5_000,
        'the failing subscription to go',
      );
      // One attempt and three retries (FAST has three retry delays), then the subscription is deleted.
      expect(erp.running.emulator.webhooks.stats().deliveries.filter((d) => d.status === 500)).toHaveLength(4);
    });

    it('answers the webhook faults: subscriptions expire now, delivery runs now', async () => {
      await start({ ...FAST, delayMs: 60_000 });
      await subscribe('customers');
      await touchCustomer(1, 10);
      const fault = async (webhooks: unknown) =>
        (
          await fetch(`${erp.running.url}/__emulator/faults`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ webhooks }),
          })
        ).json();
      expect(await fault({ deliverNow: true })).toMatchObject({ webhooks: { deliveryScheduled: true } });
      await waitFor(() => receiver.notifications().length === 1);
      expect(await fault({ expireSubscriptions: true })).toMatchObject({ webhooks: { expiredSubscriptions: 1 } });
      expect((await erp.json<{ value: Entity[] }>(api('/subscriptions'))).body.value).toEqual([]);
      const bad = await fetch(`${erp.running.url}/__emulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ webhooks: { explode: true } }),
      });
      expect(bad.status).toBe(400);
    });
  });
});
