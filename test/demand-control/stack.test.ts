// End to end over HTTP, on the in-process stack: operations over a demand-control limit are
// refused with their codes before any subgraph or backend is asked; the first-party operations run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type InProcessStack } from '../../stack/in-process.js';
import { firstPartyOperations } from './supergraph-operations.js';

let stack: InProcessStack;
let token: string;

async function post(query: string, variables?: Record<string, unknown>) {
  const response = await fetch(`${stack.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as {
    data?: unknown;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
  return { status: response.status, ...body };
}

/** API requests both emulators have served: unchanged means no subgraph reached a backend. */
async function backendRequests(): Promise<number> {
  const totals = await Promise.all(
    [stack.salesforceEmulatorUrl, stack.erpEmulatorUrl].map(
      async (url) => ((await (await fetch(`${url}/__emulator/stats`)).json()) as { total: number }).total,
    ),
  );
  return totals[0]! + totals[1]!;
}

beforeAll(async () => {
  stack = await startStack({ seedAccounts: 30 });
  token = await stack.token({ role: 'integration' });
});
afterAll(() => stack?.close());

describe('demand control at the gateway', () => {
  it('runs the customer-360 operation', async () => {
    const customer360 = firstPartyOperations().find(({ file }) => file === 'customer-360.graphql')!;
    const { status, data, errors } = await post(customer360.query, { erp: 'C00001' });
    expect(errors).toBeUndefined();
    expect(status).toBe(200);
    expect(data).toMatchObject({ accountByErpNumber: { credit: expect.any(Object) } });
  });

  it.each([
    [
      'a fan-out over 200 accounts',
      '{ accounts(first: 200) { nodes { orders { lines { itemNumber } } shipments { lines { itemNumber } } openInvoices { number } } } }',
      { code: 'COST_LIMIT_EXCEEDED', limit: 'cost', max: 50_000, actual: 92_201 },
    ],
    [
      'an over-deep operation',
      '{ order(number: "1") { account { orders { account { orders { account { orders { account { orders { account { name } } } } } } } } } } }',
      { code: 'DEPTH_LIMIT_EXCEEDED', limit: 'depth', max: 10, actual: 11 },
    ],
    [
      'alias bombing',
      `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
      { code: 'ALIAS_LIMIT_EXCEEDED', limit: 'aliases', max: 30, actual: 31 },
    ],
    [
      'too many root fields',
      `{ ${Array.from({ length: 11 }, (_, i) => `p${i}: product(number: "${i}") { name }`).join(' ')} }`,
      { code: 'ROOT_FIELD_LIMIT_EXCEEDED', limit: 'rootFields', max: 10, actual: 11 },
    ],
  ])('refuses %s with its code, before any backend call', async (_, query, extensions) => {
    const before = await backendRequests();
    const { status, data, errors } = await post(query);
    expect(status).toBe(400);
    expect(data).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors![0]!.extensions).toEqual(extensions);
    expect(errors![0]!.message).toContain(`maximum of ${extensions.max}`);
    expect(await backendRequests()).toBe(before);
  });

  it('charges a row query for the rows it skips: a deep page is refused for cost', async () => {
    const before = await backendRequests();
    const { status, errors } = await post(
      '{ orders(first: 2000, skip: 46000) { nodes { number total { amount currency } } } }',
    );
    expect(status).toBe(400);
    // orders 10 + 2,000 × (order 1 + total 1) + 46,000 skipped rows × 1: 10 over
    expect(errors![0]!.extensions).toEqual({
      code: 'COST_LIMIT_EXCEEDED',
      limit: 'cost',
      max: 50_000,
      actual: 10 + 2_000 * 2 + 46_000,
    });
    expect(await backendRequests()).toBe(before);
  });

  it('refuses a near-megabyte alias bomb in the parser', async () => {
    const bomb = `{ ${Array.from({ length: 45_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    // Just under the gateway's 1 MB body limit (a larger body is refused with 413 before parsing).
    expect(bomb.length).toBeGreaterThan(800_000);
    const started = performance.now();
    const { status, errors } = await post(bomb);
    expect(status).toBe(400);
    expect(errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('ERP row queries within the ERP read budget (the ERP subgraph, ERP_ROW_READ_BUDGET)', () => {
  const erpReads = async (route: string) => {
    const stats = (await (await fetch(`${stack.erpEmulatorUrl}/__emulator/stats`)).json()) as {
      recent: { route: string; path: string }[];
    };
    return stats.recent
      .filter((request) => request.route === route)
      .map((request) => new URLSearchParams(request.path.split('?')[1] ?? ''));
  };
  const resetErpStats = () => fetch(`${stack.erpEmulatorUrl}/__emulator/stats`, { method: 'DELETE' });

  it('orderLines(first: 1) asks the ERP for one line and its order, not every order', async () => {
    await resetErpStats();
    const { status, data, errors } = await post('{ orderLines(first: 1) { nodes { orderNumber } } }');
    expect(errors).toBeUndefined();
    expect(status).toBe(200);
    expect(data).toMatchObject({ orderLines: { nodes: [{ orderNumber: expect.any(String) }] } });
    expect((await erpReads('GET salesLines')).map((options) => options.get('$top'))).toEqual(['1']);
    expect((await erpReads('GET salesOrders')).map((options) => options.get('$top'))).toEqual(['1']);
  });

  it('a filter needing more ERP requests than one query may make passes the estimate: BAD_USER_INPUT, no ERP request', async () => {
    // Six ORs of two fields each: 2^6 = 64 requests, over the 40 one row query may make.
    const two = (a: string, b: string) => `{ or: [${a}, ${b}] }`;
    const where = `{ and: [
      ${two('{ field: "status", op: EQ, value: "OPEN" }', '{ field: "currency", op: EQ, value: "EUR" }')}
      ${two('{ field: "fullyShipped", op: EQ, value: "false" }', '{ field: "orderDate", op: GE, value: "2026-01-01" }')}
      ${two('{ field: "externalDocumentNumber", op: IS_NULL }', '{ field: "total", op: GT, value: "100" }')}
      ${two('{ field: "requestedDeliveryDate", op: IS_NULL }', '{ field: "totalExcludingTax", op: LT, value: "100000" }')}
      ${two('{ field: "number", op: EQ, value: "SO-100001" }', '{ field: "orderDate", op: LT, value: "2020-01-01" }')}
      ${two('{ field: "customerNumber", op: EQ, value: "C00001" }', '{ field: "total", op: LT, value: "5" }')}
    ] }`;
    await resetErpStats();
    const { data, errors } = await post(
      `{ orders(first: 1, skip: 4998, where: ${where}) { totalCount nodes { number } } }`,
    );
    expect(data ?? null).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(errors![0]!.message).toMatch(
      /combines conditions on different fields with OR in too many ways for the ERP \(at most 40 requests per query\)/,
    );
    expect(await erpReads('GET salesOrders')).toEqual([]);
  });
});
