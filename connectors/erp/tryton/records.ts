// The Tryton 6.0 models and fields the adapter reads (module sources: party, account, account_invoice,
// account_credit_limit, sale, sale_discount, stock, stock_lot, product). Each schema's keys are the
// `search_read` field list, so one request asks for exactly what the mappers read and validates
// exactly that. Dotted names read related records in the same request: Tryton answers them nested
// under "<field>." (a list for One2Many/Many2Many, an object or null for Many2One).
import { z } from 'zod';

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/);
/** Tryton on SQLite answers booleans as 1/0. */
const boolean = z.union([z.boolean(), z.number()]).transform((value) => Boolean(value));
const text = z.string().nullable();
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const code = (field: string) => z.object({ [field]: text }).nullable();

export const Party = z.object({
  id: z.number().int(),
  code: z.string().min(1),
  name: z.string(),
  active: boolean,
  phone: text.optional(),
  email: text.optional(),
  /** Receivable of the context's company: open invoices and unreconciled payments. */
  receivable: decimal.nullable(),
  /** Per company (account_credit_limit); null is "no limit". */
  credit_limit_amount: decimal.nullable(),
  customer_payment_term: z.number().int().nullable(),
  /** A customer tax rule (account): how the sales tax is replaced, e.g. a resale exemption. */
  customer_tax_rule: z.number().int().nullable(),
  create_date: z.string(),
  write_date: z.string().nullable(),
  'addresses.': z.array(
    z.object({
      street: text,
      city: text,
      postal_code: text,
      'country.': code('code'),
      'subdivision.': code('code'),
    }),
  ),
});

export const PaymentTerm = z.object({
  id: z.number().int(),
  name: z.string(),
  description: text,
  'lines.': z.array(
    z.object({
      type: z.string(),
      'relativedeltas.': z.array(
        z.object({
          days: z.number().int().nullable(),
          weeks: z.number().int().nullable(),
          months: z.number().int().nullable(),
        }),
      ),
    }),
  ),
});

export const Invoice = z.object({
  id: z.number().int(),
  number: text,
  type: z.string(),
  state: z.string(),
  'party.': code('code'),
  invoice_date: date.nullable(),
  'currency.': code('code'),
  untaxed_amount: decimal.nullable(),
  total_amount: decimal.nullable(),
  amount_to_pay: decimal.nullable(),
  create_date: z.string(),
  'lines_to_pay.': z.array(z.object({ maturity_date: date.nullable(), reconciliation: z.number().int().nullable() })),
  'sales.': z.array(z.object({ number: text, reference: text })),
});

export const SaleLine = z.object({
  type: z.string(),
  'product.': code('code'),
  description: text,
  quantity: z.number().nullable(),
  'unit.': code('symbol'),
  unit_price: decimal.nullable(),
  /** sale_discount: the price before the line's discount. */
  base_price: decimal.nullable(),
  discount_rate: decimal.nullable(),
  amount: decimal.nullable(),
  shipping_date: date.nullable(),
  'moves.': z.array(z.object({ quantity: z.number(), state: z.string() })),
  'invoice_lines.': z.array(z.object({ quantity: z.number().nullable(), 'invoice.': code('state') })),
});

export const Sale = z.object({
  id: z.number().int(),
  number: text,
  reference: text,
  state: z.string(),
  shipment_state: z.string(),
  'party.': code('code'),
  sale_date: date.nullable(),
  shipping_date: date.nullable(),
  'currency.': code('code'),
  untaxed_amount: decimal.nullable(),
  total_amount: decimal.nullable(),
  create_date: z.string(),
  'lines.': z.array(SaleLine),
});

export const Shipment = z.object({
  id: z.number().int(),
  number: text,
  /** Where the customer shipment keeps the carrier's tracking number (docs/tryton.md). */
  reference: text,
  'customer.': code('code'),
  effective_date: date.nullable(),
  planned_date: date.nullable(),
  'outgoing_moves.': z.array(
    z.object({
      quantity: z.number(),
      state: z.string(),
      'product.': z.object({ code: text, name: z.string() }).nullable(),
      'uom.': code('symbol'),
      'lot.': code('number'),
      'sale.': code('number'),
    }),
  ),
});

export const Product = z.object({
  id: z.number().int(),
  code: z.string().min(1),
  name: z.string(),
  type: z.string(),
  active: boolean,
  salable: boolean,
  list_price: decimal.nullable(),
  'default_uom.': code('symbol'),
  'categories.': z.array(z.object({ name: z.string() })),
  /** On hand in the context's locations (the warehouse). */
  quantity: z.number().nullable(),
});

export type Party = z.infer<typeof Party>;
export type PaymentTerm = z.infer<typeof PaymentTerm>;
export type Invoice = z.infer<typeof Invoice>;
export type SaleLine = z.infer<typeof SaleLine>;
export type Sale = z.infer<typeof Sale>;
export type Shipment = z.infer<typeof Shipment>;
export type Product = z.infer<typeof Product>;

/**
 * The search_read field list of a schema: its plain keys, and "<field>.<sub>" for every key of a
 * nested "<field>." schema (recursively), e.g. 'lines.moves.state'.
 */
export function fieldsOf(schema: z.ZodObject): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(schema.shape)) {
    if (!key.endsWith('.')) {
      out.push(key);
      continue;
    }
    const nested = unwrapObject(value as z.ZodType);
    if (!nested) throw new TypeError(`${key} is not a nested object schema`);
    for (const sub of fieldsOf(nested)) out.push(`${key}${sub}`);
  }
  return out;
}

function unwrapObject(schema: z.ZodType): z.ZodObject | null {
  let current: unknown = schema;
  for (let depth = 0; depth < 5; depth += 1) {
    if (current instanceof z.ZodObject) return current;
    if (current instanceof z.ZodArray) current = current.element;
    else if (current instanceof z.ZodNullable || current instanceof z.ZodOptional) current = current.unwrap();
    else return null;
  }
  return null;
}
