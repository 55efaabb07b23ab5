// validateQuote's judgement, a pure function of what was read from both systems (facts.ts): the ERP is
// the authority for price, availability and credit, Salesforce for the quote itself
// (docs/decisions/0027-ownership-declared-once.md). No side effects, no I/O: the same facts always
// give the same verdict.
//
// Price: a line's quoted unit price must equal the ERP's unit price for the item. The API subset has
//   no price lists or exchange rates, and the ERP itself prices an order line in the order's currency
//   at the item's unit price (the emulator does exactly that), so that is the price compared; a
//   line discount is carried to the order as is.
// Availability (available-to-promise): on hand minus what is already promised and not yet shipped.
//   Business Central's API v2.0 exposes the item's on-hand inventory but no item-level view of open
//   sales lines or inbound supply, so "already promised" counts what is visible without scanning
//   every order of every customer: the unshipped quantities of the item on THIS customer's orders not
//   fully shipped, whatever their status (read anyway for the credit exposure; an unreleased order
//   still takes stock), and on earlier lines of this quote. Other
//   customers' open demand is not seen (a real deployment would ask BC's item availability through a
//   port extension). When short, nextAvailableDate is today plus a standard replenishment lead time,
//   since the API shows no purchase orders either.
// Status: only a quote in a submittable status (submittable.ts; default Approved) may become an
//   order: any other is QUOTE_NOT_APPROVED, the other checks still run so the verdict shows them all.
// Credit: blocked customers (any Business Central block refuses order entry) are CREDIT_HOLD; a
//   quote whose grand total exceeds limit - balance - open-order exposure is CREDIT_LIMIT_EXCEEDED,
//   unless the limit is 0 (no limit in Business Central). An order already created from this quote
//   is left out of exposure and promised quantities: the quote is judged as if submitted once.
import { Big } from 'big.js';
import type { Decimal, ErpCustomer, ErpItem, ErpOrder, ErpOrderLine } from '../../../connectors/erp/port.js';
import type { SfAccountRecord, SfQuoteLineRecord, SfQuoteRecord } from '../../../connectors/salesforce/types.js';
import { openOrderExposure, availableCredit } from '../credit.js';
import { HOLD_REASON } from '../statuses.js';
import {
  sortReasonCodes,
  type Availability,
  type CreditCheck,
  type LineCheck,
  type QuoteValidationResult,
  type Reason,
  type ReasonCode,
} from './model.js';
import { firstOrder, quoteExternalDocumentNumber } from './quote-reference.js';
import type { SubmittablePolicy } from './submittable.js';

/** Days until a short item is expected back (no inbound supply is visible through the API). */
export const REPLENISHMENT_LEAD_TIME_DAYS = 14;

/** Everything validation looks at, read from Salesforce and the ERP (facts.ts). */
export interface QuoteFacts {
  readonly quoteId: string;
  readonly quote: SfQuoteRecord | null;
  readonly lines: readonly SfQuoteLineRecord[];
  readonly account: SfAccountRecord | null;
  /** The ERP customer of the account's ERP customer number; null when it has none or the ERP does not know it. */
  readonly customer: ErpCustomer | null;
  /** The customer's sales orders (with lines). */
  readonly customerOrders: readonly ErpOrder[];
  /** The ERP items of the lines' product codes, by number. */
  readonly items: ReadonlyMap<string, ErpItem>;
  /** Orders already carrying this quote's external document number. */
  readonly existingOrders: readonly ErpOrder[];
  /** YYYY-MM-DD (UTC). */
  readonly today: string;
  /** ISO instant the facts were read. */
  readonly checkedAt: string;
}

function addDays(date: string, days: number): string {
  const instant = new Date(`${date}T00:00:00Z`);
  instant.setUTCDate(instant.getUTCDate() + days);
  return instant.toISOString().slice(0, 10);
}

