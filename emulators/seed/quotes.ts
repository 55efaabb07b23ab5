// Salesforce quotes with their lines. About a fifth were already submitted: the integration created
// an ERP sales order from them (externalDocumentNumber 'SFQ-' + quote Id) and wrote the order number
// back (ERP_Order_Number__c, ERP_Sync_Status__c 'Accepted'). The rest wait in every other status
// with ERP_Sync_Status__c 'Not Submitted', ready for submitQuote/validateQuote.

import type { GenerationContext } from './context.js';
import { winOpportunity, type GeneratedOpportunity } from './crm.js';
import type { CustomerPair } from './customer.js';
import { fromCents } from './money.js';
import { createSalesOrder, quoteExternalDocumentNumber, type OrderStatus } from './orders.js';
import { pickLines, sumCents } from './pricing.js';
import { businessSecond, recordStamps } from './record-stamps.js';
import { UNSYNCED_QUOTE_STATUS_WEIGHTS } from './reference-data.js';
import type { BcSalesOrder, SfQuote } from './types.js';

const SYNCED_SHARE = 0.2;
const PRICE_DEVIATION_SHARE = 0.1;
const QUOTE_VALIDITY_DAYS = 30;

/** An ERP order created from a synced quote, with the day it was created. */
export interface QuoteOrder {
  order: BcSalesOrder;
  orderOffset: number;
}

export function generateQuotes(
  ctx: GenerationContext,
  pair: CustomerPair,
  opportunities: readonly GeneratedOpportunity[],
  count: number,
): QuoteOrder[] {
  const { rng, calendar } = ctx;
  const orders: QuoteOrder[] = [];
  for (let k = 0; k < count; k++) {
    const { record: opportunity, createdOffset: opportunityOffset } = rng.pick(opportunities);
    const synced = rng.chance(SYNCED_SHARE);
    // After its opportunity, and at least two days ago so a sync happened after creation, before today.
    const createdOffset = rng.int(Math.min(Math.max(opportunityOffset, -300), -2), -2);
    const stamps = recordStamps(rng, calendar, createdOffset);
    const lines = pickLines(ctx, PRICE_DEVIATION_SHARE);
    const totalCents = sumCents(lines);
    const quote: SfQuote = {
      Id: ctx.ids.Quote.next(),
      CreatedDate: stamps.CreatedDate,
      LastModifiedDate: stamps.LastModifiedDate,
      Name: `${opportunity.Name} Q${k + 1}`,
      QuoteNumber: ctx.numbers.nextQuoteNumber(),
      AccountId: pair.account.Id,
      OpportunityId: opportunity.Id,
      Status: synced ? 'Accepted' : rng.weighted(UNSYNCED_QUOTE_STATUS_WEIGHTS),
      ExpirationDate: calendar.day(createdOffset + QUOTE_VALIDITY_DAYS),
      CurrencyIsoCode: pair.customer.currencyCode,
      TotalPrice: fromCents(totalCents),
      // No shipping or tax lines on demo quotes, so GrandTotal = TotalPrice.
      GrandTotal: fromCents(totalCents),
      ERP_Order_Number__c: null,
      ERP_Sync_Status__c: 'Not Submitted',
      ERP_Sync_Message__c: null,
      ERP_Last_Sync_At__c: null,
    };
    ctx.sf.Quote.push(quote);
    for (const line of lines) {
      ctx.sf.QuoteLineItem.push({
        Id: ctx.ids.QuoteLineItem.next(),
        CreatedDate: stamps.CreatedDate,
        LastModifiedDate: stamps.CreatedDate,
        QuoteId: quote.Id,
        Product2Id: line.entry.product.Id,
        LineNumber: ctx.numbers.nextQuoteLineNumber(),
        Description: null,
        Quantity: line.quantity,
        UnitPrice: fromCents(line.unitPriceCents),
        Discount: line.discountPercent === 0 ? null : line.discountPercent,
        TotalPrice: fromCents(line.amountCents),
      });
    }

    if (synced) {
      // Accepted and submitted while the quote was still valid.
      const syncOffset = rng.int(createdOffset + 1, Math.min(createdOffset + QUOTE_VALIDITY_DAYS, -1));
      const status: OrderStatus = syncOffset < -2 && rng.chance(0.7) ? 'Released' : 'Open';
      const order = createSalesOrder(ctx, pair, lines, syncOffset, status, quoteExternalDocumentNumber(quote.Id));
      const syncedAt = calendar.dateTime(syncOffset, businessSecond(rng));
      quote.ERP_Order_Number__c = order.number;
      quote.ERP_Sync_Status__c = 'Accepted';
      quote.ERP_Last_Sync_At__c = syncedAt;
      // The write-back is the quote's last change.
      quote.LastModifiedDate = syncedAt;
      order.lastModifiedDateTime = syncedAt;
      winOpportunity(opportunity, calendar.day(syncOffset), syncedAt, fromCents(totalCents));
      orders.push({ order, orderOffset: syncOffset });
    }
  }
  return orders;
}
