// Ports Node's fetch refuses (lib/fetch-ports.ts, the Fetch standard's bad ports) are refused by
// every config module when they read them, for what they listen on and what they will fetch, with
// the reason; before, a gateway on port 6000 started and failed every request with "fetch failed".
import { describe, expect, it } from 'vitest';
import { loadBenchConfig } from '../../bench/config.js';
import { carrierEnvSchema } from '../../connectors/carrier/env.js';
import { loadCarrierEmulatorConfig } from '../../emulators/carrier/config.js';
import { loadErpEmulatorConfig } from '../../emulators/erp/config.js';
import { loadSalesforceEmulatorConfig } from '../../emulators/salesforce/config.js';
import { loadGatewayConfig } from '../../gateway/config.js';
import { FETCH_BAD_PORTS } from '../../lib/fetch-ports.js';
import { loadStackConfig } from '../../stack/config.js';
import { loadErpSubgraphConfig } from '../../subgraphs/erp/config.js';
import { loadSalesforceSubgraphConfig } from '../../subgraphs/salesforce/config.js';

async function refusedByFetch(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2_000) });
    return false;
  } catch (error) {
    return (error as { cause?: { message?: string } }).cause?.message === 'bad port';
  }
}

describe('the bad-port list', () => {
  it("is exactly what this Node's fetch refuses, around the ports we use", async () => {
    for (const port of FETCH_BAD_PORTS) expect(await refusedByFetch(port), String(port)).toBe(true);
    for (const port of [0, 80, 443, 4000, 4001, 4002, 4010, 4020, 4100, 5999, 6001, 6664, 6670, 10079, 10081]) {
      expect(await refusedByFetch(port), String(port)).toBe(false);
    }
  });
});

describe('every config module refuses them', () => {
  const refuses = (load: () => unknown, variable: string, port: number) => {
    expect(load).toThrow(new RegExp(`${variable}[^\\n]*port ${port} is on the Fetch standard's list of bad ports`));
  };

  it('the gateway: its port, the subgraph URLs, the OData public URL, a JWKS URL', () => {
    refuses(() => loadGatewayConfig({ GATEWAY_PORT: '6000' }), 'GATEWAY_PORT', 6000);
    refuses(
      () => loadGatewayConfig({ SUBGRAPH_SALESFORCE_URL: 'http://127.0.0.1:6665/graphql' }),
      'SUBGRAPH_SALESFORCE_URL',
      6665,
    );
    refuses(
      () => loadGatewayConfig({ SUBGRAPH_ERP_URL: 'http://erp.internal:6667/graphql' }),
      'SUBGRAPH_ERP_URL',
      6667,
    );
    refuses(
      () => loadGatewayConfig({ ODATA_PUBLIC_URL: 'https://c360.example.com:6697/odata/v4/' }),
      'ODATA_PUBLIC_URL',
      6697,
    );
    const issuers = JSON.stringify([
      { issuer: 'https://idp.example.com/', audience: 'c360', jwksUrl: 'https://idp.example.com:10080/jwks.json' },
    ]);
    refuses(() => loadGatewayConfig({ AUTH_ISSUERS: issuers }), 'AUTH_ISSUERS', 10080);
    // A URL without a port connects to its scheme's default, which is fine; so is 0 (a free port).
    expect(loadGatewayConfig({ GATEWAY_PORT: '0', SUBGRAPH_ERP_URL: 'https://erp.internal/graphql' }).port).toBe(0);
  });

  it('the subgraphs: their ports and the backend URLs they fetch', () => {
    refuses(() => loadErpSubgraphConfig({ SUBGRAPH_ERP_PORT: '6666' }), 'SUBGRAPH_ERP_PORT', 6666);
    refuses(() => loadErpSubgraphConfig({ ERP_BASE_URL: 'http://bc.internal:6000/api/v2.0' }), 'ERP_BASE_URL', 6000);
    refuses(() => loadErpSubgraphConfig({ ERP_TOKEN_URL: 'http://login.internal:6668/token' }), 'ERP_TOKEN_URL', 6668);
    refuses(
      () => loadErpSubgraphConfig({ ERP_ANALYTICS_BASE_URL: 'http://bc.internal:6000/api/microsoft/analytics/v1.0' }),
      'ERP_ANALYTICS_BASE_URL',
      6000,
    );
    refuses(() => loadSalesforceSubgraphConfig({ SUBGRAPH_SALESFORCE_PORT: '5060' }), 'SUBGRAPH_SALESFORCE_PORT', 5060);
    refuses(
      () => loadSalesforceSubgraphConfig({ SALESFORCE_LOGIN_URL: 'http://127.0.0.1:6669' }),
      'SALESFORCE_LOGIN_URL',
      6669,
    );
    // The carrier connector's URL, as whichever config module merges its schema reads it.
    const carrier = carrierEnvSchema.safeParse({ CARRIER_BASE_URL: 'https://apis.carrier.example:6666' });
    expect(carrier.error?.issues[0]?.message).toMatch(/port 6666 is on the Fetch standard's list of bad ports/);
    // The ERP subgraph reads the SALESFORCE_* variables too (submitQuote).
    refuses(
      () => loadErpSubgraphConfig({ SALESFORCE_LOGIN_URL: 'http://127.0.0.1:6669' }),
      'SALESFORCE_LOGIN_URL',
      6669,
    );
  });

  it('the emulators, the stack and the benchmark: every port they listen on', () => {
    refuses(() => loadErpEmulatorConfig({ EMULATOR_ERP_PORT: '6000' }), 'EMULATOR_ERP_PORT', 6000);
    refuses(() => loadSalesforceEmulatorConfig({ EMULATOR_SALESFORCE_PORT: '6000' }), 'EMULATOR_SALESFORCE_PORT', 6000);
    refuses(() => loadCarrierEmulatorConfig({ EMULATOR_CARRIER_PORT: '6000' }), 'EMULATOR_CARRIER_PORT', 6000);
    for (const variable of [
      'GATEWAY_PORT',
      'SUBGRAPH_SALESFORCE_PORT',
      'SUBGRAPH_ERP_PORT',
      'EMULATOR_SALESFORCE_PORT',
      'EMULATOR_ERP_PORT',
    ]) {
      refuses(() => loadStackConfig({ [variable]: '6000' }), variable, 6000);
    }
    // 6646 + 20 = 6666.
    refuses(() => loadBenchConfig({ BENCH_PORT_BASE: '6646' }), 'BENCH_PORT_BASE', 6666);
    expect(loadBenchConfig({ BENCH_PORT_BASE: '4100' }).portBase).toBe(4100);
  });

  it('says why in the message', () => {
    expect(() => loadGatewayConfig({ GATEWAY_PORT: '6000' })).toThrow(
      /which Node's fetch and browsers refuse to connect to \("fetch failed": bad port\); choose another port/,
    );
    expect(() => loadStackConfig({ GATEWAY_PORT: '6000' })).toThrow(
      /GATEWAY_PORT="6000": port 6000 is on the Fetch standard's list of bad ports/,
    );
  });
});
