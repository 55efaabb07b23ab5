// The OData router over HTTP, with the graph faked (test/odata/support/fake-graph.ts validates every
// operation against the real supergraph and evaluates it in memory): documents, query options,
// paging by next links, key lookups, counts, partner scope, and the shape of every error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers, INVOICE_COUNT, invoices } from './support/fake-graph.js';
import { startBridge, type Bridge } from './support/bridge.js';

let bridge: Bridge;

beforeAll(async () => {
  bridge = await startBridge();
});
afterAll(async () => {
  await bridge?.close();
});

async function json(path: string, headers?: Record<string, string>) {
  const res = await bridge.get(path, headers);
  const text = await res.text();
  return { res, status: res.status, body: JSON.parse(text) as any };
}

async function expectOdataError(path: string, status: number, code: string, headers?: Record<string, string>) {
  const { res, body } = await json(path, headers);
  expect(res.status).toBe(status);
  expect(res.headers.get('odata-version')).toBe('4.0');
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  return body.error as { code: string; message: string; target?: string };
}

const lastOperation = () => bridge.graph.operations.at(-1)!;

describe('documents', () => {
  it('serves the service document at the root, with and without a trailing slash', async () => {
    for (const path of ['', `${bridge.server.url}/odata/v4`]) {
      const { res, body } = await json(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('odata-version')).toBe('4.0');
      expect(body['@odata.context']).toBe(`${bridge.root}$metadata`);
      expect(body.value.map((set: any) => set.name)).toEqual([
        'Customers',
        'Invoices',
        'SalesOrders',
        'SalesOrderLines',
        'Shipments',
        'Products',
      ]);
      expect(body.value[1]).toEqual({ name: 'Invoices', kind: 'EntitySet', url: 'Invoices' });
    }
  });

  it('serves $metadata as XML with OData-Version 4.0', async () => {
    const res = await bridge.get('$metadata');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(res.headers.get('odata-version')).toBe('4.0');
    expect(await res.text()).toContain('<EntitySet Name="Invoices" EntityType="Customer360.Invoice">');
  });
});

