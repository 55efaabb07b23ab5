// The carrier emulator's configuration: documented defaults, empty means unset, bad values named.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCarrierEmulatorConfig } from '../../emulators/carrier/config.js';

describe('loadCarrierEmulatorConfig', () => {
  it('has the documented defaults: port 4030, FedEx-like limits, DATA_DIR made absolute', () => {
    expect(loadCarrierEmulatorConfig({})).toEqual({
      host: '127.0.0.1',
      port: 4030,
      latencyMs: 0,
      seedAccounts: 200,
      seed: 42,
      credentials: { clientId: 'customer360-carrier-dev', clientSecret: 'customer360-carrier-dev-secret' },
      tokenLifetimeSeconds: 3599,
      rateLimits: { perWindow: 1400, windowMs: 10_000, perDay: 100_000 },
      dataDir: resolve('./data'),
    });
  });

  it('reads every variable, an empty one meaning unset', () => {
    const config = loadCarrierEmulatorConfig({
      EMULATOR_CARRIER_PORT: '0',
      EMULATOR_CARRIER_LATENCY_MS: '25',
      EMULATOR_SEED_ACCOUNTS: '10',
      EMULATOR_SEED: '7',
      EMULATOR_CARRIER_CLIENT_ID: 'me',
      EMULATOR_CARRIER_CLIENT_SECRET: 's3cret',
      EMULATOR_CARRIER_TOKEN_LIFETIME_SECONDS: '60',
      EMULATOR_CARRIER_RATE_LIMIT: '5',
      EMULATOR_CARRIER_RATE_WINDOW_MS: '1000',
      EMULATOR_CARRIER_DAILY_QUOTA: '50',
      EMULATOR_CARRIER_HOST: '',
      DATA_DIR: '/tmp/c360-carrier',
    });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 0,
      latencyMs: 25,
      seedAccounts: 10,
      seed: 7,
      credentials: { clientId: 'me', clientSecret: 's3cret' },
      tokenLifetimeSeconds: 60,
      rateLimits: { perWindow: 5, windowMs: 1000, perDay: 50 },
      dataDir: '/tmp/c360-carrier',
    });
  });

  it('names every bad variable', () => {
    const load = () =>
      loadCarrierEmulatorConfig({
        EMULATOR_CARRIER_PORT: '70000',
        EMULATOR_CARRIER_RATE_LIMIT: '0',
        EMULATOR_SEED: 'x',
      });
    expect(load).toThrow(/^Invalid carrier emulator configuration:/);
    const message = (() => {
      try {
        load();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    for (const name of ['EMULATOR_CARRIER_PORT', 'EMULATOR_CARRIER_RATE_LIMIT', 'EMULATOR_SEED'])
      expect(message).toContain(name);
  });
});
