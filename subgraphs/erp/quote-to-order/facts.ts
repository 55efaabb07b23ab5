// Reads what validation judges (validation.ts, QuoteFacts): the quote, its lines and its account from
// Salesforce; the order already created from it, the customer, the customer's orders and the lines'
// items from the ERP. Always fresh (the ports given here bypass the shield's caches): a decision about
// money and stock must see both systems as they are now. Two rounds of parallel calls: the quote,
// then everything else.
import type { ErpItem, ErpOrder, ErpPort } from '../../../connectors/erp/port.js';
import type { SalesforceConnector, SfQuoteRecord } from '../../../connectors/salesforce/types.js';
import type { CallContext } from '../../../lib/call-context.js';
import { isErpKey } from '../../shared/erp-keys.js';
import { utcDate } from '../dates.js';
import { quoteExternalDocumentNumber } from './quote-reference.js';
import type { QuoteFacts } from './validation.js';

export interface FactSources {
  readonly salesforce: SalesforceConnector;
  readonly erp: ErpPort;
}

/**
 * What the caller has just read itself (submitQuote does, before anything else), so it is not read
 * twice: `existingOrders`, the orders found by the quote's external document number; `quote`, the
 * Salesforce quote. Whatever is not given is read here.
 */
export interface KnownFacts {
  readonly existingOrders?: readonly ErpOrder[];
  readonly quote?: SfQuoteRecord | undefined;
}

export async function readQuoteFacts(
  quoteId: string,
  sources: FactSources,
  call: CallContext,
  now: Date,
  known: KnownFacts = {},
): Promise<QuoteFacts> {
  const { salesforce, erp } = sources;
  const { existingOrders } = known;
  const base = { quoteId, today: utcDate(now), checkedAt: now.toISOString() };
  const quote = known.quote ?? (await salesforce.quotesByIds([quoteId], call)).get(quoteId) ?? null;
  if (quote === null) {
    return {
      ...base,
      quote,
      lines: [],
      account: null,
      customer: null,
      customerOrders: [],
      items: new Map(),
      existingOrders: [],
    };
  }
  const reference = quoteExternalDocumentNumber(quoteId);
  const [lines, account, existing] = await Promise.all([
    salesforce.quoteLinesByQuoteIds([quoteId], call).then((byQuote) => byQuote.get(quoteId) ?? []),
    quote.accountId === null
      ? null
      : salesforce.accountsByIds([quote.accountId], call).then((byId) => byId.get(quote.accountId!) ?? null),
    existingOrders ??
      erp.ordersByExternalDocumentNumbers([reference], call).then((byRef) => byRef.get(reference) ?? []),
  ]);
  const customerNumber = account?.erpCustomerNumber ?? null;
  const itemNumbers = [...new Set(lines.map((line) => line.productCode).filter(isErpKey))];
  const [customer, customerOrders, items] = await Promise.all([
    isErpKey(customerNumber)
      ? erp.customersByNumbers([customerNumber], call).then((byNumber) => byNumber.get(customerNumber) ?? null)
      : null,
    isErpKey(customerNumber)
      ? erp.ordersByCustomers([customerNumber], call).then((byCustomer) => byCustomer.get(customerNumber) ?? [])
      : [],
    itemNumbers.length === 0 ? new Map<string, ErpItem>() : erp.itemsByNumbers(itemNumbers, call),
  ]);
  return { ...base, quote, lines, account, customer, customerOrders, items, existingOrders: existing };
}
