// The gateway in front of two stub subgraphs: correlation ids, partial results when one subgraph
// fails, and error masking.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, SUBGRAPH_TIMEOUT_MS, type Harness } from './support/gateway-harness.js';
import { SECRET } from './support/stub-subgraphs.js';

const CUSTOMER_360 = /* GraphQL */ `
  query Customer360($erp: String!) {
    accountByErpNumber(erpCustomerNumber: $erp) {
      id
      name
      contacts {
        name
        email
      }
      credit {
        limit {
          amount
          currency
        }
        onHold
        paymentTerms {
          code
        }
      }
    }
  }
`;

interface GraphQLBody {
  data?: { accountByErpNumber: null | { name: string; credit: null | { limit: { amount: string } } } } | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown>; locations?: unknown }[];
}

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});
afterEach(() => {
  harness.salesforce.mode = 'ok';
  harness.erp.mode = 'ok';
  harness.salesforce.correlationIds.length = 0;
  harness.erp.correlationIds.length = 0;
});

describe('federated query', () => {
  it('joins both subgraphs into one account', async () => {
    const response = await harness.graphql({ query: CUSTOMER_360, variables: { erp: 'C00001' } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as GraphQLBody;
    expect(body.errors).toBeUndefined();
    expect(body.data?.accountByErpNumber).toMatchObject({
      name: 'Acme Gears',
      contacts: [{ name: 'Ada Buyer', email: 'ada@example.com' }],
      credit: { limit: { amount: '50000.00', currency: 'EUR' }, onHold: false, paymentTerms: { code: '30D' } },
    });
  });

  it('answers GET /graphql with a query parameter (CSRF-safe request)', async () => {
    const response = await fetch(`${harness.gateway.url}/graphql?query=${encodeURIComponent('{__typename}')}`, {
      headers: { 'apollo-require-preflight': 'true', ...harness.authHeaders },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('keeps CSRF prevention on: a simple GET without a preflight header is refused', async () => {
    const response = await fetch(`${harness.gateway.url}/graphql?query=${encodeURIComponent('{__typename}')}`, {
      headers: harness.authHeaders,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/json/);
  });
});

describe('correlation id', () => {
  it('forwards the client id to every subgraph and echoes it', async () => {
    const response = await harness.graphql(
      { query: CUSTOMER_360, variables: { erp: 'C00001' } },
      { 'x-correlation-id': 'client-req.42:a_b' },
    );
    expect(response.headers.get('x-correlation-id')).toBe('client-req.42:a_b');
    expect(harness.salesforce.correlationIds).toEqual(['client-req.42:a_b']);
    expect(harness.erp.correlationIds).toEqual(['client-req.42:a_b']);
  });

  it.each([
    ['with a space and a newline-free injection attempt', 'abc def'],
    ['too long', 'a'.repeat(129)],
    ['with a comma (repeated headers are joined with commas)', 'a,b'],
  ])('replaces a malformed id (%s) with a fresh one, used downstream', async (_label, malformed) => {
    const response = await harness.graphql(
      { query: CUSTOMER_360, variables: { erp: 'C00001' } },
      { 'x-correlation-id': malformed },
    );
    const echoed = response.headers.get('x-correlation-id');
    expect(echoed).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(harness.salesforce.correlationIds).toEqual([echoed]);
    expect(harness.erp.correlationIds).toEqual([echoed]);
  });

  it('creates one when the client sends none, distinct per request', async () => {
    const first = await harness.graphql({ query: '{ __typename }' });
    const second = await harness.graphql({ query: '{ __typename }' });
    expect(first.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.headers.get('x-correlation-id')).not.toBe(first.headers.get('x-correlation-id'));
  });
});

describe('a failing subgraph costs only its own fields', () => {
  it('a hung ERP subgraph times out: Salesforce fields come back, credit is null with ERP_UNAVAILABLE', async () => {
    harness.erp.mode = 'hang';
    const started = performance.now();
    const response = await harness.graphql({ query: CUSTOMER_360, variables: { erp: 'C00001' } });
    const elapsed = performance.now() - started;
    const body = (await response.json()) as GraphQLBody;
    expect(elapsed).toBeGreaterThanOrEqual(SUBGRAPH_TIMEOUT_MS - 20);
    expect(elapsed).toBeLessThan(SUBGRAPH_TIMEOUT_MS + 2_000);
    expect(body.data?.accountByErpNumber).toMatchObject({ name: 'Acme Gears', credit: null });
    expect(body.errors).toEqual([
      {
        message: 'The ERP is unavailable; try again later.',
        path: ['accountByErpNumber', 'credit'],
        extensions: { code: 'ERP_UNAVAILABLE' },
      },
    ]);
  });

  it('a hung Salesforce subgraph: the root field is null with SALESFORCE_UNAVAILABLE', async () => {
    harness.salesforce.mode = 'hang';
    const body = (await (
      await harness.graphql({ query: CUSTOMER_360, variables: { erp: 'C00001' } })
    ).json()) as GraphQLBody;
    expect(body.data).toEqual({ accountByErpNumber: null });
    expect(body.errors).toEqual([
      {
        message: 'Salesforce is unavailable; try again later.',
        path: ['accountByErpNumber'],
        extensions: { code: 'SALESFORCE_UNAVAILABLE' },
      },
    ]);
    // The ERP is never asked: there was no account to join.
    expect(harness.erp.correlationIds).toEqual([]);
  });

  it('an entity fetch for a list: every entity gets its own error at its own path', async () => {
    harness.erp.mode = 'hang';
    const response = await harness.graphql({ query: '{ accounts(first: 2) { nodes { name credit { onHold } } } }' });
    const body = (await response.json()) as { data: unknown; errors: GraphQLBody['errors'] };
    expect(body.data).toEqual({
      accounts: {
        nodes: [
          { name: 'Acme Gears', credit: null },
          { name: 'Bolt Works', credit: null },
        ],
      },
    });
    expect(body.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([
      [['accounts', 'nodes', 0, 'credit'], 'ERP_UNAVAILABLE'],
      [['accounts', 'nodes', 1, 'credit'], 'ERP_UNAVAILABLE'],
    ]);
  });

  it('a subgraph answering 502 with HTML counts as unavailable, without leaking the response', async () => {
    harness.erp.mode = 'bad-gateway';
    const response = await harness.graphql({ query: CUSTOMER_360, variables: { erp: 'C00001' } });
    const text = await response.text();
    expect(text).not.toContain('Bad Gateway');
    const body = JSON.parse(text) as GraphQLBody;
    expect(body.data?.accountByErpNumber).toMatchObject({ name: 'Acme Gears', credit: null });
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['ERP_UNAVAILABLE']);
  });
});

describe('error masking', () => {
  it('masks an internal subgraph error: no secret message, stack or subgraph detail reaches the client', async () => {
    harness.erp.mode = 'throw';
    const response = await harness.graphql({ query: CUSTOMER_360, variables: { erp: 'C00001' } });
    const text = await response.text();
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain(SECRET);
    expect(text).not.toMatch(/stacktrace|exception|serviceName|at .*\.ts:\d+/);
    const body = JSON.parse(text) as GraphQLBody;
    expect(body.data?.accountByErpNumber).toMatchObject({ name: 'Acme Gears', credit: null });
    expect(body.errors).toEqual([
      {
        message: 'Internal server error',
        path: ['accountByErpNumber', 'credit'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
  });

  it('passes a public code from a subgraph through, with its message but without other extensions', async () => {
    harness.erp.mode = 'backend-down';
    const text = await (await harness.graphql({ query: CUSTOMER_360, variables: { erp: 'C00001' } })).text();
    expect(text).not.toContain('hunter2');
    const body = JSON.parse(text) as GraphQLBody;
    expect(body.data?.accountByErpNumber).toMatchObject({ name: 'Acme Gears', credit: null });
    expect(body.errors).toEqual([
      {
        message: 'The ERP did not answer.',
        path: ['accountByErpNumber', 'credit'],
        extensions: { code: 'ERP_UNAVAILABLE' },
      },
    ]);
  });

  it("keeps the gateway's own validation errors readable", async () => {
    const response = await harness.graphql({ query: '{ accountByErpNumber(erpCustomerNumber: "C00001") { nope } }' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as GraphQLBody;
    expect(body.errors?.[0]).toMatchObject({
      message: expect.stringContaining('nope'),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(Object.keys(body.errors?.[0]?.extensions ?? {})).toEqual(['code']);
  });
});

describe('HTTP edge', () => {
  it('answers a malformed JSON body with 400 JSON and a code, not an HTML stack', async () => {
    const response = await fetch(`${harness.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-correlation-id': 'bad-json-1', ...harness.authHeaders },
      body: '{"query": "{ __typename }",',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('x-correlation-id')).toBe('bad-json-1');
    expect(await response.json()).toEqual({
      errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('refuses a body over the size limit with 413 JSON', async () => {
    const response = await harness.graphql({ query: `{ __typename } # ${'x'.repeat(1_100_000)}` });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('answers unknown routes with 404 JSON', async () => {
    const response = await fetch(`${harness.gateway.url}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
  });
});
