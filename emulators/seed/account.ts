// One account/customer with everything hanging off it, in both systems: the Salesforce account with
// its contacts, opportunities, quotes and cases, and the ERP customer with its orders, shipments,
// invoices and credit position. The same steps serve both companies of a two-company dataset.

import type { GenerationContext } from './context.js';
import { generateCases, generateContacts, generateOpportunities } from './crm.js';
import { settleCredit } from './credit.js';
import { generateCustomer } from './customer.js';
import { fulfilOrder, type Ledger } from './fulfilment.js';
import { createSalesOrder, type OrderStatus } from './orders.js';
import { pickLines } from './pricing.js';
import { generateQuotes } from './quotes.js';

const ORDER_STATUS_WEIGHTS = [
  ['Draft', 10],
  ['Open', 30],
  ['Released', 60],
] as const;

export function generateAccount(ctx: GenerationContext, index: number, total: number, usedNames: Set<string>): void {
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
    const orderOffset = status === 'Released' ? -rng.int(1, Math.min(-pair.createdOffset, 540)) : -rng.int(1, 45);
    const externalDocumentNumber = rng.chance(0.6) ? `PO-${rng.digits(6)}` : '';
    const order = createSalesOrder(ctx, pair, pickLines(ctx, 0), orderOffset, status, externalDocumentNumber);
    fulfilOrder(ctx, pair, order, orderOffset, ledger);
  }
  settleCredit(ctx, pair, ledger);
}
