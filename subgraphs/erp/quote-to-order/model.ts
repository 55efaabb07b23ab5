// The quote-to-order domain: what validateQuote concludes and what submitQuote answers. Plain data
// (stored as JSON in idempotency records and replayed), independent of GraphQL; the resolvers map it
// onto the SDL types of the same names (schema/erp.graphql).
import type { CustomerBlock, Decimal } from '../../../connectors/erp/port.js';

/**
 * Why a quote cannot become an order, most severe first (the first is a submission's `reasonCode`).
 * The first eleven come from validation; the others only from submitQuote.
 */
export const REASON_CODES = [
  'QUOTE_NOT_FOUND',
  /** The quote's status is not one the deployment submits (QUOTE_SUBMITTABLE_STATUSES, default Approved). */
  'QUOTE_NOT_APPROVED',
  'NO_LINES',
  'NO_ERP_CUSTOMER',
  'CURRENCY_MISMATCH',
  'CREDIT_HOLD',
  'CREDIT_LIMIT_EXCEEDED',
  'ITEM_NOT_FOUND',
  'ITEM_BLOCKED',
  'ITEM_UNAVAILABLE',
  'PRICE_MISMATCH',
  /** The ERP refused the order itself (validation passed, the ERP's own checks did not). */
  'ERP_REJECTED',
  'ERP_UNAVAILABLE',
  /** The order may or may not exist in the ERP: its answer was lost. Retrying with the same key settles it. */
  'ERP_OUTCOME_UNKNOWN',
  'SALESFORCE_UNAVAILABLE',
  /** Another submission of the same quote (another idempotency key) is running. */
  'SUBMISSION_IN_PROGRESS',
  /**
   * More than one ERP order carries the quote's reference and one of the extra ones can no longer be
   * deleted (released): the quote's ERP sync fields are flagged for a person.
   */
  'ERP_DUPLICATE_ORDER',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

const SEVERITY = new Map<ReasonCode, number>(REASON_CODES.map((code, index) => [code, index]));

/** Distinct codes, most severe first. */
export function sortReasonCodes(codes: Iterable<ReasonCode>): ReasonCode[] {
  return [...new Set(codes)].sort((a, b) => SEVERITY.get(a)! - SEVERITY.get(b)!);
}

export interface Reason {
  readonly code: ReasonCode;
  readonly message: string;
  readonly lineNumber: string | null;
  readonly itemNumber: string | null;
}

export interface Availability {
  /** Quantity on hand in the ERP. */
  readonly onHand: number;
  /** Unshipped quantity of the item already promised on the customer's orders (and on earlier lines of this quote). */
  readonly committed: number;
  readonly availableToPromise: number;
  readonly sufficient: boolean;
  /** Today when sufficient; otherwise today + the replenishment lead time (see validation.ts). */
  readonly nextAvailableDate: string;
}

export interface LineCheck {
  readonly lineNumber: string;
  readonly itemNumber: string | null;
  readonly quantity: number;
  readonly quotedUnitPrice: Decimal;
  readonly erpUnitPrice: Decimal | null;
  readonly discountPercent: number;
  readonly priceMatches: boolean;
  readonly itemFound: boolean;
  readonly blocked: boolean;
  /** Null for items the ERP keeps no stock of (services), and for unknown items. */
  readonly availability: Availability | null;
  readonly reasonCodes: ReasonCode[];
}

export type CreditVerdict = 'OK' | 'CREDIT_HOLD' | 'CREDIT_LIMIT_EXCEEDED';

export interface CreditCheck {
  readonly verdict: CreditVerdict;
  readonly currency: string;
  readonly limit: Decimal;
  /** Business Central: a credit limit of 0 means no limit. */
  readonly unlimited: boolean;
  readonly balance: Decimal;
  readonly openOrderExposure: Decimal;
  /** limit - balance - openOrderExposure (may be negative). */
  readonly available: Decimal;
  /** What this quote would add: its grand total. */
  readonly required: Decimal;
  readonly blocked: CustomerBlock;
}

export type QuoteVerdict = 'ACCEPTABLE' | 'REJECTED';

export interface QuoteValidationResult {
  readonly quoteId: string;
  readonly externalDocumentNumber: string;
  readonly verdict: QuoteVerdict;
  readonly reasonCodes: ReasonCode[];
  readonly reasons: Reason[];
  readonly accountId: string | null;
  readonly erpCustomerNumber: string | null;
  readonly currency: string | null;
  readonly quotedTotal: Decimal | null;
  readonly credit: CreditCheck | null;
  readonly lines: LineCheck[];
  /** An order already created from this quote (found by its external document number). */
  readonly existingOrderNumber: string | null;
  readonly checkedAt: string;
}

export type SubmitStatus = 'PENDING_ERP' | 'ACCEPTED_BY_ERP' | 'REJECTED_BY_ERP' | 'RETRY_REQUIRED';

/** The Salesforce quote's ERP sync fields as submitQuote wrote them (or last read them). */
export interface QuoteErpSyncSnapshot {
  readonly orderNumber: string | null;
  readonly status: string | null;
  readonly message: string | null;
  readonly lastSyncAt: string | null;
}

/** What a submission answers; a final one (accepted, rejected) is stored and replayed as is. */
export interface SubmitOutcome {
  readonly status: SubmitStatus;
  readonly reasonCode: ReasonCode | null;
  readonly reasonCodes: ReasonCode[];
  readonly message: string;
  readonly quoteId: string;
  readonly orderNumber: string | null;
  /** Null when the quote does not exist or could not be read. */
  readonly quoteErpSync: QuoteErpSyncSnapshot | null;
  /** Of the call that produced this outcome: the ERP and Salesforce writes and the audit log carry it. */
  readonly correlationId: string;
  readonly idempotencyKey: string;
  readonly processedAt: string;
}

export const FINAL_STATUSES: ReadonlySet<SubmitStatus> = new Set(['ACCEPTED_BY_ERP', 'REJECTED_BY_ERP']);
