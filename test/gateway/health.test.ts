// Liveness and readiness of the gateway.
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig, startGateway } from '../../gateway/index.js';
import type { RunningServer } from '../../lib/http-server.js';
import { startHarness, type Harness } from './support/gateway-harness.js';
import { composeSupergraphFile } from './support/stub-subgraphs.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});
afterEach(() => {
  harness.salesforce.ready = true;
  harness.erp.ready = true;
});

const get = async (path: string) => {
  const response = await fetch(`${harness.gateway.url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('health', () => {
  it('/healthz is 200 ok', async () => {
    expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('/readyz is 200 when both subgraphs are ready', async () => {
    expect(await get('/readyz')).toEqual({
      status: 200,
      body: { status: 'ready', subgraphs: { salesforce: 'ready', erp: 'ready' } },
    });
  });

  it('/readyz is 503 naming the subgraph that is not ready; /healthz stays 200', async () => {
    harness.erp.ready = false;
    expect(await get('/readyz')).toEqual({
      status: 503,
      body: { status: 'not_ready', notReady: ['erp'], subgraphs: { salesforce: 'ready', erp: 'not_ready' } },
    });
    expect((await get('/healthz')).status).toBe(200);
  });
});

/** A port that was free a moment ago: nothing listens there. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('readiness with a subgraph down', () => {
  let gateway: RunningServer;
  beforeAll(async () => {
    gateway = await startGateway(
      loadGatewayConfig({
        GATEWAY_PORT: '0',
        SUBGRAPH_SALESFORCE_URL: `http://127.0.0.1:${await freePort()}/graphql`,
        SUBGRAPH_ERP_URL: harness.erp.graphqlUrl,
        SUPERGRAPH_PATH: composeSupergraphFile(),
        LOG_LEVEL: 'silent',
        DATA_DIR: harness.dataDir,
      }),
    );
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('/readyz is 503 with the unreachable subgraph named', async () => {
    const response = await fetch(`${gateway.url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'not_ready',
      notReady: ['salesforce'],
      subgraphs: { salesforce: 'unreachable', erp: 'ready' },
    });
  });
});