describe('collections', () => {
  it('lists an entity set: context, typed values, no next link for a short set', async () => {
    const { res, body } = await json('Invoices');
    expect(res.status).toBe(200);
    expect(res.headers.get('odata-version')).toBe('4.0');
    expect(res.headers.get('content-type')).toBe('application/json;odata.metadata=minimal;IEEE754Compatible=false');
    expect(body['@odata.context']).toBe(`${bridge.root}$metadata#Invoices`);
    expect(body.value).toHaveLength(INVOICE_COUNT);
    expect(body['@odata.nextLink']).toBeUndefined();
    expect(body['@odata.count']).toBeUndefined();
    const first = invoices[0]!;
    expect(body.value[0]).toEqual({
      Number: first.number,
      CustomerNumber: first.customerNumber,
      OrderNumber: first.orderNumber,
      InvoiceDate: first.invoiceDate,
      DueDate: first.dueDate,
      Status: first.status,
      Currency: first.total.currency,
      Total: Number(first.total.amount),
      Remaining: Number(first.remaining.amount),
      IsOverdue: first.isOverdue,
      DaysOverdue: first.daysOverdue,
      AsOf: first.asOf,
      Stale: false,
    });
    // No count asked: the ERP is not asked to count.
    expect(lastOperation().query).not.toContain('totalCount');
  });

  it('$select: only those properties (and the key) are selected from the graph and served', async () => {
    const { body } = await json('Invoices?$select=Total,Status&$top=2');
    expect(body['@odata.context']).toBe(`${bridge.root}$metadata#Invoices(Number,Status,Total)`);
    expect(Object.keys(body.value[0])).toEqual(['Number', 'Status', 'Total']);
    const { query } = lastOperation();
    expect(query).toContain('nodes { number status total { amount } }');
    expect(query).not.toContain('dueDate');
    const all = await json('Invoices?$select=*&$top=1');
    expect(Object.keys(all.body.value[0])).toHaveLength(13);
  });

  it('$count=true adds @odata.count (the whole filtered set); $count=false does not ask for it', async () => {
    const { body } = await json("Invoices?$count=true&$top=3&$filter=Currency eq 'EUR'");
    const eur = invoices.filter((invoice) => invoice.total.currency === 'EUR');
    expect(body['@odata.count']).toBe(eur.length);
    expect(body.value).toHaveLength(3);
    expect(lastOperation().query).toContain('totalCount');
    const { body: without } = await json('Invoices?$count=false&$top=3');
    expect(without['@odata.count']).toBeUndefined();
    expect(lastOperation().query).not.toContain('totalCount');
  });

  it('/$count answers the number as text, ignoring $top and $skip', async () => {
    const res = await bridge.get("Invoices/$count?$filter=Currency eq 'EUR'&$top=1&$skip=2");
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.headers.get('odata-version')).toBe('4.0');
    expect(await res.text()).toBe(String(invoices.filter((invoice) => invoice.total.currency === 'EUR').length));
    expect(lastOperation().query).not.toContain('nodes');
  });

  it('$top, $skip and $orderby on several properties (the key breaks ties)', async () => {
    const { body } = await json('Invoices?$orderby=Currency desc,Total asc&$skip=5&$top=7&$select=Number');
    const expected = [...invoices]
      .sort((a, b) =>
        a.total.currency !== b.total.currency
          ? a.total.currency < b.total.currency
            ? 1
            : -1
          : Number(a.total.amount) - Number(b.total.amount) || (a.number < b.number ? -1 : 1),
      )
      .slice(5, 12)
      .map((invoice) => invoice.number);
    expect(body.value.map((row: any) => row.Number)).toEqual(expected);
    expect(lastOperation().variables).toMatchObject({
      orderBy: [
        { field: 'currency', descending: true },
        { field: 'total', descending: false },
      ],
      first: 7,
      skip: 5,
    });
  });

  it('$filter is pushed down as the row query where argument', async () => {
    const { body } = await json("Invoices?$filter=CustomerNumber eq 'C00003' and Total ge 100&$select=Number");
    const expected = invoices
      .filter((invoice) => invoice.customerNumber === 'C00003' && Number(invoice.total.amount) >= 100)
      .map((invoice) => invoice.number);
    expect(body.value.map((row: any) => row.Number)).toEqual(expected);
    expect(lastOperation().variables.where).toEqual({
      and: [
        { field: 'customerNumber', op: 'EQ', value: 'C00003' },
        { field: 'total', op: 'GE', value: '100' },
      ],
    });
  });

  it("Salesforce's search filter and $search", async () => {
    const { body } = await json(
      "Customers?$select=Name,Phone,CustomerNumber&$count=true&$filter=contains(Name,'Acme') eq true or contains(Phone,'Acme') eq true&$top=25",
    );
    const acme = customers.filter((customer) => customer.name.includes('Acme'));
    expect(body['@odata.count']).toBe(acme.length);
    expect(body.value.map((row: any) => row.Name)).toEqual(acme.map((customer) => customer.name));
    const searched = await json('Customers?$search=acme&$select=Name');
    expect(searched.body.value.map((row: any) => row.Name)).toEqual(acme.map((customer) => customer.name));
    expect(lastOperation().variables.search).toBe('acme');
    const phrase = await json('Customers?$search="Acme Tools"&$select=Name');
    expect(phrase.body.value.map((row: any) => row.Name)).toEqual(
      acme.filter((c) => c.name.startsWith('Acme Tools')).map((c) => c.name),
    );
  });

  it('+ and %20 both decode as spaces; %2B stays a plus', async () => {
    const plus = await json("Invoices?$filter=CustomerNumber+eq+'C00001'&$select=Number");
    const encoded = await json("Invoices?$filter=CustomerNumber%20eq%20'C00001'&$select=Number");
    expect(plus.status).toBe(200);
    expect(plus.body.value.length).toBeGreaterThan(0);
    expect(plus.body.value).toEqual(encoded.body.value);
    await json("Customers?$filter=Name eq 'a%2Bb'");
    expect(lastOperation().variables.where).toEqual({ field: 'name', op: 'EQ', value: 'a+b' });
  });

  it('a filter that can match nothing is answered without asking the ERP', async () => {
    const before = bridge.graph.operations.length;
    const { body } = await json("Invoices?$filter=Status eq 'no such status'&$count=true");
    expect(body).toMatchObject({ '@odata.count': 0, value: [] });
    expect(bridge.graph.operations.length).toBe(before);
  });

  it('IEEE754Compatible=true serves decimals as strings', async () => {
    const { res, body } = await json('Invoices?$top=1&$select=Total', {
      accept: 'application/json;IEEE754Compatible=true',
    });
    expect(res.headers.get('content-type')).toContain('IEEE754Compatible=true');
    expect(body.value[0].Total).toBe(invoices[0]!.total.amount);
  });
});

