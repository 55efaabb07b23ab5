// The shared demo dataset: Salesforce ids, determinism, cross-system referential integrity, money
// that adds up to the cent, and the scenarios the product's features need (overdue invoices, credit
// holds, over-limit customers, quote price deviations, out-of-stock items).

import { describe, expect, it } from 'vitest';
import {
  KEY_PREFIXES,
  SALES_TAX_PERCENT,
  SeedError,
  continueIdFactories,
  customerNumber,
  generateDataset,
  isValidSalesforceId,
  makeIdFactory,
  salesforceId18,
  to18,
  toCents,
  type Dataset,
  type SfRecordBase,
} from '../../emulators/seed/index.js';

const TODAY = '2026-03-15';
const dataset = generateDataset({ today: TODAY });

function byKey<T, K>(records: readonly T[], key: (r: T) => K): Map<K, T> {
  const map = new Map<K, T>();
  for (const r of records) map.set(key(r), r);
  return map;
}

function groupBy<T, K>(records: readonly T[], key: (r: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const r of records) {
    const list = map.get(key(r));
    if (list) list.push(r);
    else map.set(key(r), [r]);
  }
  return map;
}

/**
 * Asserts `check` holds for every record; on failure lists the first offenders. One expect per
 * rule rather than per record keeps the suite fast (tens of thousands of records).
 */
function expectEvery<T>(records: readonly T[], check: (r: T) => boolean): void {
  const offenders = records.filter((r) => !check(r));
  expect(offenders.slice(0, 3)).toEqual([]);
}

/** The sObject record lists by object name. */
function sfRecords(d: Dataset): Record<keyof typeof KEY_PREFIXES, readonly SfRecordBase[]> {
  const { User, Account, Contact, Opportunity, Product2, Quote, QuoteLineItem, Case } = d.salesforce;
  return { User, Account, Contact, Opportunity, Product2, Quote, QuoteLineItem, Case, Organization: [] };
}

function expectSeedError(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SeedError);
    expect((error as SeedError).code).toBe(code);
    return;
  }
  throw new Error(`expected SeedError ${code}`);
}

