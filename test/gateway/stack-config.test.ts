// The `npm start` launcher's wiring: which URLs each child gets (the launcher itself is exercised
// by hand; spawning five tsx processes is too slow for the suite).
import { describe, expect, it } from 'vitest';
import { loadStackConfig, StackConfigError } from '../../stack/config.js';
import { stackServices } from '../../stack/services.js';

describe('stack config', () => {
  it('starts the five services in dependency order with each other\'s URLs', () => {
    const config = loadStackConfig({ GATEWAY_PORT: '5000', EMULATOR_ERP_PORT: '5020', EMULATOR_SEED_ACCOUNTS: '30', EMULATOR_ERP_LATENCY_MS: '25' });
    const services = stackServices(config);
    expect(services.map((service) => service.name)).toEqual([
      'salesforce-emulator',
      'erp-emulator',
      'salesforce-subgraph',
      'erp-subgraph',
      'gateway',
    ]);
    const byName = Object.fromEntries(services.map((service) => [service.name, service]));
    expect(byName['erp-emulator']!.env).toMatchObject({ EMULATOR_ERP_PORT: '5020', EMULATOR_ERP_LATENCY_MS: '25', EMULATOR_SEED_ACCOUNTS: '30' });
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
    expect(() => loadStackConfig({ SUBGRAPH_ERP_PORT: '4001' })).toThrow(/erpSubgraph and salesforceSubgraph would both listen on port 4001/);
  });
});
