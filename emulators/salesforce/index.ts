// The Salesforce emulator's public surface for in-process use (tests, the embedded stack, benchmarks).
export { createSalesforceEmulator, type SalesforceEmulator, type SalesforceEmulatorOptions } from './app.js';
export { loadSalesforceEmulatorConfig, type SalesforceEmulatorConfig } from './config.js';
export { startSalesforceEmulator, type RunningSalesforceEmulator } from './main.js';
export { DEFAULT_CREDENTIALS, JWT_BEARER_GRANT, type Credentials, type TokenResponse } from './oauth.js';
export type { SalesforceStore } from './store.js';
