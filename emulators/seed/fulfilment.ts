// What happened to a released order: shipments (with lot numbers and carrier tracking) and, once
// fully shipped, its invoice, paid or open, on time or overdue relative to "today". Each invoice's
// open amount is booked in the customer's ledger, from which credit.ts derives balanceDue and
// overdueAmount.

import type { GenerationContext } from './context.js';
import type { CustomerPair } from './customer.js';
import { fromCents, toCents } from './money.js';
import { LINE_SEQUENCE_STEP } from './orders.js';
import { businessSecond } from './record-stamps.js';
import { CARRIERS } from './reference-data.js';
import { trackingNumber } from './tracking.js';
import type { BcSalesOrder, BcSalesOrderLine, BcSalesShipment } from './types.js';

/** Running money totals of one customer, in cents. */
export interface Ledger {
  openCents: number;
  overdueCents: number;
  salesExcludingTaxCents: number;
}

type ShippingState = 'none' | 'partial' | 'full';

/** How far a recent (3-60 days old) released order has got. */
const RECENT_ORDER_SHIPPING: readonly (readonly [ShippingState, number])[] = [
  ['none', 25],
  ['partial', 20],
  ['full', 55],
];

function shippingState(ctx: GenerationContext, ageDays: number): ShippingState {
  if (ageDays <= 2) return 'none';
  if (ageDays > 60) return ctx.rng.chance(0.92) ? 'full' : 'partial';
  return ctx.rng.weighted(RECENT_ORDER_SHIPPING);
}

function ship(
  ctx: GenerationContext,
  pair: CustomerPair,
  order: BcSalesOrder,
  lines: { line: BcSalesOrderLine; quantity: number }[],
  shipOffset: number,
): BcSalesShipment {
  const { rng, calendar } = ctx;
  const id = rng.uuid();
  const carrier = rng.pick(CARRIERS);
  const year = calendar.year(shipOffset);
  const shipment: BcSalesShipment = {
    id,
    number: ctx.numbers.nextSalesShipment(),
    orderNumber: order.number,
    customerNumber: pair.customer.number,
    customerName: pair.customer.displayName,
    shipmentDate: calendar.day(shipOffset),
    shippingAgentCode: carrier,
    packageTrackingNo: trackingNumber(rng, carrier),
    lastModifiedDateTime: calendar.dateTime(shipOffset, businessSecond(rng)),
    salesShipmentLines: lines.map(({ line, quantity }, i) => ({
      id: rng.uuid(),
      documentId: id,
      sequence: (i + 1) * LINE_SEQUENCE_STEP,
      lineObjectNumber: line.lineObjectNumber,
      description: line.description,
      unitOfMeasureCode: line.unitOfMeasureCode,
      quantity,
      lotNumbers:
        quantity >= 2 && rng.chance(0.2)
          ? [ctx.numbers.nextLot(year), ctx.numbers.nextLot(year)]
          : [ctx.numbers.nextLot(year)],
    })),
  };
  for (const { line, quantity } of lines) line.shippedQuantity += quantity;
  ctx.erp.salesShipments.push(shipment);
  order.lastModifiedDateTime = shipment.lastModifiedDateTime;
  return shipment;
}

/** Quantities to ship now for a partial delivery; null when the draw is not actually partial. */
function partialQuantities(ctx: GenerationContext, order: BcSalesOrder): number[] | null {
  const quantities = order.salesOrderLines.map((line) => ctx.rng.int(0, line.quantity));
  const shipped = quantities.reduce((a, b) => a + b, 0);
  const ordered = order.salesOrderLines.reduce((a, line) => a + line.quantity, 0);
  return shipped > 0 && shipped < ordered ? quantities : null;
}

function invoice(
  ctx: GenerationContext,
  pair: CustomerPair,
  order: BcSalesOrder,
  invoiceOffset: number,
  ledger: Ledger,
): void {
  const { rng, calendar } = ctx;
  const dueOffset = invoiceOffset + pair.paymentDueDays;
  const totalCents = toCents(order.totalAmountIncludingTax);
  const overdue = dueOffset < 0;
  // Old debts are mostly settled; recent ones are open, some partly paid.
  const paid = overdue && rng.chance(dueOffset < -60 ? 0.92 : 0.6);
  const remainingCents = paid
    ? 0
    : rng.chance(overdue ? 0.25 : 0.1)
      ? Math.round((totalCents * rng.int(20, 80)) / 100)
      : totalCents;
  const lastChange = paid ? rng.int(invoiceOffset, -1) : invoiceOffset;
  for (const line of order.salesOrderLines) line.invoicedQuantity = line.quantity;
  ctx.erp.salesInvoices.push({
    id: rng.uuid(),
    number: ctx.numbers.nextSalesInvoice(),
    externalDocumentNumber: order.externalDocumentNumber,
    invoiceDate: calendar.day(invoiceOffset),
    postingDate: calendar.day(invoiceOffset),
    dueDate: calendar.day(dueOffset),
    customerNumber: pair.customer.number,
    customerName: pair.customer.displayName,
    orderNumber: order.number,
    currencyCode: order.currencyCode,
    status: paid ? 'Paid' : 'Open',
    totalAmountExcludingTax: order.totalAmountExcludingTax,
    totalTaxAmount: order.totalTaxAmount,
    totalAmountIncludingTax: order.totalAmountIncludingTax,
    remainingAmount: fromCents(remainingCents),
    lastModifiedDateTime: calendar.dateTime(lastChange, businessSecond(rng)),
  });
  ledger.salesExcludingTaxCents += toCents(order.totalAmountExcludingTax);
  ledger.openCents += remainingCents;
  if (overdue) ledger.overdueCents += remainingCents;
}

/** Ships (and invoices) a released order placed orderOffset days from today. */
export function fulfilOrder(
  ctx: GenerationContext,
  pair: CustomerPair,
  order: BcSalesOrder,
  orderOffset: number,
  ledger: Ledger,
): void {
  if (order.status !== 'Released') return;
  const { rng } = ctx;
  let state = shippingState(ctx, -orderOffset);
  const partial = state === 'partial' ? partialQuantities(ctx, order) : null;
  if (state === 'partial' && partial === null) state = 'full';
  if (state === 'none') return;

  const firstOffset = Math.min(orderOffset + rng.int(1, 10), -1);
  const lines = order.salesOrderLines;
  if (partial !== null) {
    const shipped = lines.map((line, i) => ({ line, quantity: partial[i] ?? 0 })).filter((s) => s.quantity > 0);
    ship(ctx, pair, order, shipped, firstOffset);
    return;
  }
  let lastOffset = firstOffset;
  if (lines.length >= 2 && rng.chance(0.25)) {
    // Split delivery: the first half of the lines leaves first, the rest a few days later.
    const half = Math.ceil(lines.length / 2);
    ship(
      ctx,
      pair,
      order,
      lines.slice(0, half).map((line) => ({ line, quantity: line.quantity })),
      firstOffset,
    );
    lastOffset = Math.min(firstOffset + rng.int(1, 7), -1);
    ship(
      ctx,
      pair,
      order,
      lines.slice(half).map((line) => ({ line, quantity: line.quantity })),
      lastOffset,
    );
  } else {
    ship(
      ctx,
      pair,
      order,
      lines.map((line) => ({ line, quantity: line.quantity })),
      firstOffset,
    );
  }
  order.fullyShipped = true;
  invoice(ctx, pair, order, lastOffset, ledger);
}
