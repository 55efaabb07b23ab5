// generateDataset: the deterministic demo dataset both emulators serve. Same options → deep-equal
// output, because every value is drawn in a fixed order from one seeded faker instance (and a fast
// generator seeded from it, see random.ts) and every date is an offset from options.today. Each emulator generates its own copy; they agree record for
// record as long as they are given the same options (pass `today` explicitly to both, or two
// processes started either side of midnight UTC disagree).

import { Calendar, currentUtcDate, isIsoDate } from './calendar.js';
import { generateCatalog } from './catalog.js';
import { CompanyNames } from './company-names.js';
import {
  DocumentCounters,
  emptyErpDataset,
  makePools,
  POOL_SIZE,
  type CustomerScheme,
  type GenerationContext,
} from './context.js';
import { generateAccount } from './account.js';
import { SeedError } from './errors.js';
import { SeededRandom } from './random.js';
import { CURRENCY_REGIONS, PAYMENT_TERMS } from './reference-data.js';
import { generateSecondCompany, SECOND_COMPANY_ERP } from './second-company.js';
import type { Dataset, SeedOptions } from './types.js';
import { makeSalesforceIdFactories } from './id-factories.js';
import { generateUsers } from './users.js';

export const DEFAULT_ACCOUNTS = 200;
export const DEFAULT_SEED = 42;
/** Far beyond any benchmark (10,000); keeps a typo from exhausting memory. */
const MAX_ACCOUNTS = 1_000_000;

export function resolveSeedOptions(options: Partial<SeedOptions> = {}): SeedOptions {
  const accounts = options.accounts ?? DEFAULT_ACCOUNTS;
  const seed = options.seed ?? DEFAULT_SEED;
  const today = options.today ?? currentUtcDate();
  const secondCompanyAccounts = options.secondCompanyAccounts ?? 0;
  if (!Number.isSafeInteger(accounts) || accounts < 0 || accounts > MAX_ACCOUNTS) {
    throw new SeedError('INVALID_SEED_OPTIONS', `accounts must be an integer in 0..${MAX_ACCOUNTS}, got ${accounts}`);
  }
  if (
    !Number.isSafeInteger(secondCompanyAccounts) ||
    secondCompanyAccounts < 0 ||
    secondCompanyAccounts > MAX_ACCOUNTS
  ) {
    throw new SeedError(
      'INVALID_SEED_OPTIONS',
      `secondCompanyAccounts must be an integer in 0..${MAX_ACCOUNTS}, got ${secondCompanyAccounts}`,
    );
  }
  if (!Number.isSafeInteger(seed)) {
    throw new SeedError('INVALID_SEED_OPTIONS', `seed must be an integer, got ${seed}`);
  }
  if (!isIsoDate(today)) {
    throw new SeedError('INVALID_SEED_OPTIONS', `today must be a date 'YYYY-MM-DD', got ${JSON.stringify(today)}`);
  }
  // Only a two-company dataset says so: the single-company options stay as they always were.
  return secondCompanyAccounts > 0 ? { accounts, seed, today, secondCompanyAccounts } : { accounts, seed, today };
}

/** The first company's customers: C00001 ..., billed in the customer's own currency region. */
function firstCompanyCustomers(options: SeedOptions, companyName: string): CustomerScheme {
  const currencyRegions = CURRENCY_REGIONS.map((region) => [region, region.weight] as const);
  if (!options.secondCompanyAccounts) return { numberPrefix: 'C', currencyRegions };
  return { numberPrefix: 'C', currencyRegions, erpLink: { system: 'business-central', company: companyName } };
}

function createContext(options: SeedOptions): GenerationContext {
  const rng = new SeededRandom(options.seed);
  // Large enough to hold every last name of the locale, so pooled company names vary like faker's own.
  const lastNames = rng.pool(POOL_SIZE * 4, (f) => f.person.lastName());
  const ids = makeSalesforceIdFactories();
  const organizationId = ids.Organization.next();
  const companyName = `${rng.faker.person.lastName()} Industrial Equipment, Inc.`;
  return {
    rng,
    calendar: new Calendar(options.today),
    ids,
    numbers: new DocumentCounters(),
    customers: firstCompanyCustomers(options, companyName),
    catalog: [],
    paymentTerms: PAYMENT_TERMS.map((t) => ({
      dueDays: t.dueDays,
      term: {
        id: rng.uuid(),
        code: t.code,
        displayName: t.displayName,
        dueDateCalculation: `${t.dueDays}D`,
        discountDateCalculation: t.discountDays > 0 ? `${t.discountDays}D` : '',
        discountPercent: t.discountPercent,
      },
    })),
    reps: [],
    companyNames: new CompanyNames(rng, lastNames),
    pools: makePools(rng, lastNames),
    sf: {
      organizationId,
      integrationUserId: '',
      User: [],
      Account: [],
      Contact: [],
      Opportunity: [],
      Product2: [],
      Quote: [],
      QuoteLineItem: [],
      Case: [],
    },
    erp: emptyErpDataset({ id: rng.uuid(), name: companyName, displayName: companyName }),
  };
}

export function generateDataset(options: Partial<SeedOptions> = {}): Dataset {
  const resolved = resolveSeedOptions(options);
  const ctx = createContext(resolved);
  ctx.erp.paymentTerms = ctx.paymentTerms.map((t) => t.term);
  generateUsers(ctx);
  generateCatalog(ctx);
  const usedNames = new Set<string>();
  for (let i = 1; i <= resolved.accounts; i++) generateAccount(ctx, i, resolved.accounts, usedNames);
  if (!resolved.secondCompanyAccounts) return { options: resolved, salesforce: ctx.sf, erp: ctx.erp };
  const second = generateSecondCompany(ctx, resolved);
  return {
    options: resolved,
    salesforce: ctx.sf,
    erp: ctx.erp,
    secondCompany: { erpSystem: SECOND_COMPANY_ERP, erp: second },
  };
}
