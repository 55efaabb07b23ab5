// Money arithmetic in integer cents, so sums of many lines never drift (0.1 + 0.2 !== 0.3) and the
// ERP's totals agree to the cent with what a client adds up. Converted to a JS number rounded to
// cents only at the edge (types.ts: both wire formats send JSON numbers). The ERP emulator uses the
// same functions when it prices an order created at runtime, so seeded and new orders agree.

/** Sales tax applied to taxable customers' order and invoice totals (a single demo rate). */
export const SALES_TAX_PERCENT = 7.25;

export function toCents(amount: number): number {
  return Math.round(amount * 100);
}

export function fromCents(cents: number): number {
  return cents / 100;
}

/** quantity * unitPrice * (1 - discountPercent/100), rounded half up to a cent. */
export function lineAmountCents(quantity: number, unitPriceCents: number, discountPercent: number): number {
  return Math.round((quantity * unitPriceCents * (100 - discountPercent)) / 100);
}

/** Tax on a document's net amount; zero for customers that are not tax liable. */
export function salesTaxCents(netCents: number, taxLiable: boolean): number {
  return taxLiable ? Math.round((netCents * SALES_TAX_PERCENT) / 100) : 0;
}
