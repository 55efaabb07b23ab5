// How big a request's URL and headers may be (lib/http-server.ts): large enough for what the product
// documents (a partner's 1,000-customer token, its forwarded identity, an OData `in` list of 1,000
// keys), and above the limit a JSON error in the shape of the route, never Node's bare 431.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REQUEST_HEAD_BYTES } from '../../lib/http-server.js';
import { startStack, type InProcessStack } from '../../stack/in-process.js';

let stack: InProcessStack;
let sales: Record<string, string>;

beforeAll(async () => {
  // Partners may send ad-hoc operations here: the test is about the size of what they send.
  stack = await startStack({ seedAccounts: 20, gatewayEnv: { PERSISTED_OPERATIONS_REQUIRED_ROLES: 'none' } });
  sales = { authorization: `Bearer ${await stack.token({ role: 'sales' })}` };
});
afterAll(async () => {
  await stack?.close();
});

async function send(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? (JSON.parse(text) as any) : null };
}

const invoiceList = (count: number, width = 9) =>
  Array.from({ length: count }, (_, i) => `'SI-${String(100_000 + i).padEnd(width - 3, '0')}'`).join(',');

describe('request heads up to the limit are served', () => {
  it('an OData filter listing 1,000 invoice numbers (about 22 KB of URL) is answered, not 431', async () => {
    const url = `${stack.gatewayUrl}/odata/v4/Invoices?$select=Number&$top=26&$filter=${encodeURIComponent(`Number in (${invoiceList(1000, 16)})`)}`;
    expect(url.length).toBeGreaterThan(16 * 1024);
    const { status, body } = await send(url, { headers: sales });
    expect(status, JSON.stringify(body)).toBe(200);
  });

  it('a bearer token of 31 KB (a partner with 1,000 customer numbers of 20 characters) gets through to GraphQL and OData', async () => {
    const customers = ['C00001', ...Array.from({ length: 999 }, (_, i) => `Z${String(i).padStart(19, '0')}`)];
    const token = await stack.token({ role: 'partner', partnerId: 'P-WIDE', customers });
    expect(token.length).toBeGreaterThan(30_000);
    const headers = { authorization: `Bearer ${token}` };
    const odata = await send(`${stack.gatewayUrl}/odata/v4/Customers('C00001')?$select=CustomerNumber`, { headers });
    expect(odata.status, odata.text).toBe(200);
    expect(odata.body.CustomerNumber).toBe('C00001');
    // The same identity forwarded to the ERP subgraph (x-c360-identity, as large again) is accepted there.
    const graphql = await send(`${stack.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ customers(first: 5) { totalCount nodes { number } } }' }),
    });
    expect(graphql.status, graphql.text).toBe(200);
    expect(graphql.body.errors).toBeUndefined();
    expect(graphql.body.data.customers.nodes.map((node: any) => node.number)).toEqual(['C00001']);
  });
});

describe("over the limit: a JSON error in the route's shape", () => {
  it('/odata: an OData error with OData-Version 4.0', async () => {
    const url = `${stack.gatewayUrl}/odata/v4/Invoices?$filter=${encodeURIComponent(`Number in (${invoiceList(4000, 12)})`)}`;
    expect(url.length).toBeGreaterThan(MAX_REQUEST_HEAD_BYTES);
    const { status, headers, body } = await send(url, { headers: sales });
    expect(status).toBe(431);
    expect(headers.get('odata-version')).toBe('4.0');
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error.code).toBe('REQUEST_HEADERS_TOO_LARGE');
    expect(body.error.message).toMatch(/larger than 64 KiB/);
  });

  it('/graphql: a GraphQL error body', async () => {
    const { status, body } = await send(`${stack.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${'x'.repeat(MAX_REQUEST_HEAD_BYTES)}`, 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    expect(status).toBe(431);
    expect(body.errors[0].extensions.code).toBe('REQUEST_HEADERS_TOO_LARGE');
  });

  it("far over it (past the HTTP parser's own limit): still JSON, readable as either shape", async () => {
    const { status, headers, body } = await send(
      `${stack.gatewayUrl}/odata/v4/Invoices?x=${'a'.repeat(3 * MAX_REQUEST_HEAD_BYTES)}`,
      { headers: sales },
    );
    expect(status).toBe(431);
    expect(headers.get('odata-version')).toBe('4.0');
    expect(body.error.code).toBe('REQUEST_HEADERS_TOO_LARGE');
    expect(body.errors[0].extensions.code).toBe('REQUEST_HEADERS_TOO_LARGE');
  });

  it('a subgraph answers an oversized head the same way', async () => {
    const { status, body } = await send(`${stack.erpSubgraphUrl}/graphql`, {
      method: 'POST',
      headers: { 'x-c360-identity': 'x'.repeat(MAX_REQUEST_HEAD_BYTES), 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    expect(status).toBe(431);
    expect(body.errors[0].extensions.code).toBe('REQUEST_HEADERS_TOO_LARGE');
  });
});
