// The data the Tryton seeder (seed_database.py) reads: the second company of the demo dataset
// (emulators/seed/second-company.ts), in the seed's own Business Central API v2.0 shapes. It depends
// only on the seed, the day and the second company's number of accounts, so the Salesforce emulator
// (started with the same three) holds exactly these customers' accounts and quotes.
import { generateDataset, SALES_TAX_PERCENT, type ErpDataset } from '../emulators/seed/index.js';

export interface TrytonSeedOptions {
  readonly seed: number;
  /** 'YYYY-MM-DD' */
  readonly today: string;
  readonly accounts: number;
}

export interface TrytonSeedData {
  readonly seed: number;
  readonly today: string;
  readonly accounts: number;
  readonly taxPercent: number;
  readonly erp: ErpDataset;
}

export function trytonSeedData(options: TrytonSeedOptions): TrytonSeedData {
  // The first company's accounts do not change the second's (second-company.ts): none are made.
  const dataset = generateDataset({
    accounts: 0,
    seed: options.seed,
    today: options.today,
    secondCompanyAccounts: options.accounts,
  });
  if (!dataset.secondCompany) throw new Error('the Tryton company needs at least one account');
  return { ...options, taxPercent: SALES_TAX_PERCENT, erp: dataset.secondCompany.erp };
}
