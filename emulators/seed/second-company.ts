// The second company of a two-company dataset: a second legal entity (an acquired business) whose
// customers live in their own ERP (Tryton), while Salesforce holds the accounts of both companies.
// Its accounts are generated with the same steps as the first company's (account.ts), with their
// own customer numbers (T00001 ...: unique across both ERPs), document series, ERP records and
// Salesforce pod, and from their own random stream: what the second company holds depends only on
// the seed, the day and its own number of accounts, never on how many the first company has. So
// one seeded Tryton database serves the demo stack (200 first-company accounts) and the benchmark
// (10,000) alike.
//
// Shared with the first company: the sales team (reps), the item catalogue (same item numbers and
// prices, so a quote's Product2.ProductCode names an item in either ERP) and the payment term codes.
// The second company bills in one currency (USD), its own.

import { generateAccount } from './account.js';
import { CompanyNames } from './company-names.js';
import {
  DocumentCounters,
  emptyErpDataset,
  makePools,
  POOL_SIZE,
  type DocumentSeries,
  type GenerationContext,
} from './context.js';
import { makeSalesforceIdFactories } from './id-factories.js';
import { SeededRandom } from './random.js';
import { CURRENCY_REGIONS } from './reference-data.js';
import type { ErpDataset, SeedOptions } from './types.js';

export const SECOND_COMPANY_ERP = 'tryton' as const;

/** Salesforce pod of the second company's records: their ids never collide with the first's. */
const SECOND_COMPANY_POD = '8d1';

/** Its ERP numbers documents in series of its own; its quote and case numbers start far above the first's. */
const SECOND_COMPANY_SERIES: DocumentSeries = {
  salesOrder: 'TSO-',
  salesShipment: 'TSH-',
  salesInvoice: 'TIN-',
  lot: 'T',
  firstSalesforceNumber: 90_000_001,
};

/** Customer numbers T00001 ... */
export const SECOND_COMPANY_CUSTOMER_PREFIX = 'T';

const SECOND_COMPANY_CURRENCY = 'USD';

/** Its own random stream, derived from the seed (any fixed, distinct function of it would do). */
function secondCompanySeed(seed: number): number {
  return (seed + 1_000_003) % 2 ** 31;
}

/**
 * Generates the second company's accounts after the first company's: Salesforce records go to
 * `first.sf` (after the first company's), ERP records to the returned dataset.
 */
export function generateSecondCompany(first: GenerationContext, options: SeedOptions): ErpDataset {
  const accounts = options.secondCompanyAccounts ?? 0;
  const rng = new SeededRandom(secondCompanySeed(options.seed));
  const lastNames = rng.pool(POOL_SIZE * 4, (f) => f.person.lastName());
  const companyName = `${rng.faker.person.lastName()} Flow Control, LLC`;
  const region = CURRENCY_REGIONS.find((r) => r.currency === SECOND_COMPANY_CURRENCY)!;
  const ctx: GenerationContext = {
    rng,
    calendar: first.calendar,
    ids: makeSalesforceIdFactories(SECOND_COMPANY_POD),
    numbers: new DocumentCounters(SECOND_COMPANY_SERIES),
    customers: {
      numberPrefix: SECOND_COMPANY_CUSTOMER_PREFIX,
      currencyRegions: [[region, 1]],
      erpLink: { system: SECOND_COMPANY_ERP, company: companyName },
    },
    // The same items in this company's ERP: same numbers, names and prices, ids of its own.
    catalog: first.catalog.map((entry) => ({ ...entry, item: { ...entry.item, id: rng.uuid() } })),
    paymentTerms: first.paymentTerms.map(({ term, dueDays }) => ({ dueDays, term: { ...term, id: rng.uuid() } })),
    reps: first.reps,
    companyNames: new CompanyNames(rng, lastNames),
    pools: makePools(rng, lastNames),
    sf: first.sf,
    erp: emptyErpDataset({ id: rng.uuid(), name: companyName, displayName: companyName }),
  };
  ctx.erp.paymentTerms = ctx.paymentTerms.map((t) => t.term);
  ctx.erp.items = ctx.catalog.map((entry) => entry.item);
  const usedNames = new Set<string>();
  for (let i = 1; i <= accounts; i++) generateAccount(ctx, i, accounts, usedNames);
  return ctx.erp;
}
