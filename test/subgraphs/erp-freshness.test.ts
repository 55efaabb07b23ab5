// The ERP subgraph with its shield's cache on, over a fake port and a clock moved by hand: what
// clients see of the cache (asOf, stale) and of an outage, key by key, within one request.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackendError } from '../../lib/backend-error.js';
import type { RunningServer } from '../../lib/http-server.js';
import { parseShieldOptions } from '../../shield/index.js';
import { loadErpSubgraphConfig, startErpSubgraph } from '../../subgraphs/erp/index.js';
import { captureLogger } from './support/capture-logger.js';
import { customerNumber, erpDataset } from './support/erp-data.js';
import { FakeErpPort } from './support/fake-erp.js';
import { TEST_FORWARDING_ENV } from '../support/identity.js';
import { subgraphGraphQL } from './support/graphql-client.js';

const postGraphQL = subgraphGraphQL('erp');

const T0 = Date.parse('2026-11-23T12:00:00.000Z');
const TTL_MS = 1_000;

const CREDIT = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Account {
        erpCustomerNumber
        credit {
          asOf
          stale
          limit {
            amount
          }
        }
        orders {
          number
          asOf
          stale
        }
      }
    }
  }
`;
const accounts = (...numbers: string[]) => ({
  representations: numbers.map((erpCustomerNumber) => ({ __typename: 'Account', erpCustomerNumber })),
});

let now = T0;
let server: RunningServer;
let erp: FakeErpPort;

beforeAll(async () => {
  erp = new FakeErpPort(erpDataset());
  const shield = parseShieldOptions({
    caches: { 'erp.customer': { ttlMs: TTL_MS }, 'erp.ordersByCustomer': { ttlMs: TTL_MS } },
    // One attempt per read: the test counts port calls.
    erp: { maxRetries: 0, breakerThreshold: 1_000 },
  });
  server = await startErpSubgraph(
    { ...loadErpSubgraphConfig({ SUBGRAPH_ERP_PORT: '0', ...TEST_FORWARDING_ENV }), shield },
    { erp, logger: captureLogger().logger, clock: () => new Date(now) },
  );
});
afterAll(() => server.close());
beforeEach(() => erp.recorder.reset());

describe('ERP subgraph: freshness through the cache', () => {
  it('serves a fresh read with its time, then answers from memory within the TTL', async () => {
    const first = await postGraphQL(server.url, CREDIT, accounts(customerNumber(10)));
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data._entities[0].credit).toEqual({
      asOf: new Date(T0).toISOString(),
      stale: false,
      limit: { amount: '10000.00' },
    });
    expect(first.body.data._entities[0].orders).toEqual([
      { number: 'S-P10', asOf: new Date(T0).toISOString(), stale: false },
    ]);
    expect(erp.recorder.counts()).toEqual({ customersByNumbers: 1, ordersByCustomers: 1 });

    now = T0 + TTL_MS / 2;
    const again = await postGraphQL(server.url, CREDIT, accounts(customerNumber(10)));
    expect(again.body).toEqual(first.body);
    expect(erp.recorder.counts()).toEqual({ customersByNumbers: 1, ordersByCustomers: 1 });
  });

  it('with the ERP down, serves a cached key stale and fails a cold key on its own path, in one request', async () => {
    now = T0 + 10 * TTL_MS;
    erp.recorder.fail('customersByNumbers', new BackendError('erp', 'unavailable', 'HTTP 503 from the ERP'));
    erp.recorder.fail('ordersByCustomers', new BackendError('erp', 'timeout', 'no answer'));

    const response = await postGraphQL(server.url, CREDIT, accounts(customerNumber(10), customerNumber(11)));

    expect(response.body.data._entities).toEqual([
      {
        erpCustomerNumber: 'C00010',
        credit: { asOf: new Date(T0).toISOString(), stale: true, limit: { amount: '10000.00' } },
        orders: [{ number: 'S-P10', asOf: new Date(T0).toISOString(), stale: true }],
      },
      { erpCustomerNumber: 'C00011', credit: null, orders: null },
    ]);
    expect(response.body.errors!.map((e) => [e.path, e.extensions])).toEqual([
      [['_entities', 1, 'credit'], { code: 'ERP_UNAVAILABLE' }],
      [['_entities', 1, 'orders'], { code: 'ERP_UNAVAILABLE' }],
    ]);
    // One batch per kind for both keys: the refresh of the stale key and the read of the cold one.
    expect(erp.recorder.callsOf('customersByNumbers').map((call) => call.input)).toEqual([['C00010', 'C00011']]);
  });

  it('refreshes once the ERP is back', async () => {
    now = T0 + 11 * TTL_MS;
    const response = await postGraphQL(server.url, CREDIT, accounts(customerNumber(10)));
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data._entities[0].credit).toMatchObject({ asOf: new Date(now).toISOString(), stale: false });
    expect(erp.recorder.counts()).toEqual({ customersByNumbers: 1, ordersByCustomers: 1 });
  });
});
