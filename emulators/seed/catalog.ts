// The product catalogue: ERP items (system of record for price and stock) and the Salesforce
// Product2 records mirroring them (ProductCode = item number, Name = item displayName).

import type { CatalogEntry, GenerationContext } from './context.js';
import { fromCents } from './money.js';
import { recordStamps } from './record-stamps.js';
import { ITEM_CATEGORIES, ITEM_COUNT } from './reference-data.js';

const BLOCKED_ITEMS = 3;
const OUT_OF_STOCK_SHARE = 0.12;
/** faker.commerce materials that make sense for an industrial component; others are left out. */
const INDUSTRIAL_MATERIALS = new Set(['Aluminum', 'Bronze', 'Ceramic', 'Metal', 'Plastic', 'Rubber', 'Steel']);

export function generateCatalog(ctx: GenerationContext): void {
  const { rng } = ctx;
  const usedNames = new Set<string>();
  const blocked = new Set<number>();
  while (blocked.size < Math.min(BLOCKED_ITEMS, ITEM_COUNT)) blocked.add(rng.int(0, ITEM_COUNT - 1));

  for (let k = 0; k < ITEM_COUNT; k++) {
    const category = ITEM_CATEGORIES[k % ITEM_CATEGORIES.length]!;
    const number = `${category.numberBase + 10 * Math.floor(k / ITEM_CATEGORIES.length)}-${rng.pick(['A', 'B', 'C'])}`;
    const noun = rng.pick(category.nouns);
    const material = rng.faker.commerce.productMaterial();
    let displayName = '';
    do {
      const model = `${rng.faker.string.alpha({ length: 2, casing: 'upper' })}-${rng.int(10, 99) * 10}`;
      displayName = INDUSTRIAL_MATERIALS.has(material) ? `${material} ${noun} ${model}` : `${noun} ${model}`;
    } while (usedNames.has(displayName));
    usedNames.add(displayName);

    const [minPrice, maxPrice] = category.price;
    const unitPriceCents = Math.round(rng.int(minPrice * 100, maxPrice * 100) / 5) * 5;
    const unitCostCents = Math.round((unitPriceCents * rng.int(45, 75)) / 100);
    const inventory = rng.chance(OUT_OF_STOCK_SHARE) ? 0 : rng.int(1, unitPriceCents < 20_000 ? 2500 : 400);
    const isBlocked = blocked.has(k);
    const stamps = recordStamps(rng, ctx.calendar, -rng.int(400, 1200));

    const entry: CatalogEntry = {
      family: category.family,
      unitPriceCents,
      item: {
        id: rng.uuid(),
        number,
        displayName,
        type: 'Inventory',
        itemCategoryCode: category.code,
        blocked: isBlocked,
        baseUnitOfMeasureCode: 'PCS',
        unitPrice: fromCents(unitPriceCents),
        unitCost: fromCents(unitCostCents),
        inventory,
        lastModifiedDateTime: stamps.LastModifiedDate,
      },
      product: {
        Id: ctx.ids.Product2.next(),
        CreatedDate: stamps.CreatedDate,
        LastModifiedDate: stamps.LastModifiedDate,
        Name: displayName,
        ProductCode: number,
        Family: category.family,
        // A blocked ERP item is not sold any more; sales ops deactivates its product.
        IsActive: !isBlocked,
        QuantityUnitOfMeasure: 'Each',
        Description: `${category.family}: ${noun}.`,
      },
    };
    ctx.catalog.push(entry);
    ctx.erp.items.push(entry.item);
    ctx.sf.Product2.push(entry.product);
  }
}
