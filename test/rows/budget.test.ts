// The ERP read budget (connectors/erp/business-central/row-query.ts): the rows one row query asks
// Business Central for ($top, summed over every request it makes) stay within the budget, and a query
// that would need more is refused before the requests that would go over (before any, when the plan
// tells), naming the budget and what to narrow. Order lines are read through their orders only as
// far as the page needs. Against the ERP emulator under Business Central's filter rules; every
// answer that is given must equal the query evaluated in memory over the dataset.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBusinessCentralAdapter } from '../../connectors/erp/business-central/adapter.js';
import { applyRowQuery } from '../../connectors/erp/row-evaluate.js';
import type { ErpPort, RowFilter, RowQuery, RowSet } from '../../connectors/erp/port.js';
import { loadErpEmulatorConfig } from '../../emulators/erp/index.js';
import type { RecentRequest } from '../../emulators/common/traffic.js';
import type { RunningServer } from '../../lib/http-server.js';
import { createLogger } from '../../lib/logger.js';
import { loadErpSubgraphConfig, startErpSubgraph } from '../../subgraphs/erp/index.js';
import { forwardedIdentityHeaders, testIdentity, TEST_FORWARDING_ENV } from '../support/identity.js';
import { createTempDir, type TempDir } from '../support/temp-dir.js';
import { captureLogger } from '../subgraphs/support/capture-logger.js';
import { postGraphQL } from '../subgraphs/support/graphql-client.js';
import { passThroughShield } from '../subgraphs/support/pass-through-shield.js';
import { ctx, optionsOf, startBcFixture, TODAY, type BcFixture } from './support.js';

let fx: BcFixture;
let c: string[];

beforeAll(async () => {
  fx = await startBcFixture({ accounts: 30, invoices: 600 });
  c = fx.dataset.customers.map((customer) => customer.number);
});
afterAll(() => fx.close());
beforeEach(() => fx.resetStats());

/** The Business Central adapter on the fixture's emulator, with its own read budget. */
function adapterWithBudget(rowReadBudget: number): Required<Pick<ErpPort, 'queryRows'>> {
  const { credentials } = loadErpEmulatorConfig({});
  return createBusinessCentralAdapter(
    {
      kind: 'business-central',
      baseUrl: fx.emulator.apiUrl,
      tokenUrl: fx.emulator.tokenUrl,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      scope: 'https://api.businesscentral.dynamics.com/.default',
      timeoutMs: 20_000,
      rowReadBudget,
    },
    createLogger('test-rows-budget', 'silent'),
  ) as Required<Pick<ErpPort, 'queryRows'>>;
}

const eq = (field: string, value: string | number | boolean): RowFilter => ({ kind: 'compare', field, op: 'eq', value });
const cmp = (field: string, op: 'gt' | 'ge' | 'lt' | 'le', value: string | number): RowFilter => ({ kind: 'compare', field, op, value });
const and = (...filters: RowFilter[]): RowFilter => ({ kind: 'and', filters });
const or = (...filters: RowFilter[]): RowFilter => ({ kind: 'or', filters });
const isNull = (field: string): RowFilter => ({ kind: 'null', field, isNull: true });

/** Rows asked of the ERP by these requests: their $top. */
const asked = (reads: readonly RecentRequest[]) => reads.reduce((sum, read) => sum + Number(optionsOf(read).get('$top') ?? 0), 0);

async function expectSame<S extends RowSet>(set: S, query: RowQuery, port: Required<Pick<ErpPort, 'queryRows'>> = fx.port): Promise<void> {
  const expected = applyRowQuery(set, fx.rows(set), query);
  const actual = await port.queryRows(set, query, ctx);
  expect(actual.totalCount).toBe(expected.totalCount);
  expect(actual.rows).toEqual(expected.rows);
}

/** Four ORs of two order fields each: 2^4 = 16 branch requests (BC cannot OR distinct fields). */
const SIXTEEN_BRANCHES = and(
  or(eq('status', 'open'), eq('currency', 'EUR')),
  or(eq('fullyShipped', false), cmp('orderDate', 'ge', '2026-01-01')),
  or(isNull('externalDocumentNumber'), cmp('totalIncludingTax', 'gt', '100')),
  or(isNull('requestedDeliveryDate'), cmp('totalExcludingTax', 'lt', '100000')),
);

