// validateQuote end to end (gateway → ERP subgraph → Salesforce and ERP emulators): an acceptable
// quote, then every reason code, each produced by changing one fact of that quote in the emulators
// (and put back after), so the expected verdict never depends on what the seed happens to generate.
// Read-only: no ERP or Salesforce write, and the durable store is never opened.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BcCustomer, BcItem } from '../../emulators/seed/types.js';
import { REPLENISHMENT_LEAD_TIME_DAYS } from '../../subgraphs/erp/quote-to-order/index.js';
import { acceptableQuotes, validate, VALIDATE_QUOTE } from './support/operations.js';
import { QuoteStack } from './support/stack.js';

let stack: QuoteStack;
let quoteId: string;
let quote: ReturnType<QuoteStack['quoteRecord']>;

beforeAll(async () => {
  stack = await QuoteStack.start();
  [quoteId] = (await acceptableQuotes(stack, 1)) as [string];
  quote = stack.quoteRecord(quoteId);
});

afterAll(async () => {
  await stack?.close();
});

/** Runs `check` with one change applied in an emulator, and undoes the change afterwards. */
async function withChange(apply: () => () => void, check: () => Promise<void>): Promise<void> {
  const undo = apply();
  try {
    await check();
  } finally {
    undo();
  }
}

function sfChange(object: string, id: string, values: Record<string, unknown>) {
  return () => {
    const before = stack.sf.emulator.store.get(object, id) as unknown as Record<string, unknown>;
    const previous = Object.fromEntries(Object.keys(values).map((key) => [key, before[key]]));
    stack.sf.emulator.store.update(object, id, values);
    return () => void stack.sf.emulator.store.update(object, id, previous);
  };
}

function erpChange<T extends BcCustomer | BcItem>(set: 'customers' | 'items', number: string, changes: Partial<T>) {
  return () => {
    const table = stack.erp.emulator.store.table(set) as unknown as {
      findBy(p: string, v: string): T;
      update(row: T, changes: Partial<T>): T;
    };
    const row = table.findBy('number', number);
    const previous = Object.fromEntries(Object.keys(changes).map((key) => [key, row[key as keyof T]])) as Partial<T>;
    const changed = table.update(row, changes);
    return () => void table.update(changed, previous);
  };
}

function linesOf(id: string) {
  return [...stack.sf.emulator.store.records('QuoteLineItem')].filter((line) => line.QuoteId === id && !line.IsDeleted);
}
function productCodeOf(line: Record<string, unknown>): string {
  return stack.sf.emulator.store.get('Product2', line.Product2Id as string)!.ProductCode as string;
}
function customerNumberOf(id: string): string {
  return stack.sf.emulator.store.get('Account', stack.quoteRecord(id).AccountId as string)!
    .ERP_Customer_Id__c as string;
}

async function expectOnly(code: string) {
  const result = await validate(stack, quoteId);
  expect(result.verdict).toBe('REJECTED');
  expect(result.reasonCodes).toEqual([code]);
  return result;
}

