// State shared by the generator's steps while one dataset is built: the randomness, the calendar,
// the id factories, the document-number counters and the output being filled.

import type { Calendar } from './calendar.js';
import type { CompanyNames } from './company-names.js';
import type { SeededRandom } from './random.js';
import type { SalesforceIdFactories } from './id-factories.js';
import type { CurrencyRegion } from './reference-data.js';
import type { BcCompany, BcItem, BcPaymentTerm, ErpDataset, SalesforceDataset, SfProduct2, SfUser } from './types.js';

/** An ERP item with its Salesforce product and its price in cents. */
export interface CatalogEntry {
  item: BcItem;
  product: SfProduct2;
  family: string;
  unitPriceCents: number;
}

/** Size of the faker pools (random.ts pool) of names, job titles, cities and streets. */
export const POOL_SIZE = 500;

/**
 * The faker pools one company's accounts are drawn from (job titles, cities, streets; `lastNames`
 * drawn earlier by the caller), in a fixed order of draws.
 */
export function makePools(rng: SeededRandom, lastNames: string[]): GenerationContext['pools'] {
  return {
    jobTitles: rng.pool(POOL_SIZE, (f) => f.person.jobTitle()),
    lastNames,
    cities: rng.pool(POOL_SIZE, (f) => f.location.city()),
    streets: rng.pool(POOL_SIZE * 2, (f) => f.location.street()),
  };
}

/** One company's ERP records, to be filled. */
export function emptyErpDataset(company: BcCompany): ErpDataset {
  return {
    company,
    paymentTerms: [],
    customers: [],
    customerFinancialDetails: [],
    items: [],
    salesOrders: [],
    salesShipments: [],
    salesInvoices: [],
  };
}

/** Business Central document numbers start at 100001 per series (SO-100001, SS-..., SI-...). */
const FIRST_DOCUMENT_NUMBER = 100_001;

/** How one company numbers its documents, and where its Salesforce auto-numbers start. */
export interface DocumentSeries {
  readonly salesOrder: string;
  readonly salesShipment: string;
  readonly salesInvoice: string;
  /** Between the year and the counter of a lot number. */
  readonly lot: string;
  /** First Quote.QuoteNumber / QuoteLineItem.LineNumber / Case.CaseNumber counter. */
  readonly firstSalesforceNumber: number;
}

export const DEFAULT_SERIES: DocumentSeries = {
  salesOrder: 'SO-',
  salesShipment: 'SS-',
  salesInvoice: 'SI-',
  lot: '',
  firstSalesforceNumber: 1,
};

export class DocumentCounters {
  private salesOrder = FIRST_DOCUMENT_NUMBER;
  private salesShipment = FIRST_DOCUMENT_NUMBER;
  private salesInvoice = FIRST_DOCUMENT_NUMBER;
  private quote: number;
  private quoteLine: number;
  private caseNumber: number;
  private lot = 1;

  constructor(private readonly series: DocumentSeries = DEFAULT_SERIES) {
    this.quote = series.firstSalesforceNumber;
    this.quoteLine = series.firstSalesforceNumber;
    this.caseNumber = series.firstSalesforceNumber;
  }

  nextSalesOrder(): string {
    return `${this.series.salesOrder}${this.salesOrder++}`;
  }
  nextSalesShipment(): string {
    return `${this.series.salesShipment}${this.salesShipment++}`;
  }
  nextSalesInvoice(): string {
    return `${this.series.salesInvoice}${this.salesInvoice++}`;
  }
  /** Salesforce auto-number '{00000000}'. */
  nextQuoteNumber(): string {
    return String(this.quote++).padStart(8, '0');
  }
  nextQuoteLineNumber(): string {
    return String(this.quoteLine++).padStart(8, '0');
  }
  nextCaseNumber(): string {
    return String(this.caseNumber++).padStart(8, '0');
  }
  nextLot(year: number): string {
    return `LOT-${year}-${this.series.lot}${String(this.lot++).padStart(6, '0')}`;
  }
}

/** How a company's customers are numbered and billed. */
export interface CustomerScheme {
  /** 'C' (C00001 ...) */
  readonly numberPrefix: string;
  /** Currency regions with their weights (as SeededRandom.weighted takes them). */
  readonly currencyRegions: readonly (readonly [CurrencyRegion, number])[];
  /** Account.ERP_System__c / ERP_Company__c, set only in a two-company dataset. */
  readonly erpLink?: { readonly system: string; readonly company: string };
}

export interface GenerationContext {
  rng: SeededRandom;
  calendar: Calendar;
  ids: SalesforceIdFactories;
  numbers: DocumentCounters;
  customers: CustomerScheme;
  catalog: CatalogEntry[];
  paymentTerms: { term: BcPaymentTerm; dueDays: number }[];
  /** Sales reps who own accounts and opportunities. */
  reps: SfUser[];
  /** Faker output made once and picked from in the per-record loops (see random.ts). */
  pools: {
    jobTitles: string[];
    lastNames: string[];
    cities: string[];
    /** Street names; building numbers are drawn per address (faker streetAddress costs ~8 µs). */
    streets: string[];
  };
  companyNames: CompanyNames;
  sf: SalesforceDataset;
  erp: ErpDataset;
}
