// End to end: the OData bridge on the real gateway over the whole in-process stack (subgraphs,
// Business Central connector, emulators), with tokens of the development issuer. Paging by next
// links, key lookups, counts, a partner's row scope, values within the $metadata facets, and the
// filtered page pushed down to the ERP rather than read whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type InProcessStack } from '../../stack/in-process.js';
import { buildEntityModel } from '../../gateway/odata/model.js';
import { SUPERGRAPH_SDL } from './support/fake-graph.js';
import { odataClient } from './support/odata-client.js';

let stack: InProcessStack;
let sales: Record<string, string>;
let partner: Record<string, string>;
const NORTHWIND = Array.from({ length: 10 }, (_, i) => `C${String(i + 1).padStart(5, '0')}`);
const model = buildEntityModel(SUPERGRAPH_SDL);

beforeAll(async () => {
  stack = await startStack({ seedAccounts: 40 });
  sales = { authorization: `Bearer ${await stack.token({ role: 'sales' })}` };
  partner = { authorization: `Bearer ${await stack.token({ role: 'partner', partnerId: 'P-NORTHWIND' })}` };
});
afterAll(async () => {
  await stack?.close();
});

const root = () => `${stack.gatewayUrl}/odata/v4/`;

const { get, follow } = odataClient(root, () => sales);

