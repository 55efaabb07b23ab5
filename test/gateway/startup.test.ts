// How the gateway starts: from a static supergraph, with clear failures, and NODE_ENV=production.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig, startGateway } from '../../gateway/index.js';
import { captureLogger } from '../subgraphs/support/capture-logger.js';
import { bearer, createTestIssuer } from '../support/identity.js';
import { createTempDir } from '../support/temp-dir.js';
import { composeSupergraphFile, startStubSubgraph } from './support/stub-subgraphs.js';

const dataDir = createTempDir('gateway-startup');
afterAll(() => dataDir.remove());

const env = (overrides: Record<string, string>) =>
  loadGatewayConfig({ GATEWAY_PORT: '0', LOG_LEVEL: 'silent', DATA_DIR: dataDir.path, ...overrides });

describe('gateway start', () => {
  it('fails clearly when the supergraph file is missing', async () => {
    await expect(startGateway(env({ SUPERGRAPH_PATH: '/nonexistent/supergraph.graphql' }))).rejects.toThrow(
      /SUPERGRAPH_PATH=\/nonexistent\/supergraph\.graphql.*npm run compose/,
    );
  });

  it('fails clearly when the supergraph names a subgraph it has no URL for', async () => {
    const composition = composeServices([
      { name: 'crm', typeDefs: parse('type Query { hello: String }'), url: 'http://127.0.0.1:1/graphql' },
    ]);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'c360-gateway-test-')), 'supergraph.graphql');
    writeFileSync(file, composition.supergraphSdl!);
    await expect(startGateway(env({ SUPERGRAPH_PATH: file }))).rejects.toThrow(/subgraph "crm".*salesforce, erp/);
  });

  it('in production serves no GraphiQL, refuses introspection, and warns that the default CORS list admits any org', async () => {
    const [salesforce, erp] = await Promise.all([startStubSubgraph('salesforce'), startStubSubgraph('erp')]);
    const log = captureLogger();
    // Production trusts only configured issuers (no development issuer).
    const issuer = await createTestIssuer();
    const gateway = await startGateway(
      env({
        NODE_ENV: 'production',
        AUTH_ISSUERS: JSON.stringify([issuer.entry()]),
        SUBGRAPH_SALESFORCE_URL: salesforce.graphqlUrl,
        SUBGRAPH_ERP_URL: erp.graphqlUrl,
        SUPERGRAPH_PATH: composeSupergraphFile(),
      }),
      { logger: log.logger },
    );
    try {
      expect(log.lines.join('\n')).toMatch(/CORS_ORIGINS unset: browsers on any Salesforce org's pages may call/);
      const page = await fetch(`${gateway.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(page.headers.get('content-type')).not.toMatch(/html/);
      await page.body?.cancel();
      const introspection = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...bearer(await issuer.sign({ sub: 'dev', role: 'integration' })),
        },
        body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
      });
      expect(await introspection.json()).toMatchObject({
        errors: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
      });
    } finally {
      await gateway.close();
      await Promise.all([salesforce.close(), erp.close()]);
    }
  });
});
