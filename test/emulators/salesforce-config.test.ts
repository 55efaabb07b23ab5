// The Salesforce emulator's environment configuration: defaults, overrides and clear errors.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadSalesforceEmulatorConfig } from '../../emulators/salesforce/config.js';

const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

describe('loadSalesforceEmulatorConfig', () => {
  it('defaults every setting', () => {
    expect(loadSalesforceEmulatorConfig({})).toEqual({
      host: '127.0.0.1',
      port: 4010,
      latencyMs: 0,
      seedAccounts: 200,
      seed: 42,
      seedTrytonAccounts: 0,
      credentials: {
        clientId: 'customer360-dev',
        clientSecret: 'customer360-dev-secret',
        username: 'integration@customer360.example',
        password: 'customer360-dev-password',
      },
      jwtPublicKeys: [],
      jwtAudiences: [],
      tokenTtlSeconds: 7200,
      dailyApiLimit: 100_000,
    });
  });

  it('reads overrides, treating empty variables as unset', () => {
    const config = loadSalesforceEmulatorConfig({
      EMULATOR_SALESFORCE_HOST: '0.0.0.0',
      EMULATOR_SALESFORCE_PORT: '5010',
      EMULATOR_SALESFORCE_LATENCY_MS: '25',
      EMULATOR_SEED_ACCOUNTS: '10000',
      EMULATOR_SEED: '',
      EMULATOR_SALESFORCE_CLIENT_ID: 'other-app',
      EMULATOR_SALESFORCE_JWT_PUBLIC_KEY: publicKey.replace(/\n/g, '\\n'),
      EMULATOR_SALESFORCE_JWT_AUDIENCES: 'https://login.example, https://test.example',
      EMULATOR_SALESFORCE_DAILY_API_LIMIT: '15000',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 5010,
      latencyMs: 25,
      seedAccounts: 10_000,
      seed: 42,
      credentials: { clientId: 'other-app', clientSecret: 'customer360-dev-secret' },
      jwtPublicKeys: [publicKey],
      jwtAudiences: ['https://login.example', 'https://test.example'],
      dailyApiLimit: 15_000,
    });
  });

  it('reads the JWT key from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-config-'));
    const file = join(dir, 'jwt.pem');
    writeFileSync(file, publicKey);
    expect(loadSalesforceEmulatorConfig({ EMULATOR_SALESFORCE_JWT_PUBLIC_KEY_FILE: file }).jwtPublicKeys).toEqual([publicKey]);
    expect(() => loadSalesforceEmulatorConfig({ EMULATOR_SALESFORCE_JWT_PUBLIC_KEY_FILE: join(dir, 'missing.pem') })).toThrow(
      /EMULATOR_SALESFORCE_JWT_PUBLIC_KEY_FILE: cannot read/,
    );
  });

  it('names every invalid variable', () => {
    expect(() =>
      loadSalesforceEmulatorConfig({
        EMULATOR_SALESFORCE_PORT: 'abc',
        EMULATOR_SALESFORCE_LATENCY_MS: '-5',
        EMULATOR_SALESFORCE_JWT_PUBLIC_KEY: 'not a key',
      }),
    ).toThrow(
      /Invalid Salesforce emulator configuration:\n {2}EMULATOR_SALESFORCE_PORT: .*\n {2}EMULATOR_SALESFORCE_LATENCY_MS: .*\n {2}EMULATOR_SALESFORCE_JWT_PUBLIC_KEY: must be a PEM public key or certificate/,
    );
  });
});
