// Sales order lines outside their order, as Business Central serves them: the API v2.0's top-level
// salesOrderLines (one order's lines, and only with an id or documentId filter: page "APIV2 -
// Sales Order Lines"), and the Analytics API's salesLines (every line a row, across orders). Also
// the $filter BC has no AL approximation for: a `not` over contains/startswith/endswith.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { q, salesOrders, startFixtureEmulator, type ErpTestClient } from './erp-fixture.js';

let erp: ErpTestClient;
let lenient: ErpTestClient;
let analytics: string;

beforeAll(async () => {
  [erp, lenient] = await Promise.all([
    startFixtureEmulator({ pageSize: 2 }),
    startFixtureEmulator({ strictFilters: false }),
  ]);
  analytics = `${erp.running.url}/api/microsoft/analytics/v1.0/companies(${erp.running.emulator.companyId})`;
});
afterAll(async () => {
  await Promise.all([erp.running.close(), lenient.running.close()]);
});

type Collection = {
  value: Array<Record<string, unknown>>;
  '@odata.count'?: number;
  '@odata.nextLink'?: string;
  error?: { code: string; message: string };
};

const [first, second] = salesOrders;
/** Every line of the fixture, as the query's rows would key them. */
const allLines = salesOrders.flatMap((order) =>
  order.salesOrderLines.map((line) => ({ documentNo: order.number, lineNo: line.sequence, order, line })),
);

describe('API v2.0: top-level salesOrderLines serves the lines of ONE order', () => {
  it('refuses a request with neither an id nor a documentId filter (Application_DialogException)', async () => {
    for (const path of [
      '/salesOrderLines',
      `/salesOrderLines?$filter=${q("lineObjectNumber eq '1000-A'")}`,
      '/salesOrderLines/$count',
    ]) {
      const { status, body } = await erp.json<Collection>(path);
      expect(status, path).toBe(400);
      expect(body.error!.code).toBe('Application_DialogException');
      expect(body.error!.message).toMatch(/^You must specify an Id or a Document Id to get the lines\./);
    }
  });

  it("with documentId: that order's lines, filtered, ordered and counted", async () => {
    const { status, body } = await erp.json<Collection>(
      `/salesOrderLines?$filter=${q(`documentId eq ${first!.id} and quantity gt 4`)}&$orderby=quantity desc&$count=true`,
    );
    expect(status).toBe(200);
    expect(body['@odata.count']).toBe(2);
    expect(body.value.map((line) => line.quantity)).toEqual([10, 5]);
    expect(await (await erp.call(`/salesOrderLines/$count?$filter=${q(`documentId eq ${first!.id}`)}`)).text()).toBe(
      String(first!.salesOrderLines.length),
    );
  });

  it('an OR of documentIds reads only the first of those orders (by number), as LoadLines does', async () => {
    const { body } = await erp.json<Collection>(
      `/salesOrderLines?$filter=${q(`documentId eq ${second!.id} or documentId eq ${first!.id}`)}&$select=documentId`,
    );
    expect(new Set(body.value.map((line) => String(line.documentId).toLowerCase()))).toEqual(
      new Set([first!.id.toLowerCase()]),
    );
  });

  it('by id: the line, also as a key', async () => {
    const line = second!.salesOrderLines[0]!;
    const { body } = await erp.json<Collection>(`/salesOrderLines?$filter=${q(`id eq ${line.id}`)}`);
    expect(body.value.map((row) => row.id)).toEqual([line.id]);
    const byKey = await erp.json<Record<string, unknown>>(`/salesOrderLines(${line.id})`);
    expect(byKey.status).toBe(200);
    expect(byKey.body).toMatchObject({ id: line.id, sequence: line.sequence, documentId: second!.id });
    expect((await erp.json(`/salesOrderLines(${'0'.repeat(8)}-0000-4000-8000-000000000000)`)).status).toBe(404);
  });

  it('is listed in the service document and $metadata', async () => {
    const root = await erp.json<Collection>(`${erp.running.apiUrl}/`);
    expect(root.body.value.map((set) => set.name)).toContain('salesOrderLines');
    expect(await (await erp.call(`${erp.running.apiUrl}/$metadata`)).text()).toContain(
      '<EntitySet Name="salesOrderLines" EntityType="Microsoft.NAV.salesOrderLine" />',
    );
  });
});

