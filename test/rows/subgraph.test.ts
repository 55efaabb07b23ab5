// The ERP subgraph's row-query root fields over the Business Central adapter and the ERP emulator
// (Business Central's filter rules), called as the gateway calls them (forwarded identity): argument
// checks, totalCount asked of the ERP only when selected, a partner's scope that no filter escapes,
// stable paging, the Customer type and the line fields, and the short-TTL page cache.
import { ENTITY_SETS as ODATA_SETS } from '../../gateway/odata/entity-model.js';
import { ROW_CATALOG, type RowRootField } from '../../subgraphs/erp/rows/catalog.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../lib/http-server.js';
import type { Identity } from '../../lib/identity.js';
import { loadErpSubgraphConfig, startErpSubgraph } from '../../subgraphs/erp/index.js';
import { applyRowQuery } from '../../connectors/erp/row-evaluate.js';
import { buildRowQuery } from '../../subgraphs/erp/resolvers/rows.js';
import { forwardedIdentityHeaders, testIdentity, TEST_FORWARDING_ENV } from '../support/identity.js';
import { createTempDir, type TempDir } from '../support/temp-dir.js';
import { captureLogger } from '../subgraphs/support/capture-logger.js';
import { subgraphGraphQL } from '../subgraphs/support/graphql-client.js';
import { passThroughShield } from '../subgraphs/support/pass-through-shield.js';
import { optionsOf, startBcFixture, TODAY, type BcFixture } from './support.js';

const postGraphQL = subgraphGraphQL('erp');

let fx: BcFixture;
let server: RunningServer;
let dataDir: TempDir;
let c: string[];
const log = captureLogger();

beforeAll(async () => {
  fx = await startBcFixture({ accounts: 30, invoices: 600 });
  c = fx.dataset.customers.map((customer) => customer.number);
  dataDir = createTempDir('rows-subgraph');
  const config = {
    ...loadErpSubgraphConfig({ SUBGRAPH_ERP_PORT: '0', DATA_DIR: dataDir.path, ...TEST_FORWARDING_ENV }),
    shield: passThroughShield(),
  };
  server = await startErpSubgraph(config, {
    erp: fx.port,
    logger: log.logger,
    clock: () => new Date(`${TODAY}T12:00:00Z`),
  });
});
afterAll(async () => {
  await server?.close();
  await fx?.close();
  dataDir?.remove();
});
beforeEach(() => fx.resetStats());

const integration = testIdentity('integration');
const partnerOf = (...customers: string[]) => testIdentity('partner', { id: 'P-TEST', customers });

async function query(identity: Identity, text: string, variables: Record<string, unknown> = {}) {
  return postGraphQL(server.url, text, variables, {}, identity);
}

const INVOICES = /* GraphQL */ `
  query ($where: RowFilter, $search: String, $orderBy: [RowOrder!], $first: Int!, $skip: Int) {
    invoices(where: $where, search: $search, orderBy: $orderBy, first: $first, skip: $skip) {
      totalCount
      nodes {
        number
        customerNumber
        status
        dueDate
        total {
          amount
          currency
        }
      }
    }
  }
`;

