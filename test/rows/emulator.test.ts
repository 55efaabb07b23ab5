// The ERP emulator serves what the row-query adapter sends, the way Business Central does: case-
// sensitive comparisons and string functions, tolower/toupper to fold case (nested calls only at
// $schemaversion=2.1), ORs across properties refused under the strict rules (the default), $count with $filter,
// $orderby on several keys, large $skip, and per-request row counts in GET /__emulator/stats.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadErpEmulatorConfig, startErpEmulator, type RunningErpEmulator } from '../../emulators/erp/index.js';
import { withInvoiceHistory } from '../../emulators/erp/invoice-history.js';
import { generateDataset } from '../../emulators/seed/generate.js';
import type { TrafficStats } from '../../emulators/common/traffic.js';
import { fixtureDataset, q, requestToken } from '../emulators/erp-fixture.js';

interface Client {
  running: RunningErpEmulator;
  get<
    T = { value: Array<Record<string, unknown>>; '@odata.count'?: number; error?: { code: string; message: string } },
  >(
    path: string,
  ): Promise<{ status: number; body: T }>;
  stats(): Promise<TrafficStats>;
}

const grownFixture = (invoices: number) =>
  withInvoiceHistory(fixtureDataset(), invoices, { seed: 3, today: '2026-11-24' });