describe('Analytics API: salesLines, every line a row across orders', () => {
  const get = (path: string) => erp.json<Collection>(`${analytics}${path}`);

  it('lists and counts every line, with its order and customer, without ETag or key; pages by next link', async () => {
    const rows: Array<Record<string, unknown>> = [];
    let next: string | undefined = `${analytics}/salesLines?$count=true&$orderby=documentNo,lineNo`;
    let count = -1;
    while (next) {
      const { status, body }: { status: number; body: Collection } = await erp.json<Collection>(next);
      expect(status).toBe(200);
      if (count < 0) count = body['@odata.count']!;
      rows.push(...body.value);
      next = body['@odata.nextLink'];
    }
    expect(count).toBe(allLines.length);
    expect(rows.map((row) => `${row.documentNo}/${row.lineNo}`)).toEqual(
      allLines.map((l) => `${l.documentNo}/${l.lineNo}`),
    );
    expect(rows[0]).toMatchObject({
      documentType: 'Order',
      sellToCustomerNo: first!.customerNumber,
      itemNo: first!.salesOrderLines[0]!.lineObjectNumber,
      amount: first!.salesOrderLines[0]!.netAmount,
    });
    expect(rows[0]).not.toHaveProperty('@odata.etag');
    expect(rows[0]).not.toHaveProperty('id');
    expect(
      await (
        await erp.call(`${analytics}/salesLines/$count?$filter=${q(`sellToCustomerNo eq '${first!.customerNumber}'`)}`)
      ).text(),
    ).toBe(String(allLines.filter((l) => l.order.customerNumber === first!.customerNumber).length));
  });

  it('filters and orders across orders, under the same rules as the API v2.0', async () => {
    const { body } = await get(
      `/salesLines?$filter=${q("itemNo eq '1000-A' and quantityBase ge 5")}&$orderby=amount desc&$select=documentNo,lineNo,amount`,
    );
    expect(body.value).toEqual(
      allLines
        .filter((l) => l.line.lineObjectNumber === '1000-A' && l.line.quantity >= 5)
        .sort((a, b) => b.line.netAmount - a.line.netAmount)
        .map((l) => ({ documentNo: l.documentNo, lineNo: l.lineNo, amount: l.line.netAmount })),
    );
    const crossed = await get(`/salesLines?$filter=${q("itemNo eq '1000-A' or documentNo eq 'SO-100002'")}`);
    expect(crossed.status).toBe(400);
    expect(crossed.body.error!.message).toMatch(/The 'OR' operator is not supported on distinct fields/);
  });

  it("follows the orders: a new order's lines are rows at once", async () => {
    const before = Number(await (await erp.call(`${analytics}/salesLines/$count`)).text());
    const created = await erp.json<Record<string, unknown>>('/salesOrders', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        customerNumber: 'C00001',
        externalDocumentNumber: 'PO-LINES',
        salesOrderLines: [{ lineType: 'Item', lineObjectNumber: '1000-A', quantity: 3 }],
      }),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(Number(await (await erp.call(`${analytics}/salesLines/$count`)).text())).toBe(before + 1);
    const { body } = await get(
      `/salesLines?$filter=${q(`documentNo eq '${created.body.number}'`)}&$select=documentNo,lineNo,quantityBase`,
    );
    expect(body.value).toEqual([{ documentNo: created.body.number, lineNo: 10000, quantityBase: 3 }]);
  });

  it('is read-only and has no keys', async () => {
    expect(
      (
        await erp.call(`${analytics}/salesLines`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(405);
    expect((await erp.call(`${analytics}/salesLines(${first!.id})`)).status).toBe(404);
    expect((await erp.call(`${analytics}/nothing`)).status).toBe(404);
    expect((await fetch(`${analytics}/salesLines`)).status).toBe(401);
  });
});

describe('a not over contains, startswith or endswith (no AL approximation)', () => {
  it.each([
    ['customers', "not contains(displayName,'Tools')"],
    ['customers', "not (startswith(displayName,'Zeta') or startswith(displayName,'Ship'))"],
    ['salesInvoices', "customerNumber eq 'C00001' and not endswith(number,'1')"],
  ])('%s: %s → 400 BadRequest', async (set, filter) => {
    const { status, body } = await erp.json<Collection>(`/${set}?$filter=${q(filter)}`);
    expect(status).toBe(400);
    expect(body.error!.code).toBe('BadRequest');
    expect(body.error!.message).toMatch(
      /^An error occurred while processing this request\. The 'Not' operator is not supported on the function '(contains|startswith|endswith)' on an OData filter\./,
    );
    // Evaluated under the opt-out (EMULATOR_ERP_STRICT_FILTERS=false).
    expect((await lenient.json<Collection>(`/${set}?$filter=${q(filter)}`)).status).toBe(200);
  });

  it('a not over a comparison has an AL form and is evaluated', async () => {
    const { status, body } = await erp.json<Collection>(
      `/customers?$filter=${q("not (number eq 'C00001')")}&$select=number`,
    );
    expect(status).toBe(200);
    expect(body.value.map((row) => row.number)).not.toContain('C00001');
  });
});