describe('validateQuote', () => {
  it('accepts a quote whose prices, stock and credit all check out, and says why in detail', async () => {
    const { body } = await stack.gql(VALIDATE_QUOTE, { quoteId });
    expect(body.errors).toBeUndefined();
    const result = body.data.validateQuote;
    expect(result).toMatchObject({
      quoteId,
      verdict: 'ACCEPTABLE',
      reasonCodes: [],
      reasons: [],
      externalDocumentNumber: `SFQ-${quoteId}`,
      erpCustomerNumber: customerNumberOf(quoteId),
      currency: quote.CurrencyIsoCode,
      existingOrder: null,
      quote: { id: quoteId, number: quote.QuoteNumber },
      account: { id: quote.AccountId },
    });
    expect(result.credit.verdict).toBe('OK');
    expect(result.lines).toHaveLength(linesOf(quoteId).length);
    for (const line of result.lines) {
      expect(line).toMatchObject({ priceMatches: true, blocked: false, reasonCodes: [] });
      expect(line.erpUnitPrice).toEqual(line.quotedUnitPrice);
      expect(line.product.number).toBe(line.itemNumber);
      expect(line.availability.sufficient).toBe(true);
      expect(line.availability.availableToPromise).toBe(line.availability.onHand - line.availability.committed);
    }
    // No side effects: not a single write to either system.
    stack.resetTraffic();
    await validate(stack, quoteId);
    const writes = [...stack.erp.emulator.traffic.stats().recent, ...stack.sf.emulator.traffic.stats().recent].filter(
      (request) => request.method !== 'GET' && request.route !== 'token',
    );
    expect(writes).toEqual([]);
  });

  it('QUOTE_NOT_FOUND for an id Salesforce does not know; BAD_USER_INPUT for a malformed one', async () => {
    const missing = await validate(stack, '0Q08d0000009999');
    expect(missing).toMatchObject({ verdict: 'REJECTED', reasonCodes: ['QUOTE_NOT_FOUND'], quote: null, lines: [] });
    const { body } = await stack.gql(VALIDATE_QUOTE, { quoteId: 'not-an-id' });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('NO_LINES when the quote has no lines', async () => {
    // The last quote of the dataset: no other test here looks at it.
    const other = stack.dataset.salesforce.Quote.at(-1)!;
    for (const line of linesOf(other.Id)) stack.sf.emulator.store.delete('QuoteLineItem', line.Id as string);
    const result = await validate(stack, other.Id);
    expect(result.reasonCodes).toContain('NO_LINES');
    expect(result.verdict).toBe('REJECTED');
  });

  it('NO_ERP_CUSTOMER when the account has no ERP customer number the ERP knows', async () => {
    await withChange(sfChange('Account', quote.AccountId as string, { ERP_Customer_Id__c: 'C99999' }), async () => {
      const result = await expectOnly('NO_ERP_CUSTOMER');
      expect(result.credit).toBeNull();
    });
    await withChange(sfChange('Account', quote.AccountId as string, { ERP_Customer_Id__c: null }), async () => {
      await expectOnly('NO_ERP_CUSTOMER');
    });
  });

  it('CURRENCY_MISMATCH when the quote is not in the customer’s currency', async () => {
    const other = quote.CurrencyIsoCode === 'JPY' ? 'CHF' : 'JPY';
    await withChange(sfChange('Quote', quoteId, { CurrencyIsoCode: other }), async () => {
      await expectOnly('CURRENCY_MISMATCH');
    });
  });

  it('CREDIT_HOLD when the ERP blocks the customer', async () => {
    await withChange(erpChange<BcCustomer>('customers', customerNumberOf(quoteId), { blocked: 'Ship' }), async () => {
      const result = await expectOnly('CREDIT_HOLD');
      expect(result.credit).toMatchObject({ verdict: 'CREDIT_HOLD', onHold: true, holdReason: 'Blocked for shipping' });
    });
  });

  it('CREDIT_LIMIT_EXCEEDED when the quote total exceeds the available credit (a limit of 0 is no limit)', async () => {
    await withChange(erpChange<BcCustomer>('customers', customerNumberOf(quoteId), { creditLimit: 1 }), async () => {
      const result = await expectOnly('CREDIT_LIMIT_EXCEEDED');
      expect(result.credit).toMatchObject({ verdict: 'CREDIT_LIMIT_EXCEEDED', unlimited: false });
    });
    await withChange(erpChange<BcCustomer>('customers', customerNumberOf(quoteId), { creditLimit: 0 }), async () => {
      const result = await validate(stack, quoteId);
      expect(result.verdict).toBe('ACCEPTABLE');
      expect(result.credit).toMatchObject({ verdict: 'OK', unlimited: true });
    });
  });

  it('ITEM_NOT_FOUND when a line’s product has no ERP item', async () => {
    const [line] = linesOf(quoteId);
    await withChange(sfChange('Product2', line!.Product2Id as string, { ProductCode: 'NO-SUCH-ITEM' }), async () => {
      const result = await expectOnly('ITEM_NOT_FOUND');
      expect(result.reasons[0]).toMatchObject({ lineNumber: line!.LineNumber, itemNumber: 'NO-SUCH-ITEM' });
    });
  });

  it('ITEM_BLOCKED when a line’s item is blocked in the ERP', async () => {
    const item = productCodeOf(linesOf(quoteId)[0]!);
    await withChange(erpChange<BcItem>('items', item, { blocked: true }), async () => {
      const result = await expectOnly('ITEM_BLOCKED');
      expect(result.reasons[0]!.itemNumber).toBe(item);
    });
  });

  it('ITEM_UNAVAILABLE when a line asks for more than is available to promise, with the next available date', async () => {
    const item = productCodeOf(linesOf(quoteId)[0]!);
    await withChange(erpChange<BcItem>('items', item, { inventory: 0 }), async () => {
      const result = await expectOnly('ITEM_UNAVAILABLE');
      const line = result.lines.find((l) => l.itemNumber === item)!;
      const today = new Date();
      today.setUTCDate(today.getUTCDate() + REPLENISHMENT_LEAD_TIME_DAYS);
      expect(line.availability).toMatchObject({
        sufficient: false,
        nextAvailableDate: today.toISOString().slice(0, 10),
      });
    });
  });

  it('PRICE_MISMATCH when a line is quoted at another price than the ERP’s', async () => {
    const [line] = linesOf(quoteId);
    await withChange(
      sfChange('QuoteLineItem', line!.Id as string, { UnitPrice: Number(line!.UnitPrice) - 1 }),
      async () => {
        const result = await expectOnly('PRICE_MISMATCH');
        expect(result.reasons[0]!.message).toMatch(/below the ERP price/);
      },
    );
  });

  it('reports every reason at once, most severe first', async () => {
    const item = productCodeOf(linesOf(quoteId)[0]!);
    await withChange(erpChange<BcItem>('items', item, { blocked: true, inventory: 0 }), async () => {
      await withChange(erpChange<BcCustomer>('customers', customerNumberOf(quoteId), { blocked: 'All' }), async () => {
        const result = await validate(stack, quoteId);
        expect(result.reasonCodes).toEqual(['CREDIT_HOLD', 'ITEM_BLOCKED', 'ITEM_UNAVAILABLE']);
      });
    });
  });

  it('finds the seeded deviations: quotes priced below the ERP are PRICE_MISMATCH', async () => {
    const items = new Map(stack.dataset.erp.items.map((item) => [item.number, item]));
    const products = new Map(stack.dataset.salesforce.Product2.map((product) => [product.Id, product]));
    const deviating = stack.dataset.salesforce.QuoteLineItem.find(
      (line) => line.UnitPrice < items.get(products.get(line.Product2Id)!.ProductCode)!.unitPrice,
    )!;
    const result = await validate(stack, deviating.QuoteId);
    expect(result.reasonCodes).toContain('PRICE_MISMATCH');
  });
});