describe('OData bridge on the live gateway', () => {
  it('answers 401 with a Bearer challenge without a token, and the service document with one', async () => {
    const anonymous = await fetch(`${root()}Invoices`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    expect(anonymous.headers.get('odata-version')).toBe('4.0');
    expect(((await anonymous.json()) as any).error.code).toBe('UNAUTHENTICATED');
    const { status, body, res } = await get('');
    expect(status).toBe(200);
    expect(res.headers.get('odata-version')).toBe('4.0');
    expect(body.value).toHaveLength(6);
  });

  it('following next links returns every row exactly once, and the count agrees', async () => {
    const pages = await follow('Invoices?$select=Number,CustomerNumber&$orderby=CustomerNumber desc&$count=true', {
      ...sales,
      prefer: 'odata.maxpagesize=20',
    });
    const total = pages[0]['@odata.count'];
    expect(total).toBeGreaterThan(40);
    expect(pages.length).toBe(Math.ceil(total / 20));
    const numbers = pages.flatMap((page) => page.value.map((row: any) => row.Number));
    expect(numbers).toHaveLength(total);
    expect(new Set(numbers).size).toBe(total);
    const customerOrder = pages.flatMap((page) => page.value.map((row: any) => row.CustomerNumber));
    expect(customerOrder).toEqual([...customerOrder].sort().reverse());
    const whole = await get('Invoices?$select=Number&$orderby=CustomerNumber desc');
    expect(whole.body.value.map((row: any) => row.Number)).toEqual(numbers);
    const count = await get('Invoices/$count');
    expect(count.res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(Number(count.text)).toBe(total);
  });

  it('key lookups: 200 by positional and named key, 404 when missing', async () => {
    const { body } = await get('SalesOrderLines?$top=1');
    const line = body.value[0];
    const byKey = await get(`SalesOrderLines(OrderNumber='${line.OrderNumber}',Sequence=${line.Sequence})`);
    expect(byKey.status).toBe(200);
    expect(byKey.body).toMatchObject({
      OrderNumber: line.OrderNumber,
      Sequence: line.Sequence,
      ItemNumber: line.ItemNumber,
    });
    const invoice = (await get('Invoices?$top=1&$select=Number')).body.value[0].Number;
    expect((await get(`Invoices('${invoice}')`)).body.Number).toBe(invoice);
    expect((await get(`Invoices(Number='${invoice}')`)).body.Number).toBe(invoice);
    const missing = await get("Invoices('NO-SUCH-INVOICE')");
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });

  it("a partner sees only its own customers' rows through OData too", async () => {
    for (const set of ['Customers', 'Invoices', 'SalesOrders', 'SalesOrderLines', 'Shipments']) {
      const { status, body } = await get(`${set}?$select=CustomerNumber&$count=true`, partner);
      expect(status, `${set}: ${JSON.stringify(body)}`).toBe(200);
      expect(body.value.length, set).toBeGreaterThan(0);
      for (const row of body.value) expect(NORTHWIND, set).toContain(row.CustomerNumber);
      const scoped = await get(
        `${set}?$select=CustomerNumber&$count=true&$filter=CustomerNumber in (${NORTHWIND.map((c) => `'${c}'`).join(',')})`,
      );
      expect(body['@odata.count'], set).toBe(scoped.body['@odata.count']);
    }
    const other = await get("Invoices?$filter=CustomerNumber eq 'C00011'&$count=true", partner);
    expect(other.body).toMatchObject({ '@odata.count': 0, value: [] });
    expect((await get("Customers('C00011')", partner)).status).toBe(404);
    expect((await get("Customers('C00011')")).status).toBe(200);
  });

  it('a partner reads the customer but not the credit internals (null)', async () => {
    const { status, body } = await get("Customers('C00001')", partner);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      CustomerNumber: 'C00001',
      Blocked: null,
      CreditLimit: null,
      Balance: null,
      OpenOrderExposure: null,
      Available: null,
      Overdue: null,
      HoldReason: null,
    });
    expect(typeof body.OnHold).toBe('boolean');
    expect(typeof body.Currency).toBe('string');
    const asSales = await get("Customers('C00001')");
    expect(typeof asSales.body.CreditLimit).toBe('number');
    expect(typeof asSales.body.Blocked).toBe('string');
    expect((await get("Customers?$filter=Blocked eq 'ALL'", partner)).status).toBe(403);
  });

  it('every value fits its $metadata facets (MaxLength, scale, nullability)', async () => {
    for (const set of model.sets) {
      const { body } = await get(`${set.name}?$top=2000`);
      expect(body.value.length, set.name).toBeGreaterThan(0);
      for (const row of body.value) {
        for (const property of set.properties) {
          const value = row[property.name];
          const where = `${set.name}.${property.name} = ${JSON.stringify(value)}`;
          if (value === null) {
            expect(property.nullable, where).toBe(true);
            continue;
          }
          if (property.type === 'Edm.String')
            expect(String(value).length, where).toBeLessThanOrEqual(property.maxLength!);
          if (property.type === 'Edm.Decimal')
            expect((String(value).split('.')[1] ?? '').length, where).toBeLessThanOrEqual(property.scale!);
          if (property.type === 'Edm.Date') expect(value, where).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          if (property.type === 'Edm.DateTimeOffset') expect(Number.isNaN(Date.parse(value)), where).toBe(false);
          if (property.enumValues) expect(property.enumValues, where).toContain(value);
        }
      }
    }
  });

  it('a filtered page of 26 is pushed down: the ERP returns that page, not the whole set', async () => {
    const correlationId = `odata-pushdown-${Date.now()}`;
    const { status, body } = await get(
      "Invoices?$filter=CustomerNumber eq 'C00007' and Total gt 0&$top=26&$count=true",
      { ...sales, 'x-correlation-id': correlationId },
    );
    expect(status).toBe(200);
    for (const row of body.value) expect(row.CustomerNumber).toBe('C00007');
    const stats = (await (await fetch(`${stack.erpEmulatorUrl}/__emulator/stats`)).json()) as {
      recent: { path: string; correlationId: string | null; rows?: { returned: number } }[];
    };
    const reads = stats.recent.filter(
      (request) => request.correlationId === correlationId && request.path.includes('salesInvoices'),
    );
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.some((request) => decodeURIComponent(request.path).includes('C00007'))).toBe(true);
    const returned = reads.reduce((sum, request) => sum + (request.rows?.returned ?? 0), 0);
    expect(returned).toBeLessThanOrEqual(26 + 1);
    const all = await get('Invoices/$count');
    expect(Number(all.text)).toBeGreaterThan(returned);
  });

  it('deep pages: $skip costs 1 per skipped row, so a full page can start about 30,000 rows deep (README)', async () => {
    const shallow = await get('Customers?$skip=30000&$top=2000');
    expect(shallow.status, shallow.text).toBe(200);
    expect(shallow.body.value).toEqual([]);
    const deep = await get('Customers?$skip=50000&$top=2000');
    expect(deep.status).toBe(400);
    expect(deep.body.error.code).toBe('COST_LIMIT_EXCEEDED');
    // A narrow page goes deeper.
    expect((await get('Invoices?$skip=45000&$top=100&$select=Number')).status).toBe(200);
  });

  it('bad requests are OData errors, never HTML or a 500', async () => {
    for (const [path, status] of [
      ["Invoices?$filter=Total gt 'x'", 400],
      ['Invoices?$filter=Total gt', 400],
      ['Invoices?$expand=Lines', 501],
      ['Nope', 404],
      ['Invoices?$orderby=Nope', 400],
    ] as const) {
      const { res, body } = await get(path);
      expect(res.status, path).toBe(status);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
      expect(Object.keys(body), path).toEqual(['error']);
    }
  });
});
