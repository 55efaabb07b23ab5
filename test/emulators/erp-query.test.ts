// Reading the Business Central API: response shapes, $select/$top/$skip/$orderby/$count, /$count,
// server-driven paging, $expand of lines, key lookups, navigation and the errors of each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMPANY_ID,
  customers,
  q,
  salesInvoices,
  salesOrders,
  salesShipments,
  startFixtureEmulator,
  type ErpTestClient,
} from './erp-fixture.js';

type Entity = Record<string, unknown>;
type Collection = { '@odata.context': string; '@odata.count'?: number; '@odata.nextLink'?: string; value: Entity[] };
type ErrorBody = { error: { code: string; message: string } };

let erp: ErpTestClient;

beforeAll(async () => {
  erp = await startFixtureEmulator();
});
afterAll(async () => {
  await erp.running.close();
});

describe('response shape', () => {
  it('lists the company with OData headers and a context URL', async () => {
    const { status, body, headers } = await erp.json<Collection>(`${erp.running.apiUrl}/companies`);
    expect(status).toBe(200);
    expect(headers.get('odata-version')).toBe('4.0');
    expect(headers.get('content-type')).toMatch(/^application\/json; odata\.metadata=minimal/);
    expect(body['@odata.context']).toBe(`${erp.running.apiUrl}/$metadata#companies`);
    expect(body.value).toEqual([
      expect.objectContaining({ id: COMPANY_ID, name: 'CRONUS USA, Inc.', displayName: 'CRONUS USA, Inc.' }),
    ]);
    const single = await erp.json<Entity>(`${erp.running.apiUrl}/companies(${COMPANY_ID})`);
    expect(single.body).toMatchObject({
      '@odata.context': `${erp.running.apiUrl}/$metadata#companies/$entity`,
      id: COMPANY_ID,
    });
  });

  it('serves every property of an entity with a weak ETag, JSON numbers and ISO dates', async () => {
    const { body } = await erp.json<Collection>('/customers');
    expect(body['@odata.context']).toBe(`${erp.running.apiUrl}/$metadata#companies(${COMPANY_ID})/customers`);
    expect(body.value).toHaveLength(5);
    const first = body.value[0]!;
    expect(first['@odata.etag']).toMatch(/^W\/"JzE[A-Za-z0-9+/=]+"$/);
    const { '@odata.etag': _etag, ...properties } = first;
    expect(properties).toEqual(customers[0]);
    const invoice = (await erp.json<Collection>('/salesInvoices?$top=1')).body.value[0]!;
    expect(typeof invoice.totalAmountIncludingTax).toBe('number');
    expect(invoice.invoiceDate).toBe('2026-10-01');
  });

  it('keeps ETags stable across requests and distinct across records', async () => {
    const a = (await erp.json<Collection>('/customers')).body.value.map((c) => c['@odata.etag']);
    const b = (await erp.json<Collection>('/customers')).body.value.map((c) => c['@odata.etag']);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(5);
  });

  it('serves the service document and a CSDL $metadata', async () => {
    const root = await erp.json<{ value: Array<{ name: string }> }>(`${erp.running.apiUrl}/`);
    expect(root.body.value.map((set) => set.name)).toEqual(
      expect.arrayContaining(['companies', 'customers', 'salesInvoices']),
    );
    const metadata = await erp.call(`${erp.running.apiUrl}/$metadata`);
    expect(metadata.headers.get('content-type')).toMatch(/^application\/xml/);
    const xml = await metadata.text();
    expect(xml).toContain('<EntityType Name="customer">');
    expect(xml).toContain('<Property Name="balanceDue" Type="Edm.Decimal" />');
    expect(xml).toContain(
      '<NavigationProperty Name="salesOrderLines" Type="Collection(Microsoft.NAV.salesOrderLine)" ContainsTarget="true" />',
    );
  });
});

