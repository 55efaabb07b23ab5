// Writing sales orders: POST with deep-inserted lines (validation, totals, numbering), finding an
// order again by its external document number, PATCH/DELETE with If-Match.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers, items, q, salesOrders, startFixtureEmulator, type ErpTestClient } from './erp-fixture.js';

type Entity = Record<string, unknown>;
type Collection = { value: Entity[]; '@odata.nextLink'?: string };
type ErrorBody = { error: { code: string; message: string } };

let erp: ErpTestClient;
const NOW = new Date('2026-11-23T10:00:00Z');

beforeAll(async () => {
  erp = await startFixtureEmulator({ now: () => NOW });
});
afterAll(async () => {
  await erp.running.close();
});

function post(body: unknown, raw?: string) {
  return erp.json<Entity & ErrorBody>('/salesOrders', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw ?? JSON.stringify(body),
  });
}

async function orderCount(): Promise<number> {
  return Number(await (await erp.call('/salesOrders/$count')).text());
}

async function byExternalDocumentNumber(externalDocumentNumber: string): Promise<Entity[]> {
  const filter = `externalDocumentNumber eq '${externalDocumentNumber.replaceAll("'", "''")}'`;
  return (await erp.json<Collection>(`/salesOrders?$filter=${q(filter)}&$expand=salesOrderLines`)).body.value;
}

