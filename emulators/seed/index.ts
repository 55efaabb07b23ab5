// The seed package: record types, the dataset generator, Salesforce id helpers and the money
// arithmetic both emulators share.

export type * from './types.js';
export { generateDataset, resolveSeedOptions, DEFAULT_ACCOUNTS, DEFAULT_SEED } from './generate.js';
export {
  KEY_PREFIXES,
  isValidSalesforceId,
  makeIdFactory,
  salesforceId18,
  to18,
  type IdFactory,
  type KeyPrefixedObject,
} from './salesforce-id.js';
export { SALES_TAX_PERCENT, fromCents, lineAmountCents, salesTaxCents, toCents } from './money.js';
export { continueIdFactories, makeSalesforceIdFactories, type SalesforceIdFactories } from './id-factories.js';
export { quoteExternalDocumentNumber } from './orders.js';
export { customerNumber } from './customer.js';
export { SeedError, type SeedErrorCode } from './errors.js';
