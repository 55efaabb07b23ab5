// The ERP emulator's environment configuration: defaults, overrides and clear errors.
import { describe, expect, it } from 'vitest';
import { loadErpEmulatorConfig } from '../../emulators/erp/config.js';

describe('loadErpEmulatorConfig', () => {
  it('defaults every setting', () => {
    expect(loadErpEmulatorConfig({})).toEqual({
      host: '127.0.0.1',
      port: 4020,
      latencyMs: 0,
      pageSize: 1000,
      seedAccounts: 200,
      seed: 42,
      credentials: {
        tenant: 'customer360-dev',
        clientId: 'customer360-erp-dev',
        clientSecret: 'customer360-erp-dev-secret',
      },
      tokenLifetimeSeconds: 3599,
      webhooks: {
        delayMs: 1000,
        collectionThreshold: 1000,
        retryDelaysMs: [60_000, 60_000, 600_000, 6_000_000, 60_000_000],
        handshakeTimeoutMs: 5000,
        sendTimeoutMs: 5000,
        lifetimeMs: 3 * 86_400_000,
        maxSubscriptions: 200,
      },
      activity: null,
    });
  });

  it('reads the webhook and activity settings', () => {
    const config = loadErpEmulatorConfig({
      EMULATOR_ERP_WEBHOOK_DELAY_MS: '30000',
      EMULATOR_ERP_WEBHOOK_COLLECTION_THRESHOLD: '5',
      EMULATOR_ERP_WEBHOOK_RETRY_DELAYS_MS: '10, 20,40',
      EMULATOR_ERP_WEBHOOK_LIFETIME_SECONDS: '60',
      EMULATOR_ERP_ACTIVITY: 'on',
      EMULATOR_ERP_ACTIVITY_INTERVAL_MS: '2500',
    });
    expect(config.webhooks).toMatchObject({
      delayMs: 30_000,
      collectionThreshold: 5,
      retryDelaysMs: [10, 20, 40],
      lifetimeMs: 60_000,
    });
    expect(config.activity).toEqual({ intervalMs: 2500 });
    expect(() => loadErpEmulatorConfig({ EMULATOR_ERP_WEBHOOK_RETRY_DELAYS_MS: '1m,2m' })).toThrow(
      /EMULATOR_ERP_WEBHOOK_RETRY_DELAYS_MS/,
    );
    expect(() => loadErpEmulatorConfig({ EMULATOR_ERP_ACTIVITY: 'yes' })).toThrow(
      /EMULATOR_ERP_ACTIVITY: must be on or off/,
    );
  });

  it('reads overrides and treats empty values as unset', () => {
    const config = loadErpEmulatorConfig({
      EMULATOR_ERP_PORT: '0',
      EMULATOR_ERP_LATENCY_MS: '25',
      EMULATOR_ERP_PAGE_SIZE: '50',
      EMULATOR_SEED_ACCOUNTS: '10000',
      EMULATOR_SEED: '',
      EMULATOR_ERP_CLIENT_SECRET: 's3cret',
    });
    expect(config).toMatchObject({ port: 0, latencyMs: 25, pageSize: 50, seedAccounts: 10000, seed: 42 });
    expect(config.credentials.clientSecret).toBe('s3cret');
  });

  it('names each invalid variable', () => {
    expect(() => loadErpEmulatorConfig({ EMULATOR_ERP_PORT: 'http', EMULATOR_ERP_PAGE_SIZE: '0' })).toThrow(
      /Invalid ERP emulator configuration:\n {2}EMULATOR_ERP_PORT: .*\n {2}EMULATOR_ERP_PAGE_SIZE: /,
    );
    expect(() => loadErpEmulatorConfig({ EMULATOR_ERP_TENANT: 'a/b' })).toThrow(/EMULATOR_ERP_TENANT/);
  });
});
