// The ERP read budget (connectors/erp/business-central/row-query.ts): the rows one row query asks
// Business Central for ($top, summed over every request it makes) stay within the budget, and a query
// that would need more is refused before the requests that would go over (before any, when the plan
// tells), naming the budget and what to narrow. Order lines are found in the Analytics API's
// salesLines and read with their orders, only those of the page. Against the ERP emulator under Business Central's filter rules; every
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
import { testIdentity, TEST_FORWARDING_ENV } from '../support/identity.js';
import { createTempDir, type TempDir } from '../support/temp-dir.js';
import { captureLogger } from '../subgraphs/support/capture-logger.js';
import { subgraphGraphQL } from '../subgraphs/support/graphql-client.js';
import { passThroughShield } from '../subgraphs/support/pass-through-shield.js';
import { ctx, optionsOf, startBcFixture, TODAY, type BcFixture } from './support.js';

const postGraphQL = subgraphGraphQL('erp');

let fx: BcFixture;
let c: string[];

beforeAll(async () => {
  fx = await startBcFixture({ accounts: 30, invoices: 600 });
  c = fx.dataset.customers.map((customer) => customer.number);
});
afterAll(() => fx.close());
beforeEach(() => fx.resetStats());

/** The Business Central adapter on the fixture's emulator, with its own read budget. */
function adapterWithBudget(rowReadBudget: number): ErpPort & Required<Pick<ErpPort, 'queryRows'>> {
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
  ) as ErpPort & Required<Pick<ErpPort, 'queryRows'>>;
}

const eq = (field: string, value: string | number | boolean): RowFilter => ({
  kind: 'compare',
  field,
  op: 'eq',
  value,
});
const cmp = (field: string, op: 'gt' | 'ge' | 'lt' | 'le', value: string | number): RowFilter => ({
  kind: 'compare',
  field,
  op,
  value,
});
const and = (...filters: RowFilter[]): RowFilter => ({ kind: 'and', filters });
const or = (...filters: RowFilter[]): RowFilter => ({ kind: 'or', filters });
const isNull = (field: string): RowFilter => ({ kind: 'null', field, isNull: true });
const not = (filter: RowFilter): RowFilter => ({ kind: 'not', filter });

/** Rows asked of the ERP by these requests: their $top. */
const asked = (reads: readonly RecentRequest[]) =>
  reads.reduce((sum, read) => sum + Number(optionsOf(read).get('$top') ?? 0), 0);