describe('$select, $top, $skip, $orderby, $count', () => {
  it('$select returns only the listed properties and names them in the context', async () => {
    const { body } = await erp.json<Collection>('/customers?$select=number,displayName');
    expect(body['@odata.context']).toMatch(/\/customers\(number,displayName\)$/);
    expect(Object.keys(body.value[0]!)).toEqual(['@odata.etag', 'number', 'displayName']);
  });

  it('$select of an unknown property is a 400', async () => {
    const { status, body } = await erp.json<ErrorBody>('/customers?$select=number,colour');
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'BadRequest' });
    expect(body.error.message).toMatch(/Could not find a property named 'colour' on type 'Microsoft.NAV.customer'/);
  });

  it('$top and $skip page through the default order', async () => {
    const page = async (query: string) =>
      (await erp.json<Collection>(`/salesInvoices?$select=number&${query}`)).body.value.map((i) => i.number);
    expect(await page('$top=3')).toEqual(['SI-100001', 'SI-100002', 'SI-100003']);
    expect(await page('$top=2&$skip=28')).toEqual(['SI-100029', 'SI-100030']);
    expect(await page('$skip=40')).toEqual([]);
    expect(await page('$top=0')).toEqual([]);
  });

  it('$orderby sorts by several properties, ascending or descending', async () => {
    const order = async (orderby: string) =>
      (await erp.json<Collection>(`/customers?$select=number&$orderby=${q(orderby)}`)).body.value.map((c) => c.number);
    expect(await order('creditLimit desc')).toEqual(['C00005', 'C00004', 'C00003', 'C00002', 'C00001']);
    expect(await order('currencyCode asc, number desc')).toEqual(['C00002', 'C00005', 'C00004', 'C00003', 'C00001']);
    expect(await order('city,number')).toEqual(['C00001', 'C00003', 'C00004', 'C00005', 'C00002']);
    const bad = await erp.json<ErrorBody>('/customers?$orderby=colour');
    expect(bad.status).toBe(400);
  });

  it('$count=true adds @odata.count of all matches, regardless of $top', async () => {
    const { body } = await erp.json<Collection>(`/salesInvoices?$count=true&$top=2&$filter=${q("status eq 'Open'")}`);
    expect(body['@odata.count']).toBe(salesInvoices.filter((i) => i.status === 'Open').length);
    expect(body.value).toHaveLength(2);
    expect((await erp.json<Collection>('/salesInvoices?$top=1')).body['@odata.count']).toBeUndefined();
  });

  it('/$count answers a plain-text number, filtered or not', async () => {
    const all = await erp.call('/salesInvoices/$count');
    expect(all.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await all.text()).toBe('30');
    expect(await (await erp.call(`/salesInvoices/$count?$filter=${q("customerNumber eq 'C00002'")}`)).text()).toBe('6');
    expect(await (await erp.call(`/salesOrders(${salesOrders[0]!.id})/salesOrderLines/$count`)).text()).toBe('3');
  });

  it('refuses invalid or unsupported options', async () => {
    const expect400 = async (query: string, message: RegExp) => {
      const { status, body } = await erp.json<ErrorBody>(`/customers?${query}`);
      expect(status, query).toBe(400);
      expect(body.error.message, query).toMatch(message);
    };
    await expect400('$top=-1', /Invalid value '-1' for \$top/);
    await expect400('$skip=abc', /Invalid value 'abc' for \$skip/);
    await expect400('$top=1&$top=2', /specified more than once/);
    await expect400('$search=acme', /'\$search' is not supported/);
    await expect400('$count=yes', /Invalid value 'yes' for \$count/);
    await expect400('$skiptoken=garbage', /\$skiptoken is not valid/);
  });
});

