// Configuration around Tryton: the ERP subgraph choosing its adapter (ERP_ADAPTER, ERP_TRYTON_*),
// and `npm run tryton`'s own settings.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadErpSubgraphConfig } from '../../subgraphs/erp/config.js';
import { ConfigError } from '../../subgraphs/shared/env.js';
import { loadTrytonLauncherConfig, TrytonConfigError } from '../../tryton/config.js';
import { installCommand, TRYTON_DEBIAN_PACKAGES } from '../../tryton/installation.js';

describe('ERP subgraph: ERP_ADAPTER', () => {
  it('defaults to Business Central, reading none of the Tryton variables', () => {
    const config = loadErpSubgraphConfig({ ERP_TRYTON_URL: 'not a url' });
    expect(config.connector.kind).toBe('business-central');
  });

  it('tryton: the development server by default, signed in with the password the launcher keeps', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'erp-config-'));
    mkdirSync(join(dataDir, 'tryton'));
    writeFileSync(join(dataDir, 'tryton', 'integration.password'), 's3cret-Password\n');
    const config = loadErpSubgraphConfig({ ERP_ADAPTER: 'tryton', DATA_DIR: dataDir, ERP_TIMEOUT_MS: '7000' });
    expect(config.connector).toEqual({
      kind: 'tryton',
      url: 'http://127.0.0.1:4040',
      database: 'customer360',
      username: 'c360-integration',
      password: 's3cret-Password',
      timeoutMs: 7000,
      rowReadBudget: 10_000,
    });
  });

  it('tryton: a real server, a password, a company and a warehouse', () => {
    const config = loadErpSubgraphConfig({
      ERP_ADAPTER: 'tryton',
      ERP_TRYTON_URL: 'https://erp.example.com/tryton/',
      ERP_TRYTON_DATABASE: 'prod',
      ERP_TRYTON_USERNAME: 'integration',
      ERP_TRYTON_PASSWORD: 'pw',
      ERP_TRYTON_COMPANY: '2',
      ERP_TRYTON_WAREHOUSE: '7',
    });
    expect(config.connector).toMatchObject({
      kind: 'tryton',
      url: 'https://erp.example.com/tryton',
      database: 'prod',
      username: 'integration',
      password: 'pw',
      company: 2,
      warehouse: 7,
    });
  });

  it('refuses what cannot work, naming the variable', () => {
    const empty = mkdtempSync(join(tmpdir(), 'erp-config-'));
    expect(() => loadErpSubgraphConfig({ ERP_ADAPTER: 'tryton', DATA_DIR: empty })).toThrow(
      /ERP_TRYTON_PASSWORD_FILE: .*integration\.password does not exist \(start Tryton first: npm run tryton\)/,
    );
    expect(() =>
      loadErpSubgraphConfig({
        ERP_ADAPTER: 'tryton',
        ERP_TRYTON_PASSWORD: 'x',
        ERP_TRYTON_URL: 'http://127.0.0.1:6666',
      }),
    ).toThrow(/ERP_TRYTON_URL: port 6666 is on the Fetch standard's list of bad ports/);
    expect(() => loadErpSubgraphConfig({ ERP_ADAPTER: 'sap' })).toThrow(ConfigError);
    expect(() =>
      loadErpSubgraphConfig({ ERP_ADAPTER: 'tryton', ERP_TRYTON_PASSWORD: 'x', ERP_TRYTON_COMPANY: 'first' }),
    ).toThrow(/ERP_TRYTON_COMPANY/);
  });
});

describe('npm run tryton', () => {
  it("defaults: loopback port 4040, DATA_DIR/tryton, the emulators' seed, 20 accounts", () => {
    expect(loadTrytonLauncherConfig({})).toMatchObject({
      host: '127.0.0.1',
      port: 4040,
      database: 'customer360',
      directory: join(process.cwd(), 'data', 'tryton'),
      seed: 42,
      accounts: 20,
      python: '/usr/bin/python3',
    });
  });

  it("refuses ports Node's fetch refuses, and bad values", () => {
    expect(() => loadTrytonLauncherConfig({ TRYTON_PORT: '6667' })).toThrow(
      /TRYTON_PORT: port 6667 is on the Fetch standard's list of bad ports/,
    );
    expect(() => loadTrytonLauncherConfig({ TRYTON_PORT: '0' })).toThrow(TrytonConfigError);
    expect(() => loadTrytonLauncherConfig({ EMULATOR_SEED_TRYTON_ACCOUNTS: '0' })).toThrow(
      /EMULATOR_SEED_TRYTON_ACCOUNTS: must be at least 1/,
    );
    expect(() => loadTrytonLauncherConfig({ TRYTON_DATABASE: 'a-b' })).toThrow(/TRYTON_DATABASE/);
  });

  it('says which Debian packages to install', () => {
    expect(TRYTON_DEBIAN_PACKAGES).toEqual(
      expect.arrayContaining([
        'tryton-server',
        'tryton-proteus',
        'tryton-modules-sale-credit-limit',
        'tryton-modules-stock-lot',
      ]),
    );
    expect(installCommand()).toMatch(/^sudo apt-get install -y tryton-server tryton-proteus tryton-modules-party /);
  });
});
