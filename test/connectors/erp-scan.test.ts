// The business-central adapter's page-at-a-time scan (ErpPort.scanPage, for the shield's ERP read
// replica) against the real ERP emulator: one request per page, the same mappers as the keyed reads,
// and `modifiedSince` as a lastModifiedDateTime filter (a posted order shows up in the next delta).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/logger.js';
import { createErpConnector, type ErpPort, type ErpScanPage, type ErpScanSet } from '../../connectors/erp/index.js';
import { loadErpEmulatorConfig, startErpEmulator, type RunningErpEmulator } from '../../emulators/erp/index.js';
import { generateDataset, type ErpDataset } from '../../emulators/seed/index.js';

const ctx = { correlationId: 'corr-erp-scan-test' };
const PAGE_SIZE = 25;

let dataset: ErpDataset;
let emulator: RunningErpEmulator;
let erp: ErpPort;

async function requests(): Promise<number> {
  return ((await (await fetch(`${emulator.url}/__emulator/stats`)).json()) as { total: number }).total;
}

async function scanAll<S extends ErpScanSet>(set: S, modifiedSince?: string) {
  const rows: ErpScanPage<S>['rows'] = [];
  let nextLink: string | null = null;
  let pages = 0;
  do {
    const page: ErpScanPage<S> = await erp.scanPage!(
      set,
      nextLink ? { nextLink } : modifiedSince ? { modifiedSince } : {},
      ctx,
    );
    rows.push(...page.rows);
    nextLink = page.nextLink;
    pages += 1;
  } while (nextLink);
  return { rows, pages };
}

beforeAll(async () => {
  dataset = generateDataset({ accounts: 60, seed: 11 }).erp;
  emulator = await startErpEmulator(
    loadErpEmulatorConfig({ EMULATOR_ERP_PORT: '0', EMULATOR_ERP_PAGE_SIZE: String(PAGE_SIZE) }),
    { dataset },
  );
  erp = createErpConnector(
    {
      kind: 'business-central',
      baseUrl: emulator.apiUrl,
      tokenUrl: emulator.tokenUrl,
      clientId: 'customer360-erp-dev',
      clientSecret: 'customer360-erp-dev-secret',
      scope: 'https://api.businesscentral.dynamics.com/.default',
      timeoutMs: 5000,
    },
    createLogger('erp-scan-test', 'silent'),
  );
  await erp.ping(ctx);
});

afterAll(async () => {
  await emulator?.close();
});

describe('scanPage', () => {
  it('pages through a whole set, one request per page, mapped like the keyed reads', async () => {
    const before = await requests();
    const { rows, pages } = await scanAll('customers');
    expect(pages).toBe(Math.ceil(dataset.customers.length / PAGE_SIZE));
    expect((await requests()) - before).toBe(pages);
    expect(rows.map((c) => c.number).sort()).toEqual(dataset.customers.map((c) => c.number).sort());
    const some = rows.slice(0, 5).map((c) => c.number);
    const keyed = await erp.customersByNumbers(some, ctx);
    for (const row of rows.slice(0, 5)) expect(row).toEqual(keyed.get(row.number));
  });

  it('scans orders with their lines, invoices of every status, financials and payment terms whole', async () => {
    const orders = await scanAll('salesOrders');
    expect(orders.rows).toHaveLength(dataset.salesOrders.length);
    const first = orders.rows[0]!;
    expect((await erp.ordersByNumbers([first.number], ctx)).get(first.number)).toEqual(first);
    const invoices = await scanAll('salesInvoices');
    expect(invoices.rows).toHaveLength(dataset.salesInvoices.length);
    // No modification time on these sets: modifiedSince is ignored, the scan is whole.
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect((await scanAll('customerFinancialDetails', future)).rows).toHaveLength(
      dataset.customerFinancialDetails.length,
    );
    expect((await scanAll('paymentTerms', future)).rows.length).toBeGreaterThan(0);
  });

  it('modifiedSince: only rows modified after it; a posted order shows up in the next delta', async () => {
    const since = new Date(Date.now() - 1_000).toISOString();
    // The seeded orders are older than that: the delta is empty.
    expect((await scanAll('salesOrders', since)).rows).toEqual([]);
    const customer = dataset.customers.find((c) => c.blocked === ' ')!;
    const item = dataset.items.find((i) => !i.blocked)!;
    const created = await erp.createSalesOrder(
      {
        customerNumber: customer.number,
        externalDocumentNumber: 'SFQ-SCAN-0001',
        lines: [{ itemNumber: item.number, quantity: 1 }],
      },
      ctx,
    );
    const delta = await scanAll('salesOrders', since);
    expect(delta.rows).toEqual([created]);
    const page = await erp.scanPage!('salesOrders', { modifiedSince: since }, ctx);
    expect(page.maxModified).not.toBeNull();
    expect(Date.parse(page.maxModified!)).toBeGreaterThanOrEqual(Date.parse(since));
  });
});