describe('unions of branches', () => {
  it('a deep page of a 16-branch union is refused before any request (16 x 4,999 rows)', async () => {
    const query: RowQuery = { filter: SIXTEEN_BRANCHES, top: 1, skip: 4_998, count: true };
    await expect(fx.port.queryRows('salesOrders', query, ctx)).rejects.toThrow(
      /salesOrders: this filter takes 16 ERP requests \(it ORs different fields\) of skip \+ first = 4,999 rows each, 79,984 rows, over the ERP read budget of 10,000 rows per query; lower skip or first, or narrow the filter/,
    );
    expect(await fx.reads('salesOrders')).toEqual([]);
    // Its first page is 16 requests of one row (and the keys of the matches, for the count).
    await expectSame('salesOrders', { ...query, skip: 0 });
    const reads = await fx.reads('salesOrders');
    expect(reads.slice(0, 16).every((read) => optionsOf(read).get('$top') === '1')).toBe(true);
    expect(asked(reads)).toBeLessThanOrEqual(10_000);
  });

  it('the budget is configurable: branches x (skip + first) up to it run, one row more is refused', async () => {
    const port = adapterWithBudget(3_000);
    const union = or(eq('customerNumber', c[1]!), eq('status', 'open'));
    await expectSame('salesInvoices', { filter: union, orderBy: [{ field: 'dueDate' }], top: 500, skip: 1_000 }, port);
    expect(asked(await fx.reads('salesInvoices'))).toBe(3_000);
    await fx.resetStats();
    await expect(port.queryRows('salesInvoices', { filter: union, top: 500, skip: 1_001 }, ctx)).rejects.toThrow(/3,002 rows, over the ERP read budget of 3,000 rows/);
    await expect(port.queryRows('salesInvoices', { filter: union, top: 1_501 }, ctx)).rejects.toThrow(/over the ERP read budget of 3,000 rows per query; ask for fewer rows \(first\)/);
    expect(await fx.reads('salesInvoices')).toEqual([]);
  });

  it('a long list split into requests (a partner of 150 customers) counts every request', async () => {
    const values = [...c, ...Array.from({ length: 120 }, (_, i) => `Z${String(i).padStart(5, '0')}`)];
    const port = adapterWithBudget(1_000);
    const query: RowQuery = { filter: { kind: 'in', field: 'customerNumber', values }, top: 400, skip: 101 };
    await expect(port.queryRows('salesInvoices', query, ctx)).rejects.toThrow(/2 ERP requests \(it lists more than 100 values of one field\) of skip \+ first = 501 rows each, 1,002 rows/);
    await expectSame('salesInvoices', { ...query, skip: 100 }, port);
  });

  it('the keys a count needs (more than three ORed fields) are not read when they would go over', async () => {
    const branches = [eq('customerNumber', c[1]!), eq('status', 'open'), cmp('dueDate', 'lt', '2022-06-01'), eq('currency', 'EUR')];
    const filter = or(...branches);
    const matches = branches.reduce((sum, branch) => sum + applyRowQuery('salesInvoices', fx.rows('salesInvoices'), { filter: branch, top: 1, count: true }).totalCount!, 0);
    const budget = 40 + matches - 1;
    await expect(adapterWithBudget(budget).queryRows('salesInvoices', { filter, top: 10, count: true }, ctx)).rejects.toThrow(
      new RegExp(`reading the keys of its ${matches.toLocaleString('en-US')} matches after 40 rows, over the ERP read budget of ${budget.toLocaleString('en-US')} rows per query; ask without totalCount`),
    );
    // The four branch pages were read; the keys were not.
    const reads = await fx.reads('salesInvoices');
    expect(reads).toHaveLength(4);
    expect(reads.some((read) => optionsOf(read).get('$select') === 'number')).toBe(false);
    await fx.resetStats();
    await expectSame('salesInvoices', { filter, top: 10, count: true }, adapterWithBudget(budget + 1));
  });

  it('one request: a page larger than the budget is refused, deep pages are not (BC skips on its side)', async () => {
    const port = adapterWithBudget(500);
    await expect(port.queryRows('salesInvoices', { top: 501 }, ctx)).rejects.toThrow(/a page of 501 rows, over the ERP read budget of 500 rows/);
    expect(await fx.reads('salesInvoices')).toEqual([]);
    await expectSame('salesInvoices', { top: 500, skip: 150 }, port);
  });
});

