// The ERP emulator's writes that move ERP data, as Business Central's API v2.0 takes them:
// PATCH customers({id}) with If-Match, and salesOrders({id})/Microsoft.NAV.shipAndInvoice (204,
// a posted shipment and invoice, the order deleted once fully posted). Partial deliveries and
// releases are what users post in the client: the store's methods the activity simulator uses.
import { beforeEach, afterEach, describe, expect, it } from 'vitest';
import { COMPANY_ID, customerId, fixtureDataset, startFixtureEmulator, type ErpTestClient } from './erp-fixture.js';

type Entity = Record<string, unknown>;
type Collection = { value: Entity[] };

const NOW = new Date('2026-11-23T10:00:00.000Z');

describe('writes that move ERP data', () => {
  let erp: ErpTestClient;
  beforeEach(async () => {
    erp = await startFixtureEmulator({ dataset: fixtureDataset(), now: () => NOW });
  });
  afterEach(async () => {
    await erp.running.close();
  });

  const patch = (path: string, body: unknown, etag?: string) =>
    erp.json(path, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...(etag ? { 'if-match': etag } : {}) },
      body: JSON.stringify(body),
    });
  const post = (path: string) => erp.call(path, { method: 'POST' });
  const orderId = '50000000-0000-4000-8000-000000000001';

  describe('PATCH customers', () => {
    it('updates blocked, the credit limit and the payment terms, with If-Match', async () => {
      const before = await erp.json<Entity>(`/customers(${customerId(1)})`);
      const etag = before.body['@odata.etag'] as string;
      const changed = await patch(
        `/customers(${customerId(1)})`,
        { blocked: 'All', creditLimit: 5000.5, paymentTermsId: 'a0000000-0000-4000-8000-000000000002' },
        etag,
      );
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({
        '@odata.context': expect.stringContaining(`/api/v2.0/$metadata#companies(${COMPANY_ID})/customers/$entity`),
        id: customerId(1),
        blocked: 'All',
        creditLimit: 5000.5,
        paymentTermsId: 'a0000000-0000-4000-8000-000000000002',
        lastModifiedDateTime: NOW.toISOString(),
      });
      expect(changed.headers.get('etag')).toBe(changed.body['@odata.etag']);
      expect(changed.body['@odata.etag']).not.toBe(etag);
      expect((await erp.json<Entity>(`/customers(${customerId(1)})`)).body).toMatchObject({
        blocked: 'All',
        creditLimit: 5000.5,
      });
      // A blocked customer takes no new orders.
      const order = await erp.json('/salesOrders', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customerNumber: 'C00001' }),
      });
      expect(order.status).toBe(400);
      // The old ETag is stale now; `*` matches anything.
      expect((await patch(`/customers(${customerId(1)})`, { blocked: ' ' }, etag)).status).toBe(409);
      expect((await patch(`/customers(${customerId(1)})`, { blocked: ' ' }, '*')).body).toMatchObject({ blocked: ' ' });
    });

    it('refuses what Business Central refuses, with its error codes', async () => {
      const path = `/customers(${customerId(2)})`;
      const cases: Array<[unknown, string | undefined, number, string]> = [
        [{ blocked: 'All' }, undefined, 400, 'BadRequest_InvalidToken'],
        [{ blocked: 'Everything' }, '*', 400, 'BadRequest'],
        [{ creditLimit: -1 }, '*', 400, 'Application_FieldValidationException'],
        [{ creditLimit: '100' }, '*', 400, 'BadRequest'],
        [{ paymentTermsId: 'a0000000-0000-4000-8000-000000000099' }, '*', 400, 'Internal_RecordNotFound'],
        [{ balanceDue: 0 }, '*', 400, 'BadRequest_InvalidOperation'],
        [{ currencyCode: 'EUR' }, '*', 400, 'BadRequest_InvalidOperation'],
        [{ favouriteColour: 'red' }, '*', 400, 'BadRequest'],
        [{ displayName: 'x'.repeat(101) }, '*', 400, 'Application_StringExceededLength'],
        [[1, 2], '*', 400, 'BadRequest'],
      ];
      for (const [body, etag, status, code] of cases) {
        const answer = await patch(path, body, etag);
        expect([JSON.stringify(body), answer.status, (answer.body as { error: { code: string } }).error.code]).toEqual([
          JSON.stringify(body),
          status,
          code,
        ]);
      }
      expect((await patch('/customers(c0000000-0000-4000-8000-000000000099)', { blocked: 'All' }, '*')).status).toBe(
        404,
      );
      expect((await patch(`/items(10000000-0000-4000-8000-000000000001)`, { blocked: true }, '*')).status).toBe(405);
      // Nothing of that changed the customer.
      expect((await erp.json<Entity>(path)).body).toMatchObject({
        blocked: ' ',
        creditLimit: 20_000,
        displayName: "O'Brien Tools",
      });
    });
  });

  describe('salesOrders(id)/Microsoft.NAV.shipAndInvoice', () => {
    it('posts the shipment and the invoice, deletes the fully posted order, and moves the balance', async () => {
      const customerBefore = (await erp.json<Entity>(`/customers(${customerId(1)})`)).body;
      const financialsBefore = (await erp.json<Entity>(`/customerFinancialDetails(${customerId(1)})`)).body;
      const response = await post(`/salesOrders(${orderId})/Microsoft.NAV.shipAndInvoice`);
      expect(response.status).toBe(204);
      expect(await response.text()).toBe('');

      expect((await erp.json(`/salesOrders(${orderId})`)).status).toBe(404);
      const shipments = (
        await erp.json<Collection>(`/salesShipments?$filter=orderNumber eq 'SO-100001'&$expand=salesShipmentLines`)
      ).body.value;
      expect(shipments).toHaveLength(2);
      const shipment = shipments.find((s) => s.number === 'SS-100002')!;
      expect(shipment).toMatchObject({
        customerNumber: 'C00001',
        shipmentDate: '2026-11-23',
        lastModifiedDateTime: NOW.toISOString(),
      });
      expect((shipment.salesShipmentLines as Entity[]).map((l) => [l.lineObjectNumber, l.quantity])).toEqual([
        ['1000-A', 10],
        ['2000-B', 2],
        ['1000-A', 5],
      ]);
      const invoices = (
        await erp.json<Collection>(`/salesInvoices?$filter=orderNumber eq 'SO-100001' and status eq 'Open'`)
      ).body.value;
      const invoice = invoices.find((i) => i.number === 'SI-100031')!;
      // 15 × 10.50 + 2 × 199.99 = 557.48, plus 7.25 % sales tax (the customer is tax liable).
      expect(invoice).toMatchObject({
        externalDocumentNumber: 'PO-1',
        invoiceDate: '2026-11-23',
        dueDate: '2026-12-23',
        totalAmountExcludingTax: 557.48,
        totalTaxAmount: 40.42,
        totalAmountIncludingTax: 597.9,
        remainingAmount: 597.9,
      });
      expect((await erp.json<Entity>(`/customers(${customerId(1)})`)).body).toMatchObject({
        balanceDue: Math.round(((customerBefore.balanceDue as number) + 597.9) * 100) / 100,
        // The balance is computed, not a change of the customer record.
        lastModifiedDateTime: customerBefore.lastModifiedDateTime,
      });
      expect((await erp.json<Entity>(`/customerFinancialDetails(${customerId(1)})`)).body).toMatchObject({
        balance: Math.round(((financialsBefore.balance as number) + 597.9) * 100) / 100,
      });
      expect((await erp.json<Entity>(`/items(10000000-0000-4000-8000-000000000001)`)).body).toMatchObject({
        inventory: 100 - 15,
      });
      const stats = await erp.running.emulator.traffic.stats();
      expect(stats.byRoute['POST salesOrders/Microsoft.NAV.shipAndInvoice']).toBe(1);
    });

    it('refuses a customer blocked for invoicing, an order with nothing to post, and wrong methods or actions', async () => {
      await patch(`/customers(${customerId(1)})`, { blocked: 'Invoice' }, '*');
      const blocked = await erp.json(`/salesOrders(${orderId})/Microsoft.NAV.shipAndInvoice`, { method: 'POST' });
      expect(blocked).toMatchObject({
        status: 400,
        body: {
          error: {
            code: 'Application_DialogException',
            message: expect.stringContaining(
              'You cannot invoice this type of document when Customer C00001 is blocked with type Invoice',
            ),
          },
        },
      });
      expect((await erp.json(`/salesOrders(${orderId})`)).status).toBe(200);
      await patch(`/customers(${customerId(1)})`, { blocked: ' ' }, '*');

      const empty = await erp.json('/salesOrders(50000000-0000-4000-8000-000000000003)/Microsoft.NAV.shipAndInvoice', {
        method: 'POST',
      });
      expect(empty).toMatchObject({
        status: 400,
        body: { error: { message: expect.stringContaining('There is nothing to post.') } },
      });
      expect((await erp.json(`/salesOrders(${orderId})/Microsoft.NAV.shipAndInvoice`)).status).toBe(405);
      expect((await erp.json(`/salesOrders(${orderId})/Microsoft.NAV.ship`, { method: 'POST' })).status).toBe(404);
      expect(
        (await erp.json(`/customers(${customerId(1)})/Microsoft.NAV.shipAndInvoice`, { method: 'POST' })).status,
      ).toBe(404);
      expect(
        (
          await erp.json(`/salesOrders(50000000-0000-4000-8000-000000000099)/Microsoft.NAV.shipAndInvoice`, {
            method: 'POST',
          })
        ).status,
      ).toBe(404);
      // $metadata declares the action, as Business Central's does.
      const metadata = await (await erp.call(`${erp.running.apiUrl}/$metadata`)).text();
      expect(metadata).toContain('<Action Name="shipAndInvoice" IsBound="true">');
      expect(metadata).toContain('<EntitySet Name="subscriptions" EntityType="Microsoft.NAV.subscriptions" />');
    });

    it('posts a partial delivery (a warehouse user in the client), keeping the released order until the rest is posted', async () => {
      const store = erp.running.emulator.store;
      const order = store.table('salesOrders').get(orderId)!;
      const [first, second] = order.salesOrderLines;
      const partial = store.postSalesOrder(order, {
        quantities: new Map([
          [first!.id, 4],
          [second!.id, 0],
        ]),
      });
      expect(partial.shipment.salesShipmentLines.map((l) => l.quantity)).toEqual([4]);
      expect(partial.invoice.totalAmountExcludingTax).toBe(42);
      const after = (await erp.json<Entity>(`/salesOrders(${orderId})?$expand=salesOrderLines`)).body;
      expect(after).toMatchObject({ status: 'Released', fullyShipped: false });
      expect((after.salesOrderLines as Entity[]).map((l) => [l.shippedQuantity, l.invoicedQuantity])).toEqual([
        [4, 4],
        [0, 0],
        [0, 0],
      ]);
      expect(() =>
        store.postSalesOrder(store.table('salesOrders').get(orderId)!, { quantities: new Map([[first!.id, 7]]) }),
      ).toThrow(/cannot ship more than 6/);
      // The API's action posts what is outstanding: 6, 2 and 5, and the order is complete.
      expect((await post(`/salesOrders(${orderId})/Microsoft.NAV.shipAndInvoice`)).status).toBe(204);
      expect(store.table('salesOrders').get(orderId)).toBeUndefined();
    });
  });
});

