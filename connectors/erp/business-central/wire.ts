// The Business Central API v2.0 properties the adapter reads, per entity set (names as in the BC API
// reference, dev-itpro/api-reference/v2.0/resources/). Each schema's keys ARE the $select list, so
// we ask for exactly what the mappers read and validate exactly that.
import { z } from 'zod';

/** BC sends decimals as JSON numbers (or as strings with IEEE754Compatible=true): accept both. */
const money = z.union([z.number().finite(), z.string().regex(/^-?\d+(\.\d+)?$/)]);
const key = z.string().min(1);
/** BC never sends null for text (empty string instead); tolerate both. */
const text = z.string().nullish();

export const Customer = z.object({
  number: key,
  displayName: z.string(),
  addressLine1: text,
  addressLine2: text,
  city: text,
  state: text,
  country: text,
  postalCode: text,
  phoneNumber: text,
  email: text,
  currencyCode: text,
  paymentTermsId: text,
  blocked: text,
  creditLimit: money,
  balanceDue: money,
  taxLiable: z.boolean(),
  lastModifiedDateTime: z.string(),
});

export const CustomerFinancialDetail = z.object({
  number: key,
  balance: money,
  totalSalesExcludingTax: money,
  overdueAmount: money,
});

export const PaymentTerm = z.object({
  id: key,
  code: z.string(),
  displayName: z.string(),
  dueDateCalculation: z.string(),
});

export const SalesInvoice = z.object({
  number: key,
  customerNumber: key,
  orderNumber: text,
  externalDocumentNumber: text,
  invoiceDate: z.string(),
  dueDate: z.string(),
  status: z.string(),
  currencyCode: text,
  totalAmountExcludingTax: money,
  totalAmountIncludingTax: money,
  remainingAmount: money,
});

export const SalesOrderLine = z.object({
  sequence: z.number().int(),
  lineObjectNumber: z.string(),
  description: z.string(),
  quantity: z.number(),
  unitOfMeasureCode: text,
  unitPrice: money,
  discountPercent: z.number(),
  /** BC: "the net amount is the amount including all discounts", excluding tax. */
  netAmount: money,
  shippedQuantity: z.number(),
  invoicedQuantity: z.number(),
  shipmentDate: text,
});

const salesOrderHeader = {
  id: key,
  number: key,
  externalDocumentNumber: text,
  customerNumber: key,
  orderDate: z.string(),
  requestedDeliveryDate: text,
  status: z.string(),
  fullyShipped: z.boolean(),
  currencyCode: text,
  totalAmountExcludingTax: money,
  totalAmountIncludingTax: money,
};

export const SalesOrder = z.object({ ...salesOrderHeader, salesOrderLines: z.array(SalesOrderLine) });
/** A created order as the POST answers it: BC may leave the lines out unless expanded. */
export const CreatedSalesOrder = z.object({ ...salesOrderHeader, salesOrderLines: z.array(SalesOrderLine).optional() });

export const SalesShipmentLine = z.object({
  sequence: z.number().int(),
  lineObjectNumber: z.string(),
  description: z.string(),
  quantity: z.number(),
  unitOfMeasureCode: text,
  /** Item tracking: the emulator's extension of BC's shipment line. */
  lotNumbers: z.array(z.string()).nullish(),
});

export const SalesShipment = z.object({
  number: key,
  orderNumber: z.string(),
  customerNumber: key,
  shipmentDate: z.string(),
  shippingAgentCode: text,
  packageTrackingNo: text,
  salesShipmentLines: z.array(SalesShipmentLine),
});

export const Item = z.object({
  number: key,
  displayName: z.string(),
  type: z.string(),
  itemCategoryCode: text,
  blocked: z.boolean(),
  baseUnitOfMeasureCode: text,
  unitPrice: money,
  inventory: z.number(),
});

export type Customer = z.infer<typeof Customer>;
export type CustomerFinancialDetail = z.infer<typeof CustomerFinancialDetail>;
export type PaymentTerm = z.infer<typeof PaymentTerm>;
export type SalesInvoice = z.infer<typeof SalesInvoice>;
export type SalesOrderLine = z.infer<typeof SalesOrderLine>;
export type SalesOrder = z.infer<typeof SalesOrder>;
export type CreatedSalesOrder = z.infer<typeof CreatedSalesOrder>;
export type SalesShipment = z.infer<typeof SalesShipment>;
export type Item = z.infer<typeof Item>;

/** The key of a row of the Analytics API's salesLines (business-central/row-readers.ts). */
export const SalesLineKey = z.object({ documentNo: key, lineNo: z.number().int() });

/** The $select list of an entity: its scalar properties (navigation properties are $expand-ed). */
export function selectOf(schema: z.ZodObject, ...navigation: string[]): string[] {
  return Object.keys(schema.shape).filter((name) => !navigation.includes(name));
}
