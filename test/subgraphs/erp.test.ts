// The ERP subgraph in-process (port 0) over a fake ERP port that records every call, with a fixed
// clock for invoice ageing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackendError } from '../../lib/backend-error.js';
import type { RunningServer } from '../../lib/http-server.js';
import { loadErpSubgraphConfig, startErpSubgraph } from '../../subgraphs/erp/index.js';
import { captureLogger } from './support/capture-logger.js';
import { passThroughShield } from './support/pass-through-shield.js';
import { customerNumber, erpDataset, order, PLAIN_CUSTOMERS, QUOTE_ID_15 } from './support/erp-data.js';
import { FakeErpPort } from './support/fake-erp.js';
import { TEST_FORWARDING_ENV } from '../support/identity.js';
import { subgraphGraphQL } from './support/graphql-client.js';

const postGraphQL = subgraphGraphQL('erp');

// 23:30 in New York on the 23rd is already the 24th in UTC: ageing uses the UTC date.
const NOW = new Date('2026-11-23T23:30:00-05:00');

const ENTITIES = (selection: string) => /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) { ... on Account { ${selection} } }
  }
`;

const accounts = (numbers: readonly string[]) => ({
  representations: numbers.map((erpCustomerNumber) => ({ __typename: 'Account', erpCustomerNumber })),
});

let server: RunningServer;
let erp: FakeErpPort;
const log = captureLogger();

beforeAll(async () => {
  erp = new FakeErpPort(erpDataset());
  const config = {
    ...loadErpSubgraphConfig({ SUBGRAPH_ERP_PORT: '0', ...TEST_FORWARDING_ENV }),
    shield: passThroughShield(),
  };
  server = await startErpSubgraph(config, { erp, logger: log.logger, clock: () => NOW });
});
afterAll(() => server.close());
beforeEach(() => {
  erp.recorder.reset();
  log.lines.length = 0;
});

describe('ERP subgraph: batching', () => {
  it('resolves 50 Account representations with exactly one ERP call per entity kind', async () => {
    const numbers = PLAIN_CUSTOMERS.slice(0, 50);
    const response = await postGraphQL(
      server.url,
      ENTITIES(`
        erpCustomerNumber
        credit { limit { amount } available { amount } overdue { amount } paymentTerms { code } onHold }
        billingAddress { city }
        openInvoices { number isOverdue daysOverdue remaining { amount currency } }
        orders { number status lines { itemNumber unitPrice { amount } product { name } } }
        shipments { number lines { lotNumbers } }
      `),
      accounts(numbers),
    );
    expect(response.body.errors).toBeUndefined();
    const entities = response.body.data._entities;
    expect(entities).toHaveLength(50);
    expect(entities[49]).toEqual({
      erpCustomerNumber: numbers[49],
      credit: {
        limit: { amount: '10000.00' },
        available: { amount: '9900.00' },
        overdue: { amount: '0.00' },
        paymentTerms: { code: '30D' },
        onHold: false,
      },
      billingAddress: { city: 'Springfield' },
      openInvoices: [
        { number: `INV-P52`, isOverdue: true, daysOverdue: 54, remaining: { amount: '11.90', currency: 'EUR' } },
      ],
      orders: [
        {
          number: 'S-P52',
          status: 'OPEN',
          lines: [{ itemNumber: 'I-1', unitPrice: { amount: '0.10' }, product: { name: 'Gear' } }],
        },
      ],
      shipments: [{ number: 'SH-P52', lines: [{ lotNumbers: ['LOT-1'] }] }],
    });
    expect(erp.recorder.counts()).toEqual({
      customersByNumbers: 1,
      financialsByCustomers: 1,
      paymentTermsByIds: 1,
      openInvoicesByCustomers: 1,
      ordersByCustomers: 1,
      shipmentsByCustomers: 1,
      itemsByNumbers: 1,
    });
    for (const method of [
      'customersByNumbers',
      'financialsByCustomers',
      'openInvoicesByCustomers',
      'ordersByCustomers',
      'shipmentsByCustomers',
    ] as const) {
      expect(erp.recorder.callsOf(method)[0]!.input).toEqual(numbers);
    }
    expect(erp.recorder.callsOf('paymentTermsByIds')[0]!.input).toEqual(['pt-30']);
    expect(erp.recorder.callsOf('itemsByNumbers')[0]!.input).toEqual(['I-1']);
  });

  it('splits more than 200 keys into batches of at most 200', async () => {
    const numbers = Array.from({ length: 250 }, (_, i) => `X${i}`);
    const response = await postGraphQL(server.url, ENTITIES('credit { currency }'), accounts(numbers));
    expect(response.body.errors).toBeUndefined();
    expect(erp.recorder.callsOf('customersByNumbers').map((call) => (call.input as string[]).length)).toEqual([
      200, 50,
    ]);
  });

  it('makes no ERP call for fields that were not asked for', async () => {
    const onlyLimit = await postGraphQL(
      server.url,
      ENTITIES('credit { limit { amount } currency onHold }'),
      accounts(PLAIN_CUSTOMERS.slice(0, 5)),
    );
    expect(onlyLimit.body.errors).toBeUndefined();
    expect(erp.recorder.counts()).toEqual({ customersByNumbers: 1 });

    erp.recorder.reset();
    const onlyOrders = await postGraphQL(
      server.url,
      ENTITIES('orders { number }'),
      accounts(PLAIN_CUSTOMERS.slice(0, 5)),
    );
    expect(onlyOrders.body.errors).toBeUndefined();
    expect(erp.recorder.counts()).toEqual({ ordersByCustomers: 1 });
  });

  it('resolves Product and Order representations with one call each', async () => {
    const response = await postGraphQL(
      server.url,
      /* GraphQL */ `
        query ($representations: [_Any!]!) {
          _entities(representations: $representations) {
            ... on Product {
              number
              name
              blocked
              inventory
              unitPrice {
                amount
                currency
              }
            }
            ... on Order {
              number
              total {
                amount
              }
            }
          }
        }
      `,
      {
        representations: [
          { __typename: 'Product', number: 'I-1' },
          { __typename: 'Order', number: 'S-P3' },
          { __typename: 'Product', number: 'I-2' },
          { __typename: 'Product', number: 'NOPE' },
          { __typename: 'Order', number: 'S-P4' },
        ],
      },
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data._entities).toEqual([
      { number: 'I-1', name: 'Gear', blocked: false, inventory: 12.5, unitPrice: { amount: '0.10', currency: 'USD' } },
      { number: 'S-P3', total: { amount: '0.00' } },
      { number: 'I-2', name: 'Shaft', blocked: true, inventory: 0, unitPrice: { amount: '19.99', currency: 'USD' } },
      null,
      { number: 'S-P4', total: { amount: '0.00' } },
    ]);
    expect(erp.recorder.counts()).toEqual({ itemsByNumbers: 1, ordersByNumbers: 1 });
  });
});

describe('ERP subgraph: credit, invoices and orders', () => {
  it('computes credit exactly in decimals', async () => {
    const response = await postGraphQL(
      server.url,
      ENTITIES(`
        erpCustomerNumber
        credit {
          limit { amount currency } balance { amount } openOrderExposure { amount currency }
          available { amount } overdue { amount } onHold holdReason paymentTerms { name } currency
        }
      `),
      accounts([customerNumber(1), customerNumber(2)]),
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data._entities).toEqual([
      {
        erpCustomerNumber: 'C00001',
        credit: {
          limit: { amount: '0.30', currency: 'EUR' },
          balance: { amount: '0.10' },
          // S-1 (open) + S-2 (released) + S-4 (draft) + S-5 (in review): every status commits credit;
          // not S-3 (fully shipped) nor S-6 (USD).
          openOrderExposure: { amount: '150.20', currency: 'EUR' },
          available: { amount: '-150.00' },
          overdue: { amount: '0.10' },
          onHold: false,
          holdReason: null,
          paymentTerms: { name: 'Net 30 days' },
          currency: 'EUR',
        },
      },
      {
        erpCustomerNumber: 'C00002',
        credit: {
          limit: { amount: '100', currency: 'EUR' },
          balance: { amount: '99.99' },
          openOrderExposure: { amount: '0.02', currency: 'EUR' },
          available: { amount: '-0.01' },
          overdue: { amount: '0.00' },
          onHold: true,
          holdReason: 'Blocked for shipping',
          paymentTerms: null,
          currency: 'EUR',
        },
      },
    ]);
  });

  it('gives a customer the ERP does not know null credit and address and empty lists', async () => {
    const response = await postGraphQL(
      server.url,
      ENTITIES(
        'erpCustomerNumber credit { limit { amount } } billingAddress { city } openInvoices { number } orders { number } shipments { number }',
      ),
      accounts(['C99999', "C1' or 1 eq 1"]),
    );
    expect(response.body.errors).toBeUndefined();
    const empty = { credit: null, billingAddress: null, openInvoices: [], orders: [], shipments: [] };
    expect(response.body.data._entities).toEqual([
      { erpCustomerNumber: 'C99999', ...empty },
      { erpCustomerNumber: "C1' or 1 eq 1", ...empty },
    ]);
    // The malformed number never reaches the port.
    for (const call of erp.recorder.calls) expect(call.input).toEqual(['C99999']);
  });

  it('ages open invoices against the UTC date of the injected clock, oldest due date first', async () => {
    const response = await postGraphQL(
      server.url,
      ENTITIES(
        'openInvoices { number dueDate status isOverdue daysOverdue total { amount } remaining { amount } orderNumber order { number } }',
      ),
      accounts([customerNumber(1)]),
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data._entities[0].openInvoices).toEqual([
      {
        number: 'INV-1',
        dueDate: '2026-10-01',
        status: 'OPEN',
        isOverdue: true,
        daysOverdue: 54,
        total: { amount: '11.90' },
        remaining: { amount: '0.10' },
        orderNumber: null,
        order: null,
      },
      {
        number: 'INV-2',
        dueDate: '2026-11-23',
        status: 'OPEN',
        isOverdue: true,
        daysOverdue: 1,
        total: { amount: '11.90' },
        remaining: { amount: '0.20' },
        orderNumber: 'S-1',
        order: { number: 'S-1' },
      },
      {
        number: 'INV-3',
        dueDate: '2026-11-24',
        status: 'OPEN',
        isOverdue: false,
        daysOverdue: 0,
        total: { amount: '11.90' },
        remaining: { amount: '5.00' },
        orderNumber: null,
        order: null,
      },
    ]);
  });

  it('serves an order with its lines, shipments, account and quote references', async () => {
    const query = /* GraphQL */ `
      query ($number: String!) {
        order(number: $number) {
          number
          status
          fullyShipped
          total {
            amount
            currency
          }
          totalExcludingTax {
            amount
          }
          lines {
            sequence
            amount {
              amount
              currency
            }
            product {
              number
            }
          }
          shipments {
            number
            order {
              number
            }
            lines {
              product {
                number
                blocked
              }
            }
          }
          account {
            erpCustomerNumber
          }
          quote {
            id
          }
        }
      }
    `;
    const response = await postGraphQL(server.url, query, { number: 'S-1' });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.order).toEqual({
      number: 'S-1',
      status: 'OPEN',
      fullyShipped: false,
      total: { amount: '0.10', currency: 'EUR' },
      totalExcludingTax: { amount: '0.00' },
      lines: [{ sequence: 10000, amount: { amount: '0.30', currency: 'EUR' }, product: { number: 'I-1' } }],
      shipments: [{ number: 'SH-1', order: { number: 'S-1' }, lines: [{ product: { number: 'I-2', blocked: true } }] }],
      account: { erpCustomerNumber: 'C00001' },
      quote: { id: QUOTE_ID_15 },
    });

    const notFromAQuote = await postGraphQL(server.url, query, { number: 'S-6' });
    expect(notFromAQuote.body.data.order.quote).toBeNull();
    const unknown = await postGraphQL(server.url, query, { number: 'S-404' });
    expect(unknown.body).toEqual({ data: { order: null } });
  });

  it('rejects a malformed order or product number with BAD_USER_INPUT', async () => {
    for (const query of [
      '{ order(number: "") { number } }',
      `{ product(number: "${'9'.repeat(21)}") { number } }`,
      `{ order(number: "S-1' or 1 eq 1") { number } }`,
    ]) {
      const response = await postGraphQL(server.url, query);
      expect(response.body.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'number' });
      expect(response.body.errors![0]!.message).toContain('"number"');
    }
    expect(erp.recorder.calls).toEqual([]);
  });
});

describe('ERP subgraph: errors and correlation', () => {
  it('reports an ERP outage as ERP_UNAVAILABLE on that field while the other fields resolve', async () => {
    erp.recorder.fail('customersByNumbers', new BackendError('erp', 'timeout', 'GET /customers?$filter=... timed out'));
    const response = await postGraphQL(
      server.url,
      ENTITIES('credit { limit { amount } } orders { number }'),
      accounts([customerNumber(1)]),
    );
    expect(response.body.data._entities).toEqual([
      {
        credit: null,
        orders: [
          { number: 'S-1' },
          { number: 'S-2' },
          { number: 'S-3' },
          { number: 'S-4' },
          { number: 'S-5' },
          { number: 'S-6' },
        ],
      },
    ]);
    expect(response.body.errors).toEqual([
      expect.objectContaining({
        message: 'The ERP is unavailable; try again later.',
        path: ['_entities', 0, 'credit'],
        extensions: { code: 'ERP_UNAVAILABLE' },
      }),
    ]);
    expect(response.text).not.toContain('$filter');
  });

  it('puts ERP_UNAVAILABLE on openInvoices only; the entity and its other fields survive', async () => {
    erp.recorder.fail('openInvoicesByCustomers', new BackendError('erp', 'unavailable', 'HTTP 503 from the ERP'));
    const response = await postGraphQL(
      server.url,
      ENTITIES('credit { limit { amount } } openInvoices { number }'),
      accounts([customerNumber(1), customerNumber(3)]),
    );
    expect(response.body.errors).toHaveLength(2);
    expect(response.body.errors!.map((e) => [e.path, e.extensions])).toEqual([
      [['_entities', 0, 'openInvoices'], { code: 'ERP_UNAVAILABLE' }],
      [['_entities', 1, 'openInvoices'], { code: 'ERP_UNAVAILABLE' }],
    ]);
    // Account.openInvoices is nullable precisely so that a failed list read stays on its own path
    // (decision 0006: null with an error whose code is ERP_UNAVAILABLE on that path only).
    expect(response.body.data._entities).toEqual([
      { credit: { limit: { amount: expect.any(String) } }, openInvoices: null },
      { credit: { limit: { amount: expect.any(String) } }, openInvoices: null },
    ]);
    expect(erp.recorder.counts()).toMatchObject({ openInvoicesByCustomers: 1, customersByNumbers: 1 });
  });

  it('masks an unexpected error in the subgraph as INTERNAL_SERVER_ERROR without its message', async () => {
    // A record the subgraph cannot read (a mapping bug): the error arises in a resolver.
    const broken = order('S-BAD', 'C-NOBODY');
    Object.defineProperty(broken, 'lines', {
      get: () => {
        throw new TypeError('Cannot read properties of undefined (reading \'salesOrderLines\') at {"value":[...]}');
      },
    });
    erp.data.orders.push(broken);
    try {
      const response = await postGraphQL(
        server.url,
        '{ order(number: "S-BAD") { number lines { sequence } } }',
        {},
        { 'x-correlation-id': 'erp-mask-7' },
      );
      expect(response.body).toEqual({
        data: { order: null },
        errors: [
          {
            message: 'Internal server error',
            locations: expect.any(Array),
            path: ['order', 'lines'],
            extensions: { code: 'INTERNAL_SERVER_ERROR' },
          },
        ],
      });
      expect(response.text).not.toContain('salesOrderLines');
      const logged = log.lines.join('\n');
      expect(logged).toContain('salesOrderLines');
      expect(logged).toContain('erp-mask-7');
    } finally {
      erp.data.orders.splice(erp.data.orders.indexOf(broken), 1);
    }
  });

  it('counts an error the port did not classify as an outage (the shield): ERP_UNAVAILABLE, detail only in the log', async () => {
    erp.recorder.fail(
      'ordersByNumbers',
      new TypeError('Cannot read properties of undefined (reading \'salesOrderLines\') at {"value":[...]}'),
    );
    const response = await postGraphQL(
      server.url,
      '{ order(number: "S-1") { number } }',
      {},
      { 'x-correlation-id': 'erp-mask-8' },
    );
    expect(response.body).toEqual({
      data: { order: null },
      errors: [
        {
          message: 'The ERP is unavailable; try again later.',
          locations: expect.any(Array),
          path: ['order'],
          extensions: { code: 'ERP_UNAVAILABLE' },
        },
      ],
    });
    expect(response.text).not.toContain('salesOrderLines');
    const logged = log.lines.join('\n');
    expect(logged).toContain('salesOrderLines');
    expect(logged).toContain('erp-mask-8');
  });

  it('passes the correlation id to every port call', async () => {
    await postGraphQL(
      server.url,
      ENTITIES('credit { overdue { amount } } shipments { number }'),
      accounts([customerNumber(1)]),
      { 'x-correlation-id': 'erp-corr-1' },
    );
    expect(erp.recorder.calls.length).toBe(3);
    expect(erp.recorder.calls.every((call) => call.correlationId === 'erp-corr-1')).toBe(true);
  });

  it('is live; readiness follows the ERP calls it makes, without a ping per probe, and stays 200 while degraded', async () => {
    const readyz = async () => {
      const response = await fetch(`${server.url}/readyz`);
      return { status: response.status, body: (await response.json()) as { status: string; backend: string } };
    };
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    // Customers nobody asked for yet in this file: not cached, so each query calls the ERP.
    await postGraphQL(server.url, ENTITIES('credit { onHold }'), accounts([customerNumber(9)]));
    for (let i = 0; i < 50; i += 1)
      expect(await readyz()).toMatchObject({ status: 200, body: { status: 'ready', backend: 'erp' } });
    erp.recorder.fail('customersByNumbers', new BackendError('erp', 'unavailable', 'HTTP 503 from the ERP'));
    await postGraphQL(server.url, ENTITIES('credit { onHold }'), accounts([customerNumber(10)]));
    // Down, but reached since start: it still answers (from its cache, and ERP_UNAVAILABLE for the rest).
    expect(await readyz()).toMatchObject({
      status: 200,
      body: { status: 'degraded', backend: 'erp', lastUpAt: expect.any(String) },
    });
    expect(erp.recorder.callsOf('ping')).toEqual([]);
  });
});
