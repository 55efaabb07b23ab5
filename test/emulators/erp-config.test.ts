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
      credentials: { tenant: 'customer360-dev', clientId: 'customer360-erp-dev', clientSecret: 'customer360-erp-dev-secret' },
      tokenLifetimeSeconds: 3599,
    });
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
