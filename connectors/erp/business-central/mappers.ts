// Business Central wire records → ERP port domain types. Money becomes a 2-decimal string via big.js
// (never float arithmetic); BC's "empty" values (empty text, the empty GUID, the 0001-01-01 date)
// become null; enum captions become the port's snake_case values.
import { Big } from 'big.js';
import type { z } from 'zod';
import type {
  CustomerBlock,
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
import type * as Wire from './wire.js';

/**
 * Validates and maps every row (../decode-rows.ts); a row BC sent in a shape we cannot read fails
 * the whole call as 'invalid_response'.
 */
export function decodeRows<S extends z.ZodType, T>(
  schema: S,
  rows: readonly unknown[],
  map: (row: z.infer<S>) => T,
  operation: string,
): T[] {
  return decodeAnyRows(schema, rows, map, (why) => invalidResponse(operation, why));
}

export function money(value: number | string): Decimal {
  return new Big(value).toFixed(2);
}

/**
 * OData serializes enum member names XML-encoded ("In_x0020_Review", blocked " " as "_x0020_",
 * "Non_x002D_Inventory"); decode so both that and the caption form map the same.
 */
function enumName(value: string | null | undefined): string {
  return (value ?? '').replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function enumValue<T extends string>(table: Record<string, T>, raw: string | null | undefined, property: string): T {
  const name = enumName(raw);
  const mapped = Object.hasOwn(table, name) ? table[name] : undefined;
  if (mapped === undefined) throw new UnexpectedValue(`unknown ${property} ${JSON.stringify(name.slice(0, 40))}`);
  return mapped;
}

const BLOCKED: Record<string, CustomerBlock> = {
  '': 'none',
  ' ': 'none',
  Ship: 'ship',
  Invoice: 'invoice',
  All: 'all',
};
const INVOICE_STATUS: Record<string, InvoiceStatus> = {
  Draft: 'draft',
  'In Review': 'in_review',
  Open: 'open',
  Paid: 'paid',
  Canceled: 'canceled',
  Corrective: 'corrective',
};
const ORDER_STATUS: Record<string, OrderStatus> = {
  Draft: 'draft',
  'In Review': 'in_review',
  Open: 'open',
  Released: 'released',
};
const ITEM_TYPE: Record<string, ErpItem['type']> = {
  Inventory: 'inventory',
  Service: 'service',
  'Non-Inventory': 'non_inventory',
};

const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

function textOrNull(value: string | null | undefined): string | null {
  return value ? value : null;
}

/** BC's empty date is 0001-01-01. */
function dateOrNull(value: string | null | undefined): string | null {
  return value && value !== '0001-01-01' ? value : null;
}

function guidOrNull(value: string | null | undefined): string | null {
  return value && value !== EMPTY_GUID ? value : null;
}

export function toCustomer(c: Wire.Customer): ErpCustomer {
  return {
    number: c.number,
    name: c.displayName,
    address: {
      line1: textOrNull(c.addressLine1),
      line2: textOrNull(c.addressLine2),
      city: textOrNull(c.city),
      state: textOrNull(c.state),
      postalCode: textOrNull(c.postalCode),
      country: textOrNull(c.country),
    },
    phone: textOrNull(c.phoneNumber),
    email: textOrNull(c.email),
    currency: c.currencyCode ?? '',
    paymentTermsId: guidOrNull(c.paymentTermsId),
    blocked: enumValue(BLOCKED, c.blocked, 'blocked'),
    creditLimit: money(c.creditLimit),
    balanceDue: money(c.balanceDue),
    taxLiable: c.taxLiable,
    updatedAt: c.lastModifiedDateTime,
  };
}

export function toFinancials(f: Wire.CustomerFinancialDetail): ErpCustomerFinancials {
  return {
    customerNumber: f.number,
    balance: money(f.balance),
    overdueAmount: money(f.overdueAmount),
    totalSalesExcludingTax: money(f.totalSalesExcludingTax),
  };
}

export function toPaymentTerms(t: Wire.PaymentTerm): ErpPaymentTerms {
  return { id: t.id, code: t.code, name: t.displayName, dueDateCalculation: t.dueDateCalculation };
}

export function toInvoice(i: Wire.SalesInvoice): ErpInvoice {
  return {
    number: i.number,
    customerNumber: i.customerNumber,
    orderNumber: textOrNull(i.orderNumber),
    externalDocumentNumber: textOrNull(i.externalDocumentNumber),
    invoiceDate: i.invoiceDate,
    dueDate: i.dueDate,
    status: enumValue(INVOICE_STATUS, i.status, 'invoice status'),
    currency: i.currencyCode ?? '',
    totalExcludingTax: money(i.totalAmountExcludingTax),
    totalIncludingTax: money(i.totalAmountIncludingTax),
    remaining: money(i.remainingAmount),
  };
}

function toOrderLine(l: Wire.SalesOrderLine): ErpOrderLine {
  return {
    sequence: l.sequence,
    itemNumber: l.lineObjectNumber,
    description: l.description,
    quantity: l.quantity,
    unitOfMeasure: l.unitOfMeasureCode ?? '',
    unitPrice: money(l.unitPrice),
    discountPercent: l.discountPercent,
    amount: money(l.netAmount),
    shippedQuantity: l.shippedQuantity,
    invoicedQuantity: l.invoicedQuantity,
    shipmentDate: dateOrNull(l.shipmentDate),
  };
}

/** An order header plus its lines (in line sequence). */
export function toOrder(o: Wire.CreatedSalesOrder, lines: readonly Wire.SalesOrderLine[]): ErpOrder {
  return {
    id: o.id,
    number: o.number,
    externalDocumentNumber: textOrNull(o.externalDocumentNumber),
    customerNumber: o.customerNumber,
    orderDate: o.orderDate,
    requestedDeliveryDate: dateOrNull(o.requestedDeliveryDate),
    status: enumValue(ORDER_STATUS, o.status, 'order status'),
    fullyShipped: o.fullyShipped,
    currency: o.currencyCode ?? '',
    totalExcludingTax: money(o.totalAmountExcludingTax),
    totalIncludingTax: money(o.totalAmountIncludingTax),
    lines: [...lines].sort((a, b) => a.sequence - b.sequence).map(toOrderLine),
  };
}

export function toShipment(s: Wire.SalesShipment): ErpShipment {
  return {
    number: s.number,
    orderNumber: s.orderNumber,
    customerNumber: s.customerNumber,
    shipmentDate: s.shipmentDate,
    carrier: textOrNull(s.shippingAgentCode),
    trackingNumber: textOrNull(s.packageTrackingNo),
    lines: [...s.salesShipmentLines]
      .sort((a, b) => a.sequence - b.sequence)
      .map((l) => ({
        sequence: l.sequence,
        itemNumber: l.lineObjectNumber,
        description: l.description,
        quantity: l.quantity,
        unitOfMeasure: l.unitOfMeasureCode ?? '',
        lotNumbers: l.lotNumbers ?? [],
      })),
  };
}

export function toItem(i: Wire.Item): ErpItem {
  return {
    number: i.number,
    name: i.displayName,
    type: enumValue(ITEM_TYPE, i.type, 'item type'),
    category: textOrNull(i.itemCategoryCode),
    blocked: i.blocked,
    unitOfMeasure: i.baseUnitOfMeasureCode ?? '',
    unitPrice: money(i.unitPrice),
    inventory: i.inventory,
  };
}