describe('server-driven paging', () => {
  async function followAll(first: string, headers: Record<string, string> = {}) {
    const pages: Collection[] = [];
    let url: string | undefined = first;
    while (url) {
      const response: { status: number; body: Collection } = await erp.json<Collection>(url, { headers });
      expect(response.status).toBe(200);
      const body = response.body;
      pages.push(body);
      url = body['@odata.nextLink'];
      if (pages.length > 50) throw new Error('paging does not end');
    }
    return pages;
  }

  it('honours Prefer: odata.maxpagesize and returns every row exactly once by following nextLink', async () => {
    const filter = "status ne 'Canceled'";
    const first = await erp.call(
      `/salesInvoices?$filter=${q(filter)}&$orderby=${q('totalAmountIncludingTax desc')}&$select=number,status`,
      {
        headers: { prefer: 'odata.maxpagesize=7' },
      },
    );
    expect(first.headers.get('preference-applied')).toBe('odata.maxpagesize=7');
    const firstBody = (await first.json()) as Collection;
    const nextLink = firstBody['@odata.nextLink']!;
    expect(nextLink.startsWith(`${erp.company}/salesInvoices?`)).toBe(true);
    expect(nextLink).toContain('$skiptoken=');
    expect(decodeURIComponent(nextLink)).toContain(`$filter=${filter}`);
    const rest = await followAll(nextLink, { prefer: 'odata.maxpagesize=7' });
    const pages = [firstBody, ...rest];
    expect(pages.map((p) => p.value.length)).toEqual([7, 7, 7, 3]);
    const served = pages.flatMap((p) => p.value.map((i) => i.number));
    const expected = salesInvoices
      .filter((i) => i.status !== 'Canceled')
      .sort((a, b) => b.totalAmountIncludingTax - a.totalAmountIncludingTax)
      .map((i) => i.number);
    expect(served).toEqual(expected);
    // $select survives paging.
    expect(Object.keys(pages[3]!.value[0]!)).toEqual(['@odata.etag', 'number', 'status']);
  });

  it('stops at $top across pages', async () => {
    const pages = await followAll(`${erp.company}/salesInvoices?$top=10&$skip=5&$select=number`, {
      prefer: 'odata.maxpagesize=4',
    });
    expect(pages.map((p) => p.value.length)).toEqual([4, 4, 2]);
    expect(pages.flatMap((p) => p.value.map((i) => i.number))).toEqual(salesInvoices.slice(5, 15).map((i) => i.number));
  });

  it('pages by the configured page size without a Prefer header', async () => {
    const small = await startFixtureEmulator({ pageSize: 4 });
    try {
      const { body } = await small.json<Collection>('/salesInvoices?$count=true');
      expect(body.value).toHaveLength(4);
      expect(body['@odata.count']).toBe(30);
      // A client may ask for smaller pages, never larger ones.
      const larger = await small.call('/salesInvoices', { headers: { prefer: 'odata.maxpagesize=100' } });
      expect(((await larger.json()) as Collection).value).toHaveLength(4);
      let url: string | undefined = `${small.company}/salesInvoices?$select=number`;
      const seen: unknown[] = [];
      while (url) {
        const page: Collection = (await small.json<Collection>(url)).body;
        seen.push(...page.value.map((i) => i.number));
        url = page['@odata.nextLink'];
      }
      expect(seen).toEqual(salesInvoices.map((i) => i.number));
    } finally {
      await small.running.close();
    }
  });
});

