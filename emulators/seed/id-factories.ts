// One id factory per Salesforce object: fresh ones for generating the seed, and ones that continue
// after a seeded dataset, for the Salesforce emulator to mint ids of records created at runtime
// without colliding with the seed's.

import { KEY_PREFIXES, makeIdFactory, type IdFactory, type KeyPrefixedObject } from './salesforce-id.js';
import type { SalesforceDataset, SfRecordBase } from './types.js';

export type SalesforceIdFactories = Record<KeyPrefixedObject, IdFactory>;

/** `pod`: the 3 characters after the key prefix; the second company's records use their own. */
export function makeSalesforceIdFactories(pod?: string): SalesforceIdFactories {
  const factories = {} as SalesforceIdFactories;
  for (const name of Object.keys(KEY_PREFIXES) as KeyPrefixedObject[]) {
    factories[name] = makeIdFactory(KEY_PREFIXES[name], pod);
  }
  return factories;
}

/**
 * Factories whose next() mints the id after the highest one of each object in `salesforce` (ids of
 * another pod, such as a second company's, do not move them).
 */
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
    for (const record of list)
      if (record.Id.startsWith(factories[name].idPrefix)) factories[name].advancePast(record.Id);
  }
  factories.Organization.advancePast(salesforce.organizationId);
  return factories;
}
