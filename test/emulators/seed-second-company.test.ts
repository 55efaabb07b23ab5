// The seed's optional second company (emulators/seed/second-company.ts): its accounts in Salesforce
// beside the first company's, its own ERP records with customer numbers unique across both ERPs,
// independent of the first company's size; and without it, the dataset exactly as before.
import { describe, expect, it } from 'vitest';
import { generateDataset, isValidSalesforceId } from '../../emulators/seed/index.js';

const TODAY = '2026-03-15';
const two = generateDataset({ accounts: 25, today: TODAY, secondCompanyAccounts: 10 });

describe('second company', () => {
  it('is absent unless asked for: options and accounts as in a single-company dataset', () => {
    const one = generateDataset({ accounts: 25, today: TODAY });
    expect(one.options).toEqual({ accounts: 25, seed: 42, today: TODAY });
    expect(one.secondCompany).toBeUndefined();
    expect(one.salesforce.Account.every((a) => !('ERP_System__c' in a) && !('ERP_Company__c' in a))).toBe(true);
    // The first company's records do not change when a second company is added.
    const firstOnly = (d: typeof one) =>
      JSON.stringify({
        erp: d.erp,
        accounts: d.salesforce.Account.map(({ ERP_System__c: _s, ERP_Company__c: _c, ...a }) => a).slice(0, 25),
      });
    expect(firstOnly(two)).toBe(firstOnly(one));
  });

  it('has its own customers T00001.., unique across both ERPs, billed in its currency, served by Tryton', () => {
    const second = two.secondCompany!;
    expect(second.erpSystem).toBe('tryton');
    expect(second.erp.customers.map((c) => c.number)).toEqual(
      Array.from({ length: 10 }, (_, i) => `T${String(i + 1).padStart(5, '0')}`),
    );
    const all = [...two.erp.customers, ...second.erp.customers].map((c) => c.number);
    expect(new Set(all).size).toBe(all.length);
    expect(new Set(second.erp.customers.map((c) => c.currencyCode))).toEqual(new Set(['USD']));
    expect(second.erp.company.name).not.toBe(two.erp.company.name);
    expect(second.erp.salesOrders.every((o) => o.number.startsWith('TSO-'))).toBe(true);
    expect(second.erp.salesShipments.every((s) => s.number.startsWith('TSH-'))).toBe(true);
    expect(second.erp.salesInvoices.every((i) => i.number.startsWith('TIN-'))).toBe(true);
    expect(second.erp.items.map((i) => i.number)).toEqual(two.erp.items.map((i) => i.number));
  });

  it("puts both companies' accounts in Salesforce, saying which ERP and company serves each", () => {
    const accounts = two.salesforce.Account;
    expect(accounts).toHaveLength(35);
    const byErp = (system: string) => accounts.filter((a) => a.ERP_System__c === system);
    expect(byErp('business-central').map((a) => a.ERP_Customer_Id__c)).toEqual(two.erp.customers.map((c) => c.number));
    expect(byErp('tryton').map((a) => a.ERP_Customer_Id__c)).toEqual(
      two.secondCompany!.erp.customers.map((c) => c.number),
    );
    expect(new Set(byErp('tryton').map((a) => a.ERP_Company__c))).toEqual(
      new Set([two.secondCompany!.erp.company.name]),
    );
    // Ids and auto-numbers stay unique across the org.
    for (const records of [
      accounts,
      two.salesforce.Contact,
      two.salesforce.Quote,
      two.salesforce.QuoteLineItem,
      two.salesforce.Case,
    ]) {
      const ids = records.map((r) => r.Id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.every((id) => isValidSalesforceId(id))).toBe(true);
    }
    const quoteNumbers = two.salesforce.Quote.map((q) => q.QuoteNumber);
    expect(new Set(quoteNumbers).size).toBe(quoteNumbers.length);
    // A synced quote of a Tryton account points at the Tryton order made from it.
    const trytonAccounts = new Set(byErp('tryton').map((a) => a.Id));
    const synced = two.salesforce.Quote.filter((q) => trytonAccounts.has(q.AccountId) && q.ERP_Order_Number__c);
    expect(synced.length).toBeGreaterThan(0);
    for (const quote of synced) {
      const order = two.secondCompany!.erp.salesOrders.find((o) => o.number === quote.ERP_Order_Number__c);
      expect(order?.externalDocumentNumber).toBe(`SFQ-${quote.Id}`);
    }
  });

  it("does not depend on the first company's size (one seeded Tryton serves any stack)", () => {
    const bigger = generateDataset({ accounts: 60, today: TODAY, secondCompanyAccounts: 10 });
    expect(JSON.stringify(bigger.secondCompany)).toBe(JSON.stringify(two.secondCompany));
    const trytonSide = (d: typeof two) =>
      JSON.stringify(d.salesforce.Account.filter((a) => a.ERP_System__c === 'tryton'));
    expect(trytonSide(bigger)).toBe(trytonSide(two));
  });
});