async function expectSame<S extends RowSet>(
  set: S,
  query: RowQuery,
  port: Required<Pick<ErpPort, 'queryRows'>> = fx.port,
): Promise<void> {
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
  it('a 16-branch union is read a chunk at a time: a deep page is answered when the union is small', async () => {
    const query: RowQuery = { filter: SIXTEEN_BRANCHES, top: 1, skip: 4_998, count: true };
    await expectSame('salesOrders', query);
    await expectSame('salesOrders', { ...query, skip: 0 });
    const reads = await fx.reads('salesOrders');
    expect(reads.length).toBeGreaterThanOrEqual(16);
    expect(asked(reads)).toBeLessThanOrEqual(2 * 10_000);
  });

  it('the budget is configurable: a union page within it is answered, one that needs more is refused having asked at most the budget', async () => {
    const port = adapterWithBudget(3_000);
    const union = or(eq('customerNumber', c[1]!), eq('status', 'paid'));
    await expectSame('salesInvoices', { filter: union, orderBy: [{ field: 'dueDate' }], top: 500, skip: 1_000 }, port);
    expect(asked(await fx.reads('salesInvoices'))).toBeLessThanOrEqual(3_000);
    await fx.resetStats();
    const small = adapterWithBudget(300);
    const matches = applyRowQuery('salesInvoices', fx.rows('salesInvoices'), {
      filter: union,
      top: 1,
      count: true,
    }).totalCount!;
    expect(matches).toBeGreaterThan(400);
    await expect(small.queryRows('salesInvoices', { filter: union, top: 100, skip: 300 }, ctx)).rejects.toThrow(
      /salesInvoices: finding the first 400 rows \(skip \+ first\) of this filter takes more rows than that \(it ORs different fields\), over the ERP read budget of 300 rows per query; lower skip or first/,
    );
    expect(asked(await fx.reads('salesInvoices'))).toBeLessThanOrEqual(300);
  });

  it('a long list split into requests (a partner of 150 customers) counts every request', async () => {
    const values = [...c, ...Array.from({ length: 120 }, (_, i) => `Z${String(i).padStart(5, '0')}`)];
    const port = adapterWithBudget(1_000);
    const query: RowQuery = { filter: { kind: 'in', field: 'customerNumber', values }, top: 400, skip: 101 };
    // Two requests of 501 rows each would be 1,002: the second round finds nothing left.
    await expect(port.queryRows('salesInvoices', query, ctx)).rejects.toThrow(
      /finding the first 501 rows \(skip \+ first\) of this filter takes more rows than that \(it lists more than 100 values of one field\), over the ERP read budget of 1,000 rows/,
    );
    expect(asked(await fx.reads('salesInvoices'))).toBeLessThanOrEqual(1_000);
    await expectSame('salesInvoices', { ...query, skip: 100, count: true }, port);
  });

  it('the keys a count needs (more than three ORed fields) are not read when they would go over', async () => {
    const branches = [
      eq('customerNumber', c[1]!),
      eq('status', 'open'),
      cmp('dueDate', 'lt', '2022-06-01'),
      eq('currency', 'EUR'),
    ];
    const filter = or(...branches);
    const matches = branches.reduce(
      (sum, branch) =>
        sum +
        applyRowQuery('salesInvoices', fx.rows('salesInvoices'), { filter: branch, top: 1, count: true }).totalCount!,
      0,
    );
    const budget = 40 + matches - 1;
    await expect(
      adapterWithBudget(budget).queryRows('salesInvoices', { filter, top: 10, count: true }, ctx),
    ).rejects.toThrow(
      new RegExp(
        `reading the keys of its ${matches.toLocaleString('en-US')} matches after the rows of the page, over the ERP read budget of ${budget.toLocaleString('en-US')} rows per query; ask without totalCount`,
      ),
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
    await expect(port.queryRows('salesInvoices', { top: 501 }, ctx)).rejects.toThrow(
      /a page of 501 rows, over the ERP read budget of 500 rows/,
    );
    expect(await fx.reads('salesInvoices')).toEqual([]);
    await expectSame('salesInvoices', { top: 500, skip: 150 }, port);
  });

  it('a negated text condition that BC cannot count from counts (ORed) reads what it may match, counted first, and no more than the budget', async () => {
    const filter = or(not({ kind: 'text', field: 'number', op: 'contains', value: '1' }), eq('status', 'paid'));
    await expect(
      adapterWithBudget(500).queryRows('salesInvoices', { filter, top: 5, count: true }, ctx),
    ).rejects.toThrow(
      /this query reads every row its filter may match \(\d[\d,]*\) to count it, as the ERP cannot evaluate all of the filter, over the ERP read budget of 500 rows per query; narrow the filter \(e\.g\. to one customer\), or ask without totalCount/,
    );
    expect(asked(await fx.reads('salesInvoices'))).toBe(0);
    await expectSame('salesInvoices', { filter, top: 5, count: true });
  });
});

