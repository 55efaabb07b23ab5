// The ERP emulator's public surface for in-process use (tests, the embedded stack, benchmarks).
export {
  createErpEmulator,
  DEFAULT_CREDENTIALS,
  DEFAULT_PAGE_SIZE,
  type ErpEmulator,
  type ErpEmulatorOptions,
} from './app.js';
export { loadErpEmulatorConfig, type ErpEmulatorConfig } from './config.js';
export { startErpEmulator, type RunningErpEmulator } from './main.js';
export { BUSINESS_CENTRAL_RESOURCE, type ClientCredentials } from './oauth.js';
export type { ErpChange, ErpStore } from './store.js';
export { BUSINESS_CENTRAL_WEBHOOKS, DEFAULT_WEBHOOK_SETTINGS, type WebhookSettings } from './webhooks/webhooks.js';