describe('order lines: their orders are read only as far as the page needs', () => {
  it('orderLines(first: 1) reads one order, not every order', async () => {
    expect(fx.dataset.salesOrders.length).toBeGreaterThan(100);
    await expectSame('salesOrderLines', { top: 1 });
    const reads = await fx.reads('salesOrders');
    expect(reads).toHaveLength(1);
    expect(Object.fromEntries(['$top', '$orderby', '$count'].map((o) => [o, optionsOf(reads[0]!).get(o)]))).toEqual({ $top: '1', $orderby: 'number', $count: null });
  });

  it.each<[string, () => RowQuery]>([
    ['a page further on', () => ({ top: 25, skip: 40 })],
    ['orderNumber descending, then amount within the order', () => ({ orderBy: [{ field: 'orderNumber', descending: true }, { field: 'amount' }], top: 15, skip: 7 })],
    ['a line condition: chunk after chunk', () => ({ filter: cmp('quantity', 'gt', 8), top: 10, skip: 3 })],
    ['a line condition matching nothing: to the end', () => ({ filter: eq('itemNumber', 'NO-SUCH-ITEM'), top: 10 })],
    ['an OR of order fields: two branches merged in order', () => ({ filter: or(eq('customerNumber', c[1]!), eq('orderNumber', 'SO-100050')), top: 5, skip: 2 })],
    ['a partner of 150 customers: two requests merged in order', () => ({ filter: { kind: 'in', field: 'customerNumber', values: [...c.slice(0, 12), ...Array.from({ length: 138 }, (_, i) => `Z${i}`)] }, top: 30, skip: 10 })],
    ['search across order and line fields', () => ({ filter: and(eq('customerNumber', c[4]!), or({ kind: 'text', field: 'orderNumber', op: 'contains', value: '0' }, { kind: 'text', field: 'description', op: 'contains', value: 'a' })), top: 4 })],
  ])('%s', async (_name, query) => {
    await expectSame('salesOrderLines', query());
    expect(asked(await fx.reads('salesOrders'))).toBeLessThanOrEqual(2_000);
  });

  it('a page near the start reads fewer orders than there are', async () => {
    await expectSame('salesOrderLines', { top: 25, skip: 10 });
    expect(asked(await fx.reads('salesOrders'))).toBeLessThan(fx.dataset.salesOrders.length / 2);
  });

  it('in order-number order, more orders than the budget allows are refused, having asked for at most that many', async () => {
    const port = adapterWithBudget(40);
    await expect(port.queryRows('salesOrderLines', { filter: eq('itemNumber', 'NO-SUCH-ITEM'), top: 1, skip: 5 }, ctx)).rejects.toThrow(
      /salesOrderLines: the first 6 lines \(skip \+ first\) are not within the first 40 orders; order lines are read through their orders, at most 40 orders per query \(the ERP read budget is 40 rows, an order with its lines one row\): filter by orderNumber or customerNumber, or lower skip/,
    );
    expect(asked(await fx.reads('salesOrders'))).toBeLessThanOrEqual(40);
  });

  it('with a count (or another order): the orders are counted first, and too many refused before any is read', async () => {
    await expectSame('salesOrderLines', { filter: eq('customerNumber', c[2]!), top: 5, count: true });
    const reads = await fx.reads('salesOrders');
    expect(reads.map((read) => optionsOf(read).get('$top'))).toEqual(['0', String(fx.dataset.salesOrders.filter((o) => o.customerNumber === c[2]).length)]);
    expect(optionsOf(reads[0]!).get('$count')).toBe('true');

    await fx.resetStats();
    const port = adapterWithBudget(40);
    await expect(port.queryRows('salesOrderLines', { orderBy: [{ field: 'amount', descending: true }], top: 1 }, ctx)).rejects.toThrow(
      new RegExp(`this query matches ${fx.dataset.salesOrders.length} orders; order lines are read through their orders, at most 40 orders per query`),
    );
    expect(asked(await fx.reads('salesOrders'))).toBe(0);
  });

  it('orders named by number are read without counting them first', async () => {
    const numbers = fx.dataset.salesOrders.slice(3, 6).map((order) => order.number);
    await expectSame('salesOrderLines', { filter: { kind: 'in', field: 'orderNumber', values: numbers }, orderBy: [{ field: 'amount' }], top: 50, count: true });
    const reads = await fx.reads('salesOrders');
    expect(reads.map((read) => optionsOf(read).get('$top'))).toEqual(['3']);
  });
});

