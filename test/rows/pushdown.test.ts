// The pushdown proof (README, "Use from Salesforce Connect"): with 100,000 invoices in the ERP, a filtered page of 26
// through the ERP subgraph is ONE ERP request that returns at most 26 rows and looks only at the
// customer's index bucket (GET /__emulator/stats), never the whole set; a warm repeat is served by
// the shield's page cache without reaching the ERP at all.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../lib/http-server.js';
import { loadErpSubgraphConfig, startErpSubgraph } from '../../subgraphs/erp/index.js';
import { forwardedIdentityHeaders, testIdentity, TEST_FORWARDING_ENV } from '../support/identity.js';
import { createTempDir, type TempDir } from '../support/temp-dir.js';
import { captureLogger } from '../subgraphs/support/capture-logger.js';
import { subgraphGraphQL } from '../subgraphs/support/graphql-client.js';
import { optionsOf, startBcFixture, TODAY, type BcFixture } from './support.js';

const postGraphQL = subgraphGraphQL('erp');

const INVOICES = 100_000;

let fx: BcFixture;
let server: RunningServer;
let dataDir: TempDir;

beforeAll(async () => {
  fx = await startBcFixture({ accounts: 200, invoices: INVOICES });
  dataDir = createTempDir('rows-pushdown');
  // The shield as configured by default: cache on, the row-page cache included.
  const config = loadErpSubgraphConfig({ SUBGRAPH_ERP_PORT: '0', DATA_DIR: dataDir.path, ...TEST_FORWARDING_ENV });
  server = await startErpSubgraph(config, {
    erp: fx.port,
    logger: captureLogger().logger,
    clock: () => new Date(`${TODAY}T12:00:00Z`),
  });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await fx?.close();
  dataDir?.remove();
});
beforeEach(() => fx.resetStats());

const PAGE = /* GraphQL */ `
  query ($customer: String!, $skip: Int) {
    invoices(
      where: { field: "customerNumber", op: EQ, value: $customer }
      orderBy: [{ field: "invoiceDate", descending: true }]
      first: 26
      skip: $skip
    ) {
      totalCount
      nodes {
        number
        customerNumber
        invoiceDate
        total {
          amount
          currency
        }
      }
    }
  }
`;

async function page(customer: string, skip = 0, identity = testIdentity('integration')) {
  const response = await postGraphQL(server.url, PAGE, { customer, skip }, {}, identity);
  expect(response.body.errors).toBeUndefined();
  return response.body.data.invoices as {
    totalCount: number;
    nodes: Array<{ number: string; customerNumber: string; invoiceDate: string }>;
  };
}

describe(`a filtered page of 26 out of ${INVOICES.toLocaleString('en')} invoices`, () => {
  it('is one ERP request returning 26 rows, reading the customer index bucket only', async () => {
    expect(fx.dataset.salesInvoices).toHaveLength(INVOICES);
    const customer = fx.dataset.customers[41]!.number;
    const theirs = fx.dataset.salesInvoices.filter((i) => i.customerNumber === customer);

    const result = await page(customer, 52);
    expect(result.totalCount).toBe(theirs.length);
    expect(result.nodes).toHaveLength(26);
    expect(result.nodes.every((n) => n.customerNumber === customer)).toBe(true);
    const expected = theirs
      .toSorted((a, b) => b.invoiceDate.localeCompare(a.invoiceDate) || a.number.localeCompare(b.number))
      .slice(52, 78)
      .map((i) => i.number);
    expect(result.nodes.map((n) => n.number)).toEqual(expected);

    const stats = await fx.stats();
    const reads = await fx.reads('salesInvoices');
    expect(reads).toHaveLength(1);
    expect(reads[0]!.rows).toEqual({ returned: 26, scanned: theirs.length });
    expect(Object.fromEntries(optionsOf(reads[0]!))).toMatchObject({
      $filter: `customerNumber eq '${customer}'`,
      $orderby: 'invoiceDate desc,number',
      $top: '26',
      $skip: '52',
      $count: 'true',
    });
    // No other ERP data was read (the first call also looks up the company id and a token).
    expect(stats.recent.filter((r) => r.route !== 'token' && r.route !== 'GET companies')).toEqual([reads[0]]);
    expect(stats.rowsScanned).toBeLessThan(INVOICES / 100);
  });

  it('a warm repeat does not reach the ERP (the shield page cache, counted in its metrics)', async () => {
    const customer = fx.dataset.customers[7]!.number;
    const cold = await page(customer);
    expect((await fx.stats()).byRoute['GET salesInvoices']).toBe(1);
    await fx.resetStats();
    const warm = await page(customer);
    expect(warm).toEqual(cold);
    expect((await fx.stats()).total).toBe(0);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/cache_requests_total\{kind="erp\.rows",result="hit"\} [1-9]/);
    expect(metrics).toMatch(
      /backend_calls_total\{backend="erp",operation="queryRows:salesInvoices",outcome="success"\} [1-9]/,
    );
  });

  it("a partner page of 26 is one request over its own customers' buckets", async () => {
    const mine = fx.dataset.customers.slice(10, 20).map((c) => c.number);
    const partner = testIdentity('partner', { id: 'P-TEN', customers: mine });
    const response = await postGraphQL(
      server.url,
      `{ invoices(where: { field: "status", op: EQ, value: "PAID" }, first: 26) { totalCount nodes { customerNumber } } }`,
      {},
      {},
      partner,
    );
    expect(response.body.errors).toBeUndefined();
    const theirs = fx.dataset.salesInvoices.filter((i) => mine.includes(i.customerNumber));
    expect(response.body.data.invoices.totalCount).toBe(theirs.filter((i) => i.status === 'Paid').length);
    expect(
      response.body.data.invoices.nodes.every((n: { customerNumber: string }) => mine.includes(n.customerNumber)),
    ).toBe(true);
    const reads = await fx.reads('salesInvoices');
    expect(reads).toHaveLength(1);
    expect(reads[0]!.rows).toEqual({ returned: 26, scanned: theirs.length });
  });
});
