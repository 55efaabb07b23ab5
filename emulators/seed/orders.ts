// ERP sales orders: the customer's own orders (entered in the ERP or by EDI) and the orders the
// integration created from accepted Salesforce quotes (externalDocumentNumber 'SFQ-' + quote Id,
// the key a retried submission uses to find the order it already created).

import type { GenerationContext } from './context.js';
import type { CustomerPair } from './customer.js';
import { fromCents, salesTaxCents } from './money.js';
import type { PricedLine } from './pricing.js';
import { sumCents } from './pricing.js';
import { businessSecond } from './record-stamps.js';
import type { BcSalesOrder, BcSalesOrderLine } from './types.js';

/** Business Central numbers document lines 10000, 20000, ... */
export const LINE_SEQUENCE_STEP = 10_000;

export type OrderStatus = 'Draft' | 'Open' | 'Released';

/** The externalDocumentNumber of an order created from a Salesforce quote. */
export function quoteExternalDocumentNumber(quoteId: string): string {
  return `SFQ-${quoteId}`;
}

export function createSalesOrder(
  ctx: GenerationContext,
  pair: CustomerPair,
  lines: readonly PricedLine[],
  orderOffset: number,
  status: OrderStatus,
  externalDocumentNumber: string,
): BcSalesOrder {
  const { rng, calendar } = ctx;
  const { customer } = pair;
  const id = rng.uuid();
  const requestedDeliveryDate = calendar.day(orderOffset + rng.int(7, 30));
  const salesOrderLines: BcSalesOrderLine[] = lines.map((line, i) => ({
    id: rng.uuid(),
    documentId: id,
    sequence: (i + 1) * LINE_SEQUENCE_STEP,
    itemId: line.entry.item.id,
    lineType: 'Item',
    lineObjectNumber: line.entry.item.number,
    description: line.entry.item.displayName,
    unitOfMeasureCode: line.entry.item.baseUnitOfMeasureCode,
    quantity: line.quantity,
    unitPrice: fromCents(line.unitPriceCents),
    discountPercent: line.discountPercent,
    amountExcludingTax: fromCents(line.amountCents),
    netAmount: fromCents(line.amountCents),
    shippedQuantity: 0,
    invoicedQuantity: 0,
    shipmentDate: requestedDeliveryDate,
  }));
  const netCents = sumCents(lines);
  const taxCents = salesTaxCents(netCents, customer.taxLiable);
  const order: BcSalesOrder = {
    id,
    number: ctx.numbers.nextSalesOrder(),
    externalDocumentNumber,
    orderDate: calendar.day(orderOffset),
    requestedDeliveryDate,
    customerId: customer.id,
    customerNumber: customer.number,
    customerName: customer.displayName,
    currencyCode: customer.currencyCode,
    status,
    fullyShipped: false,
    totalAmountExcludingTax: fromCents(netCents),
    totalTaxAmount: fromCents(taxCents),
    totalAmountIncludingTax: fromCents(netCents + taxCents),
    lastModifiedDateTime: calendar.dateTime(orderOffset, businessSecond(rng)),
    salesOrderLines,
  };
  ctx.erp.salesOrders.push(order);
  return order;
}