describe('server-driven paging', () => {
  async function follow(first: string, headers?: Record<string, string>) {
    const pages: any[] = [];
    let next: string | undefined = first;
    while (next) {
      const { status, body } = await json(next, headers);
      expect(status).toBe(200);
      pages.push(body);
      next = body['@odata.nextLink'];
      if (next) expect(next.startsWith(bridge.root)).toBe(true);
      expect(pages.length).toBeLessThan(100);
    }
    return pages;
  }

  it('following next links returns every row exactly once, in order', async () => {
    const whole = (await json('Invoices?$select=Number&$orderby=Total desc')).body.value.map((row: any) => row.Number);
    const pages = await follow('Invoices?$select=Number&$orderby=Total desc&$count=true', {
      prefer: 'odata.maxpagesize=10',
    });
    expect(pages.map((page) => page.value.length)).toEqual([...Array(13).fill(10), 7]);
    const rows = pages.flatMap((page) => page.value.map((row: any) => row.Number));
    expect(rows).toEqual(whole);
    expect(new Set(rows).size).toBe(INVOICE_COUNT);
    for (const page of pages) expect(page['@odata.count']).toBe(INVOICE_COUNT);
  });

  it('says which page size it applied', async () => {
    const res = await bridge.get('Invoices?$top=3', { prefer: 'odata.maxpagesize=2' });
    expect(res.headers.get('preference-applied')).toBe('odata.maxpagesize=2');
    const none = await bridge.get('Invoices?$top=3');
    expect(none.headers.get('preference-applied')).toBeNull();
  });

  it('pages within $top and $skip: next links carry the remaining $top and an opaque $skiptoken', async () => {
    const pages = await follow("Invoices?$filter=Currency eq 'USD'&$skip=4&$top=25&$select=Number", {
      prefer: 'odata.maxpagesize=10',
    });
    expect(pages.map((page) => page.value.length)).toEqual([10, 10, 5]);
    const usd = invoices.filter((invoice) => invoice.total.currency === 'USD').map((invoice) => invoice.number);
    expect(pages.flatMap((page) => page.value.map((row: any) => row.Number))).toEqual(usd.slice(4, 29));
    const link = new URL(pages[0]['@odata.nextLink']);
    expect(link.searchParams.get('$top')).toBe('15');
    expect(link.searchParams.get('$skip')).toBeNull();
    expect(link.searchParams.get('$filter')).toBe("Currency eq 'USD'");
    expect(link.searchParams.get('$skiptoken')).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(link.searchParams.get('$skiptoken')).not.toContain('14');
  });

  it('pages of at most 2,000 rows whatever $top asks', async () => {
    const capped = await startBridge({ maxPageSize: 5000 });
    try {
      await capped.get('Invoices?$top=5000');
      expect(capped.graph.operations.at(-1)!.variables.first).toBe(2000);
    } finally {
      await capped.close();
    }
  });

  it('refuses a $skiptoken of another query, or not ours, with 400', async () => {
    const { body } = await json("Invoices?$filter=Currency eq 'USD'&$select=Number", {
      prefer: 'odata.maxpagesize=10',
    });
    const token = new URL(body['@odata.nextLink']).searchParams.get('$skiptoken')!;
    const other = await expectOdataError(
      `Invoices?$filter=Currency eq 'EUR'&$skiptoken=${token}`,
      400,
      'BAD_USER_INPUT',
    );
    expect(other.message).toMatch(/another query/);
    expect(other.target).toBe('$skiptoken');
    await expectOdataError('Invoices?$skiptoken=10447', 400, 'BAD_USER_INPUT');
    await expectOdataError(`Invoices?$skiptoken=${token.slice(0, -2)}`, 400, 'BAD_USER_INPUT');
    // The same query with another $select or $top is the same row sequence: the token is good.
    const res = await bridge.get(`Invoices?$filter=Currency eq 'USD'&$select=Number,Total&$top=3&$skiptoken=${token}`);
    expect(res.status).toBe(200);
  });

  it('builds next links on ODATA_PUBLIC_URL when configured', async () => {
    const proxied = await startBridge({ publicUrl: 'https://c360.example.com/odata/v4' });
    try {
      const res = await proxied.get('Invoices?$select=Number', { prefer: 'odata.maxpagesize=5' });
      const body = (await res.json()) as any;
      expect(body['@odata.context']).toBe('https://c360.example.com/odata/v4/$metadata#Invoices(Number)');
      expect(body['@odata.nextLink']).toMatch(
        /^https:\/\/c360\.example\.com\/odata\/v4\/Invoices\?\$select=Number&\$skiptoken=/,
      );
    } finally {
      await proxied.close();
    }
  });
});

