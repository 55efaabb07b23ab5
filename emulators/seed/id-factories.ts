// One id factory per Salesforce object: fresh ones for generating the seed, and ones that continue
// after a seeded dataset, for the Salesforce emulator to mint ids of records created at runtime
// without colliding with the seed's.

import { KEY_PREFIXES, makeIdFactory, type IdFactory, type KeyPrefixedObject } from './salesforce-id.js';
import type { SalesforceDataset, SfRecordBase } from './types.js';

export type SalesforceIdFactories = Record<KeyPrefixedObject, IdFactory>;

export function makeSalesforceIdFactories(): SalesforceIdFactories {
  const factories = {} as SalesforceIdFactories;
  for (const name of Object.keys(KEY_PREFIXES) as KeyPrefixedObject[]) {
    factories[name] = makeIdFactory(KEY_PREFIXES[name]);
  }
  return factories;
}

/** Factories whose next() mints the id after the highest one of each object in `salesforce`. */
export function continueIdFactories(salesforce: SalesforceDataset): SalesforceIdFactories {
  const factories = makeSalesforceIdFactories();
  const records: Record<Exclude<KeyPrefixedObject, 'Organization'>, readonly SfRecordBase[]> = {
    User: salesforce.User,
    Account: salesforce.Account,
    Contact: salesforce.Contact,
    Opportunity: salesforce.Opportunity,
    Product2: salesforce.Product2,
    Quote: salesforce.Quote,
    QuoteLineItem: salesforce.QuoteLineItem,
    Case: salesforce.Case,
  };
  for (const [name, list] of Object.entries(records) as [keyof typeof records, readonly SfRecordBase[]][]) {
    for (const record of list) factories[name].advancePast(record.Id);
  }
  factories.Organization.advancePast(salesforce.organizationId);
  return factories;
}
