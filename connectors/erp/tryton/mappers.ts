// Tryton records (records.ts) → ERP port types. What Tryton models differently, and how it is adapted
// (docs/tryton.md has the table):
// - Customers: party.party with its code as the customer number; the first address; the company's
//   currency (a Tryton party has none of its own); the receivable as the balance; the credit limit
//   of the company (none → "0", which the port reads as "no limit", as in Business Central). Tryton
//   has no customer block or credit hold: a deactivated party is blocked 'all', any other 'none'.
//   Tax liable unless a customer tax rule replaces the sales tax (a resale exemption).
// - Orders: sale.sale once it has a number (a quotation or later; drafts and cancelled sales are not
//   orders): quotation → draft, confirmed → open, processing and done → released; fully shipped
//   when its shipment state is "sent". Lines in Tryton's order, numbered 10000, 20000, ...; the unit
//   price before discount (sale_discount's base price) and the discount in percent.
// - Shipments: customer shipments done (posted), one line per item (moves of several lots merged);
//   no carrier (the modules used have none), the tracking number in the shipment's reference.
// - Invoices: customer invoices with a number; posted with something to pay → open; due on the
//   earliest maturity still unpaid.
import { Big } from 'big.js';
import type { z } from 'zod';
import type {
  Decimal,
  ErpCustomer,
  ErpCustomerFinancials,
  ErpInvoice,
  ErpItem,
  ErpOrder,
  ErpOrderLine,
  ErpPaymentTerms,
  ErpShipment,
  InvoiceStatus,
  OrderStatus,
} from '../port.js';
import { decodeRows as decodeAnyRows, UnexpectedValue } from '../decode-rows.js';
import { invalidResponse } from './errors.js';
import type * as Wire from './records.js';

/** What every mapping needs to know about the company the adapter serves. */
export interface MappingContext {
  /** ISO code of the company's currency: what parties are billed in. */
  readonly currency: string;
  /** YYYY-MM-DD: what "overdue" is measured against. */
  readonly today: string;
}

/** Validates and maps every row (../decode-rows.ts); `map` returns null to leave a row out (a draft without a number). */
export function decodeRows<S extends z.ZodType, T>(
  schema: S,
  rows: readonly unknown[],
  map: (row: z.infer<S>) => T | null,
  operation: string,
): T[] {
  return decodeAnyRows(schema, rows, map, (why) => invalidResponse(operation, why));
}

export function money(value: string | null | undefined): Decimal {
  return new Big(value ?? 0).toFixed(2);
}

const textOrNull = (value: string | null | undefined): string | null => (value ? value : null);

function mapped<T extends string>(table: Readonly<Record<string, T>>, value: string, what: string): T {
  const found = Object.hasOwn(table, value) ? table[value] : undefined;
  if (found === undefined) throw new UnexpectedValue(`unknown ${what} ${JSON.stringify(value.slice(0, 40))}`);
  return found;
}

/** Tryton's subdivision codes are ISO 3166-2 ("US-CA"): the port has the part after the country. */
function stateOf(code: string | null | undefined): string | null {
  if (!code) return null;
  const dash = code.indexOf('-');
  return dash >= 0 ? code.slice(dash + 1) : code;
}

export function toCustomer(p: Wire.Party, company: MappingContext): ErpCustomer {
  const address = p['addresses.'][0];
  const [line1, ...rest] = (address?.street ?? '').split('\n');
  return {
    number: p.code,
    name: p.name,
    address: {
      line1: textOrNull(line1),
      line2: textOrNull(rest.join(', ')),
      city: textOrNull(address?.city),
      state: stateOf(address?.['subdivision.']?.code),
      postalCode: textOrNull(address?.postal_code),
      country: textOrNull(address?.['country.']?.code),
    },
    phone: textOrNull(p.phone),
    email: textOrNull(p.email),
    currency: company.currency,
    paymentTermsId: p.customer_payment_term === null ? null : String(p.customer_payment_term),
    blocked: p.active ? 'none' : 'all',
    creditLimit: money(p.credit_limit_amount),
    balanceDue: money(p.receivable),
    taxLiable: p.customer_tax_rule === null,
    updatedAt: p.write_date ?? p.create_date,
  };
}