describe('single entities by key', () => {
  it("Invoices('X') and Invoices(Number='X')", async () => {
    const invoice = invoices[4]!;
    for (const path of [
      `Invoices('${invoice.number}')`,
      `Invoices(Number='${invoice.number}')`,
      `Invoices(Number=%27${invoice.number}%27)`,
    ]) {
      const { status, body } = await json(path);
      expect(status).toBe(200);
      expect(body['@odata.context']).toBe(`${bridge.root}$metadata#Invoices/$entity`);
      expect(body.Number).toBe(invoice.number);
      expect(body.Total).toBe(Number(invoice.total.amount));
    }
    expect(lastOperation().variables).toMatchObject({
      where: { field: 'number', op: 'EQ', value: invoice.number },
      first: 1,
    });
    const { body } = await json(`Invoices('${invoice.number}')?$select=Status`);
    expect(body).toEqual({
      '@odata.context': `${bridge.root}$metadata#Invoices(Number,Status)/$entity`,
      Number: invoice.number,
      Status: invoice.status,
    });
  });

  it('composite keys by name', async () => {
    const { status, body } = await json("SalesOrderLines(OrderNumber='SO-000002',Sequence=20000)");
    expect(status).toBe(200);
    expect(body).toMatchObject({ OrderNumber: 'SO-000002', Sequence: 20000, UnitPrice: 12.34567, Quantity: 2.5 });
    await expectOdataError("SalesOrderLines('SO-000002')", 400, 'BAD_USER_INPUT');
    await expectOdataError("SalesOrderLines(OrderNumber='SO-000002')", 400, 'BAD_USER_INPUT');
    await expectOdataError("SalesOrderLines(OrderNumber='SO-000002',Sequence='x')", 400, 'BAD_USER_INPUT');
  });

  it('404 as an OData error when there is no such entity', async () => {
    const error = await expectOdataError("Invoices('NOPE')", 404, 'NOT_FOUND');
    expect(error.message).toBe("Invoices(Number='NOPE') does not exist.");
    await expectOdataError('Invoices(Nope=1)', 400, 'BAD_USER_INPUT');
    await expectOdataError("Invoices('a'", 400, 'BAD_USER_INPUT');
    await expectOdataError('Invoices(1)', 400, 'BAD_USER_INPUT');
  });
});

