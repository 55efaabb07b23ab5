// The Salesforce subgraph in-process (port 0) over a fake connector that records every call.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackendError } from '../../lib/backend-error.js';
import type { RunningServer } from '../../lib/http-server.js';
import { loadSalesforceSubgraphConfig, startSalesforceSubgraph } from '../../subgraphs/salesforce/index.js';
import { captureLogger } from './support/capture-logger.js';
import { passThroughShield } from './support/pass-through-shield.js';
import { account, FakeSalesforceConnector, sfId, type SalesforceData } from './support/fake-salesforce.js';
import { TEST_FORWARDING_ENV } from '../support/identity.js';
import { subgraphGraphQL, type GraphQLResponse } from './support/graphql-client.js';

const postGraphQL = subgraphGraphQL('salesforce');

const ACCOUNTS = 60;
const OWNER = sfId('005', 1);
const QUOTE = sfId('0Q0', 1);

function dataset(): SalesforceData {
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => account(i + 1));
  return {
    accounts,
    users: [{ id: OWNER, name: 'Sam Seller', email: 'sam@example.com', title: 'AE' }],
    contacts: accounts.flatMap((a, i) => [
      {
        id: sfId('003', 2 * i + 1),
        accountId: a.id,
        firstName: 'Ada',
        lastName: `Buyer${i}`,
        name: `Ada Buyer${i}`,
        title: null,
        email: null,
        phone: null,
      },
      {
        id: sfId('003', 2 * i + 2),
        accountId: a.id,
        firstName: null,
        lastName: `Payer${i}`,
        name: `Payer${i}`,
        title: null,
        email: null,
        phone: null,
      },
    ]),
    opportunities: [
      {
        id: sfId('006', 1),
        accountId: accounts[0]!.id,
        name: 'Gears',
        stage: 'Prospecting',
        amount: '0.10',
        closeDate: '2026-12-31',
        probability: 10,
        isClosed: false,
        isWon: false,
        ownerId: OWNER,
      },
      {
        id: sfId('006', 2),
        accountId: accounts[0]!.id,
        name: 'Shafts',
        stage: 'Closed Won',
        amount: null,
        closeDate: '2026-06-30',
        probability: 100,
        isClosed: true,
        isWon: true,
        ownerId: OWNER,
      },
    ],
    quotes: [
      {
        id: QUOTE,
        number: '00000001',
        name: 'Q-1',
        accountId: accounts[0]!.id,
        opportunityId: null,
        status: 'Draft',
        expirationDate: '2026-12-31',
        currency: 'EUR',
        totalPrice: '0.30',
        grandTotal: '0.36',
        erpOrderNumber: 'S-ORD101001',
        erpSyncStatus: 'Accepted',
        erpSyncMessage: null,
        erpLastSyncAt: '2026-11-01T10:00:00.000Z',
        updatedAt: '2026-11-01T10:00:00.000Z',
      },
    ],
    quoteLines: [
      {
        id: sfId('0QL', 1),
        quoteId: QUOTE,
        productId: sfId('01t', 1),
        productCode: '1896-S',
        productName: 'Gear',
        lineNumber: '00001',
        description: null,
        quantity: 1,
        unitPrice: '0.10',
        discount: null,
        totalPrice: '0.10',
      },
      {
        id: sfId('0QL', 2),
        quoteId: QUOTE,
        productId: sfId('01t', 2),
        productCode: null,
        productName: 'Service',
        lineNumber: '00002',
        description: 'Setup',
        quantity: 2,
        unitPrice: '0.10',
        discount: 0,
        totalPrice: '0.20',
      },
    ],
    cases: [],
  };
}

interface Connection {
  nodes: Array<{ name: string }>;
  edges: Array<{ cursor: string; node: { id: string } }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const ENTITIES = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Account {
        id
        erpCustomerNumber
        name
        owner {
          name
        }
        contacts {
          name
        }
      }
    }
  }
