// The OData bridge at volume, end to end, against the ERP emulator seeded larger (600 accounts:
// about 2,300 sales orders and 6,800 order lines, more orders than one query could once read):
// - SalesOrderLines as Salesforce Connect asks for them: `$count=true&$top=26` (Request Row
//   Counts on), `/$count`, and a full listing by next links past page 3;
// - an `in` of 1,000 values without $top, paged by the server;
// - a partner whose scope is the documented maximum of 1,000 customers: a key lookup, an equality
//   on its customer, a full listing, over OData and GraphQL.
// Every answer is compared with the emulator's own data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type InProcessStack } from '../../stack/in-process.js';
import { odataClient } from './support/odata-client.js';
import { rawErp, textOrNull, type RawRow } from './support/raw-erp.js';

let stack: InProcessStack;
let sales: Record<string, string>;
let lines: Array<{
  OrderNumber: string;
  Sequence: number;
  CustomerNumber: string;
  ItemNumber: string;
  Quantity: number;
  UnitPrice: number;
  Currency: string;
}>;
let invoices: Array<{ Number: string; CustomerNumber: string; OrderNumber: string | null }>;
let customerNumbers: string[];

beforeAll(async () => {
  stack = await startStack({ seedAccounts: 600, gatewayEnv: { PERSISTED_OPERATIONS_REQUIRED_ROLES: 'none' } });
  sales = { authorization: `Bearer ${await stack.token({ role: 'sales' })}` };
  const erp = await rawErp(stack.erpEmulatorUrl);
  const orders = await erp.rows('salesOrders');
  lines = orders
    .flatMap((o) =>
      (o.salesOrderLines as RawRow[]).map((l) => ({
        OrderNumber: o.number as string,
        Sequence: l.sequence as number,
        CustomerNumber: o.customerNumber as string,
        ItemNumber: l.lineObjectNumber as string,
        Quantity: l.quantity as number,
        UnitPrice: l.unitPrice as number,
        Currency: o.currencyCode as string,
      })),
    )
    .sort((a, b) => (a.OrderNumber < b.OrderNumber ? -1 : a.OrderNumber > b.OrderNumber ? 1 : a.Sequence - b.Sequence));
  invoices = (await erp.rows('salesInvoices'))
    .map((i) => ({
      Number: i.number as string,
      CustomerNumber: i.customerNumber as string,
      OrderNumber: textOrNull(i.orderNumber),
    }))
    .sort((a, b) => (a.Number < b.Number ? -1 : 1));
  customerNumbers = (await erp.rows('customers')).map((c) => c.number as string).sort();
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

const root = () => `${stack.gatewayUrl}/odata/v4/`;

const { get, follow } = odataClient(root, () => sales);

describe('SalesOrderLines at volume (read as lines, not through their orders)', () => {
  it('the dataset has more orders than one query could read through them, and more than three pages of lines', () => {
    expect(new Set(lines.map((line) => line.OrderNumber)).size).toBeGreaterThan(2_000);
    expect(lines.length).toBeGreaterThan(3 * 2_000);
  });

  it("$count=true&$top=26 (Salesforce's list view with Request Row Counts): the count and the first 26 lines", async () => {
    const { status, body, text } = await get(
      'SalesOrderLines?$count=true&$top=26&$select=OrderNumber,Sequence,CustomerNumber,ItemNumber,Quantity,UnitPrice,Currency',
    );
    expect(status, text.slice(0, 500)).toBe(200);
    expect(body['@odata.count']).toBe(lines.length);
    expect(body.value).toEqual(lines.slice(0, 26));
  });

  it('/$count', async () => {
    const { status, text } = await get('SalesOrderLines/$count');
    expect(status, text).toBe(200);
    expect(Number(text)).toBe(lines.length);
  });

  it('a full listing without count, by next links, past page 3: every line exactly once, in key order', async () => {
    const pages = await follow('SalesOrderLines?$select=OrderNumber,Sequence');
    expect(pages.length).toBeGreaterThan(3);
    const served = pages.flatMap((page) => page.value.map((row: any) => `${row.OrderNumber}/${row.Sequence}`));
    expect(served).toEqual(lines.map((line) => `${line.OrderNumber}/${line.Sequence}`));
  });

  it('sorted by what the line collection does not serve (unit price) over every line: 400 naming the budget, not a 5xx', async () => {
    const { status, body } = await get('SalesOrderLines?$orderby=UnitPrice desc&$top=5');
    expect(status).toBe(400);
    expect(body.error.code).toBe('BAD_USER_INPUT');
    expect(body.error.message).toMatch(
      /reads every row its filter may match \(6,\d{3}\) to sort it, .* over the ERP read budget of 10,000 rows per query; narrow the filter/,
    );
  });

  it("one customer's lines with their count, sorted by a line property", async () => {
    const customer = lines[lines.length >> 1]!.CustomerNumber;
    const expected = lines
      .filter((line) => line.CustomerNumber === customer)
      .sort(
        (a, b) =>
          b.Quantity - a.Quantity ||
          (a.OrderNumber < b.OrderNumber ? -1 : a.OrderNumber > b.OrderNumber ? 1 : a.Sequence - b.Sequence),
      );
    const { status, body, text } = await get(
      `SalesOrderLines?$count=true&$filter=CustomerNumber eq '${customer}'&$orderby=Quantity desc&$select=OrderNumber,Sequence`,
    );
    expect(status, text.slice(0, 500)).toBe(200);
    expect(body['@odata.count']).toBe(expected.length);
    expect(body.value.map((row: any) => `${row.OrderNumber}/${row.Sequence}`)).toEqual(
      expected.map((line) => `${line.OrderNumber}/${line.Sequence}`),
    );
  });
});

describe('an in of 1,000 values without $top: server-driven paging', () => {
  it('on the key: every listed invoice, and the ones that do not exist left out', async () => {
    const wanted = [
      ...invoices
        .filter((_, i) => i % 2 === 0)
        .slice(0, 800)
        .map((i) => i.Number),
      ...Array.from({ length: 200 }, (_, i) => `NO-${i}`),
    ];
    const pages = await follow(
      `Invoices?$select=Number&$count=true&$filter=${encodeURIComponent(`Number in (${wanted.map((n) => `'${n}'`).join(',')})`)}`,
    );
    const served = pages.flatMap((page) => page.value.map((row: any) => row.Number));
    const set = new Set(wanted);
    expect(pages[0]['@odata.count']).toBe(invoices.filter((i) => set.has(i.Number)).length);
    expect(served).toEqual(invoices.filter((i) => set.has(i.Number)).map((i) => i.Number));
  });

  it('on the customer: every invoice of 1,000 listed customers (600 of them real), page after page', async () => {
    const wanted = [
      ...customerNumbers,
      ...Array.from({ length: 1000 - customerNumbers.length }, (_, i) => `Z${String(i).padStart(5, '0')}`),
    ];
    expect(wanted).toHaveLength(1000);
    // Pages of 150 (Prefer: odata.maxpagesize): the later ones lie deep in every one of the ten requests.
    const pages = await follow(
      `Invoices?$select=Number&$filter=${encodeURIComponent(`CustomerNumber in (${wanted.map((n) => `'${n}'`).join(',')})`)}`,
      { ...sales, prefer: 'odata.maxpagesize=150' },
    );
    expect(pages.length).toBeGreaterThan(5);
    expect(pages.flatMap((page) => page.value.map((row: any) => row.Number))).toEqual(invoices.map((i) => i.Number));
  });
});

describe('a partner with the documented maximum scope: 1,000 customers of 20 characters', () => {
  let partner: Record<string, string>;
  let scope: string[];

  beforeAll(async () => {
    // Half of the real customers, and 20-character numbers up to 1,000 (a 31 KB token).
    const real = customerNumbers.filter((_, i) => i % 2 === 0);
    scope = [...real, ...Array.from({ length: 1000 - real.length }, (_, i) => `P${String(i).padStart(19, '0')}`)];
    partner = {
      authorization: `Bearer ${await stack.token({ role: 'partner', partnerId: 'P-WIDE', customers: scope })}`,
    };
  });

  it('reads its own customer by key, and not another', async () => {
    const own = scope[3]!;
    const { status, body, text } = await get(`Customers('${own}')?$select=CustomerNumber`, partner);
    expect(status, text).toBe(200);
    expect(body.CustomerNumber).toBe(own);
    const other = customerNumbers.find((c) => !scope.includes(c))!;
    expect((await get(`Customers('${other}')`, partner)).status).toBe(404);
  });

  it("an equality on its customer: that customer's invoices with the count", async () => {
    const own = scope[5]!;
    const expected = invoices.filter((i) => i.CustomerNumber === own);
    const { status, body, text } = await get(
      `Invoices?$filter=CustomerNumber eq '${own}'&$count=true&$top=26&$select=Number`,
      partner,
    );
    expect(status, text).toBe(200);
    expect(body['@odata.count']).toBe(expected.length);
    expect(body.value.map((row: any) => row.Number)).toEqual(expected.slice(0, 26).map((i) => i.Number));
  });

  it('a full listing of its invoices and order lines: every row of its scope, page after page', async () => {
    const inScope = new Set(scope);
    // Salesforce's own page size (2,000 rows, ten requests of its scope), then pages of 100.
    const whole = await follow('Invoices?$select=Number', partner);
    expect(whole.flatMap((page) => page.value.map((row: any) => row.Number))).toEqual(
      invoices.filter((i) => inScope.has(i.CustomerNumber)).map((i) => i.Number),
    );
    const pages = await follow('Invoices?$select=Number&$count=true', { ...partner, prefer: 'odata.maxpagesize=100' });
    expect(pages.length).toBeGreaterThan(3);
    expect(pages[0]['@odata.count']).toBe(invoices.filter((i) => inScope.has(i.CustomerNumber)).length);
    expect(pages.flatMap((page) => page.value.map((row: any) => row.Number))).toEqual(
      invoices.filter((i) => inScope.has(i.CustomerNumber)).map((i) => i.Number),
    );
    const linePages = await follow('SalesOrderLines?$select=OrderNumber,Sequence&$count=true', partner);
    const own = lines.filter((line) => inScope.has(line.CustomerNumber));
    expect(linePages[0]['@odata.count']).toBe(own.length);
    expect(linePages.flatMap((page) => page.value.map((row: any) => `${row.OrderNumber}/${row.Sequence}`))).toEqual(
      own.map((line) => `${line.OrderNumber}/${line.Sequence}`),
    );
  });

  it('$search over its whole scope (ten lists of customers times three searched fields), with the count', async () => {
    const inScope = new Set(scope);
    const term = scope[9]!.slice(-3);
    const expected = invoices.filter(
      (i) =>
        inScope.has(i.CustomerNumber) &&
        [i.Number, i.CustomerNumber, i.OrderNumber ?? ''].some((t) => t.toLowerCase().includes(term.toLowerCase())),
    );
    expect(expected.length).toBeGreaterThan(0);
    const { status, body, text } = await get(`Invoices?$search=${term}&$count=true&$top=26&$select=Number`, partner);
    expect(status, text).toBe(200);
    expect(body['@odata.count']).toBe(expected.length);
    expect(body.value.map((row: any) => row.Number)).toEqual(expected.slice(0, 26).map((i) => i.Number));
  });

  it('GraphQL too: the customer by number, and a counted page', async () => {
    const own = scope[7]!;
    const res = await fetch(`${stack.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { ...partner, 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `{ customers(first: 3, where: { field: "number", op: EQ, value: "${own}" }) { totalCount nodes { number } } invoices(first: 5) { totalCount } }`,
      }),
    });
    const body = (await res.json()) as any;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.customers).toEqual({ totalCount: 1, nodes: [{ number: own }] });
    const inScope = new Set(scope);
    expect(body.data.invoices.totalCount).toBe(invoices.filter((i) => inScope.has(i.CustomerNumber)).length);
  });
});