describe('access', () => {
  const partner = { authorization: 'Bearer partner:C00001,C00002' };

  it('401 with WWW-Authenticate: Bearer without credentials, on every resource', async () => {
    for (const path of ['', '$metadata', 'Invoices', "Invoices('INV-00001')"]) {
      const res = await fetch(`${bridge.root}${path}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.headers.get('odata-version')).toBe('4.0');
      expect(((await res.json()) as any).error.code).toBe('UNAUTHENTICATED');
    }
  });

  it("a partner sees only its own customers' rows, and 404 for another's", async () => {
    const { body } = await json('Invoices?$count=true&$select=CustomerNumber', partner);
    expect(new Set(body.value.map((row: any) => row.CustomerNumber))).toEqual(new Set(['C00001', 'C00002']));
    expect(body['@odata.count']).toBe(invoices.filter((i) => ['C00001', 'C00002'].includes(i.customerNumber)).length);
    const mine = invoices.find((invoice) => invoice.customerNumber === 'C00001')!;
    const theirs = invoices.find((invoice) => invoice.customerNumber === 'C00003')!;
    expect((await bridge.get(`Invoices('${mine.number}')`, partner)).status).toBe(200);
    await expectOdataError(`Invoices('${theirs.number}')`, 404, 'NOT_FOUND', partner);
  });

  it('a partner gets null for the credit internals, which are not even asked of the graph', async () => {
    const { body } = await json("Customers('C00001')", partner);
    expect(body.CreditLimit).toBeNull();
    expect(body.Balance).toBeNull();
    expect(body.HoldReason).toBeNull();
    expect(body.OnHold).toBe(false);
    expect(body.PaymentTermsCode).toBe('30D');
    const { query } = lastOperation();
    expect(query).not.toMatch(/limit|balance|openOrderExposure|available|overdue|holdReason/);
    expect(query).toContain('onHold');
    const sales = await json("Customers('C00001')");
    expect(sales.body.CreditLimit).toBe(1000);
    await expectOdataError('Customers?$orderby=CreditLimit', 403, 'FORBIDDEN', partner);
    await expectOdataError('Customers?$orderby=CreditLimit', 400, 'BAD_USER_INPUT');
  });

  it("a partner gets null for Blocked (the hold reason's source), and may neither filter nor sort by it", async () => {
    const { status, body } = await json('Customers?$select=CustomerNumber,Blocked', partner);
    expect(status).toBe(200);
    expect(body.value.map((row: any) => row.CustomerNumber)).toEqual(['C00001', 'C00002']);
    for (const row of body.value) expect(row).toEqual({ CustomerNumber: row.CustomerNumber, Blocked: null });
    expect(lastOperation().query).not.toContain('blocked');
    for (const path of [
      "Customers?$filter=Blocked eq 'ALL'",
      "Customers?$filter=Blocked ne 'NONE'&$select=CustomerNumber",
      'Customers?$orderby=Blocked desc',
    ]) {
      const error = await expectOdataError(path, 403, 'FORBIDDEN', partner);
      expect(error.message).toContain('Blocked');
    }
    // Other roles read, filter and sort by it.
    const sales = await json("Customers?$select=CustomerNumber,Blocked&$filter=Blocked eq 'SHIP'&$orderby=Blocked");
    expect(sales.status).toBe(200);
    expect(sales.body.value.length).toBeGreaterThan(0);
    for (const row of sales.body.value) expect(row.Blocked).toBe('SHIP');
  });
});

describe('errors are OData JSON with the right status, never HTML or a 500 for a bad request', () => {
  it.each([
    ['Invoices?$expand=Lines', 501, 'NOT_IMPLEMENTED'],
    ['Invoices?$apply=groupby((Status))', 501, 'NOT_IMPLEMENTED'],
    ['Invoices?$compute=Total mul 2 as Double', 501, 'NOT_IMPLEMENTED'],
    ['Invoices?$filter=Lines/any(l:l/Quantity gt 1)', 501, 'NOT_IMPLEMENTED'],
    ['Invoices?$filter=Total add 1 gt 2', 501, 'NOT_IMPLEMENTED'],
    ['Invoices?$search=a OR b', 501, 'NOT_IMPLEMENTED'],
    ['Invoices?@p=1', 501, 'NOT_IMPLEMENTED'],
    ['$batch', 501, 'NOT_IMPLEMENTED'],
    ["Invoices('X')/Total", 501, 'NOT_IMPLEMENTED'],
    ['Invoices?$frobnicate=1', 400, 'BAD_USER_INPUT'],
    ['Invoices?$top=-1', 400, 'BAD_USER_INPUT'],
    ['Invoices?$top=ten', 400, 'BAD_USER_INPUT'],
    ['Invoices?$skip=1.5', 400, 'BAD_USER_INPUT'],
    ['Invoices?$count=yes', 400, 'BAD_USER_INPUT'],
    ['Invoices?$top=1&$top=2', 400, 'BAD_USER_INPUT'],
    ['Invoices?$select=Nope', 400, 'BAD_USER_INPUT'],
    ['Invoices?$select=Number,', 400, 'BAD_USER_INPUT'],
    ['Invoices?$orderby=Total up', 400, 'BAD_USER_INPUT'],
    ['Invoices?$orderby=IsOverdue', 400, 'BAD_USER_INPUT'],
    ['Invoices?$filter=%E0%A4%A', 400, 'BAD_USER_INPUT'],
    ["Invoices('X')?$filter=Total gt 1", 400, 'BAD_USER_INPUT'],
    ['Invoices?$format=xml', 406, 'BAD_USER_INPUT'],
    ['Nope', 404, 'NOT_FOUND'],
    ['Nope/$count', 404, 'NOT_FOUND'],
  ])('%s → %i %s', async (path, status, code) => {
    await expectOdataError(path, status, code);
  });

  it('a property the ERP stores but does not sort by is not called computed; a computed one is', async () => {
    expect((await expectOdataError('Customers?$orderby=AddressLine2', 400, 'BAD_USER_INPUT')).message).toMatch(
      /AddressLine2 cannot be sorted on \(it is stored in the ERP but is not one of the fields the ERP filters and sorts by\)/,
    );
    expect((await expectOdataError('Invoices?$orderby=DaysOverdue', 400, 'BAD_USER_INPUT')).message).toMatch(
      /DaysOverdue cannot be sorted on \(it is computed by the graph/,
    );
  });

  it('a malformed $filter is 400 naming the position, and the option as target', async () => {
    const error = await expectOdataError("Invoices?$filter=CustomerNumber eq 'C1' and", 400, 'BAD_USER_INPUT');
    expect(error.message).toMatch(/position 27 \(end of input\)/);
    expect(error.target).toBe('$filter');
  });

  it('405 for writes, with Allow', async () => {
    for (const method of ['POST', 'PATCH', 'PUT', 'DELETE']) {
      const res = await fetch(`${bridge.root}Invoices('X')`, {
        method,
        headers: { authorization: 'Bearer sales', 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect(((await res.json()) as any).error.code).toBe('METHOD_NOT_ALLOWED');
    }
  });

  it("maps the graph's error codes: ERP_UNAVAILABLE 503, BAD_USER_INPUT 400, FORBIDDEN 403, anything else a masked 500", async () => {
    try {
      bridge.graph.failWith({ message: 'The ERP is unavailable.', extensions: { code: 'ERP_UNAVAILABLE' } });
      const unavailable = await expectOdataError('Invoices', 503, 'ERP_UNAVAILABLE');
      expect(unavailable.message).toMatch(/^The ERP is unavailable\. \(correlation id [\w-]+\)$/);
      bridge.graph.failWith({ message: 'Bad value for total.', extensions: { code: 'BAD_USER_INPUT' } });
      expect((await expectOdataError('Invoices', 400, 'BAD_USER_INPUT')).message).toBe('Bad value for total.');
      bridge.graph.failWith({ message: 'Forbidden.', extensions: { code: 'FORBIDDEN' } });
      await expectOdataError("Invoices('X')", 403, 'FORBIDDEN');
      bridge.graph.failWith({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      const masked = await expectOdataError('Invoices/$count', 500, 'INTERNAL_SERVER_ERROR');
      expect(masked.message).toMatch(/^Internal server error \(correlation id/);
    } finally {
      bridge.graph.failWith(null);
    }
  });
});