describe('Salesforce ids', () => {
  it('computes the 18-character checksum (real pair and hand-computed cases)', () => {
    // A published real id pair.
    expect(salesforceId18('0015000000Gv7qJ')).toBe('0015000000Gv7qJAAR');
    // No upper-case letter in any block: bits 00000 → 'A' three times.
    expect(salesforceId18('001000000000001')).toBe('001000000000001AAA');
    // Blocks all upper / none / all upper: 11111 = 31 → '5', 0 → 'A'.
    expect(salesforceId18('ABCDEabcdeABCDE')).toBe('ABCDEabcdeABCDE5A5');
    // '001A0': bit 3 → 8 → 'I'; '00000' → 'A'; '0bC2D': bits 2 and 4 → 20 → 'U'.
    expect(salesforceId18('001A0000000bC2D')).toBe('001A0000000bC2DIAU');
  });

  it('validates 15- and 18-character ids', () => {
    expect(isValidSalesforceId('0015000000Gv7qJ')).toBe(true);
    expect(isValidSalesforceId('0015000000Gv7qJAAR')).toBe(true);
    expect(isValidSalesforceId('0015000000Gv7qJAAA')).toBe(false);
    expect(isValidSalesforceId('0015000000gv7qJAAR')).toBe(false); // case changed, checksum no longer matches
    expect(isValidSalesforceId('0015000000Gv7qJA')).toBe(false);
    expect(isValidSalesforceId('0015000000Gv7q-')).toBe(false);
    expect(isValidSalesforceId(42)).toBe(false);
  });

  it('normalises to 18 characters and rejects malformed ids with a code', () => {
    expect(to18('0015000000Gv7qJ')).toBe('0015000000Gv7qJAAR');
    expect(to18('0015000000Gv7qJAAR')).toBe('0015000000Gv7qJAAR');
    expectSeedError(() => to18('0015000000Gv7qJAAA'), 'MALFORMED_ID');
    expectSeedError(() => to18('nope'), 'MALFORMED_ID');
    expectSeedError(() => salesforceId18('0015000000Gv7qJAAR'), 'MALFORMED_ID');
  });

  it('mints sequential base62 ids with the key prefix, and continues after existing ids', () => {
    const accounts = makeIdFactory(KEY_PREFIXES.Account);
    expect(accounts.next()).toBe('0018d0000000001AAA');
    const minted = Array.from({ length: 70 }, () => accounts.next());
    // Counter 10 is base62 'A' (digits, then upper case, then lower case): block 3 '0000A' → bit 4 → 'Q'.
    expect(minted[8]).toBe('0018d000000000AAAQ');
    expect(minted[34]).toBe('0018d000000000aAAA'); // counter 36: first lower-case digit
    expect(minted.every((id) => isValidSalesforceId(id) && id.length === 18)).toBe(true);
    expect(accounts.lastCounter).toBe(71);

    const resumed = makeIdFactory(KEY_PREFIXES.Account);
    resumed.advancePast('0018d0000000001'); // 15-character form accepted
    resumed.advancePast(minted.at(-1)!);
    resumed.advancePast('0018d0000000002AAA'); // never moves backwards
    expect(resumed.next()).toBe(accounts.next());
    expect(makeIdFactory('006', '8d0', 41).next()).toBe(salesforceId18('0068d000000000g'));

    expectSeedError(() => resumed.advancePast('0035000000Gv7qJAAR'), 'ID_PREFIX_MISMATCH');
    expectSeedError(() => makeIdFactory('01'), 'MALFORMED_ID');
    expectSeedError(() => makeIdFactory('001', '8d0', -1), 'MALFORMED_ID');
  });

  it('continues every object counter after a seeded dataset', () => {
    const factories = continueIdFactories(dataset.salesforce);
    const sf = dataset.salesforce;
    const nextAccount = factories.Account.next();
    expect(factories.Account.lastCounter).toBe(sf.Account.length + 1);
    expect(sf.Account.some((a) => a.Id === nextAccount)).toBe(false);
    const nextQuote = factories.Quote.next();
    expect(nextQuote.startsWith('0Q0')).toBe(true);
    expect(sf.Quote.some((q) => q.Id === nextQuote)).toBe(false);
    expect(factories.Organization.next()).not.toBe(sf.organizationId);
  });

  it('exports the key prefixes of the served objects', () => {
    expect(KEY_PREFIXES).toEqual({
      User: '005',
      Account: '001',
      Contact: '003',
      Opportunity: '006',
      Product2: '01t',
      Quote: '0Q0',
      QuoteLineItem: '0QL',
      Case: '500',
      Organization: '00D',
    });
  });
});

describe('generateDataset options', () => {
  it('is deterministic: same options give a deep-equal dataset; another seed or day does not', () => {
    const again = generateDataset({ today: TODAY });
    // Serialised comparison: same values and same key order; far faster than a structural deep-equal.
    expect(JSON.stringify(again) === JSON.stringify(dataset)).toBe(true);
    const otherSeed = generateDataset({ today: TODAY, seed: 7 });
    expect(otherSeed.salesforce.Account.map((a) => a.Name)).not.toEqual(dataset.salesforce.Account.map((a) => a.Name));
    expect(otherSeed.erp.salesOrders[0]!.id).not.toBe(dataset.erp.salesOrders[0]!.id);
    const otherDay = generateDataset({ today: '2026-03-16' });
    expect(otherDay.erp.salesInvoices[0]!.dueDate).not.toBe(dataset.erp.salesInvoices[0]!.dueDate);
  });

  it('defaults to 200 accounts, seed 42 and the current UTC date', () => {
    const d = generateDataset({ accounts: 3 });
    expect(d.options).toEqual({ accounts: 3, seed: 42, today: new Date().toISOString().slice(0, 10) });
    expect(dataset.options).toEqual({ accounts: 200, seed: 42, today: TODAY });
    expect(dataset.salesforce.Account).toHaveLength(200);
    expect(dataset.erp.customers).toHaveLength(200);
  });

  it('rejects impossible options with INVALID_SEED_OPTIONS', () => {
    expectSeedError(() => generateDataset({ accounts: -1 }), 'INVALID_SEED_OPTIONS');
    expectSeedError(() => generateDataset({ accounts: 1.5 }), 'INVALID_SEED_OPTIONS');
    expectSeedError(() => generateDataset({ seed: Number.NaN }), 'INVALID_SEED_OPTIONS');
    expectSeedError(() => generateDataset({ today: '2026-02-30' }), 'INVALID_SEED_OPTIONS');
    expectSeedError(() => generateDataset({ today: '15.03.2026' }), 'INVALID_SEED_OPTIONS');
  });

  it('numbers customers C00001.., wider only when needed', () => {
    expect(dataset.erp.customers[0]!.number).toBe('C00001');
    expect(dataset.erp.customers[199]!.number).toBe('C00200');
    expect(customerNumber(7, 99_999)).toBe('C00007');
    expect(customerNumber(7, 100_000)).toBe('C000007');
  });
});