describe('keys, navigation and $expand', () => {
  it('reads one entity by its GUID key, with an ETag header', async () => {
    const response = await erp.call(`/customers(${customers[1]!.id})`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Entity;
    expect(body['@odata.context']).toBe(`${erp.running.apiUrl}/$metadata#companies(${COMPANY_ID})/customers/$entity`);
    expect(body).toMatchObject({ number: 'C00002', displayName: "O'Brien Tools" });
    expect(response.headers.get('etag')).toBe(body['@odata.etag']);
    const upper = await erp.json<Entity>(`/customers(${customers[1]!.id.toUpperCase()})?$select=number`);
    expect(upper.body).toMatchObject({ number: 'C00002' });
    expect(upper.body.displayName).toBeUndefined();
  });

  it('answers 404 with BC error codes for unknown keys, malformed keys, sets and companies', async () => {
    const cases: Array<[string, number, string]> = [
      ['/customers(00000000-0000-4000-8000-000000000000)', 404, 'Internal_RecordNotFound'],
      ['/customers(C00001)', 404, 'BadRequest_NotFound'],
      ['/vendors', 404, 'BadRequest_ResourceNotFound'],
      [`/salesOrders(${salesOrders[0]!.id})/attachments`, 404, 'BadRequest_ResourceNotFound'],
      [
        `${erp.running.apiUrl}/companies(00000000-0000-4000-8000-000000000000)/customers`,
        404,
        'Internal_CompanyNotFound',
      ],
      [`${erp.running.apiUrl}/companies(00000000-0000-4000-8000-000000000000)`, 404, 'Internal_RecordNotFound'],
    ];
    for (const [path, status, code] of cases) {
      const { status: actual, body, headers } = await erp.json<ErrorBody>(path);
      expect(actual, path).toBe(status);
      expect(body.error.code, path).toBe(code);
      expect(body.error.message, path).toMatch(/CorrelationId:/);
      expect(headers.get('content-type'), path).toMatch(/^application\/json/);
    }
    const notFound = await erp.json<ErrorBody>('/vendors');
    expect(notFound.body.error.message).toMatch(/^Resource not found for the segment 'vendors'\./);
  });

  it("$expand=salesOrderLines embeds each order's lines (with ETags), optionally with a nested $select", async () => {
    const { body } = await erp.json<Collection>(
      `/salesOrders?$expand=salesOrderLines&$filter=${q("number eq 'SO-100001'")}`,
    );
    const lines = body.value[0]!.salesOrderLines as Entity[];
    expect(lines.map((l) => [l.sequence, l.lineObjectNumber, l.quantity])).toEqual([
      [10000, '1000-A', 10],
      [20000, '2000-B', 2],
      [30000, '1000-A', 5],
    ]);
    expect(lines[0]!['@odata.etag']).toMatch(/^W\//);
    const empty = (await erp.json<Collection>(`/salesOrders(${salesOrders[2]!.id})?$expand=salesOrderLines`))
      .body as unknown as Entity;
    expect(empty.salesOrderLines).toEqual([]);
    const narrow = (
      await erp.json<Collection>(`/salesOrders?$top=1&$select=number&$expand=${q('salesOrderLines($select=quantity)')}`)
    ).body.value[0]!;
    expect(Object.keys(narrow)).toEqual(['@odata.etag', 'number', 'salesOrderLines']);
    expect(Object.keys((narrow.salesOrderLines as Entity[])[0]!)).toEqual(['@odata.etag', 'quantity']);
    expect((await erp.json<Collection>('/salesOrders')).body.value[0]!.salesOrderLines).toBeUndefined();
  });

  it('$expand of an unknown navigation property is a 400', async () => {
    const { status, body } = await erp.json<ErrorBody>('/salesOrders?$expand=salesInvoiceLines');
    expect(status).toBe(400);
    expect(body.error.message).toMatch(
      /Could not find a property named 'salesInvoiceLines' on type 'Microsoft.NAV.salesOrder'/,
    );
    expect((await erp.json('/customers?$expand=salesOrderLines')).status).toBe(400);
  });

  it("navigates to an order's lines and a shipment's lines, with query options", async () => {
    const order = salesOrders[0]!;
    const { body } = await erp.json<Collection>(
      `/salesOrders(${order.id})/salesOrderLines?$filter=${q('quantity gt 4')}&$orderby=${q('quantity desc')}`,
    );
    expect(body['@odata.context']).toBe(
      `${erp.running.apiUrl}/$metadata#companies(${COMPANY_ID})/salesOrders(${order.id})/salesOrderLines`,
    );
    expect(body.value.map((l) => l.quantity)).toEqual([10, 5]);
    const line = order.salesOrderLines[1]!;
    expect((await erp.json<Entity>(`/salesOrders(${order.id})/salesOrderLines(${line.id})`)).body).toMatchObject({
      id: line.id,
      quantity: 2,
    });
    const shipment = salesShipments[0]!;
    const shipped = await erp.json<Collection>(`/salesShipments(${shipment.id})/salesShipmentLines`);
    expect(shipped.body.value[0]).toMatchObject({
      lineObjectNumber: '1000-A',
      lotNumbers: ['LOT-2026-000001', 'LOT-2026-000002'],
    });
    const expanded = await erp.json<Entity>(`/salesShipments(${shipment.id})?$expand=salesShipmentLines`);
    expect((expanded.body.salesShipmentLines as Entity[]).length).toBe(1);
  });

  it("expands and navigates to a customer's financial details", async () => {
    const c = customers[2]!;
    const { body } = await erp.json<Entity>(`/customers(${c.id})?$expand=customerFinancialDetail&$select=number`);
    expect(body).toMatchObject({
      number: 'C00003',
      customerFinancialDetail: { id: c.id, number: 'C00003', totalSalesExcludingTax: 1000 },
    });
    const nav = await erp.json<Entity>(`/customers(${c.id})/customerFinancialDetail`);
    expect(nav.body).toMatchObject({ number: 'C00003', balance: 0 });
    expect((await erp.json<Collection>('/customerFinancialDetails')).body.value).toHaveLength(5);
  });

  it('refuses writes to read-only entity sets with 405 and an Allow header', async () => {
    const response = await erp.call('/customers', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
    expect(((await response.json()) as ErrorBody).error.code).toBe('BadRequest_MethodNotAllowed');
  });

  it('answers unknown paths with BC error JSON, not HTML', async () => {
    const response = await fetch(`${erp.running.url}/nothing/here`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as ErrorBody).error.code).toBe('BadRequest_NotFound');
  });
});