describe('the activity simulator', () => {
  it('moves the orders created through the API along first: released, shipped, invoiced, gone', async () => {
    const erp = await startFixtureEmulator({ dataset: fixtureDataset(), now: () => NOW });
    const { startActivity } = await import('../../emulators/erp/activity.js');
    const store = erp.running.emulator.store;
    const changes: string[] = [];
    store.onChange((change) => changes.push(`${change.set} ${change.kind}`));
    const activity = startActivity({ store, intervalMs: 3_600_000, seed: 7 });
    try {
      const created = await erp.json<Entity>('/salesOrders', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          customerNumber: 'C00005',
          salesOrderLines: [{ lineObjectNumber: '2000-B', quantity: 4 }],
        }),
      });
      const id = created.body.id as string;
      const steps: string[] = [];
      for (let i = 0; i < 4 && store.table('salesOrders').get(id); i++) steps.push(activity.step()!);
      expect(store.table('salesOrders').get(id)).toBeUndefined();
      const number = created.body.number as string;
      expect(steps.every((step) => step.includes(number))).toBe(true);
      // Cancelled (deleted as a draft) or released, then posted until complete.
      if (steps[0]!.startsWith('cancelled')) {
        expect(steps).toHaveLength(1);
      } else {
        expect(steps[0]).toBe(`released order ${number}`);
        expect(steps.at(-1)).toMatch(/order complete\)$/);
        const shipments = store
          .table('salesShipments')
          .all()
          .filter((s) => s.orderNumber === number);
        expect(shipments.every((s) => s.shippingAgentCode !== '' && s.packageTrackingNo !== '')).toBe(true);
        expect(shipments.flatMap((s) => s.salesShipmentLines).reduce((sum, l) => sum + l.quantity, 0)).toBe(4);
      }
      expect(changes).toContain('salesOrders deleted');
      // Then it takes the seeded orders.
      expect(activity.step()).toMatch(/order SO-/);
    } finally {
      activity.stop();
      await erp.running.close();
    }
  });
});

describe('posting what was shipped before', () => {
  it('invoices quantities an earlier posting shipped but did not invoice, and completes the order', async () => {
    const dataset = fixtureDataset();
    // A seeded order half shipped, nothing invoiced (the seed ships before it invoices).
    const order = dataset.salesOrders[0]!;
    dataset.salesOrders[0] = {
      ...order,
      salesOrderLines: order.salesOrderLines.map((line, i) => (i === 0 ? { ...line, shippedQuantity: 4 } : line)),
    };
    const erp = await startFixtureEmulator({ dataset, now: () => NOW });
    try {
      const store = erp.running.emulator.store;
      const result = store.postSalesOrder(store.table('salesOrders').get(order.id)!);
      expect(result.shipment.salesShipmentLines.map((l) => l.quantity)).toEqual([6, 2, 5]);
      // 10 × 10.50 (4 shipped before, 6 now) + 2 × 199.99 + 5 × 10.50.
      expect(result.invoice.totalAmountExcludingTax).toBe(557.48);
      expect(result.order).toBeNull();
    } finally {
      await erp.running.close();
    }
  });
});