describe('Salesforce side', () => {
  const sf = dataset.salesforce;

  it('has the integration user first, a handful of users, and reps owning the accounts', () => {
    expect(sf.User[0]!.Name).toBe('Integration User');
    expect(sf.integrationUserId).toBe(sf.User[0]!.Id);
    expect(sf.User.length).toBeGreaterThanOrEqual(9);
    expect(new Set(sf.User.map((u) => u.Username)).size).toBe(sf.User.length);
    const owners = new Set(sf.Account.map((a) => a.OwnerId));
    expect(owners.size).toBe(8);
    expect(owners.has(sf.integrationUserId)).toBe(false);
    const userIds = new Set(sf.User.map((u) => u.Id));
    for (const id of owners) expect(userIds.has(id)).toBe(true);
  });

  it('uses valid 18-character ids with the right key prefix, unique per dataset', () => {
    const all = new Set<string>();
    for (const [object, records] of Object.entries(sfRecords(dataset))) {
      const prefix = KEY_PREFIXES[object as keyof typeof KEY_PREFIXES];
      expectEvery(records, (r) => r.Id.length === 18 && isValidSalesforceId(r.Id) && r.Id.startsWith(prefix));
      for (const r of records) all.add(r.Id);
    }
    const total = Object.values(sfRecords(dataset)).reduce((n, records) => n + records.length, 0);
    expect(all.size).toBe(total);
    expect(sf.organizationId.startsWith('00D')).toBe(true);
    expect(isValidSalesforceId(sf.organizationId)).toBe(true);
  });

  it('links every child record to an existing parent', () => {
    const accounts = byKey(sf.Account, (a) => a.Id);
    const contacts = byKey(sf.Contact, (c) => c.Id);
    const opportunities = byKey(sf.Opportunity, (o) => o.Id);
    const quotes = byKey(sf.Quote, (q) => q.Id);
    const products = byKey(sf.Product2, (p) => p.Id);
    expectEvery([...sf.Contact, ...sf.Opportunity, ...sf.Quote, ...sf.Case], (r) => accounts.has(r.AccountId));
    expectEvery(
      sf.Quote,
      (q) => q.OpportunityId !== null && opportunities.get(q.OpportunityId)?.AccountId === q.AccountId,
    );
    expectEvery(sf.Case, (c) => c.ContactId === null || contacts.get(c.ContactId)?.AccountId === c.AccountId);
    expectEvery(sf.QuoteLineItem, (l) => quotes.has(l.QuoteId) && products.has(l.Product2Id));
    const contactsPerAccount = groupBy(sf.Contact, (c) => c.AccountId);
    expectEvery(sf.Account, (a) => (contactsPerAccount.get(a.Id)?.length ?? 0) >= 1);
    const linesPerQuote = groupBy(sf.QuoteLineItem, (l) => l.QuoteId);
    expectEvery(sf.Quote, (q) => (linesPerQuote.get(q.Id)?.length ?? 0) >= 1);
  });

  it('prices quote lines and quotes to the cent', () => {
    const linesPerQuote = groupBy(sf.QuoteLineItem, (l) => l.QuoteId);
    expectEvery(
      sf.QuoteLineItem,
      (l) =>
        toCents(l.TotalPrice) === Math.round((l.Quantity * toCents(l.UnitPrice) * (100 - (l.Discount ?? 0))) / 100),
    );
    expectEvery(sf.Quote, (q) => {
      const sum = linesPerQuote.get(q.Id)!.reduce((n, l) => n + toCents(l.TotalPrice), 0);
      return toCents(q.TotalPrice) === sum && q.GrandTotal === q.TotalPrice && /^\d{8}$/.test(q.QuoteNumber);
    });
    expect(new Set(sf.Quote.map((q) => q.QuoteNumber)).size).toBe(sf.Quote.length);
  });

  it('has mixed quote statuses and a share of quotes already synced to the ERP', () => {
    const statuses = new Set(sf.Quote.map((q) => q.Status));
    for (const s of ['Draft', 'Approved', 'Presented', 'Accepted']) expect(statuses.has(s)).toBe(true);
    const synced = sf.Quote.filter((q) => q.ERP_Sync_Status__c === 'Accepted');
    const share = synced.length / sf.Quote.length;
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.3);
    expectEvery(sf.Quote, (q) =>
      q.ERP_Sync_Status__c === 'Accepted'
        ? /^SO-\d{6}$/.test(q.ERP_Order_Number__c ?? '') &&
          q.Status === 'Accepted' &&
          q.ERP_Last_Sync_At__c !== null &&
          q.ERP_Last_Sync_At__c > q.CreatedDate &&
          q.ERP_Last_Sync_At__c.slice(0, 10) <= q.ExpirationDate!
        : q.ERP_Sync_Status__c === 'Not Submitted' &&
          q.ERP_Order_Number__c === null &&
          q.ERP_Last_Sync_At__c === null &&
          q.ERP_Sync_Message__c === null,
    );
  });

  it('closes opportunities consistently with their stage', () => {
    expectEvery(
      sf.Opportunity,
      (o) =>
        o.IsClosed === o.StageName.startsWith('Closed') &&
        o.IsWon === (o.StageName === 'Closed Won') &&
        (!o.IsClosed || o.CloseDate < TODAY),
    );
    expectEvery(sf.Case, (c) => c.IsClosed === (c.ClosedDate !== null));
  });
});