describe('arguments', () => {
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    [
      'an unknown field',
      { where: { field: 'secret', op: 'EQ', value: 'x' } },
      'where',
      /where\.field: 'secret' is not a field of invoices; known: number, customerNumber/,
    ],
    [
      'two shapes at once',
      { where: { field: 'number', op: 'EQ', value: 'x', and: [] } },
      'where',
      /exactly one of and, or, not, or a comparison/,
    ],
    ['an empty and', { where: { and: [] } }, 'where', /where\.and: must list at least one filter/],
    [
      'an op the type has not',
      { where: { field: 'dueDate', op: 'CONTAINS', value: '2026' } },
      'where',
      /CONTAINS applies to text fields/,
    ],
    [
      'ordering an enum',
      { where: { field: 'status', op: 'GT', value: 'OPEN' } },
      'where',
      /GT does not apply to 'status' \(an enum\)/,
    ],
    [
      'a bad date',
      {
        where: {
          or: [
            { field: 'number', op: 'EQ', value: 'x' },
            { field: 'dueDate', op: 'GE', value: '2026-02-30' },
          ],
        },
      },
      'where',
      /where\.or\[1\]\.value: '2026-02-30' is not a date/,
    ],
    ['a bad decimal', { where: { field: 'total', op: 'GT', value: '1,5' } }, 'where', /is not a decimal/],
    [
      'an enum by its port name',
      { where: { field: 'status', op: 'EQ', value: 'open' } },
      'where',
      /is not one of DRAFT, IN_REVIEW, OPEN/,
    ],
    [
      'a value for IS_NULL',
      { where: { field: 'orderNumber', op: 'IS_NULL', value: 'x' } },
      'where',
      /IS_NULL takes neither value nor values/,
    ],
    ['IN without values', { where: { field: 'number', op: 'IN', value: 'x' } }, 'where', /IN takes values, not value/],
    [
      'IN with 201 values',
      { where: { field: 'number', op: 'IN', values: Array.from({ length: 201 }, (_, i) => `SI-${i}`) } },
      'where',
      /IN takes 1 to 200 values/,
    ],
    ['first 0', { first: 0 }, 'first', /first must be 1 to 2000/],
    ['first 2001', { first: 2001 }, 'first', /first must be 1 to 2000/],
    ['a negative skip', { skip: -1 }, 'skip', /skip must be 0 or more/],
    [
      'an unknown order field',
      { orderBy: [{ field: 'secret' }] },
      'orderBy',
      /orderBy\[0\]\.field: 'secret' is not a field of invoices/,
    ],
  ])('refuses %s with BAD_USER_INPUT, asking the ERP nothing', async (_name, variables, argumentName, message) => {
    const response = await query(integration, INVOICES, { first: 10, ...variables });
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors).toHaveLength(1);
    // Valid queries the ERP cannot run are marked, so the OData bridge answers them 501, not 400.
    expect(response.body.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName });
    expect(response.body.errors![0]!.message).toMatch(message);
    expect(await fx.reads('salesInvoices')).toEqual([]);
  });
});

describe('what the ERP cannot evaluate is evaluated on the rows it reads', () => {
  it('NOT CONTAINS is answered, counted, and never sent to the ERP', async () => {
    const response = await query(integration, INVOICES, {
      first: 10,
      where: { not: { field: 'number', op: 'CONTAINS', value: '1' } },
    });
    expect(response.body.errors).toBeUndefined();
    const expected = applyRowQuery('salesInvoices', fx.rows('salesInvoices'), {
      filter: { kind: 'not', filter: { kind: 'text', field: 'number', op: 'contains', value: '1' } },
      top: 10,
      count: true,
    });
    expect(response.body.data.invoices.totalCount).toBe(expected.totalCount);
    expect(response.body.data.invoices.nodes.map((node: { number: string }) => node.number)).toEqual(
      expected.rows.map((row) => row.number),
    );
    for (const read of await fx.reads('salesInvoices'))
      expect(optionsOf(read).get('$filter') ?? '').not.toMatch(/\bnot\b/);
  });
});

describe('totalCount', () => {
  it('is counted by the ERP in the same request, only when selected', async () => {
    const where = { field: 'customerNumber', op: 'EQ', value: c[2] };
    const counted = await query(integration, INVOICES, { where, first: 3 });
    expect(counted.body.errors).toBeUndefined();
    const expected = applyRowQuery('salesInvoices', fx.rows('salesInvoices'), {
      filter: { kind: 'compare', field: 'customerNumber', op: 'eq', value: c[2]! },
      top: 1,
      count: true,
    });
    expect(counted.body.data.invoices.totalCount).toBe(expected.totalCount);
    expect(optionsOf((await fx.reads('salesInvoices'))[0]!).get('$count')).toBe('true');

    await fx.resetStats();
    const viaFragment = await query(
      integration,
      `query ($w: RowFilter) { invoices(where: $w, first: 3) { ...Counted } } fragment Counted on InvoicePage { ... on InvoicePage { totalCount } }`,
      { w: where },
    );
    expect(viaFragment.body.data.invoices.totalCount).toBe(expected.totalCount);
    expect(optionsOf((await fx.reads('salesInvoices'))[0]!).get('$count')).toBe('true');

    await fx.resetStats();
    const uncounted = await query(
      integration,
      `query ($w: RowFilter) { invoices(where: $w, first: 3) { nodes { number } } }`,
      { w: where },
    );
    expect(uncounted.body.data.invoices.nodes).toHaveLength(3);
    const reads = await fx.reads('salesInvoices');
    expect(reads).toHaveLength(1);
    expect(optionsOf(reads[0]!).has('$count')).toBe(false);
  });
});

