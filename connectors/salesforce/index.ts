// The Salesforce connector's public surface: the REST connector and the Change Data Capture subscription.
export { createSalesforceConnector } from './connector.js';
export * from './change-events/index.js';
export { normalizeSalesforceId } from './ids.js';
export type { SalesforceAuthOptions, SalesforceConnectorOptions } from './options.js';
export type * from './types.js';