describe('ERP side and the link between the systems', () => {
  const { salesforce: sf, erp } = dataset;
  const customersById = byKey(erp.customers, (c) => c.id);
  const itemsByNumber = byKey(erp.items, (i) => i.number);
  const itemsById = byKey(erp.items, (i) => i.id);
  const ordersByNumber = byKey(erp.salesOrders, (o) => o.number);

  it('matches every Account to exactly one ERP customer with the same name, address and currency', () => {
    const byErpId = groupBy(sf.Account, (a) => a.ERP_Customer_Id__c);
    expect(byErpId.size).toBe(sf.Account.length);
    expect(new Set(erp.customers.map((c) => c.number)).size).toBe(erp.customers.length);
    expect(new Set(sf.Account.map((a) => a.Name)).size).toBe(sf.Account.length);
    const quotesPerAccount = groupBy(sf.Quote, (q) => q.AccountId);
    const customersPerNumber = groupBy(erp.customers, (c) => c.number);
    expectEvery(sf.Account, (a) => {
      const matches = customersPerNumber.get(a.ERP_Customer_Id__c!) ?? [];
      const c = matches[0];
      return (
        matches.length === 1 &&
        c !== undefined &&
        c.displayName === a.Name &&
        a.BillingStreet === (c.addressLine2 ? `${c.addressLine1}\n${c.addressLine2}` : c.addressLine1) &&
        a.BillingCity === c.city &&
        (a.BillingState ?? '') === c.state &&
        a.BillingPostalCode === c.postalCode &&
        a.BillingCountry === c.country &&
        a.Phone === c.phoneNumber &&
        a.Website === c.website &&
        (quotesPerAccount.get(a.Id) ?? []).every((q) => q.CurrencyIsoCode === c.currencyCode)
      );
    });
  });

  it('mirrors every item as a Product2', () => {
    expect(erp.items.length).toBeGreaterThanOrEqual(50);
    expect(sf.Product2).toHaveLength(erp.items.length);
    expectEvery(sf.Product2, (p) => {
      const item = itemsByNumber.get(p.ProductCode);
      return item !== undefined && item.displayName === p.Name && p.IsActive === !item.blocked;
    });
    expect(new Set(erp.items.map((i) => i.number)).size).toBe(erp.items.length);
    expectEvery(erp.items, (i) => i.unitCost < i.unitPrice);
  });

  it('links synced quotes to the ERP order created from them', () => {
    const linesPerQuote = groupBy(sf.QuoteLineItem, (l) => l.QuoteId);
    const products = byKey(sf.Product2, (p) => p.Id);
    const synced = sf.Quote.filter((q) => q.ERP_Order_Number__c !== null);
    expect(synced.length).toBeGreaterThan(0);
    const accounts = byKey(sf.Account, (a) => a.Id);
    expectEvery(synced, (q) => {
      const order = ordersByNumber.get(q.ERP_Order_Number__c!);
      const lines = linesPerQuote.get(q.Id)!;
      return (
        order !== undefined &&
        order.externalDocumentNumber === `SFQ-${q.Id}` &&
        order.customerNumber === accounts.get(q.AccountId)!.ERP_Customer_Id__c &&
        order.totalAmountExcludingTax === q.TotalPrice &&
        JSON.stringify(
          order.salesOrderLines.map((l) => [l.lineObjectNumber, l.quantity, l.unitPrice, l.discountPercent]),
        ) ===
          JSON.stringify(
            lines.map((l) => [products.get(l.Product2Id)!.ProductCode, l.Quantity, l.UnitPrice, l.Discount ?? 0]),
          )
      );
    });
    const sfqOrders = erp.salesOrders.filter((o) => o.externalDocumentNumber.startsWith('SFQ-'));
    expect(sfqOrders).toHaveLength(synced.length);
  });

  it('keeps orders on existing customers and items, with amounts that add up', () => {
    expect(new Set(erp.salesOrders.map((o) => o.number)).size).toBe(erp.salesOrders.length);
    expect(erp.salesOrders[0]!.number).toBe('SO-100001');
    const ordersPerCustomer = groupBy(erp.salesOrders, (o) => o.customerNumber);
    expectEvery(erp.customers, (c) => (ordersPerCustomer.get(c.number)?.length ?? 0) >= 1);
    expectEvery(erp.salesOrders, (o) => {
      const customer = customersById.get(o.customerId);
      return (
        customer !== undefined &&
        customer.number === o.customerNumber &&
        customer.displayName === o.customerName &&
        customer.currencyCode === o.currencyCode &&
        ['Draft', 'Open', 'Released'].includes(o.status) &&
        o.salesOrderLines.length >= 1 &&
        o.salesOrderLines.length <= 5
      );
    });
    const lines = erp.salesOrders.flatMap((o) => o.salesOrderLines.map((line) => ({ o, line })));
    expectEvery(lines, ({ o, line }) => {
      const amount = Math.round((line.quantity * toCents(line.unitPrice) * (100 - line.discountPercent)) / 100);
      return (
        line.documentId === o.id &&
        itemsById.get(line.itemId)?.number === line.lineObjectNumber &&
        toCents(line.amountExcludingTax) === amount &&
        line.netAmount === line.amountExcludingTax &&
        line.shippedQuantity <= line.quantity &&
        (o.status === 'Released' || line.shippedQuantity === 0) &&
        (line.invoicedQuantity === 0 || line.invoicedQuantity === line.shippedQuantity)
      );
    });
    expectEvery(erp.salesOrders, (o) => {
      const net = o.salesOrderLines.reduce((n, l) => n + toCents(l.amountExcludingTax), 0);
      const tax = customersById.get(o.customerId)!.taxLiable ? Math.round((net * SALES_TAX_PERCENT) / 100) : 0;
      return (
        toCents(o.totalAmountExcludingTax) === net &&
        toCents(o.totalTaxAmount) === tax &&
        toCents(o.totalAmountIncludingTax) === net + tax &&
        o.fullyShipped === o.salesOrderLines.every((l) => l.shippedQuantity === l.quantity)
      );
    });
    expect(erp.salesOrders.some((o) => o.fullyShipped)).toBe(true);
    expect(erp.salesOrders.some((o) => !o.fullyShipped && o.salesOrderLines.some((l) => l.shippedQuantity > 0))).toBe(
      true,
    );
  });

  it('ships released orders: shipment lines add up to the shipped quantities, with lots and tracking', () => {
    const shippedPerLine = new Map<string, number>();
    const tracking: Record<string, RegExp> = {
      UPS: /^1Z[0-9A-Z]{6}\d{10}$/,
      FEDEX: /^\d{12}$/,
      DHL: /^\d{10}$/,
      'DB SCHENKER': /^\d{10}$/,
    };
    expectEvery(erp.salesShipments, (s) => {
      const order = ordersByNumber.get(s.orderNumber);
      return (
        order !== undefined &&
        order.customerNumber === s.customerNumber &&
        order.customerName === s.customerName &&
        order.status === 'Released' &&
        s.shipmentDate >= order.orderDate &&
        s.shipmentDate < TODAY &&
        tracking[s.shippingAgentCode]!.test(s.packageTrackingNo) &&
        s.salesShipmentLines.every(
          (line) =>
            line.documentId === s.id &&
            line.quantity > 0 &&
            itemsByNumber.has(line.lineObjectNumber) &&
            line.lotNumbers.length >= 1 &&
            line.lotNumbers.every((lot) => /^LOT-\d{4}-\d{6}$/.test(lot)),
        )
      );
    });
    for (const s of erp.salesShipments) {
      for (const line of s.salesShipmentLines) {
        const key = `${s.orderNumber}/${line.lineObjectNumber}`;
        shippedPerLine.set(key, (shippedPerLine.get(key) ?? 0) + line.quantity);
      }
    }
    const orderLines = erp.salesOrders.flatMap((o) => o.salesOrderLines.map((line) => ({ o, line })));
    expectEvery(
      orderLines,
      ({ o, line }) => (shippedPerLine.get(`${o.number}/${line.lineObjectNumber}`) ?? 0) === line.shippedQuantity,
    );
    expect(new Set(erp.salesShipments.map((s) => s.shippingAgentCode))).toEqual(new Set(Object.keys(tracking)));
    const lots = erp.salesShipments.flatMap((s) => s.salesShipmentLines.flatMap((l) => l.lotNumbers));
    expect(new Set(lots).size).toBe(lots.length);
  });

  it('invoices fully shipped orders of the same customer, paid, open or overdue', () => {
    expectEvery(erp.salesInvoices, (inv) => {
      const order = ordersByNumber.get(inv.orderNumber);
      return (
        order !== undefined &&
        order.customerNumber === inv.customerNumber &&
        order.fullyShipped &&
        order.salesOrderLines.every((l) => l.invoicedQuantity === l.quantity) &&
        inv.totalAmountExcludingTax === order.totalAmountExcludingTax &&
        inv.totalTaxAmount === order.totalTaxAmount &&
        inv.totalAmountIncludingTax === order.totalAmountIncludingTax &&
        inv.externalDocumentNumber === order.externalDocumentNumber &&
        inv.currencyCode === order.currencyCode &&
        inv.dueDate >= inv.invoiceDate &&
        inv.invoiceDate < TODAY &&
        (inv.status === 'Paid'
          ? inv.remainingAmount === 0
          : inv.status === 'Open' && inv.remainingAmount > 0 && inv.remainingAmount <= inv.totalAmountIncludingTax)
      );
    });
    const invoicedOrders = groupBy(erp.salesInvoices, (i) => i.orderNumber);
    expect([...invoicedOrders.values()].every((list) => list.length === 1)).toBe(true);
    const open = erp.salesInvoices.filter((i) => i.status === 'Open');
    expect(erp.salesInvoices.some((i) => i.status === 'Paid')).toBe(true);
    expect(open.some((i) => i.dueDate < TODAY)).toBe(true);
    expect(open.some((i) => i.dueDate >= TODAY)).toBe(true);
    expect(open.some((i) => i.remainingAmount < i.totalAmountIncludingTax)).toBe(true);
    expect(new Set(erp.salesInvoices.map((i) => i.number)).size).toBe(erp.salesInvoices.length);
  });

  it('derives balances and overdue amounts from the open invoices, exactly', () => {
    const invoicesPerCustomer = groupBy(erp.salesInvoices, (i) => i.customerNumber);
    const details = byKey(erp.customerFinancialDetails, (d) => d.number);
    expect(erp.customerFinancialDetails).toHaveLength(erp.customers.length);
    const termIds = new Set(erp.paymentTerms.map((t) => t.id));
    expectEvery(erp.customers, (c) => {
      const invoices = invoicesPerCustomer.get(c.number) ?? [];
      const open = invoices.filter((i) => i.status === 'Open');
      const balance = open.reduce((n, i) => n + toCents(i.remainingAmount), 0);
      const overdue = open.filter((i) => i.dueDate < TODAY).reduce((n, i) => n + toCents(i.remainingAmount), 0);
      const sales = invoices.reduce((n, i) => n + toCents(i.totalAmountExcludingTax), 0);
      const d = details.get(c.number);
      return (
        d !== undefined &&
        d.id === c.id &&
        toCents(c.balanceDue) === balance &&
        toCents(d.balance) === balance &&
        toCents(d.overdueAmount) === overdue &&
        toCents(d.totalSalesExcludingTax) === sales &&
        termIds.has(c.paymentTermsId)
      );
    });
    // Money is rounded to cents as stored, not just when compared.
    const amounts = erp.salesInvoices.flatMap((i) => [i.totalAmountIncludingTax, i.remainingAmount]);
    expectEvery([...amounts, ...erp.customers.map((c) => c.balanceDue)], (n) => toCents(n) / 100 === n);
  });

  it('contains the scenarios the product is demonstrated with', () => {
    const overdue = erp.customerFinancialDetails.filter((d) => d.overdueAmount > 0);
    const blocked = erp.customers.filter((c) => c.blocked !== ' ');
    const overLimit = erp.customers.filter((c) => c.creditLimit > 0 && c.balanceDue > c.creditLimit);
    const products = byKey(sf.Product2, (p) => p.Id);
    const deviating = sf.QuoteLineItem.filter(
      (l) => l.UnitPrice !== itemsByNumber.get(products.get(l.Product2Id)!.ProductCode)!.unitPrice,
    );
    expect(overdue.length).toBeGreaterThan(0);
    expect(blocked.length).toBeGreaterThan(0);
    expect(blocked.length).toBeLessThan(erp.customers.length * 0.2);
    expect(overLimit.length).toBeGreaterThan(0);
    expect(deviating.length / sf.QuoteLineItem.length).toBeGreaterThan(0.03);
    expect(deviating.length / sf.QuoteLineItem.length).toBeLessThan(0.2);
    expect(erp.items.some((i) => i.inventory === 0)).toBe(true);
    expect(erp.items.some((i) => i.blocked)).toBe(true);
    const currencies = new Set(erp.customers.map((c) => c.currencyCode));
    expect(currencies).toEqual(new Set(['USD', 'EUR', 'GBP']));
    expect(erp.customers.filter((c) => c.currencyCode === 'USD').length).toBeGreaterThan(erp.customers.length / 2);
  });

  it('stamps every record before today, modified no earlier than created', () => {
    const isoUtc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/;
    for (const records of Object.values(sfRecords(dataset))) {
      expectEvery(
        records,
        (r) => isoUtc.test(r.CreatedDate) && r.LastModifiedDate >= r.CreatedDate && r.LastModifiedDate < TODAY,
      );
    }
    const erpRecords = [
      ...erp.customers,
      ...erp.items,
      ...erp.salesOrders,
      ...erp.salesShipments,
      ...erp.salesInvoices,
    ];
    expectEvery(erpRecords, (r) => isoUtc.test(r.lastModifiedDateTime) && r.lastModifiedDateTime < TODAY);
  });

  it('gives ERP records unique version-4 GUIDs', () => {
    const ids = [
      erp.company.id,
      ...erp.paymentTerms.map((t) => t.id),
      ...erp.customers.map((c) => c.id),
      ...erp.items.map((i) => i.id),
      ...erp.salesOrders.flatMap((o) => [o.id, ...o.salesOrderLines.map((l) => l.id)]),
      ...erp.salesShipments.flatMap((s) => [s.id, ...s.salesShipmentLines.map((l) => l.id)]),
      ...erp.salesInvoices.map((i) => i.id),
    ];
    expectEvery(ids, (id) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('at benchmark scale (10,000 accounts)', () => {
  // Speed is measured outside the suite (a timing bound here would flake on a busy 2-core runner).
  it('keeps names unique and the first accounts independent of the total', () => {
    const big = generateDataset({ accounts: 10_000, today: TODAY });
    expect(big.salesforce.Account).toHaveLength(10_000);
    const names = big.salesforce.Account.map((a) => a.Name);
    expect(new Set(names).size).toBe(10_000);
    // Faker company names repeat at this scale; repeats are disambiguated, not dropped.
    expect(names.filter((n) => n.endsWith(')')).length).toBeGreaterThan(100);
    expect(new Set(big.erp.customers.map((c) => c.displayName)).size).toBe(10_000);
    expect(big.erp.customers.at(-1)!.number).toBe('C10000');
    // The first 200 accounts do not depend on how many follow.
    expect(big.salesforce.Account[199]).toEqual(dataset.salesforce.Account[199]);
    expect(big.erp.customers[199]).toEqual(dataset.erp.customers[199]);
  });
});
