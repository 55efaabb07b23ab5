// Lines of a quote or an order: which items, how many, at what price. Shared so an order created
// from a synced quote carries exactly the quote's lines.

import type { CatalogEntry, GenerationContext } from './context.js';
import { lineAmountCents } from './money.js';

export interface PricedLine {
  entry: CatalogEntry;
  quantity: number;
  unitPriceCents: number;
  /** Percent, 0 when none. */
  discountPercent: number;
  amountCents: number;
}

const LINE_DISCOUNTS = [2, 5, 10] as const;
const LINE_DISCOUNT_SHARE = 0.15;

/** Cheap parts are ordered by the hundred, machines by the piece. */
function quantityFor(ctx: GenerationContext, unitPriceCents: number): number {
  if (unitPriceCents < 10_000) return ctx.rng.int(10, 200);
  if (unitPriceCents < 100_000) return ctx.rng.int(1, 40);
  return ctx.rng.int(1, 8);
}

/**
 * 1-5 lines on distinct items. With `priceDeviationShare` > 0 some lines are quoted below the ERP
 * price (sales discounting), which the ERP's price check must catch.
 */
export function pickLines(ctx: GenerationContext, priceDeviationShare: number): PricedLine[] {
  const { rng } = ctx;
  const count = rng.int(1, 5);
  const entries: CatalogEntry[] = [];
  while (entries.length < count) {
    const entry = rng.pick(ctx.catalog);
    if (!entries.includes(entry)) entries.push(entry);
  }
  const lines: PricedLine[] = [];
  for (const entry of entries) {
    const quantity = quantityFor(ctx, entry.unitPriceCents);
    const unitPriceCents =
      priceDeviationShare > 0 && rng.chance(priceDeviationShare)
        ? Math.round((entry.unitPriceCents * rng.int(80, 97)) / 100)
        : entry.unitPriceCents;
    const discountPercent = rng.chance(LINE_DISCOUNT_SHARE) ? rng.pick(LINE_DISCOUNTS) : 0;
    lines.push({
      entry,
      quantity,
      unitPriceCents,
      discountPercent,
      amountCents: lineAmountCents(quantity, unitPriceCents, discountPercent),
    });
  }
  return lines;
}

export function sumCents(lines: readonly PricedLine[]): number {
  let total = 0;
  for (const line of lines) total += line.amountCents;
  return total;
}
