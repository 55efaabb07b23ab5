// State shared by the generator's steps while one dataset is built: the randomness, the calendar,
// the id factories, the document-number counters and the output being filled.

import type { Calendar } from './calendar.js';
import type { CompanyNames } from './company-names.js';
import type { SeededRandom } from './random.js';
import type { SalesforceIdFactories } from './id-factories.js';
import type { BcItem, BcPaymentTerm, ErpDataset, SalesforceDataset, SfProduct2, SfUser } from './types.js';

/** An ERP item with its Salesforce product and its price in cents. */
export interface CatalogEntry {
  item: BcItem;
  product: SfProduct2;
  family: string;
  unitPriceCents: number;
}

/** Business Central document numbers start at 100001 per series (SO-100001, SS-..., SI-...). */
const FIRST_DOCUMENT_NUMBER = 100_001;

export class DocumentCounters {
  private salesOrder = FIRST_DOCUMENT_NUMBER;
  private salesShipment = FIRST_DOCUMENT_NUMBER;
  private salesInvoice = FIRST_DOCUMENT_NUMBER;
  private quote = 1;
  private quoteLine = 1;
  private caseNumber = 1;
  private lot = 1;

  nextSalesOrder(): string {
    return `SO-${this.salesOrder++}`;
  }
  nextSalesShipment(): string {
    return `SS-${this.salesShipment++}`;
  }
  nextSalesInvoice(): string {
    return `SI-${this.salesInvoice++}`;
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
    return `LOT-${year}-${String(this.lot++).padStart(6, '0')}`;
  }
}

export interface GenerationContext {
  rng: SeededRandom;
  calendar: Calendar;
  ids: SalesforceIdFactories;
  numbers: DocumentCounters;
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
