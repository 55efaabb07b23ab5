// Posting a sales order, as Business Central's "Sales-Post" does for the API's bound action
// salesOrders(id)/Microsoft.NAV.shipAndInvoice (api-reference/v2.0 salesOrder, "Bound Actions"; the
// APIV1/APIV2 sales order E2E tests): the quantities to ship are shipped (a posted sales shipment)
// and invoiced with whatever was shipped before but not invoiced (a posted sales invoice, status
// Open); when every line is then fully shipped and invoiced the order itself is deleted, its
// history living on in the posted documents. The API
// ships each line's whole outstanding quantity; a partial delivery (what a warehouse user posts in
// the client after lowering "Qty. to Ship") passes its own quantities.
//
// This module computes the documents; store.ts applies them.
import { randomUUID } from 'node:crypto';
import { dialog } from './errors.js';
import { fromCents, lineAmountCents, salesTaxCents, toCents } from '../seed/money.js';
import type {
  BcCustomer,
  BcPaymentTerm,
  BcSalesInvoice,
  BcSalesOrder,
  BcSalesOrderLine,
  BcSalesShipment,
} from '../seed/types.js';

/** Business Central numbers document lines 10000, 20000, ... */
const LINE_SEQUENCE_STEP = 10_000;

export interface PostingInput {
  order: BcSalesOrder;
  customer: BcCustomer;
  paymentTerms: BcPaymentTerm | undefined;
  /** Quantity to ship (and invoice) per order line id, 0 for lines not named; absent: every line's outstanding quantity. */
  quantities?: ReadonlyMap<string, number>;
  shipmentNumber: string;
  invoiceNumber: string;
  /** 'YYYY-MM-DD': posting, shipment and invoice date. */
  postingDate: string;
  /** ISO date-time of the posting: the documents' lastModifiedDateTime. */
  at: string;
  /** Carrier and tracking number, when the warehouse recorded them (the API leaves them blank). */
  shippingAgentCode?: string;
  packageTrackingNo?: string;
}

export interface PostingResult {
  shipment: BcSalesShipment;
  invoice: BcSalesInvoice;
  /** The order after posting, or null when it is fully shipped and invoiced (deleted). */
  order: BcSalesOrder | null;
  /** What the invoice adds to the customer's ledger. */
  netCents: number;
  totalCents: number;
}

/** Customer.CheckBlockedCustOnDocs for posting: a Ship block stops shipping, Invoice stops invoicing, All both. */
function checkBlocked(customer: BcCustomer): void {
  if (customer.blocked === 'Ship' || customer.blocked === 'All') {
    throw dialog(
      `You cannot ship this type of document when Customer ${customer.number} is blocked with type ${customer.blocked}`,
    );
  }
  if (customer.blocked === 'Invoice') {
    throw dialog(
      `You cannot invoice this type of document when Customer ${customer.number} is blocked with type ${customer.blocked}`,
    );
  }
}

function addDays(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/** Days of a due date formula such as '30D' (the seed's formulas; anything else counts as 0). */
function dueDays(terms: BcPaymentTerm | undefined): number {
  const m = terms ? /^(\d+)D$/.exec(terms.dueDateCalculation) : null;
  return m ? Number(m[1]) : 0;
}

function outstanding(line: BcSalesOrderLine): number {
  return Math.max(0, line.quantity - line.shippedQuantity);
}

export function postSalesOrder(input: PostingInput): PostingResult {
  const { order, customer } = input;
  checkBlocked(customer);
  const posted = order.salesOrderLines.map((line) => {
    const requested = input.quantities ? (input.quantities.get(line.id) ?? 0) : outstanding(line);
    if (!Number.isFinite(requested) || requested < 0 || requested > outstanding(line)) {
      throw dialog(
        `You cannot ship more than ${outstanding(line)} units on line ${line.sequence} of order ${order.number}.`,
      );
    }
    return { line, quantity: requested };
  });
  const shipped = posted.filter((p) => p.quantity > 0);
  if (shipped.length === 0) throw dialog('There is nothing to post.');

  const shipmentId = randomUUID();
  const shipment: BcSalesShipment = {
    id: shipmentId,
    number: input.shipmentNumber,
    orderNumber: order.number,
    customerNumber: customer.number,
    customerName: customer.displayName,
    shipmentDate: input.postingDate,
    shippingAgentCode: input.shippingAgentCode ?? '',
    packageTrackingNo: input.packageTrackingNo ?? '',
    lastModifiedDateTime: input.at,
    salesShipmentLines: shipped.map(({ line, quantity }, i) => ({
      id: randomUUID(),
      documentId: shipmentId,
      sequence: (i + 1) * LINE_SEQUENCE_STEP,
      lineObjectNumber: line.lineObjectNumber,
      description: line.description,
      unitOfMeasureCode: line.unitOfMeasureCode,
      quantity,
      lotNumbers: [],
    })),
  };

  // "Qty. to Invoice": what this posting ships plus what earlier postings shipped but did not invoice.
  const invoiced = posted
    .map(({ line, quantity }) => ({
      line,
      quantity: quantity + Math.max(0, line.shippedQuantity - line.invoicedQuantity),
    }))
    .filter((p) => p.quantity > 0);
  let netCents = 0;
  for (const { line, quantity } of invoiced)
    netCents += lineAmountCents(quantity, toCents(line.unitPrice), line.discountPercent);
  const taxCents = salesTaxCents(netCents, customer.taxLiable);
  const totalCents = netCents + taxCents;
  const invoice: BcSalesInvoice = {
    id: randomUUID(),
    number: input.invoiceNumber,
    externalDocumentNumber: order.externalDocumentNumber,
    invoiceDate: input.postingDate,
    postingDate: input.postingDate,
    dueDate: addDays(input.postingDate, dueDays(input.paymentTerms)),
    customerNumber: customer.number,
    customerName: customer.displayName,
    orderNumber: order.number,
    currencyCode: order.currencyCode,
    status: 'Open',
    totalAmountExcludingTax: fromCents(netCents),
    totalTaxAmount: fromCents(taxCents),
    totalAmountIncludingTax: fromCents(totalCents),
    remainingAmount: fromCents(totalCents),
    lastModifiedDateTime: input.at,
  };

  const lines = posted.map(({ line, quantity }) => {
    const shippedQuantity = line.shippedQuantity + quantity;
    return shippedQuantity === line.shippedQuantity && line.invoicedQuantity >= shippedQuantity
      ? line
      : { ...line, shippedQuantity, invoicedQuantity: shippedQuantity };
  });
  const done = lines.every((line) => line.shippedQuantity >= line.quantity && line.invoicedQuantity >= line.quantity);
  const updated: BcSalesOrder | null = done
    ? null
    : {
        ...order,
        // Posting releases an open order first (Release Sales Document), as BC does.
        status: 'Released',
        fullyShipped: lines.every((line) => line.shippedQuantity >= line.quantity),
        salesOrderLines: lines,
        lastModifiedDateTime: input.at,
      };
  return { shipment, invoice, order: updated, netCents, totalCents };
}