describe("order lines: found in the Analytics API's salesLines, at any volume", () => {
  it('orderLines(first: 1) is one salesLines request and one order read', async () => {
    await expectSame('salesOrderLines', { top: 1 });
    const lines = await fx.reads('salesLines');
    expect(lines).toHaveLength(1);
    expect(Object.fromEntries(['$top', '$orderby', '$count'].map((o) => [o, optionsOf(lines[0]!).get(o)]))).toEqual({
      $top: '1',
      $orderby: 'documentNo,lineNo',
      $count: null,
    });
    expect((await fx.reads('salesOrders')).map((read) => optionsOf(read).get('$top'))).toEqual(['1']);
  });

  it("a page with its count (Salesforce's list view) is one counted salesLines request, whatever the number of orders", async () => {
    await expectSame('salesOrderLines', { top: 26, count: true });
    const lines = await fx.reads('salesLines');
    expect(lines).toHaveLength(1);
    expect(optionsOf(lines[0]!).get('$count')).toBe('true');
    expect(asked(await fx.reads('salesOrders'))).toBeLessThanOrEqual(26);
  });

  it.each<[string, () => RowQuery]>([
    ['a page further on', () => ({ top: 25, skip: 40 })],
    [
      'orderNumber descending, then amount within the order',
      () => ({ orderBy: [{ field: 'orderNumber', descending: true }, { field: 'amount' }], top: 15, skip: 7 }),
    ],
    [
      'a line condition salesLines does not serve: chunk after chunk',
      () => ({ filter: cmp('quantity', 'gt', 8), top: 10, skip: 3 }),
    ],
    ['a line condition matching nothing: to the end', () => ({ filter: eq('itemNumber', 'NO-SUCH-ITEM'), top: 10 })],
    [
      'an OR of order fields: two branches merged in order',
      () => ({ filter: or(eq('customerNumber', c[1]!), eq('orderNumber', 'SO-100050')), top: 5, skip: 2 }),
    ],
    [
      'a partner of 150 customers: two requests merged in order',
      () => ({
        filter: {
          kind: 'in',
          field: 'customerNumber',
          values: [...c.slice(0, 12), ...Array.from({ length: 138 }, (_, i) => `Z${i}`)],
        },
        top: 30,
        skip: 10,
      }),
    ],
    [
      'search across order and line fields',
      () => ({
        filter: and(
          eq('customerNumber', c[4]!),
          or(
            { kind: 'text', field: 'orderNumber', op: 'contains', value: '0' },
            { kind: 'text', field: 'description', op: 'contains', value: 'a' },
          ),
        ),
        top: 4,
      }),
    ],
  ])('%s', async (_name, query) => {
    await expectSame('salesOrderLines', query());
    expect(asked([...(await fx.reads('salesLines')), ...(await fx.reads('salesOrders'))])).toBeLessThanOrEqual(10_000);
  });

  it('a page near the start reads the orders of that page only', async () => {
    await expectSame('salesOrderLines', { top: 25, skip: 10 });
    expect(asked(await fx.reads('salesOrders'))).toBeLessThanOrEqual(35);
  });

  it('sorted by what salesLines does not serve (unit price): every matching line read, counted first, refused over the budget before any is read', async () => {
    await expectSame('salesOrderLines', {
      filter: eq('customerNumber', c[2]!),
      orderBy: [{ field: 'unitPrice', descending: true }],
      top: 5,
      count: true,
    });
    await fx.resetStats();
    const port = adapterWithBudget(40);
    await expect(
      port.queryRows('salesOrderLines', { orderBy: [{ field: 'unitPrice', descending: true }], top: 1 }, ctx),
    ).rejects.toThrow(
      new RegExp(
        `this query reads every row its filter may match \\(${fx.rows('salesOrderLines').length}\\) to sort it, as the ERP cannot sort by that field, over the ERP read budget of 40 rows per query`,
      ),
    );
    expect(asked([...(await fx.reads('salesLines')), ...(await fx.reads('salesOrders'))])).toBe(0);
  });

  it('orders named by number: one salesLines request, those orders read once', async () => {
    const numbers = fx.dataset.salesOrders.slice(3, 6).map((order) => order.number);
    await expectSame('salesOrderLines', {
      filter: { kind: 'in', field: 'orderNumber', values: numbers },
      orderBy: [{ field: 'amount' }],
      top: 50,
      count: true,
    });
    expect((await fx.reads('salesOrders')).map((read) => optionsOf(read).get('$top'))).toEqual(['3']);
  });
});