describe('POST salesOrders', () => {
  let created: Entity;

  it('creates an order with deep-inserted lines: 201, number, Draft status, defaults and totals', async () => {
    const { status, body, headers } = await post({
      customerNumber: 'C00001',
      externalDocumentNumber: 'SFQ-0Q0AAA000000001',
      salesOrderLines: [
        { lineType: 'Item', lineObjectNumber: '1000-A', quantity: 4 },
        { itemId: items[1]!.id, quantity: 3, unitPrice: 180, discountPercent: 10 },
      ],
    });
    expect(status).toBe(201);
    created = body;
    expect(body).toMatchObject({
      number: 'SO-100004',
      externalDocumentNumber: 'SFQ-0Q0AAA000000001',
      orderDate: '2026-11-23',
      customerId: customers[0]!.id,
      customerNumber: 'C00001',
      customerName: 'Adatum Corporation',
      currencyCode: 'USD',
      status: 'Draft',
      fullyShipped: false,
      totalAmountExcludingTax: 528,
      // 7.25% sales tax for a tax-liable customer (emulators/seed/money.ts).
      totalTaxAmount: 38.28,
      totalAmountIncludingTax: 566.28,
      lastModifiedDateTime: NOW.toISOString(),
    });
    expect(body['@odata.etag']).toMatch(/^W\//);
    expect(headers.get('location')).toBe(`${erp.company}/salesOrders(${body.id as string})`);
    const lines = body.salesOrderLines as Entity[];
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      sequence: 10000,
      lineObjectNumber: '1000-A',
      itemId: items[0]!.id,
      unitPrice: 10.5,
      quantity: 4,
      amountExcludingTax: 42,
      description: 'Bearing 1000',
      documentId: body.id,
    });
    expect(lines[1]).toMatchObject({
      sequence: 20000,
      lineObjectNumber: '2000-B',
      unitPrice: 180,
      discountPercent: 10,
      amountExcludingTax: 486,
    });
  });

  it("finds the created order again by externalDocumentNumber, by key and among the customer's orders", async () => {
    const found = await byExternalDocumentNumber('SFQ-0Q0AAA000000001');
    expect(found.map((o) => o.id)).toEqual([created.id]);
    expect((found[0]!.salesOrderLines as Entity[]).map((l) => l.lineObjectNumber)).toEqual(['1000-A', '2000-B']);
    expect((await erp.json<Entity>(`/salesOrders(${created.id as string})`)).body.number).toBe('SO-100004');
    const mine = (await erp.json<Collection>(`/salesOrders?$filter=${q("customerNumber eq 'C00001'")}&$select=number`))
      .body.value;
    expect(mine.map((o) => o.number)).toEqual(['SO-100001', 'SO-100003', 'SO-100004']);
    expect(await (await erp.call(`/salesOrders(${created.id as string})/salesOrderLines/$count`)).text()).toBe('2');
  });

  it('does not enforce unique external document numbers (as BC does not): a retry creates a second order', async () => {
    const { status, body } = await post({ customerId: customers[1]!.id, externalDocumentNumber: "SFQ-O'Brien-1" });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      number: 'SO-100005',
      customerNumber: 'C00002',
      currencyCode: 'EUR',
      totalTaxAmount: 0,
      totalAmountIncludingTax: 0,
    });
    expect(body.salesOrderLines).toBeUndefined();
    const again = await post({ customerNumber: 'C00002', externalDocumentNumber: "SFQ-O'Brien-1" });
    expect(again.status).toBe(201);
    expect((await byExternalDocumentNumber("SFQ-O'Brien-1")).map((o) => o.number)).toEqual(['SO-100005', 'SO-100006']);
  });

  it.each([
    [
      'blocked All',
      { customerNumber: 'C00003' },
      'Application_DialogException',
      /Customer C00003 is blocked with type All/,
    ],
    [
      'blocked Ship (credit hold)',
      { customerNumber: 'C00004' },
      'Application_DialogException',
      /blocked with type Ship/,
    ],
    [
      'unknown customer',
      { customerNumber: 'C99999' },
      'Application_DialogException',
      /The sell-to customer cannot be found/,
    ],
    [
      'no customer',
      { externalDocumentNumber: 'X' },
      'Application_DialogException',
      /A customerNumber or a customerID must be provided/,
    ],
    [
      'customer id and number disagree',
      { customerNumber: 'C00001', customerId: customers[1]!.id },
      'Application_DialogException',
      /do not match/,
    ],
    [
      'unknown item',
      { customerNumber: 'C00001', salesOrderLines: [{ lineObjectNumber: 'NOPE-1', quantity: 1 }] },
      'Internal_RecordNotFound',
      /The Item does not exist\. Identification fields and values: No\.='NOPE-1'/,
    ],
    [
      'unknown item id',
      { customerNumber: 'C00001', salesOrderLines: [{ itemId: '00000000-0000-4000-8000-000000000000', quantity: 1 }] },
      'Internal_RecordNotFound',
      /The Item does not exist/,
    ],
    [
      'blocked item',
      { customerNumber: 'C00001', salesOrderLines: [{ lineObjectNumber: '9999-X', quantity: 1 }] },
      'Application_FieldValidationException',
      /Blocked must be equal to 'No'/,
    ],
    [
      'unknown property',
      { customerNumber: 'C00001', colour: 'red' },
      'BadRequest',
      /The property 'colour' does not exist on type 'Microsoft.NAV.salesOrder'/,
    ],
    [
      'read-only property',
      { customerNumber: 'C00001', status: 'Open' },
      'BadRequest_InvalidOperation',
      /'status' is read-only/,
    ],
    [
      'quantity as a string',
      { customerNumber: 'C00001', salesOrderLines: [{ lineObjectNumber: '1000-A', quantity: '3' }] },
      'BadRequest',
      /expected type 'Edm.Decimal'/,
    ],
    [
      'negative quantity',
      { customerNumber: 'C00001', salesOrderLines: [{ lineObjectNumber: '1000-A', quantity: -3 }] },
      'Application_FieldValidationException',
      /quantity/,
    ],
    [
      'invalid order date',
      { customerNumber: 'C00001', orderDate: '2026-02-30' },
      'BadRequest',
      /expected type 'Edm.Date'/,
    ],
    [
      'unknown currency',
      { customerNumber: 'C00001', currencyCode: 'XYZ' },
      'Internal_RecordNotFound',
      /Currency does not exist/,
    ],
    [
      'too long external document number',
      { customerNumber: 'C00001', externalDocumentNumber: 'X'.repeat(36) },
      'Application_StringExceededLength',
      /length of the string is 36/,
    ],
    [
      'non-Item line',
      { customerNumber: 'C00001', salesOrderLines: [{ lineType: 'Comment', description: 'hi' }] },
      'BadRequest',
      /lineType 'Comment' is not supported/,
    ],
    ['lines not an array', { customerNumber: 'C00001', salesOrderLines: {} }, 'BadRequest', /must be an array/],
  ])('rejects %s with 400 and creates nothing', async (_name, body, code, message) => {
    const before = await orderCount();
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe(code);
    expect(response.body.error.message).toMatch(message);
    expect(await orderCount()).toBe(before);
  });

  it('rejects a body that is not JSON', async () => {
    const invalid = await post(undefined, '{"customerNumber": ');
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatchObject({ code: 'BadRequest' });
    expect(invalid.body.error.message).toMatch(/Invalid Request Body/);
    const array = await post([]);
    expect(array.status).toBe(400);
  });
});

