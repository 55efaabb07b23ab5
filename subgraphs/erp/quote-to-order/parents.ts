// Parent types of the quote-to-order GraphQL types that are not the domain records themselves
// (codegen.yml maps the GraphQL types to these and to model.ts).
import type { LineCheck, QuoteErpSyncSnapshot } from './model.js';

export type { CreditCheck, QuoteValidationResult } from './model.js';
export type { SubmitAnswer } from './submit-quote.js';

/**
 * A Salesforce quote as the ERP subgraph hands it out: the key, and the ERP sync fields where it
 * provides them (SubmitQuotePayload.quote, @provides); as the gateway hands it in for `submittable`,
 * the key and the status (@requires).
 */
export interface QuoteRef {
  readonly id: string;
  readonly erpSync?: QuoteErpSyncSnapshot;
  readonly status?: string;
}

/** A line check with the quote's currency (its amounts carry none of their own). */
export type QuoteLineCheckParent = LineCheck & { readonly currency: string };