async function start(strict: boolean, invoices?: number): Promise<Client> {
  const dataset = invoices === undefined ? fixtureDataset() : grownFixture(invoices);
  const running = await startErpEmulator(
    { ...loadErpEmulatorConfig({ EMULATOR_ERP_PORT: '0' }), strictFilters: strict },
    { dataset },
  );
  const token = await requestToken(running);
  return {
    running,
    async get(path) {
      const response = await fetch(`${running.companyUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    stats: async () => (await (await fetch(`${running.url}/__emulator/stats`)).json()) as TrafficStats,
  };
}

let strict: Client;
let lenient: Client;
beforeAll(async () => {
  [strict, lenient] = await Promise.all([start(true), start(false)]);
});
afterAll(async () => {
  await Promise.all([strict.running.close(), lenient.running.close()]);
});

const numbers = async (client: Client, query: string) => {
  const { status, body } = await client.get(`/customers?$select=number&${query}`);
  if (status !== 200) throw new Error(`${status} ${JSON.stringify(body)}`);
  return body.value.map((row) => row.number);
};

describe('string functions and case', () => {
  it('compares case-sensitively, as Business Central does without @', async () => {
    expect(await numbers(strict, `$filter=${q("contains(displayName,'tools')")}`)).toEqual([]);
    expect(await numbers(strict, `$filter=${q("displayName eq 'zeta machining'")}`)).toEqual([]);
    expect(await numbers(strict, `$filter=${q("startswith(displayName,'Zeta')")}`)).toEqual(['C00005']);
  });

  it('folds case with tolower/toupper; nested in a function only at $schemaversion=2.1', async () => {
    expect(await numbers(strict, `$filter=${q("tolower(displayName) eq 'zeta machining'")}`)).toEqual(['C00005']);
    expect(await numbers(strict, `$schemaversion=2.1&$filter=${q("contains(tolower(displayName),'tools')")}`)).toEqual([
      'C00002',
    ]);
    expect(await numbers(strict, `$schemaversion=2.1&$filter=${q("endswith(toupper(displayName),'LTD')")}`)).toEqual([
      'C00004',
    ]);
    expect(await numbers(strict, `$schemaversion=2.1&$filter=${q("startswith(tolower(displayName),'o''b')")}`)).toEqual(
      ['C00002'],
    );
    const refused = await strict.get(`/customers?$filter=${q("contains(tolower(displayName),'tools')")}`);
    expect(refused.status).toBe(400);
    expect(refused.body.error!.message).toMatch(/\$schemaversion=2\.1/);
    const badArg = await strict.get(`/customers?$schemaversion=2.1&$filter=${q("contains(tolower(creditLimit),'1')")}`);
    expect(badArg.status).toBe(400);
    expect(badArg.body.error!.message).toMatch(/tolower' requires an Edm.String/);
  });
});

describe('Business Central filter rules', () => {
  it("refuses an or across different properties under the strict rules, with BC's message", async () => {
    const filter = q("city eq 'Boston' or displayName eq 'Adatum Corporation'");
    const refused = await strict.get(`/customers?$filter=${filter}`);
    expect(refused.status).toBe(400);
    expect(refused.body.error!.message).toMatch(/The 'OR' operator is not supported on distinct fields/);
    expect((await lenient.get(`/customers?$filter=${filter}`)).status).toBe(200);
    // One property on both sides (through tolower too) is fine, also nested under and.
    expect(
      await numbers(
        strict,
        `$schemaversion=2.1&$filter=${q("(contains(tolower(displayName),'zeta') or displayName eq 'Adatum Corporation') and city ne ''")}`,
      ),
    ).toEqual(['C00001', 'C00005']);
  });
});

describe('counting, ordering and paging', () => {
  it('$count=true counts the filtered rows, whatever $top and $skip', async () => {
    const { body } = await strict.get(
      `/salesInvoices?$select=number&$filter=${q("customerNumber eq 'C00001'")}&$count=true&$top=2&$skip=1`,
    );
    expect(body['@odata.count']).toBe(6);
    expect(body.value).toHaveLength(2);
    const zero = await strict.get(`/salesInvoices?$filter=${q("status eq 'Open'")}&$count=true&$top=0`);
    expect(zero.body.value).toEqual([]);
    expect(zero.body['@odata.count']).toBe(12);
  });

  it('$orderby on several keys, descending too, then $skip; enums by their ordinal, as BC sorts them', async () => {
    const { body } = await strict.get(
      `/salesInvoices?$select=number,status,totalAmountIncludingTax&$orderby=status desc,totalAmountIncludingTax asc&$top=3&$skip=5`,
    );
    // Ordinals: Draft, In Review, Open, Paid, Canceled, Corrective: Canceled (6 invoices) comes first.
    expect(body.value.map((r) => [r.status, r.number])).toEqual([
      ['Canceled', 'SI-100030'],
      ['Paid', 'SI-100002'],
      ['Paid', 'SI-100007'],
    ]);
  });

  it('notes rows returned and scanned per request: an indexed filter reads its bucket only', async () => {
    const big = await start(true, 20_000);
    try {
      const path = `/salesInvoices?$select=number&$filter=${q("customerNumber eq 'C00003' and status eq 'Paid'")}&$orderby=invoiceDate desc,number&$top=26&$skip=5&$count=true`;
      const { status, body } = await big.get(path);
      expect(status).toBe(200);
      expect(body.value).toHaveLength(26);
      const read = (await big.stats()).recent.find((r) => r.route === 'GET salesInvoices')!;
      const bucket = grownFixture(20_000).salesInvoices.filter((i) => i.customerNumber === 'C00003').length;
      expect(bucket).toBeGreaterThan(1_000);
      expect(read.rows).toEqual({ returned: 26, scanned: bucket });
      // A large $skip is served as asked.
      const far = await big.get(`/salesInvoices?$select=number&$orderby=number&$skip=19990&$top=50`);
      expect(far.body.value).toHaveLength(10);
      expect((await big.stats()).rowsScanned).toBe(bucket + 20_000);
    } finally {
      await big.running.close();
    }
  });
});

describe('scale', () => {
  it("EMULATOR_SEED_INVOICES and EMULATOR_ERP_STRICT_FILTERS are read; unset, the seed's invoices and BC's rules", () => {
    expect(loadErpEmulatorConfig({})).not.toHaveProperty('seedInvoices');
    // Unset: app.ts applies Business Central's rules (strictFilters defaults to true there).
    expect(loadErpEmulatorConfig({})).not.toHaveProperty('strictFilters');
    expect(
      loadErpEmulatorConfig({ EMULATOR_SEED_INVOICES: '100000', EMULATOR_ERP_STRICT_FILTERS: 'true' }),
    ).toMatchObject({
      seedInvoices: 100_000,
      strictFilters: true,
    });
    expect(loadErpEmulatorConfig({ EMULATOR_ERP_STRICT_FILTERS: 'false' })).toMatchObject({ strictFilters: false });
    expect(() => loadErpEmulatorConfig({ EMULATOR_SEED_INVOICES: 'many' })).toThrow(/EMULATOR_SEED_INVOICES/);
  });

  it('adds paid history deterministically, leaving the seed (and every balance) as it was', () => {
    const base = fixtureDataset();
    const grown = withInvoiceHistory(base, 1_000, { seed: 9, today: '2026-11-24' });
    expect(grown.salesInvoices).toHaveLength(1_000);
    expect(grown.salesInvoices.slice(0, 30)).toEqual(base.salesInvoices);
    expect(base.salesInvoices).toHaveLength(30);
    const added = grown.salesInvoices.slice(30);
    expect(added.every((i) => i.status === 'Paid' && i.remainingAmount === 0 && i.invoiceDate < '2025-11-20')).toBe(
      true,
    );
    expect(new Set(grown.salesInvoices.map((i) => i.number)).size).toBe(1_000);
    expect(new Set(grown.salesInvoices.map((i) => i.id)).size).toBe(1_000);
    expect(withInvoiceHistory(base, 1_000, { seed: 9, today: '2026-11-24' })).toEqual(grown);
    expect(withInvoiceHistory(base, 10, { seed: 9, today: '2026-11-24' })).toBe(base);
  });

  it('spreads half the history over every customer and half by a Zipf law in customer order (the busiest first)', () => {
    const base = generateDataset({ accounts: 1_000, seed: 5, today: '2026-11-24' }).erp;
    const grown = withInvoiceHistory(base, 20_000, { seed: 5, today: '2026-11-24' });
    const added = grown.salesInvoices.slice(base.salesInvoices.length);
    const history = new Map<string, number>();
    for (const invoice of added) history.set(invoice.customerNumber, (history.get(invoice.customerNumber) ?? 0) + 1);
    const perCustomer = base.customers.map((c) => history.get(c.number) ?? 0);
    // Round robin: every customer gets its even share of half the history.
    expect(Math.min(...perCustomer)).toBeGreaterThanOrEqual(Math.floor(added.length / 2 / base.customers.length));
    // Zipf (s = 1): the first customer is the busiest, with about half / H(1000) ≈ 6.7 % of the history.
    expect(Math.max(...perCustomer)).toBe(perCustomer[0]);
    const harmonic = Array.from({ length: 1_000 }, (_, r) => 1 / (r + 1)).reduce((a, b) => a + b);
    expect(perCustomer[0]! / (added.length / 2 / harmonic)).toBeGreaterThan(0.9);
    expect(perCustomer[0]! / (added.length / 2 / harmonic)).toBeLessThan(1.1);
    expect(perCustomer[0]!).toBeGreaterThan(5 * perCustomer[9]!);
    // What the OData benchmark relies on: the first customers each have a full page of 26 and more.
    const total = (number: string) => grown.salesInvoices.filter((i) => i.customerNumber === number).length;
    expect(base.customers.slice(0, 40).every((c) => total(c.number) >= 26)).toBe(true);
  });
});