/** "30D", "1M+10D" (Business Central's date formula notation); "0D" for "at once". */
export function toPaymentTerms(t: Wire.PaymentTerm): ErpPaymentTerms {
  // The remainder line says when the whole amount is due (a term may split earlier parts off).
  const line = t['lines.'].find((l) => l.type === 'remainder') ?? t['lines.'].at(-1);
  let months = 0;
  let days = 0;
  for (const delta of line?.['relativedeltas.'] ?? []) {
    months += delta.months ?? 0;
    days += (delta.days ?? 0) + 7 * (delta.weeks ?? 0);
  }
  const parts = [months ? `${months}M` : '', days ? `${days}D` : ''].filter(Boolean);
  return { id: String(t.id), code: t.name, name: t.description || t.name, dueDateCalculation: parts.join('+') || '0D' };
}

/** The earliest maturity still unpaid, else the last one, else the invoice date. */
export function dueDateOf(i: Wire.Invoice): string | null {
  const lines = i['lines_to_pay.'].filter((l) => l.maturity_date !== null);
  const open = lines
    .filter((l) => l.reconciliation === null)
    .map((l) => l.maturity_date!)
    .sort();
  if (open.length > 0) return open[0]!;
  const all = lines.map((l) => l.maturity_date!).sort();
  return all.at(-1) ?? i.invoice_date;
}

export function invoiceStatus(i: Wire.Invoice): InvoiceStatus {
  if (i.state === 'posted') return new Big(i.amount_to_pay ?? 0).gt(0) ? 'open' : 'paid';
  return mapped(INVOICE_STATUS, i.state, 'invoice state');
}

const INVOICE_STATUS: Readonly<Record<string, InvoiceStatus>> = {
  draft: 'draft',
  validated: 'in_review',
  paid: 'paid',
  cancelled: 'canceled',
};

/** Invoices without a number (drafts) are not listed: null. */
export function toInvoice(i: Wire.Invoice, company: MappingContext): ErpInvoice | null {
  if (!i.number) return null;
  const sale = i['sales.'][0];
  const invoiceDate = i.invoice_date ?? i.create_date.slice(0, 10);
  return {
    number: i.number,
    customerNumber: i['party.']?.code ?? '',
    orderNumber: textOrNull(sale?.number),
    externalDocumentNumber: textOrNull(sale?.reference),
    invoiceDate,
    dueDate: dueDateOf(i) ?? invoiceDate,
    status: invoiceStatus(i),
    currency: i['currency.']?.code ?? company.currency,
    totalExcludingTax: money(i.untaxed_amount),
    totalIncludingTax: money(i.total_amount),
    remaining: i.state === 'posted' ? money(Big(i.amount_to_pay ?? 0).lt(0) ? '0' : i.amount_to_pay) : '0.00',
  };
}

/**
 * The financial details of one customer from its posted invoices: the balance is what is left to
 * pay on them, the overdue part that of invoices due before today.
 */
export function toFinancials(
  customerNumber: string,
  invoices: readonly Wire.Invoice[],
  company: MappingContext,
): ErpCustomerFinancials {
  let balance = new Big(0);
  let overdue = new Big(0);
  for (const invoice of invoices) {
    const remaining = new Big(invoice.amount_to_pay ?? 0);
    if (remaining.lte(0)) continue;
    balance = balance.plus(remaining);
    const due = dueDateOf(invoice);
    if (due !== null && due < company.today) overdue = overdue.plus(remaining);
  }
  return {
    customerNumber,
    balance: balance.toFixed(2),
    overdueAmount: overdue.toFixed(2),
    totalSalesExcludingTax: null,
  };
}

export const ORDER_STATUS: Readonly<Record<string, OrderStatus>> = {
  quotation: 'draft',
  confirmed: 'open',
  processing: 'released',
  done: 'released',
};

/** Sales that are orders in the port's sense (see the header). */
export const ORDER_STATES = Object.keys(ORDER_STATUS);

/** Business Central numbers document lines 10000, 20000, ...; Tryton's lines get the same. */
export const LINE_SEQUENCE_STEP = 10_000;

/** Quantity units (PCS) are whole: a float sum of them is rounded back to what the unit allows. */
const quantityOf = (value: number) => Math.round(value * 1e6) / 1e6;

