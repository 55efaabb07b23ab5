// Liveness and readiness of the gateway (gateway/health.ts): /readyz from the subgraphs' own /readyz,
// asked at most once per READINESS_CHECK_INTERVAL_S (never once per probe), and ready as long as
// some subgraph serves: a subgraph whose backend is down but which answers from its cache
// (degraded) keeps the gateway in rotation.
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig, startGateway } from '../../gateway/index.js';
import type { RunningServer } from '../../lib/http-server.js';
import { startHarness, type Harness } from './support/gateway-harness.js';
import { composeSupergraphFile } from './support/stub-subgraphs.js';

// Every probe may check again: the tests change the subgraphs' answers and watch them arrive.
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ READINESS_CHECK_INTERVAL_S: '0' });
});
afterAll(async () => {
  await harness?.close();
});
afterEach(async () => {
  harness.salesforce.readiness = 'ready';
  harness.erp.readiness = 'ready';
  await expect.poll(async () => (await get('/readyz')).body.status).toBe('ready');
});

async function get(path: string, on = harness.gateway) {
  const response = await fetch(`${on.url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The answer once the change has been seen (a probe answers from the last check and starts the next). */
async function settled(expected: { status: number; body: Record<string, unknown> }, on = harness.gateway) {
  await expect.poll(() => get('/readyz', on)).toEqual(expected);
}

describe('health', () => {
  it('/healthz is 200 ok', async () => {
    expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('/readyz is 200 ready when both subgraphs are ready', async () => {
    expect(await get('/readyz')).toEqual({
      status: 200,
      body: { status: 'ready', subgraphs: { salesforce: 'ready', erp: 'ready' } },
    });
  });

  it('/readyz stays 200 while a subgraph is degraded (its backend down, serving from its cache)', async () => {
    harness.erp.readiness = 'degraded';
    await settled({
      status: 200,
      body: { status: 'degraded', degraded: ['erp'], subgraphs: { salesforce: 'ready', erp: 'degraded' } },
    });
  });

  it('/readyz stays 200 while one subgraph cannot serve and the other can; /healthz stays 200', async () => {
    harness.erp.readiness = 'unavailable';
    await settled({
      status: 200,
      body: { status: 'degraded', degraded: ['erp'], subgraphs: { salesforce: 'ready', erp: 'unavailable' } },
    });
    expect((await get('/healthz')).status).toBe(200);
  });

  it('/readyz is 503 when no subgraph can serve', async () => {
    harness.erp.readiness = 'unavailable';
    harness.salesforce.readiness = 'unavailable';
    await settled({
      status: 503,
      body: {
        status: 'not_ready',
        notReady: ['salesforce', 'erp'],
        subgraphs: { salesforce: 'unavailable', erp: 'unavailable' },
      },
    });
  });
});

describe('readiness costs no subgraph request per probe', () => {
  it('50 probes ask each subgraph at most once per READINESS_CHECK_INTERVAL_S (default 30 s)', async () => {
    const gateway = await startGateway(
      loadGatewayConfig({
        GATEWAY_PORT: '0',
        SUBGRAPH_SALESFORCE_URL: harness.salesforce.graphqlUrl,
        SUBGRAPH_ERP_URL: harness.erp.graphqlUrl,
        SUPERGRAPH_PATH: composeSupergraphFile(),
        LOG_LEVEL: 'silent',
        DATA_DIR: harness.dataDir,
      }),
    );
    try {
      const before = { salesforce: harness.salesforce.readinessRequests, erp: harness.erp.readinessRequests };
      const answers = await Promise.all(Array.from({ length: 50 }, () => get('/readyz', gateway)));
      for (let i = 0; i < 50; i += 1) answers.push(await get('/readyz', gateway));
      expect(answers.every((answer) => answer.status === 200 && answer.body.status === 'ready')).toBe(true);
      expect(harness.salesforce.readinessRequests - before.salesforce).toBe(1);
      expect(harness.erp.readinessRequests - before.erp).toBe(1);
    } finally {
      await gateway.close();
    }
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

describe('readiness with a subgraph unreachable', () => {
  let oneDown: RunningServer;
  let bothDown: RunningServer;
  beforeAll(async () => {
    const start = async (salesforce: string, erp: string) =>
      startGateway(
        loadGatewayConfig({
          GATEWAY_PORT: '0',
          SUBGRAPH_SALESFORCE_URL: salesforce,
          SUBGRAPH_ERP_URL: erp,
          SUPERGRAPH_PATH: composeSupergraphFile(),
          LOG_LEVEL: 'silent',
          DATA_DIR: harness.dataDir,
        }),
      );
    oneDown = await start(`http://127.0.0.1:${await freePort()}/graphql`, harness.erp.graphqlUrl);
    bothDown = await start(
      `http://127.0.0.1:${await freePort()}/graphql`,
      `http://127.0.0.1:${await freePort()}/graphql`,
    );
  });
  afterAll(async () => {
    await oneDown?.close();
    await bothDown?.close();
  });

  it('/readyz is 200 degraded naming the unreachable subgraph while the other serves', async () => {
    expect(await get('/readyz', oneDown)).toEqual({
      status: 200,
      body: { status: 'degraded', degraded: ['salesforce'], subgraphs: { salesforce: 'unreachable', erp: 'ready' } },
    });
  });

  it('/readyz is 503 when no subgraph can be reached from this gateway', async () => {
    expect(await get('/readyz', bothDown)).toEqual({
      status: 503,
      body: {
        status: 'not_ready',
        notReady: ['salesforce', 'erp'],
        subgraphs: { salesforce: 'unreachable', erp: 'unreachable' },
      },
    });
  });
});