function unshipped(line: ErpOrderLine): number {
  return Math.max(0, line.quantity - line.shippedQuantity);
}

function creditCheck(customer: ErpCustomer, orders: readonly ErpOrder[], required: Decimal): CreditCheck {
  const exposure = openOrderExposure(customer, orders);
  const available = availableCredit(customer, exposure);
  const unlimited = new Big(customer.creditLimit).eq(0);
  const verdict =
    customer.blocked !== 'none'
      ? 'CREDIT_HOLD'
      : !unlimited && new Big(required).gt(available)
        ? 'CREDIT_LIMIT_EXCEEDED'
        : 'OK';
  return {
    verdict,
    currency: customer.currency,
    limit: customer.creditLimit,
    unlimited,
    balance: customer.balanceDue,
    openOrderExposure: exposure,
    available,
    required,
    blocked: customer.blocked,
  };
}

function rejected(
  facts: QuoteFacts,
  reasons: Reason[],
  partial: Partial<QuoteValidationResult> = {},
): QuoteValidationResult {
  return {
    quoteId: facts.quoteId,
    externalDocumentNumber: quoteExternalDocumentNumber(facts.quoteId),
    verdict: 'REJECTED',
    reasonCodes: sortReasonCodes(reasons.map((r) => r.code)),
    reasons,
    accountId: facts.quote?.accountId ?? null,
    erpCustomerNumber: facts.account?.erpCustomerNumber ?? null,
    currency: facts.quote?.currency ?? null,
    quotedTotal: facts.quote?.grandTotal ?? null,
    credit: null,
    lines: [],
    existingOrderNumber: firstOrder(facts.existingOrders)?.number ?? null,
    checkedAt: facts.checkedAt,
    ...partial,
  };
}

const reason = (
  code: ReasonCode,
  message: string,
  line?: { lineNumber: string; itemNumber: string | null },
): Reason => ({
  code,
  message,
  lineNumber: line?.lineNumber ?? null,
  itemNumber: line?.itemNumber ?? null,
});