function toOrderLine(l: Wire.SaleLine, index: number, sale: Wire.Sale): ErpOrderLine {
  const unitPrice = l.base_price ?? l.unit_price;
  const rate = l.discount_rate === null ? new Big(0) : new Big(l.discount_rate);
  const shipped = l['moves.'].filter((m) => m.state === 'done').reduce((sum, m) => sum + m.quantity, 0);
  const invoiced = l['invoice_lines.']
    .filter((il) => il['invoice.']?.state === 'posted' || il['invoice.']?.state === 'paid')
    .reduce((sum, il) => sum + (il.quantity ?? 0), 0);
  return {
    sequence: (index + 1) * LINE_SEQUENCE_STEP,
    itemNumber: l['product.']?.code ?? '',
    description: l.description ?? '',
    quantity: l.quantity ?? 0,
    unitOfMeasure: l['unit.']?.symbol ?? '',
    unitPrice: money(unitPrice),
    discountPercent: Number(rate.times(100).toFixed(2)),
    amount: money(l.amount),
    shippedQuantity: quantityOf(shipped),
    invoicedQuantity: quantityOf(invoiced),
    shipmentDate: l.shipping_date ?? sale.shipping_date,
  };
}

/** Sales without a number (drafts) or in a state that is no order are left out: null. */
export function toOrder(s: Wire.Sale, company: MappingContext): ErpOrder | null {
  if (!s.number || !Object.hasOwn(ORDER_STATUS, s.state)) return null;
  return {
    id: String(s.id),
    number: s.number,
    externalDocumentNumber: textOrNull(s.reference),
    customerNumber: s['party.']?.code ?? '',
    orderDate: s.sale_date ?? s.create_date.slice(0, 10),
    requestedDeliveryDate: s.shipping_date,
    status: ORDER_STATUS[s.state]!,
    fullyShipped: s.shipment_state === 'sent',
    currency: s['currency.']?.code ?? company.currency,
    totalExcludingTax: money(s.untaxed_amount),
    totalIncludingTax: money(s.total_amount),
    // Comment, title and subtotal lines carry no item.
    lines: s['lines.'].filter((l) => l.type === 'line').map((l, index) => toOrderLine(l, index, s)),
  };
}

/**
 * A done customer shipment, its moves merged per item (one line with every lot). `orderNumber`: the
 * order to report it under (a shipment may serve several; the first by default).
 */
export function toShipment(s: Wire.Shipment, orderNumber?: string): ErpShipment | null {
  if (!s.number) return null;
  const moves = s['outgoing_moves.'].filter(
    (m) => m.state === 'done' && (!orderNumber || m['sale.']?.number === orderNumber),
  );
  const lines = new Map<string, ErpShipment['lines'][number]>();
  for (const move of moves) {
    const itemNumber = move['product.']?.code ?? '';
    const key = `${itemNumber}\u0000${move['uom.']?.symbol ?? ''}`;
    let line = lines.get(key);
    if (!line) {
      line = {
        sequence: (lines.size + 1) * LINE_SEQUENCE_STEP,
        itemNumber,
        description: move['product.']?.name ?? '',
        quantity: 0,
        unitOfMeasure: move['uom.']?.symbol ?? '',
        lotNumbers: [],
      };
      lines.set(key, line);
    }
    line.quantity = quantityOf(line.quantity + move.quantity);
    const lot = move['lot.']?.number;
    if (lot && !line.lotNumbers.includes(lot)) line.lotNumbers.push(lot);
  }
  return {
    number: s.number,
    orderNumber: orderNumber ?? moves.find((m) => m['sale.']?.number)?.['sale.']?.number ?? '',
    customerNumber: s['customer.']?.code ?? '',
    shipmentDate: s.effective_date ?? s.planned_date ?? '',
    carrier: null,
    trackingNumber: textOrNull(s.reference),
    lines: [...lines.values()],
  };
}

/** The sale numbers a shipment's moves belong to. */
export function ordersOfShipment(s: Wire.Shipment): string[] {
  return [...new Set(s['outgoing_moves.'].map((m) => m['sale.']?.number).filter((n): n is string => !!n))];
}

const ITEM_TYPE: Readonly<Record<string, ErpItem['type']>> = {
  goods: 'inventory',
  service: 'service',
  assets: 'non_inventory',
};

export function toItem(p: Wire.Product): ErpItem {
  return {
    number: p.code,
    name: p.name,
    type: mapped(ITEM_TYPE, p.type, 'product type'),
    category: p['categories.'][0]?.name ?? null,
    // Not sold any more: deactivated, or no longer salable.
    blocked: !p.active || !p.salable,
    unitOfMeasure: p['default_uom.']?.symbol ?? '',
    unitPrice: money(p.list_price),
    inventory: quantityOf(p.quantity ?? 0),
  };
}
