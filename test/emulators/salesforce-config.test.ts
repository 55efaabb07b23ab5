// The Salesforce emulator's environment configuration: defaults, overrides and clear errors.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadSalesforceEmulatorConfig } from '../../emulators/salesforce/config.js';

const { publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 1024,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

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
      changeDataCapture: {
        entities: [],
        retentionHours: 72,
        maxRetainedEvents: 50_000,
        overflowThreshold: 100_000,
        timeoutSeconds: 110,
      },
    });
  });

  it('reads the Change Data Capture settings, and refuses malformed ones with the variable named', () => {
    expect(
      loadSalesforceEmulatorConfig({
        EMULATOR_SALESFORCE_CDC_ENTITIES: 'Account, Quote',
        EMULATOR_SALESFORCE_CDC_RETENTION_HOURS: '0.5',
        EMULATOR_SALESFORCE_CDC_MAX_EVENTS: '10',
        EMULATOR_SALESFORCE_CDC_OVERFLOW_THRESHOLD: '3',
        EMULATOR_SALESFORCE_STREAMING_TIMEOUT_SECONDS: '5',
      }).changeDataCapture,
    ).toEqual({
      entities: ['Account', 'Quote'],
      retentionHours: 0.5,
      maxRetainedEvents: 10,
      overflowThreshold: 3,
      timeoutSeconds: 5,
    });
    expect(() => loadSalesforceEmulatorConfig({ EMULATOR_SALESFORCE_CDC_ENTITIES: 'Account;Quote' })).toThrow(
      /EMULATOR_SALESFORCE_CDC_ENTITIES/,
    );
    expect(() => loadSalesforceEmulatorConfig({ EMULATOR_SALESFORCE_CDC_RETENTION_HOURS: '0' })).toThrow(
      /EMULATOR_SALESFORCE_CDC_RETENTION_HOURS/,
    );
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
    expect(loadSalesforceEmulatorConfig({ EMULATOR_SALESFORCE_JWT_PUBLIC_KEY_FILE: file }).jwtPublicKeys).toEqual([
      publicKey,
    ]);
    expect(() =>
      loadSalesforceEmulatorConfig({ EMULATOR_SALESFORCE_JWT_PUBLIC_KEY_FILE: join(dir, 'missing.pem') }),
    ).toThrow(/EMULATOR_SALESFORCE_JWT_PUBLIC_KEY_FILE: cannot read/);
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