export function evaluateQuote(facts: QuoteFacts, policy: SubmittablePolicy): QuoteValidationResult {
  const { quote } = facts;
  if (quote === null) return rejected(facts, [reason('QUOTE_NOT_FOUND', `Salesforce has no quote ${facts.quoteId}.`)]);

  const ownRefs = new Set([quoteExternalDocumentNumber(facts.quoteId)]);
  // Judge the quote as if submitted once: an order already created from it neither adds exposure nor
  // holds stock against it.
  const otherOrders = facts.customerOrders.filter((order) => !ownRefs.has(order.externalDocumentNumber ?? ''));
  const reasons: Reason[] = [];

  if (!policy.isSubmittable(quote.status))
    reasons.push(reason('QUOTE_NOT_APPROVED', policy.refusal(quote.number, quote.status)));
  if (facts.lines.length === 0) reasons.push(reason('NO_LINES', `Quote ${quote.number} has no lines.`));

  const customer = facts.customer;
  const erpNumber = facts.account?.erpCustomerNumber ?? null;
  if (customer === null) {
    reasons.push(
      reason(
        'NO_ERP_CUSTOMER',
        erpNumber === null
          ? `The quote's account has no ERP customer number.`
          : `The ERP has no customer ${erpNumber} (the account's ERP customer number).`,
      ),
    );
  } else if (customer.currency !== quote.currency) {
    reasons.push(
      reason(
        'CURRENCY_MISMATCH',
        `The quote is in ${quote.currency}; customer ${customer.number} is billed in ${customer.currency}.`,
      ),
    );
  }

  const credit = customer === null ? null : creditCheck(customer, otherOrders, quote.grandTotal);
  if (credit?.verdict === 'CREDIT_HOLD') {
    reasons.push(reason('CREDIT_HOLD', `Customer ${customer!.number} is on hold: ${HOLD_REASON[credit.blocked]}.`));
  } else if (credit?.verdict === 'CREDIT_LIMIT_EXCEEDED') {
    reasons.push(
      reason(
        'CREDIT_LIMIT_EXCEEDED',
        `The quote total ${credit.required} ${credit.currency} exceeds the available credit ${credit.available} ${credit.currency} of customer ${customer!.number}.`,
      ),
    );
  }

  // Open, unshipped quantities already promised per item.
  const promised = new Map<string, number>();
  for (const order of otherOrders) {
    if (order.fullyShipped) continue;
    for (const line of order.lines)
      promised.set(line.itemNumber, (promised.get(line.itemNumber) ?? 0) + unshipped(line));
  }

  const lines = facts.lines.map((line): LineCheck => {
    const where = { lineNumber: line.lineNumber, itemNumber: line.productCode };
    const item = line.productCode === null ? undefined : facts.items.get(line.productCode);
    const codes: ReasonCode[] = [];
    const add = (code: ReasonCode, message: string) => {
      codes.push(code);
      reasons.push(reason(code, message, where));
    };
    if (item === undefined) {
      add(
        'ITEM_NOT_FOUND',
        `Line ${line.lineNumber}: ${line.productCode === null ? 'the product has no ERP item number' : `the ERP has no item ${line.productCode}`}.`,
      );
      return {
        ...where,
        quantity: line.quantity,
        quotedUnitPrice: line.unitPrice,
        erpUnitPrice: null,
        discountPercent: line.discount ?? 0,
        priceMatches: false,
        itemFound: false,
        blocked: false,
        availability: null,
        reasonCodes: codes,
      };
    }
    if (item.blocked) add('ITEM_BLOCKED', `Line ${line.lineNumber}: item ${item.number} is blocked in the ERP.`);

    let availability: Availability | null = null;
    if (item.type === 'inventory') {
      const committed = promised.get(item.number) ?? 0;
      const availableToPromise = item.inventory - committed;
      const sufficient = availableToPromise >= line.quantity;
      availability = {
        onHand: item.inventory,
        committed,
        availableToPromise,
        sufficient,
        nextAvailableDate: sufficient ? facts.today : addDays(facts.today, REPLENISHMENT_LEAD_TIME_DAYS),
      };
      // Later lines of the same item see this one's quantity as promised.
      promised.set(item.number, committed + line.quantity);
      if (!sufficient) {
        add(
          'ITEM_UNAVAILABLE',
          `Line ${line.lineNumber}: ${line.quantity} of item ${item.number} requested, ${Math.max(0, availableToPromise)} available to promise (next available ${availability.nextAvailableDate}).`,
        );
      }
    }

    const priceMatches = new Big(line.unitPrice).eq(item.unitPrice);
    if (!priceMatches) {
      const direction = new Big(line.unitPrice).lt(item.unitPrice) ? 'below' : 'above';
      add(
        'PRICE_MISMATCH',
        `Line ${line.lineNumber}: quoted unit price ${line.unitPrice} is ${direction} the ERP price ${item.unitPrice} of item ${item.number}.`,
      );
    }
    return {
      ...where,
      quantity: line.quantity,
      quotedUnitPrice: line.unitPrice,
      erpUnitPrice: item.unitPrice,
      discountPercent: line.discount ?? 0,
      priceMatches,
      itemFound: true,
      blocked: item.blocked,
      availability,
      reasonCodes: sortReasonCodes(codes),
    };
  });

  const reasonCodes = sortReasonCodes(reasons.map((r) => r.code));
  return {
    ...rejected(facts, reasons),
    verdict: reasonCodes.length === 0 ? 'ACCEPTABLE' : 'REJECTED',
    reasonCodes,
    // Most severe first; line reasons in line order within a code.
    reasons: reasons.toSorted((a, b) => reasonCodes.indexOf(a.code) - reasonCodes.indexOf(b.code)),
    credit,
    lines,
  };
}
