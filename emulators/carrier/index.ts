// The carrier emulator's public surface for in-process use (tests, the embedded stack, benchmarks).
export {
  createCarrierEmulator,
  DEFAULT_CREDENTIALS,
  DEFAULT_RATE_LIMITS,
  type CarrierEmulator,
  type CarrierEmulatorOptions,
} from './app.js';
export { MAX_TRACKING_NUMBERS } from './api.js';
export { loadCarrierEmulatorConfig, type CarrierEmulatorConfig } from './config.js';
export { planJourney, type Journey, type PlannedScan } from './journey.js';
export { carrierEmulatorTlsDir, startCarrierEmulator, type RunningCarrierEmulator } from './main.js';
export { CARRIER_CODES } from './network.js';
export type { ClientCredentials } from './oauth.js';
export type { RateLimits } from './rate-limit.js';