describe('partner scope', () => {
  it('an `or` (or a `not`) in the filter cannot reach past the scope', async () => {
    const partner = partnerOf(c[0]!, c[1]!);
    const escape = {
      or: [
        { field: 'customerNumber', op: 'EQ', value: c[5] },
        { field: 'number', op: 'IS_NOT_NULL' },
      ],
    };
    const response = await query(partner, INVOICES, { where: escape, first: 2000 });
    expect(response.body.errors).toBeUndefined();
    const mine = fx.rows('salesInvoices').filter((i) => i.customerNumber === c[0] || i.customerNumber === c[1]);
    expect(response.body.data.invoices.totalCount).toBe(mine.length);
    expect(new Set(response.body.data.invoices.nodes.map((n: { customerNumber: string }) => n.customerNumber))).toEqual(
      new Set([c[0], c[1]]),
    );

    const negated = await query(partner, INVOICES, {
      where: { not: { field: 'customerNumber', op: 'IN', values: [c[0], c[1]] } },
      first: 10,
    });
    expect(negated.body.data.invoices).toEqual({ totalCount: 0, nodes: [] });
  });

  it('scopes every customer row set, not the catalog; an empty scope has nothing to ask', async () => {
    const partner = partnerOf(c[3]!);
    const response = await query(
      partner,
      `{
        customers(first: 50) { totalCount nodes { number } }
        orders(first: 50) { nodes { customerNumber } }
        orderLines(first: 50) { nodes { customerNumber orderNumber } }
        shipments(first: 50) { nodes { customerNumber } }
        products(first: 5) { totalCount }
      }`,
    );
    expect(response.body.errors).toBeUndefined();
    const data = response.body.data;
    expect(data.customers).toEqual({ totalCount: 1, nodes: [{ number: c[3] }] });
    for (const set of ['orders', 'orderLines', 'shipments'] as const) {
      expect(data[set].nodes.length).toBeGreaterThan(0);
      expect(data[set].nodes.every((n: { customerNumber: string }) => n.customerNumber === c[3])).toBe(true);
    }
    expect(data.products.totalCount).toBe(fx.dataset.items.length);

    // (The gateway forwards no partner without customers; should one arrive, there is no query to run.)
    const nobody = testIdentity('partner', { id: 'P-NONE', customers: [] });
    expect(buildRowQuery('invoices', { first: 5, skip: 0 }, { identity: nobody }, true)).toBeNull();
    expect(buildRowQuery('products', { first: 5, skip: 0 }, { identity: nobody }, false)).toEqual({ top: 5 });
  });

  it("a partner may not filter or sort by what it may not read (Customer.blocked, the hold reason's source)", async () => {
    const partner = partnerOf(c[0]!, c[1]!);
    const page =
      'query ($w: RowFilter, $o: [RowOrder!]) { customers(where: $w, orderBy: $o, first: 10) { nodes { number } } }';
    for (const variables of [
      { w: { field: 'blocked', op: 'EQ', value: 'ALL' } },
      {
        w: {
          or: [{ field: 'name', op: 'CONTAINS', value: 'a' }, { not: { field: 'blocked', op: 'EQ', value: 'NONE' } }],
        },
      },
      { o: [{ field: 'name' }, { field: 'blocked', descending: true }] },
    ]) {
      const response = await query(partner, page, variables);
      expect(response.body.data ?? null).toBeNull();
      expect(response.body.errors).toHaveLength(1);
      expect(response.body.errors![0]!.extensions).toEqual({ code: 'FORBIDDEN', fields: ['Customer.blocked'] });
      expect(response.body.errors![0]!.message).toMatch(
        /^The partner role may not filter, sort or search by Customer\.blocked/,
      );
    }
    expect(await fx.reads('customers')).toEqual([]);
    // Other roles may; the partner may by what it reads.
    const sales = await query(testIdentity('sales'), page, {
      w: { field: 'blocked', op: 'EQ', value: 'NONE' },
      o: [{ field: 'blocked' }],
    });
    expect(sales.body.errors).toBeUndefined();
    expect(sales.body.data.customers.nodes.length).toBeGreaterThan(0);
    const byName = await query(partner, page, { w: { field: 'name', op: 'IS_NOT_NULL' }, o: [{ field: 'name' }] });
    expect(byName.body.errors).toBeUndefined();
    expect(byName.body.data.customers.nodes).toHaveLength(2);
  });
});

