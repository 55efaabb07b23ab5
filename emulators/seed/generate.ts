// generateDataset: the deterministic demo dataset both emulators serve. Same options → deep-equal
// output, because every value is drawn in a fixed order from one seeded faker instance (and a fast
// generator seeded from it, see random.ts) and every date is an offset from options.today. Each emulator generates its own copy; they agree record for
// record as long as they are given the same options (pass `today` explicitly to both, or two
// processes started either side of midnight UTC disagree).

import { Calendar, currentUtcDate, isIsoDate } from './calendar.js';
import { generateCatalog } from './catalog.js';
import { CompanyNames } from './company-names.js';
import { DocumentCounters, type GenerationContext } from './context.js';
import { generateCases, generateContacts, generateOpportunities } from './crm.js';
import { settleCredit } from './credit.js';
import { generateCustomer } from './customer.js';
import { SeedError } from './errors.js';
import { fulfilOrder, type Ledger } from './fulfilment.js';
import { createSalesOrder, type OrderStatus } from './orders.js';
import { pickLines } from './pricing.js';
import { generateQuotes } from './quotes.js';
import { SeededRandom } from './random.js';
import { PAYMENT_TERMS } from './reference-data.js';
import type { Dataset, SeedOptions } from './types.js';
import { makeSalesforceIdFactories } from './id-factories.js';
import { generateUsers } from './users.js';

export const DEFAULT_ACCOUNTS = 200;
export const DEFAULT_SEED = 42;
/** Far beyond any benchmark (10,000); keeps a typo from exhausting memory. */
const MAX_ACCOUNTS = 1_000_000;
const POOL_SIZE = 500;

const ORDER_STATUS_WEIGHTS = [
  ['Draft', 10],
  ['Open', 30],
  ['Released', 60],
] as const;

export function resolveSeedOptions(options: Partial<SeedOptions> = {}): SeedOptions {
  const accounts = options.accounts ?? DEFAULT_ACCOUNTS;
  const seed = options.seed ?? DEFAULT_SEED;
  const today = options.today ?? currentUtcDate();
  if (!Number.isSafeInteger(accounts) || accounts < 0 || accounts > MAX_ACCOUNTS) {
    throw new SeedError('INVALID_SEED_OPTIONS', `accounts must be an integer in 0..${MAX_ACCOUNTS}, got ${accounts}`);
  }
  if (!Number.isSafeInteger(seed)) {
    throw new SeedError('INVALID_SEED_OPTIONS', `seed must be an integer, got ${seed}`);
  }
  if (!isIsoDate(today)) {
    throw new SeedError('INVALID_SEED_OPTIONS', `today must be a date 'YYYY-MM-DD', got ${JSON.stringify(today)}`);
  }
  return { accounts, seed, today };
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
    pools: {
      jobTitles: rng.pool(POOL_SIZE, (f) => f.person.jobTitle()),
      lastNames,
      cities: rng.pool(POOL_SIZE, (f) => f.location.city()),
      streets: rng.pool(POOL_SIZE * 2, (f) => f.location.street()),
    },
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
    erp: {
      company: { id: rng.uuid(), name: companyName, displayName: companyName },
      paymentTerms: [],
      customers: [],
      customerFinancialDetails: [],
      items: [],
      salesOrders: [],
      salesShipments: [],
      salesInvoices: [],
    },
  };
}

/** One account/customer with everything hanging off it, in both systems. */
function generateAccount(ctx: GenerationContext, index: number, total: number, usedNames: Set<string>): void {
  const { rng } = ctx;
  const pair = generateCustomer(ctx, index, total, usedNames);
  const contacts = generateContacts(ctx, pair, rng.int(1, 4));
  const quoteCount = rng.int(0, 3);
  // A Salesforce quote always belongs to an opportunity.
  const opportunities = generateOpportunities(ctx, pair, Math.max(rng.int(0, 3), quoteCount > 0 ? 1 : 0));
  const quoteOrders = generateQuotes(ctx, pair, opportunities, quoteCount);
  generateCases(ctx, pair, contacts, rng.int(0, 3));

  const ledger: Ledger = { openCents: 0, overdueCents: 0, salesExcludingTaxCents: 0 };
  for (const { order, orderOffset } of quoteOrders) fulfilOrder(ctx, pair, order, orderOffset, ledger);
  const orderCount = rng.int(1, 6);
  for (let k = 0; k < orderCount; k++) {
    const status: OrderStatus = rng.weighted(ORDER_STATUS_WEIGHTS);
    const orderOffset =
      status === 'Released' ? -rng.int(1, Math.min(-pair.createdOffset, 540)) : -rng.int(1, 45);
    const externalDocumentNumber = rng.chance(0.6) ? `PO-${rng.digits(6)}` : '';
    const order = createSalesOrder(ctx, pair, pickLines(ctx, 0), orderOffset, status, externalDocumentNumber);
    fulfilOrder(ctx, pair, order, orderOffset, ledger);
  }
  settleCredit(ctx, pair, ledger);
}

export function generateDataset(options: Partial<SeedOptions> = {}): Dataset {
  const resolved = resolveSeedOptions(options);
  const ctx = createContext(resolved);
  ctx.erp.paymentTerms = ctx.paymentTerms.map((t) => t.term);
  generateUsers(ctx);
  generateCatalog(ctx);
  const usedNames = new Set<string>();
  for (let i = 1; i <= resolved.accounts; i++) generateAccount(ctx, i, resolved.accounts, usedNames);
  return { options: resolved, salesforce: ctx.sf, erp: ctx.erp };
}