describe('through the ERP subgraph', () => {
  let server: RunningServer;
  let dataDir: TempDir;
  const integration = testIdentity('integration');

  beforeAll(async () => {
    dataDir = createTempDir('rows-budget');
    const config = {
      ...loadErpSubgraphConfig({ SUBGRAPH_ERP_PORT: '0', DATA_DIR: dataDir.path, ...TEST_FORWARDING_ENV }),
      shield: passThroughShield(),
    };
    server = await startErpSubgraph(config, {
      erp: fx.port,
      logger: captureLogger().logger,
      clock: () => new Date(`${TODAY}T12:00:00Z`),
    });
  });
  afterAll(async () => {
    await server?.close();
    dataDir?.remove();
  });

  const post = async (text: string, variables: Record<string, unknown> = {}) =>
    postGraphQL(server.url, text, variables, {}, integration);

  it('refuses a union page over the budget with BAD_USER_INPUT naming the budget and skip', async () => {
    const small = await startErpSubgraph(
      {
        ...loadErpSubgraphConfig({ SUBGRAPH_ERP_PORT: '0', DATA_DIR: dataDir.path, ...TEST_FORWARDING_ENV }),
        shield: passThroughShield(),
      },
      { erp: adapterWithBudget(100), logger: captureLogger().logger, clock: () => new Date(`${TODAY}T12:00:00Z`) },
    );
    try {
      const where = {
        or: [
          { field: 'customerNumber', op: 'EQ', value: c[1] },
          { field: 'status', op: 'EQ', value: 'PAID' },
        ],
      };
      const response = await postGraphQL(
        small.url,
        'query ($where: RowFilter) { invoices(first: 50, skip: 100, where: $where) { nodes { number } } }',
        { where },
        {},
        integration,
      );
      expect(response.body.data ?? null).toBeNull();
      expect(response.body.errors).toHaveLength(1);
      // A limit, not something the ERP cannot do: no `unsupported` mark (the OData bridge answers 400).
      expect(response.body.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'skip' });
      expect(response.body.errors![0]!.message).toMatch(/over the ERP read budget of 100 rows per query; lower skip/);
      expect(asked(await fx.reads('salesInvoices'))).toBeLessThanOrEqual(100);
    } finally {
      await small.close();
    }
  });

  it('orderLines(first: 1) asks the ERP for one line and its order', async () => {
    const response = await post('{ orderLines(first: 1) { nodes { orderNumber sequence } } }');
    expect(response.body.errors).toBeUndefined();
    const first = applyRowQuery('salesOrderLines', fx.rows('salesOrderLines'), { top: 1 }).rows[0]!;
    expect(response.body.data.orderLines.nodes).toEqual([{ orderNumber: first.orderNumber, sequence: first.sequence }]);
    expect((await fx.reads('salesLines')).map((read) => optionsOf(read).get('$top'))).toEqual(['1']);
    expect((await fx.reads('salesOrders')).map((read) => optionsOf(read).get('$top'))).toEqual(['1']);
  });

  it('reads the Analytics API root from ERP_ANALYTICS_BASE_URL, next to ERP_BASE_URL by default', () => {
    const connector = (env: Record<string, string>) => {
      const options = loadErpSubgraphConfig({ ...TEST_FORWARDING_ENV, ...env }).connector;
      if (options.kind !== 'business-central') throw new Error('expected the Business Central adapter');
      return options;
    };
    expect(
      connector({ ERP_BASE_URL: 'https://api.businesscentral.dynamics.com/v2.0/tenant/Production/api/v2.0/' })
        .analyticsBaseUrl,
    ).toBe('https://api.businesscentral.dynamics.com/v2.0/tenant/Production/api/microsoft/analytics/v1.0');
    expect(
      connector({
        ERP_BASE_URL: 'https://erp.example.com/bc',
        ERP_ANALYTICS_BASE_URL: 'https://erp.example.com/analytics/',
      }).analyticsBaseUrl,
    ).toBe('https://erp.example.com/analytics');
    expect(() => connector({ ERP_BASE_URL: 'https://erp.example.com/bc' })).toThrow(
      /ERP_ANALYTICS_BASE_URL: required when ERP_BASE_URL does not end in \/api\/v2\.0/,
    );
  });

  it('reads its budget from ERP_ROW_READ_BUDGET (at least one page of 2,000 rows)', () => {
    const config = (env: Record<string, string>) =>
      loadErpSubgraphConfig({ ...TEST_FORWARDING_ENV, ...env }).connector.rowReadBudget;
    expect(config({})).toBe(10_000);
    expect(config({ ERP_ROW_READ_BUDGET: '25000' })).toBe(25_000);
    expect(() => config({ ERP_ROW_READ_BUDGET: '1999' })).toThrow(/ERP_ROW_READ_BUDGET/);
  });
});