describe('paging', () => {
  it('skip through a non-unique order returns every row exactly once', async () => {
    const where = { field: 'customerNumber', op: 'IN', values: c.slice(0, 5) };
    const first = await query(integration, INVOICES, { where, orderBy: [{ field: 'status' }], first: 1 });
    const total: number = first.body.data.invoices.totalCount;
    expect(total).toBeGreaterThan(60);
    const seen: string[] = [];
    for (let skip = 0; skip < total; skip += 25) {
      const page = await query(
        integration,
        `query ($w: RowFilter, $s: Int) { invoices(where: $w, orderBy: [{ field: "status" }], first: 25, skip: $s) { nodes { number } } }`,
        {
          w: where,
          s: skip,
        },
      );
      seen.push(...page.body.data.invoices.nodes.map((n: { number: string }) => n.number));
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('search matches the searchable fields case-insensitively', async () => {
    const response = await query(integration, INVOICES, {
      search: ` ${c[7]!.toLowerCase()} `,
      orderBy: [{ field: 'dueDate', descending: true }],
      first: 5,
    });
    expect(response.body.errors).toBeUndefined();
    const all = fx
      .rows('salesInvoices')
      .filter((i) =>
        [i.number, i.customerNumber, i.orderNumber ?? ''].some((t) => t.toLowerCase().includes(c[7]!.toLowerCase())),
      );
    expect(response.body.data.invoices.totalCount).toBe(all.length);
    expect(response.body.data.invoices.nodes.every((n: { customerNumber: string }) => n.customerNumber === c[7])).toBe(
      true,
    );
  });
});

describe('search matches only what the rows serve', () => {
  it('an invoice is not found by its external document number, which Invoice does not serve', async () => {
    const invoices = fx.rows('salesInvoices');
    const served = (i: (typeof invoices)[number]) =>
      [i.number, i.customerNumber, i.orderNumber ?? ''].map((t) => t.toLowerCase());
    const hidden = invoices
      .map((i) => i.externalDocumentNumber)
      .find(
        (ext) =>
          ext !== null && ext.length > 3 && !invoices.some((i) => served(i).some((t) => t.includes(ext.toLowerCase()))),
      );
    expect(hidden).toBeDefined();
    const response = await query(integration, INVOICES, { search: hidden, first: 5 });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.invoices).toMatchObject({ totalCount: 0, nodes: [] });
  });

  it('every search field of every row query is a property the OData entity set serves', () => {
    for (const set of ODATA_SETS) {
      const entry = ROW_CATALOG[set.rootField as RowRootField];
      const filterable = new Set(set.properties.map((property) => property.field));
      for (const field of entry.search) expect(filterable, `${set.name}: ${field}`).toContain(field);
    }
  });
});

describe('types', () => {
  it('Customer: the credit summary of Account.credit, an Account reference, freshness', async () => {
    const response = await query(
      integration,
      `{ customers(where: { field: "number", op: EQ, value: "${c[0]}" }, first: 1) {
          nodes { number name currency blocked asOf stale address { city } account { erpCustomerNumber }
                  credit { limit { amount } available { amount } onHold asOf } } } }`,
    );
    expect(response.body.errors).toBeUndefined();
    const [node] = response.body.data.customers.nodes;
    const customer = fx.rows('customers')[0]!;
    expect(node).toMatchObject({
      number: c[0],
      name: customer.name,
      blocked: 'NONE',
      stale: false,
      account: { erpCustomerNumber: c[0] },
    });
    expect(node.credit.limit.amount).toBe(customer.creditLimit);
    expect(typeof node.credit.available.amount).toBe('string');
    expect(node.credit.asOf).toBe(node.asOf);
  });

  it('order lines carry their order number and customer, from Order.lines and from orderLines', async () => {
    const response = await query(
      integration,
      `{ orders(where: { field: "customerNumber", op: EQ, value: "${c[1]}" }, first: 1) { nodes { number lines { orderNumber customerNumber sequence } } }
         orderLines(where: { field: "customerNumber", op: EQ, value: "${c[1]}" }, orderBy: [{ field: "amount", descending: true }], first: 3) {
           totalCount nodes { orderNumber customerNumber amount { amount currency } } } }`,
    );
    expect(response.body.errors).toBeUndefined();
    const order = response.body.data.orders.nodes[0];
    expect(
      order.lines.every(
        (l: { orderNumber: string; customerNumber: string }) =>
          l.orderNumber === order.number && l.customerNumber === c[1],
      ),
    ).toBe(true);
    const lines = response.body.data.orderLines.nodes;
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l: { customerNumber: string }) => l.customerNumber === c[1])).toBe(true);
    const amounts = lines.map((l: { amount: { amount: string } }) => Number(l.amount.amount));
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
  });
});
