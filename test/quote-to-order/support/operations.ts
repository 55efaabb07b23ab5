// The operations the quote-to-order tests send through the gateway, and small helpers around them.
import type { Dataset } from '../../../emulators/seed/index.js';
import type { QuoteStack } from './stack.js';

export const VALIDATE_QUOTE = /* GraphQL */ `
  query ValidateQuote($quoteId: ID!) {
    validateQuote(quoteId: $quoteId) {
      quoteId
      verdict
      reasonCodes
      reasons {
        code
        message
        lineNumber
        itemNumber
      }
      externalDocumentNumber
      erpCustomerNumber
      currency
      quotedTotal {
        amount
        currency
      }
      credit {
        verdict
        limit {
          amount
          currency
        }
        unlimited
        balance {
          amount
        }
        openOrderExposure {
          amount
        }
        available {
          amount
        }
        required {
          amount
        }
        onHold
        holdReason
      }
      lines {
        lineNumber
        itemNumber
        quantity
        quotedUnitPrice {
          amount
          currency
        }
        erpUnitPrice {
          amount
          currency
        }
        discountPercent
        priceMatches
        blocked
        reasonCodes
        product {
          number
          name
        }
        availability {
          onHand
          committed
          availableToPromise
          sufficient
          nextAvailableDate
        }
      }
      existingOrder {
        number
      }
      quote {
        id
        number
        name
      }
      account {
        id
        name
      }
      checkedAt
    }
  }
`;

export const SUBMIT_QUOTE = /* GraphQL */ `
  mutation SubmitQuote($quoteId: ID!, $key: String!) {
    submitQuote(input: { quoteId: $quoteId, idempotencyKey: $key }) {
      status
      reasonCode
      reasonCodes
      message
      replayed
      correlationId
      idempotencyKey
      processedAt
      order {
        number
        status
        externalDocumentNumber
        total {
          amount
          currency
        }
        lines {
          itemNumber
          quantity
        }
        quote {
          id
        }
      }
      quote {
        id
        number
        erpSync {
          orderNumber
          status
          message
          lastSyncAt
        }
      }
    }
  }
`;

export interface Submission {
  status: string;
  reasonCode: string | null;
  reasonCodes: string[];
  message: string;
  replayed: boolean;
  correlationId: string;
  idempotencyKey: string;
  processedAt: string;
  order: { number: string; externalDocumentNumber: string; quote: { id: string } | null } | null;
  quote: {
    id: string;
    number: string;
    erpSync: { orderNumber: string | null; status: string; message: string | null; lastSyncAt: string };
  } | null;
}

let keys = 0;
/** A fresh, well-formed idempotency key. */
export function newKey(label = 'k'): string {
  return `${label}-${process.pid}-${Date.now().toString(36)}-${++keys}`;
}

export async function validate(stack: QuoteStack, quoteId: string) {
  const { body } = await stack.gql(VALIDATE_QUOTE, { quoteId });
  if (body.errors) throw new Error(`validateQuote failed: ${JSON.stringify(body.errors)}`);
  return body.data.validateQuote as {
    verdict: 'ACCEPTABLE' | 'REJECTED';
    reasonCodes: string[];
    reasons: { code: string; message: string; lineNumber: string | null; itemNumber: string | null }[];
    lines: {
      itemNumber: string | null;
      availability: { nextAvailableDate: string; sufficient: boolean } | null;
      priceMatches: boolean;
    }[];
    credit: { verdict: string } | null;
    existingOrder: { number: string } | null;
    [field: string]: unknown;
  };
}

export async function submit(
  stack: QuoteStack,
  quoteId: string,
  key: string,
  options: { instance?: number; correlationId?: string } = {},
) {
  return stack.gql(SUBMIT_QUOTE, { quoteId, key }, options);
}

/** Submits and expects a payload (no errors). */
export async function submitted(
  stack: QuoteStack,
  quoteId: string,
  key: string,
  options: { instance?: number; correlationId?: string } = {},
): Promise<Submission> {
  const { body } = await submit(stack, quoteId, key, options);
  if (body.errors || !body.data) throw new Error(`submitQuote failed: ${JSON.stringify(body.errors)}`);
  return body.data.submitQuote as Submission;
}

/** Quotes never submitted to the ERP, in dataset order. */
export function unsubmittedQuotes(dataset: Dataset) {
  return dataset.salesforce.Quote.filter((quote) => quote.ERP_Sync_Status__c === 'Not Submitted');
}

/** Sets a quote's status in the Salesforce emulator, as a sales manager approving (or not) would. */
export function setQuoteStatus(stack: QuoteStack, quoteId: string, status: string): void {
  stack.sf.emulator.store.update('Quote', quoteId, { Status: status });
}

/**
 * The first `count` unsubmitted quotes that validateQuote finds acceptable right now, skipping
 * `exclude`; each test takes its own, so their orders and write-backs never meet. Only Approved
 * quotes are submittable and few demo quotes are Approved yet, so each candidate is approved first
 * (and put back as it was when it does not validate): these tests are about what happens to an
 * approved quote; the status rule has tests of its own.
 */
export async function acceptableQuotes(
  stack: QuoteStack,
  count: number,
  exclude: ReadonlySet<string> = new Set(),
): Promise<string[]> {
  const found: string[] = [];
  const candidates = unsubmittedQuotes(stack.dataset).filter((quote) => !exclude.has(quote.Id));
  // A few at a time (each validation is a dozen backend reads), in dataset order.
  for (let start = 0; start < candidates.length && found.length < count; start += 4) {
    const batch = candidates.slice(start, start + 4);
    const verdicts = await Promise.all(
      batch.map(async (quote) => {
        const status = stack.quoteRecord(quote.Id).Status as string;
        setQuoteStatus(stack, quote.Id, 'Approved');
        const acceptable = (await validate(stack, quote.Id)).verdict === 'ACCEPTABLE';
        if (!acceptable) setQuoteStatus(stack, quote.Id, status);
        return acceptable;
      }),
    );
    batch.forEach((quote, i) => {
      if (verdicts[i]) found.push(quote.Id);
    });
  }
  if (found.length < count) throw new Error(`only ${found.length} acceptable quotes in the dataset, ${count} wanted`);
  return found.slice(0, count);
}