describe('PATCH and DELETE salesOrders({id})', () => {
  it('requires If-Match, refuses a stale ETag with 409, applies a current one', async () => {
    const order = (await erp.json<Entity>(`/salesOrders(${salesOrders[0]!.id})`)).body;
    const patch = (ifMatch: string | null, body: unknown) =>
      erp.json<Entity & ErrorBody>(`/salesOrders(${order.id as string})`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', ...(ifMatch ? { 'if-match': ifMatch } : {}) },
        body: JSON.stringify(body),
      });
    const missing = await patch(null, { externalDocumentNumber: 'PO-1-REV' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('BadRequest_InvalidToken');
    const stale = await patch('W/"JzE5OzEyMzQ1Njc4OTAxMjM0NTY3ODkwMTs="', { externalDocumentNumber: 'PO-1-REV' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('Request_EntityChanged');
    const readOnly = await patch('*', { customerNumber: 'C00002' });
    expect(readOnly.status).toBe(400);

    const applied = await patch(order['@odata.etag'] as string, {
      externalDocumentNumber: 'PO-1-REV',
      requestedDeliveryDate: '2026-12-15',
    });
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({
      number: 'SO-100001',
      externalDocumentNumber: 'PO-1-REV',
      requestedDeliveryDate: '2026-12-15',
    });
    expect(applied.body['@odata.etag']).not.toBe(order['@odata.etag']);
    // The index follows the change.
    expect((await byExternalDocumentNumber('PO-1-REV')).map((o) => o.number)).toEqual(['SO-100001']);
    expect(await byExternalDocumentNumber('PO-1')).toEqual([]);
    // The old ETag is now stale.
    expect((await patch(order['@odata.etag'] as string, { externalDocumentNumber: 'again' })).status).toBe(409);
  });

  it('deletes with If-Match: *, after which the order is gone from keys and filters', async () => {
    const { body } = await post({ customerNumber: 'C00005', externalDocumentNumber: 'TO-DELETE' });
    const id = body.id as string;
    const deleted = await erp.call(`/salesOrders(${id})`, { method: 'DELETE', headers: { 'if-match': '*' } });
    expect(deleted.status).toBe(204);
    expect((await erp.call(`/salesOrders(${id})`)).status).toBe(404);
    expect(await byExternalDocumentNumber('TO-DELETE')).toEqual([]);
  });

  it('refuses to delete an order past Draft (released, in review) with Business Central’s status test; nothing goes', async () => {
    const released = salesOrders[0]!;
    const refused = await erp.json<ErrorBody>(`/salesOrders(${released.id})`, {
      method: 'DELETE',
      headers: { 'if-match': '*' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('Application_FieldValidationException');
    expect(refused.body.error.message).toContain(
      `Status must be equal to 'Open'  in Sales Header: Document Type=Order, No.=${released.number}. Current value is 'Released'.`,
    );
    expect((await erp.call(`/salesOrders(${released.id})`)).status).toBe(200);

    const { body } = await post({ customerNumber: 'C00005', externalDocumentNumber: 'IN-REVIEW' });
    const row = erp.running.emulator.store.table('salesOrders').get(body.id as string)!;
    erp.running.emulator.store.table('salesOrders').update(row, { status: 'In Review' });
    const inReview = await erp.json<ErrorBody>(`/salesOrders(${body.id as string})`, {
      method: 'DELETE',
      headers: { 'if-match': '*' },
    });
    expect(inReview.status).toBe(400);
    expect(inReview.body.error.message).toContain("Current value is 'Pending Approval'.");
    expect((await byExternalDocumentNumber('IN-REVIEW')).map((o) => o.number)).toEqual([body.number]);
  });

  it('a DELETE without If-Match is refused, and an unknown order is 404', async () => {
    const { body } = await post({ customerNumber: 'C00005', externalDocumentNumber: 'NO-IF-MATCH' });
    const missing = await erp.json<ErrorBody>(`/salesOrders(${body.id as string})`, { method: 'DELETE' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('BadRequest_InvalidToken');
    const unknown = await erp.json<ErrorBody>('/salesOrders(00000000-0000-0000-0000-00000000dead)', {
      method: 'DELETE',
      headers: { 'if-match': '*' },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('Internal_RecordNotFound');
  });
});

describe('paging while orders are created', () => {
  it('serves every row that existed exactly once, and the new one at the end', async () => {
    const headers = { prefer: 'odata.maxpagesize=2' };
    const first = (await erp.json<Collection>('/salesOrders?$select=number', { headers })).body;
    const before = await orderCount();
    const { body: created } = await post({ customerNumber: 'C00005', externalDocumentNumber: 'MID-PAGING' });
    const served = first.value.map((o) => o.number);
    let url = first['@odata.nextLink'];
    while (url) {
      const page: Collection = (await erp.json<Collection>(url, { headers })).body;
      served.push(...page.value.map((o) => o.number));
      url = page['@odata.nextLink'];
    }
    expect(served).toHaveLength(before + 1);
    expect(new Set(served).size).toBe(served.length);
    expect(served.at(-1)).toBe(created.number);
  });
});