describe('through the ERP subgraph', () => {
  let server: RunningServer;
  let dataDir: TempDir;
  const integration = testIdentity('integration');

  beforeAll(async () => {
    dataDir = createTempDir('rows-budget');
    const config = { ...loadErpSubgraphConfig({ SUBGRAPH_ERP_PORT: '0', DATA_DIR: dataDir.path, ...TEST_FORWARDING_ENV }), shield: passThroughShield() };
    server = await startErpSubgraph(config, { erp: fx.port, logger: captureLogger().logger, clock: () => new Date(`${TODAY}T12:00:00Z`) });
  });
  afterAll(async () => {
    await server?.close();
    dataDir?.remove();
  });

  const post = async (text: string, variables: Record<string, unknown> = {}) =>
    postGraphQL(server.url, text, variables, await forwardedIdentityHeaders(integration));

  it('refuses the 16-branch deep page with BAD_USER_INPUT naming the budget, asking the ERP nothing', async () => {
    const two = (a: object, b: object) => ({ or: [a, b] });
    const where = {
      and: [
        two({ field: 'status', op: 'EQ', value: 'OPEN' }, { field: 'currency', op: 'EQ', value: 'EUR' }),
        two({ field: 'fullyShipped', op: 'EQ', value: 'false' }, { field: 'orderDate', op: 'GE', value: '2026-01-01' }),
        two({ field: 'externalDocumentNumber', op: 'IS_NULL' }, { field: 'total', op: 'GT', value: '100' }),
        two({ field: 'requestedDeliveryDate', op: 'IS_NULL' }, { field: 'totalExcludingTax', op: 'LT', value: '100000' }),
      ],
    };
    const response = await post('query ($where: RowFilter) { orders(first: 1, skip: 4998, where: $where) { totalCount nodes { number } } }', { where });
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'skip', unsupported: true });
    expect(response.body.errors![0]!.message).toMatch(/over the ERP read budget of 10,000 rows per query; lower skip/);
    expect(await fx.reads('salesOrders')).toEqual([]);
  });

  it('orderLines(first: 1) asks the ERP for one order', async () => {
    const response = await post('{ orderLines(first: 1) { nodes { orderNumber sequence } } }');
    expect(response.body.errors).toBeUndefined();
    const first = applyRowQuery('salesOrderLines', fx.rows('salesOrderLines'), { top: 1 }).rows[0]!;
    expect(response.body.data.orderLines.nodes).toEqual([{ orderNumber: first.orderNumber, sequence: first.sequence }]);
    expect((await fx.reads('salesOrders')).map((read) => optionsOf(read).get('$top'))).toEqual(['1']);
  });

  it('reads its budget from ERP_ROW_READ_BUDGET (at least one page of 2,000 rows)', () => {
    const config = (env: Record<string, string>) => loadErpSubgraphConfig({ ...TEST_FORWARDING_ENV, ...env }).connector.rowReadBudget;
    expect(config({})).toBe(10_000);
    expect(config({ ERP_ROW_READ_BUDGET: '25000' })).toBe(25_000);
    expect(() => config({ ERP_ROW_READ_BUDGET: '1999' })).toThrow(/ERP_ROW_READ_BUDGET/);
  });
});