`;

let server: RunningServer;
let fake: FakeSalesforceConnector;
const log = captureLogger();

beforeAll(async () => {
  fake = new FakeSalesforceConnector(dataset());
  server = await startSalesforceSubgraph(
    {
      ...loadSalesforceSubgraphConfig({ SUBGRAPH_SALESFORCE_PORT: '0', ...TEST_FORWARDING_ENV }),
      shield: passThroughShield(),
    },
    {
      connector: fake,
      logger: log.logger,
    },
  );
});
afterAll(() => server.close());
beforeEach(() => {
  fake.recorder.reset();
  log.lines.length = 0;
});

describe('Salesforce subgraph: batching', () => {
  it('resolves 50 Account representations by id with one call per lookup kind', async () => {
    const ids = fake.data.accounts.slice(0, 50).map((a) => a.id);
    const response = await postGraphQL(server.url, ENTITIES, {
      representations: ids.map((id) => ({ __typename: 'Account', id })),
    });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data._entities).toHaveLength(50);
    expect(response.body.data._entities[7]).toMatchObject({
      id: ids[7],
      name: 'Account 008',
      owner: { name: 'Sam Seller' },
    });
    expect(response.body.data._entities[7].contacts).toEqual([{ name: 'Ada Buyer7' }, { name: 'Payer7' }]);
    expect(fake.recorder.counts()).toEqual({ accountsByIds: 1, usersByIds: 1, contactsByAccountIds: 1 });
    expect(fake.recorder.callsOf('accountsByIds')[0]!.input).toEqual(ids);
    expect(fake.recorder.callsOf('contactsByAccountIds')[0]!.input).toEqual(ids);
  });

  it('resolves 50 representations by ERP customer number with one accountsByErpNumbers call', async () => {
    const numbers = fake.data.accounts.slice(10, 60).map((a) => a.erpCustomerNumber);
    const response = await postGraphQL(server.url, ENTITIES, {
      representations: numbers.map((erpCustomerNumber) => ({ __typename: 'Account', erpCustomerNumber })),
    });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data._entities.map((a: { erpCustomerNumber: string }) => a.erpCustomerNumber)).toEqual(
      numbers,
    );
    expect(fake.recorder.counts()).toEqual({ accountsByErpNumbers: 1, usersByIds: 1, contactsByAccountIds: 1 });
    expect(fake.recorder.callsOf('accountsByErpNumbers')[0]!.input).toEqual(numbers);
  });

  it('answers a representation with a malformed or unknown key with null, without asking for it', async () => {
    const response = await postGraphQL(server.url, ENTITIES, {
      representations: [
        { __typename: 'Account', id: 'not-an-id' },
        { __typename: 'Account', id: sfId('001', 999) },
        { __typename: 'Account', erpCustomerNumber: "C1' OR Name != '" },
      ],
    });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data._entities).toEqual([null, null, null]);
    expect(fake.recorder.counts()).toEqual({ accountsByIds: 1 });
    expect(fake.recorder.callsOf('accountsByIds')[0]!.input).toEqual([sfId('001', 999)]);
  });
});

describe('Salesforce subgraph: queries', () => {
  it('finds an account by its 15- or 18-character id', async () => {
    const target = fake.data.accounts[2]!;
    const query = 'query ($id: ID!) { account(id: $id) { id name } }';
    const by18 = await postGraphQL(server.url, query, { id: target.id });
    const by15 = await postGraphQL(server.url, query, { id: target.id.slice(0, 15) });
    expect(by18.body.data).toEqual({ account: { id: target.id, name: target.name } });
    expect(by15.body.data).toEqual({ account: { id: target.id, name: target.name } });
  });

  it('rejects a malformed id with BAD_USER_INPUT naming the argument, before any Salesforce call', async () => {
    for (const id of ['abc', "001' OR Id != '", sfId('003', 1)]) {
      const response = await postGraphQL(server.url, 'query ($id: ID!) { account(id: $id) { id } }', { id });
      expect(response.body.data).toEqual({ account: null });
      expect(response.body.errors).toHaveLength(1);
      expect(response.body.errors![0]!.extensions!['code']).toBe('BAD_USER_INPUT');
      expect(response.body.errors![0]!.message).toContain('"id"');
      expect(response.body.errors![0]!.path).toEqual(['account']);
    }
    expect(fake.recorder.calls).toEqual([]);
  });

  it('returns null for an unknown account', async () => {
    const response = await postGraphQL(server.url, 'query ($id: ID!) { account(id: $id) { id } }', {
      id: sfId('001', 4242),
    });
    expect(response.body).toEqual({ data: { account: null } });
  });

  it('validates accountByErpNumber', async () => {
    const query = 'query ($n: String!) { accountByErpNumber(erpCustomerNumber: $n) { id } }';
    const found = await postGraphQL(server.url, query, { n: 'C00005' });
    expect(found.body.data).toEqual({ accountByErpNumber: { id: sfId('001', 5) } });
    for (const n of ['', 'x'.repeat(21), "C1' OR 1=1"]) {
      const bad = await postGraphQL(server.url, query, { n });
      expect(bad.body.errors![0]!.extensions!['code']).toBe('BAD_USER_INPUT');
      expect(bad.body.errors![0]!.message).toContain('"erpCustomerNumber"');
    }
  });

  it('pages accounts with opaque cursors and counts only when asked', async () => {
    const query = /* GraphQL */ `
      query ($after: String) {
        accounts(first: 25, after: $after, filter: { nameContains: "account 0" }) {
          nodes {
            name
          }
          edges {
            cursor
            node {
              id
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    `;
    const names: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const response: GraphQLResponse<{ accounts: Connection }> = await postGraphQL(server.url, query, { after });
      expect(response.body.errors).toBeUndefined();
      const connection: Connection = response.body.data!.accounts;
      names.push(...connection.nodes.map((n) => n.name));
      expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null);
      pages += 1;
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    // "account 0" matches Account 001..060 (all 60), in name order, without duplicates.
    expect(pages).toBe(3);
    expect(names).toEqual(fake.data.accounts.map((a) => a.name).sort());
    expect(fake.recorder.counts()).toEqual({ listAccounts: 3 });
    expect(fake.recorder.callsOf('listAccounts')[0]!.input).toEqual({
      first: 25,
      filter: { nameContains: 'account 0' },
    });

    const counted = await postGraphQL(
      server.url,
      '{ accounts(first: 1, filter: { industry: "Manufacturing" }) { totalCount } }',
    );
    expect(counted.body.data).toEqual({ accounts: { totalCount: ACCOUNTS } });
    expect(fake.recorder.callsOf('countAccounts').map((c) => c.input)).toEqual([{ industry: 'Manufacturing' }]);
  });

  it('trims the name search, and a blank one is no filter', async () => {
    const query = 'query ($text: String) { accounts(first: 5, filter: { nameContains: $text }) { nodes { id } } }';
    for (const text of ['  account 00  ', '\u2028account 00\t']) {
      expect((await postGraphQL(server.url, query, { text })).body.errors).toBeUndefined();
    }
    for (const text of [' ', '\t\n', '\u2028\u00a0 ', '']) {
      expect((await postGraphQL(server.url, query, { text })).body.errors).toBeUndefined();
    }
    expect(fake.recorder.callsOf('listAccounts').map((call) => call.input)).toEqual([
      { first: 5, filter: { nameContains: 'account 00' } },
      { first: 5, filter: { nameContains: 'account 00' } },
      { first: 5 },
      { first: 5 },
      { first: 5 },
      { first: 5 },
    ]);
  });

  it('rejects a malformed cursor and an out-of-range page size with BAD_USER_INPUT', async () => {
    const forged = Buffer.from(JSON.stringify({ name: 'x', id: "001' OR '" })).toString('base64url');
    for (const [args, argument] of [
      ['after: "not a cursor!"', 'after'],
      [`after: "${forged}"`, 'after'],
      ['first: 0', 'first'],
      ['first: 201', 'first'],
    ] as const) {
      const response = await postGraphQL(server.url, `{ accounts(${args}) { nodes { id } } }`);
      expect(response.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: argument });
    }
    expect(fake.recorder.calls).toEqual([]);
  });

  it('returns quotes with exact money, ERP sync state and product references', async () => {
    const query = /* GraphQL */ `
      query ($id: ID!) {
        quote(id: $id) {
          number
          total {
            amount
            currency
          }
          grandTotal {
            amount
            currency
          }
          account {
            name
          }
          erpSync {
            orderNumber
            status
            lastSyncAt
          }
          lines {
            lineNumber
            unitPrice {
              amount
              currency
            }
            totalPrice {
              amount
            }
            product {
              number
            }
          }
        }
      }
    `;
    const response = await postGraphQL(server.url, query, { id: QUOTE.slice(0, 15) });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.quote).toEqual({
      number: '00000001',
      total: { amount: '0.30', currency: 'EUR' },
      grandTotal: { amount: '0.36', currency: 'EUR' },
      account: { name: 'Account 001' },
      erpSync: { orderNumber: 'S-ORD101001', status: 'Accepted', lastSyncAt: '2026-11-01T10:00:00.000Z' },
      lines: [
        {
          lineNumber: '00001',
          unitPrice: { amount: '0.10', currency: 'EUR' },
          totalPrice: { amount: '0.10' },
          product: { number: '1896-S' },
        },
        {
          lineNumber: '00002',
          unitPrice: { amount: '0.10', currency: 'EUR' },
          totalPrice: { amount: '0.20' },
          product: null,
        },
      ],
    });
  });

  it('gives opportunity amounts as decimal strings in the corporate currency', async () => {
    const response = await postGraphQL(
      server.url,
      'query ($id: ID!) { account(id: $id) { opportunities { name amount { amount currency } } } }',
      {
        id: sfId('001', 1),
      },
    );
    expect(response.body.data.account.opportunities).toEqual([
      { name: 'Gears', amount: { amount: '0.10', currency: 'USD' } },
      { name: 'Shafts', amount: null },
    ]);
  });
});

describe('Salesforce subgraph: errors and correlation', () => {
  it('reports a Salesforce outage as SALESFORCE_UNAVAILABLE on that field only', async () => {
    fake.recorder.fail(
      'usersByIds',
      new BackendError('salesforce', 'unavailable', 'connect ECONNREFUSED 10.0.0.1:443'),
    );
    const response = await postGraphQL(server.url, 'query ($id: ID!) { account(id: $id) { name owner { name } } }', {
      id: sfId('001', 1),
    });
    expect(response.body.data).toEqual({ account: { name: 'Account 001', owner: null } });
    expect(response.body.errors).toEqual([
      expect.objectContaining({ path: ['account', 'owner'], extensions: { code: 'SALESFORCE_UNAVAILABLE' } }),
    ]);
    expect(response.text).not.toContain('ECONNREFUSED');
  });

  it('masks an unexpected error as INTERNAL_SERVER_ERROR and logs the detail with the correlation id', async () => {
    const secret = "SELECT Id FROM Account WHERE Name = 'x' -- MALFORMED_QUERY";
    // A record the subgraph cannot read (a mapping bug): the error arises while resolving it. (An
    // error the connector throws unclassified counts as an outage in the shield instead.)
    const broken = account(999);
    Object.defineProperty(broken, 'name', {
      get: () => {
        throw new Error(secret);
      },
    });
    fake.data.accounts.push(broken);
    try {
      const response = await postGraphQL(
        server.url,
        'query ($id: ID!) { account(id: $id) { name } }',
        { id: broken.id },
        { 'x-correlation-id': 'corr-mask-1' },
      );
      expect(response.body.data).toEqual({ account: null });
      expect(response.body.errors).toEqual([
        {
          message: 'Internal server error',
          locations: expect.any(Array),
          path: ['account', 'name'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ]);
      expect(response.text).not.toContain('SELECT');
      expect(response.text).not.toContain('stacktrace');
      const logged = log.lines.join('\n');
      expect(logged).toContain('MALFORMED_QUERY');
      expect(logged).toContain('corr-mask-1');
    } finally {
      fake.data.accounts.splice(fake.data.accounts.indexOf(broken), 1);
    }
  });

  it('passes the x-correlation-id to every connector call, and makes one up when it is missing or malformed', async () => {
    const ids = fake.data.accounts.slice(0, 3).map((a) => a.id);
    const sent = await postGraphQL(
      server.url,
      ENTITIES,
      { representations: ids.map((id) => ({ __typename: 'Account', id })) },
      { 'x-correlation-id': 'req-42' },
    );
    expect(sent.headers.get('x-correlation-id')).toBe('req-42');
    expect(fake.recorder.calls.map((c) => c.correlationId)).toEqual(['req-42', 'req-42', 'req-42']);

    fake.recorder.reset();
    const bad = await postGraphQL(
      server.url,
      ENTITIES,
      { representations: [{ __typename: 'Account', id: ids[0] }] },
      { 'x-correlation-id': 'evil\tvalue with spaces' },
    );
    const generated = bad.headers.get('x-correlation-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(fake.recorder.calls.map((c) => c.correlationId))).toEqual(new Set([generated]));
  });
});

describe('Salesforce subgraph: health', () => {
  it('is live; readiness follows the Salesforce calls it makes, without a ping per probe, and stays 200 while degraded', async () => {
    const readyz = async () => {
      const response = await fetch(`${server.url}/readyz`);
      return { status: response.status, body: (await response.json()) as { status: string; backend: string } };
    };
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    // Account lists are never cached: each one is a Salesforce call.
    await postGraphQL(server.url, '{ accounts(first: 1) { nodes { id } } }');
    for (let i = 0; i < 50; i += 1)
      expect(await readyz()).toMatchObject({ status: 200, body: { status: 'ready', backend: 'salesforce' } });
    fake.recorder.fail('listAccounts', new BackendError('salesforce', 'rate_limited', 'REQUEST_LIMIT_EXCEEDED'));
    await postGraphQL(server.url, '{ accounts(first: 1) { nodes { id } } }');
    expect(await readyz()).toMatchObject({ status: 200, body: { status: 'degraded', backend: 'salesforce' } });
    expect(fake.recorder.callsOf('ping')).toEqual([]);
  });
});
