// Partner row scope in the ERP subgraph, called directly (port 0) with forwarded identities, over a
// fake ERP port that records every call: entity references (Account by customer number, Order by
// number), Query.order, and everything reachable from an order, invoice or shipment. A partner gets
// nothing of another customer's, never looks another customer up, and stays batched; other roles
// make exactly the calls they made before scoping existed.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../lib/http-server.js';
import type { Identity } from '../../lib/identity.js';
import { loadErpSubgraphConfig, startErpSubgraph } from '../../subgraphs/erp/index.js';
import { customerNumber, erpDataset, order } from '../subgraphs/support/erp-data.js';
import { FakeErpPort } from '../subgraphs/support/fake-erp.js';
import { subgraphGraphQL } from '../subgraphs/support/graphql-client.js';
import { passThroughShield } from '../subgraphs/support/pass-through-shield.js';
import { captureLogger } from '../subgraphs/support/capture-logger.js';
import { forwardedIdentityHeaders, testIdentity, TEST_FORWARDING_ENV } from '../support/identity.js';

const postGraphQL = subgraphGraphQL('erp');

const NOW = new Date('2026-11-24T12:00:00Z');
const C1 = customerNumber(1);
const C2 = customerNumber(2);
const C3 = customerNumber(3);
const C4 = customerNumber(4);
const PARTNER = testIdentity('partner', { id: 'P-ONE', customers: [C1, C3] });

/** Everything a partner may select on an Account of this subgraph (no credit internals). */
const ACCOUNT_FIELDS = `
  erpCustomerNumber
  credit { onHold currency paymentTerms { code } }
  billingAddress { city }
  openInvoices { number customerNumber order { number customerNumber } }
  orders { number customerNumber shipments { number customerNumber order { number customerNumber } } account { erpCustomerNumber } }
  shipments { number customerNumber order { number customerNumber } }
`;

const ACCOUNT_ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Account { ${ACCOUNT_FIELDS} } } }`;
const ORDER_ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Order { number customerNumber lines { itemNumber product { name } } shipments { number customerNumber } account { erpCustomerNumber orders { number } } }
  }
}`;

let server: RunningServer;
let erp: FakeErpPort;
const log = captureLogger();

beforeAll(async () => {
  const data = erpDataset();
  // Records that point across customers (the ERP's data is not ours to trust): an invoice of C3
  // naming C4's order, a shipment of C3's order posted to C4, C3's order found by number.
  data.orders.push(order('S-X4', C4));
  data.invoices.push({ ...data.invoices.find((i) => i.customerNumber === C3)!, number: 'INV-X', orderNumber: 'S-X4' });
  data.shipments.push({ ...data.shipments.find((s) => s.customerNumber === C3)!, number: 'SH-X4', customerNumber: C4 });
  erp = new FakeErpPort(data);
  const config = {
    ...loadErpSubgraphConfig({ SUBGRAPH_ERP_PORT: '0', ...TEST_FORWARDING_ENV }),
    shield: passThroughShield(),
  };
  server = await startErpSubgraph(config, { erp, logger: log.logger, clock: () => NOW });
});
afterAll(() => server?.close());
beforeEach(() => erp.recorder.reset());

async function post(identity: Identity, query: string, variables: Record<string, unknown> = {}) {
  const response = await postGraphQL(server.url, query, variables, {}, identity);
  expect(response.status).toBe(200);
  return response.body;
}

/** Every customer number anywhere in a response. */
function customersIn(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string' && /^C\d{5}$/i.test(value)) found.add(value);
  else if (Array.isArray(value)) value.forEach((v) => customersIn(v, found));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => customersIn(v, found));
  return found;
}

const accountRefs = (numbers: readonly string[]) => ({
  representations: numbers.map((erpCustomerNumber) => ({ __typename: 'Account', erpCustomerNumber })),
});

