// The gateway's environment contract (README, "Configuration").
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayConfigError, loadGatewayConfig } from '../../gateway/index.js';

describe('loadGatewayConfig', () => {
  it('defaults to the embedded stack on loopback', () => {
    const config = loadGatewayConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 4000,
      subgraphUrls: { salesforce: 'http://127.0.0.1:4001/graphql', erp: 'http://127.0.0.1:4002/graphql' },
      subgraphTimeoutMs: 15_000,
      logLevel: 'info',
      nodeEnv: 'development',
    });
    // Relative to the repository root, whatever the working directory.
    expect(config.supergraphPath).toBe(path.resolve(import.meta.dirname, '../../schema/supergraph.graphql'));
  });

  it('reads every variable', () => {
    expect(
      loadGatewayConfig({
        GATEWAY_HOST: '0.0.0.0',
        GATEWAY_PORT: '8080',
        SUBGRAPH_SALESFORCE_URL: 'https://sf.internal/graphql',
        SUBGRAPH_ERP_URL: 'https://erp.internal/graphql',
        SUBGRAPH_TIMEOUT_MS: '2500',
        SUPERGRAPH_PATH: '/etc/c360/supergraph.graphql',
        LOG_LEVEL: 'warn',
        NODE_ENV: 'production',
        DATA_DIR: '/var/lib/c360',
        AUTH_ISSUERS: JSON.stringify([
          { issuer: 'https://idp.example.com/', audience: 'c360', jwksUrl: 'https://idp.example.com/jwks.json' },
        ]),
        AUTH_CLOCK_SKEW_S: '60',
        IDENTITY_FORWARDING_SECRET: 's'.repeat(40),
        CORS_ORIGINS: 'https://*.lightning.force.com,https://app.example.com',
        GRAPHQL_INTROSPECTION: 'on',
      }),
      // toMatchObject: each concern's variables (demand control, persisted operations, …) are checked in its own tests too.
    ).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      subgraphUrls: { salesforce: 'https://sf.internal/graphql', erp: 'https://erp.internal/graphql' },
      subgraphTimeoutMs: 2500,
      supergraphPath: '/etc/c360/supergraph.graphql',
      logLevel: 'warn',
      nodeEnv: 'production',
      dataDir: '/var/lib/c360',
      auth: {
        issuers: [
          {
            issuer: 'https://idp.example.com/',
            audiences: ['c360'],
            keys: { kind: 'jwks-url', url: 'https://idp.example.com/jwks.json' },
          },
        ],
        devIssuer: false,
        clockSkewS: 60,
      },
      identityForwardingKey: { kind: 'secret', secret: 's'.repeat(40) },
      corsOrigins: ['https://*.lightning.force.com', 'https://app.example.com'],
      introspection: true,
    });
  });

  it('names every bad variable in one error', () => {
    const load = () =>
      loadGatewayConfig({
        GATEWAY_PORT: 'eighty',
        SUBGRAPH_ERP_URL: 'ftp://erp/graphql',
        SUBGRAPH_TIMEOUT_MS: '0',
        LOG_LEVEL: 'loud',
      });
    expect(load).toThrow(GatewayConfigError);
    expect(load).toThrow(
      /GATEWAY_PORT="eighty".*SUBGRAPH_ERP_URL="ftp:\/\/erp\/graphql".*SUBGRAPH_TIMEOUT_MS="0".*LOG_LEVEL="loud"/,
    );
  });

  it('hands development tokens to loopback names unless DEV_TOKEN_HOSTS says otherwise', () => {
    expect(loadGatewayConfig({}).devTokenHosts).toEqual(['127.0.0.1', 'localhost', '[::1]']);
    expect(loadGatewayConfig({ DEV_TOKEN_HOSTS: 'Dev.Example, localhost,[::1]' }).devTokenHosts).toEqual([
      'dev.example',
      'localhost',
      '[::1]',
    ]);
    for (const bad of ['localhost:4000', 'http://localhost', '*.example.com', 'a b']) {
      expect(() => loadGatewayConfig({ DEV_TOKEN_HOSTS: bad }), bad).toThrow(/DEV_TOKEN_HOSTS=.*is not a host name/);
    }
  });

  it('treats empty values as unset', () => {
    expect(loadGatewayConfig({ GATEWAY_PORT: '', LOG_LEVEL: '' })).toMatchObject({ port: 4000, logLevel: 'info' });
  });

  it('opts out of Apollo telemetry unless the environment decided', () => {
    const before = process.env.APOLLO_TELEMETRY_DISABLED;
    try {
      delete process.env.APOLLO_TELEMETRY_DISABLED;
      loadGatewayConfig({});
      expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('1');
      process.env.APOLLO_TELEMETRY_DISABLED = 'false';
      loadGatewayConfig({});
      expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('false');
    } finally {
      if (before === undefined) delete process.env.APOLLO_TELEMETRY_DISABLED;
      else process.env.APOLLO_TELEMETRY_DISABLED = before;
    }
  });
});
