// The `npm start` launcher's wiring: which URLs each child gets (the launcher itself is exercised
// by hand; spawning five tsx processes is too slow for the suite).
import { describe, expect, it } from 'vitest';
import { loadStackConfig, StackConfigError } from '../../stack/config.js';
import { stackServices } from '../../stack/services.js';

describe('stack config', () => {
  it("starts the five services in dependency order with each other's URLs", () => {
    const config = loadStackConfig({
      GATEWAY_PORT: '5000',
      EMULATOR_ERP_PORT: '5020',
      EMULATOR_SEED_ACCOUNTS: '30',
      EMULATOR_ERP_LATENCY_MS: '25',
    });
    const services = stackServices(config);
    expect(services.map((service) => service.name)).toEqual([
      'salesforce-emulator',
      'erp-emulator',
      'salesforce-subgraph',
      'erp-subgraph',
      'gateway',
    ]);
    const byName = Object.fromEntries(services.map((service) => [service.name, service]));
    expect(byName['erp-emulator']!.env).toMatchObject({
      EMULATOR_ERP_PORT: '5020',
      EMULATOR_ERP_LATENCY_MS: '25',
      EMULATOR_SEED_ACCOUNTS: '30',
    });
    expect(byName['erp-emulator']!.readinessUrl).toBe('http://127.0.0.1:5020/__emulator/stats');
    expect(byName['erp-subgraph']!.env).toMatchObject({
      ERP_BASE_URL: 'http://127.0.0.1:5020/api/v2.0',
      ERP_TOKEN_URL: 'http://127.0.0.1:5020/customer360-dev/oauth2/v2.0/token',
    });
    expect(byName['salesforce-subgraph']!.env).toMatchObject({ SALESFORCE_LOGIN_URL: 'http://127.0.0.1:4010' });
    expect(byName.gateway!.env).toMatchObject({
      GATEWAY_PORT: '5000',
      SUBGRAPH_SALESFORCE_URL: 'http://127.0.0.1:4001/graphql',
      SUBGRAPH_ERP_URL: 'http://127.0.0.1:4002/graphql',
      APOLLO_TELEMETRY_DISABLED: '1',
    });
    expect(byName.gateway!.readinessUrl).toBe('http://127.0.0.1:5000/healthz');
  });

  it('refuses port 0 and two services on one port, naming the variables', () => {
    expect(() => loadStackConfig({ GATEWAY_PORT: '0' })).toThrow(/GATEWAY_PORT="0"/);
    expect(() => loadStackConfig({ SUBGRAPH_ERP_PORT: '4001' })).toThrow(StackConfigError);
    expect(() => loadStackConfig({ SUBGRAPH_ERP_PORT: '4001' })).toThrow(
      /erpSubgraph and salesforceSubgraph would both listen on port 4001/,
    );
  });

  it('ERP_TRYTON=on: Tryton starts first, the Salesforce emulator holds its accounts, the ERP subgraph knows where it is', () => {
    const config = loadStackConfig({
      ERP_TRYTON: 'on',
      TRYTON_PORT: '5040',
      EMULATOR_SEED_TRYTON_ACCOUNTS: '7',
      DATA_DIR: '/tmp/c360-stack',
    });
    const services = stackServices(config);
    expect(services.map((service) => service.name)).toEqual([
      'tryton',
      'salesforce-emulator',
      'erp-emulator',
      'salesforce-subgraph',
      'erp-subgraph',
      'gateway',
    ]);
    const byName = Object.fromEntries(services.map((service) => [service.name, service]));
    expect(byName.tryton!.env).toMatchObject({
      TRYTON_PORT: '5040',
      EMULATOR_SEED_TRYTON_ACCOUNTS: '7',
      EMULATOR_SEED: '42',
    });
    expect(byName.tryton!.readinessBody).toContain('common.server.version');
    expect(byName['salesforce-emulator']!.env).toMatchObject({ EMULATOR_SEED_TRYTON_ACCOUNTS: '7' });
    expect(byName['erp-emulator']!.env).not.toHaveProperty('ERP_TRYTON_URL');
    expect(byName['erp-subgraph']!.env).toMatchObject({
      ERP_TRYTON_URL: 'http://127.0.0.1:5040',
      ERP_TRYTON_PASSWORD_FILE: '/tmp/c360-stack/tryton/integration.password',
      // Still Business Central: routing accounts between the two ERPs comes with the routing.
      ERP_BASE_URL: 'http://127.0.0.1:4020/api/v2.0',
    });
  });

  it("without ERP_TRYTON nothing changes; a port Node's fetch refuses is refused", () => {
    const services = stackServices(loadStackConfig({}));
    expect(services.map((service) => service.name)).not.toContain('tryton');
    expect(services.find((service) => service.name === 'salesforce-emulator')!.env).not.toHaveProperty(
      'EMULATOR_SEED_TRYTON_ACCOUNTS',
    );
    expect(() => loadStackConfig({ ERP_TRYTON: 'on', TRYTON_PORT: '6000' })).toThrow(
      /TRYTON_PORT="6000": port 6000 is on the Fetch standard's list of bad ports/,
    );
    expect(() => loadStackConfig({ ERP_TRYTON: 'yes' })).toThrow(/ERP_TRYTON="yes": must be on or off/);
    expect(() => loadStackConfig({ ERP_TRYTON: 'on', TRYTON_PORT: '4010' })).toThrow(/would both listen on port 4010/);
  });
});