describe('ERP subgraph: Account references', () => {
  it('a partner gets its customers only; the others are null and never looked up', async () => {
    const numbers = [
      C1,
      C2,
      C3,
      C4,
      C1.toLowerCase(),
      'C99999',
      ...Array.from({ length: 30 }, (_, i) => customerNumber(i + 10)),
    ];
    const body = await post(PARTNER, ACCOUNT_ENTITIES, accountRefs(numbers));
    expect(body.errors).toBeUndefined();
    const entities = body.data._entities as Array<{ erpCustomerNumber: string } | null>;
    expect(entities.map((e) => e?.erpCustomerNumber ?? null)).toEqual(
      numbers.map((n) => (n === C1 || n === C3 ? n : null)),
    );
    expect([...customersIn(body.data)].sort()).toEqual([C1, C3]);
    // The cross-customer records of C3 are gone: INV-X's order (C4's) is null, SH-X4 is left out.
    const c3 = entities[2] as any;
    expect(c3.openInvoices.find((i: any) => i.number === 'INV-X').order).toBeNull();
    expect(c3.orders[0].shipments.map((s: any) => s.number)).not.toContain('SH-X4');
    // One call per kind, and only for the partner's own customers.
    expect(erp.recorder.counts()).toMatchObject({
      customersByNumbers: 1,
      openInvoicesByCustomers: 1,
      ordersByCustomers: 1,
      shipmentsByCustomers: 1,
    });
    for (const method of [
      'customersByNumbers',
      'openInvoicesByCustomers',
      'ordersByCustomers',
      'shipmentsByCustomers',
    ] as const) {
      expect(erp.recorder.callsOf(method)[0]!.input).toEqual([C1, C3]);
    }
  });

  it('a partner with no customer of this request in scope makes no ERP call', async () => {
    const body = await post(PARTNER, ACCOUNT_ENTITIES, accountRefs([C2, C4]));
    expect(body).toEqual({ data: { _entities: [null, null] } });
    expect(erp.recorder.calls).toEqual([]);
  });

  it('other roles see every customer with the same calls as before scoping', async () => {
    const numbers = [C1, C2, C3, C4];
    const body = await post(testIdentity('finance'), ACCOUNT_ENTITIES, accountRefs(numbers));
    expect(body.errors).toBeUndefined();
    expect(body.data._entities.map((e: any) => e.erpCustomerNumber)).toEqual(numbers);
    const c3 = body.data._entities[2];
    expect(c3.openInvoices.find((i: any) => i.number === 'INV-X').order).toEqual({
      number: 'S-X4',
      customerNumber: C4,
    });
    expect(erp.recorder.callsOf('customersByNumbers').map((c) => c.input)).toEqual([numbers]);
    expect(erp.recorder.counts()).toEqual({
      customersByNumbers: 1,
      paymentTermsByIds: 1,
      openInvoicesByCustomers: 1,
      ordersByNumbers: 1,
      ordersByCustomers: 1,
      shipmentsByOrderNumbers: 1,
      shipmentsByCustomers: 1,
    });
  });
});

describe('ERP subgraph: orders by number', () => {
  it('Query.order: another customer’s order is null, exactly like an order that does not exist', async () => {
    const query = `{ own: order(number: "S-1") { number customerNumber } foreign: order(number: "S-7") { number } missing: order(number: "S-404") { number } }`;
    const body = await post(PARTNER, query);
    expect(body).toEqual({ data: { own: { number: 'S-1', customerNumber: C1 }, foreign: null, missing: null } });
    expect(erp.recorder.counts()).toEqual({ ordersByNumbers: 1 });
  });

  it('Order references: only the partner’s orders resolve, with their own shipments and account, batched', async () => {
    const numbers = ['S-1', 'S-7', 'S-P3', 'S-X4', 'S-P4', 'S-404'];
    const body = await post(PARTNER, ORDER_ENTITIES, {
      representations: numbers.map((number) => ({ __typename: 'Order', number })),
    });
    expect(body.errors).toBeUndefined();
    expect(body.data._entities.map((o: any) => o?.number ?? null)).toEqual(['S-1', null, 'S-P3', null, null, null]);
    expect([...customersIn(body.data)].sort()).toEqual([C1, C3]);
    // S-P3's shipments: SH-P3 only (SH-X4 was posted to C4).
    expect(body.data._entities[2].shipments).toEqual([{ number: 'SH-P3', customerNumber: C3 }]);
    expect(erp.recorder.counts()).toEqual({
      ordersByNumbers: 1,
      itemsByNumbers: 1,
      shipmentsByOrderNumbers: 1,
      ordersByCustomers: 1,
    });
    expect(erp.recorder.callsOf('ordersByCustomers')[0]!.input).toEqual([C1, C3]);
  });
});
