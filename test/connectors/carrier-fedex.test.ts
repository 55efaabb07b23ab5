// The carrier connector (FedEx Track API adapter) against the carrier emulator over real HTTPS:
// mapping to the port, batching in requests of 30 with bounded concurrency, the OAuth token (cached,
// refreshed before expiry, one request at a time, refreshed on 401), Retry-After honoured, failures as
// BackendError kinds, TLS verified with the configured CA only.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFedexTrackAdapter, type FedexTrackAdapter } from '../../connectors/carrier/fedex/adapter.js';
import type { CarrierConnectorOptions } from '../../connectors/carrier/options.js';
import { trackingKey, type ShipmentTracking } from '../../connectors/carrier/port.js';
import { listen } from '../../emulators/common/listen.js';
import { certificateHostnames, ensureTlsMaterial } from '../../emulators/carrier/tls.js';
import type { BcSalesShipment } from '../../emulators/seed/types.js';
import { BackendError } from '../../lib/backend-error.js';
import { createLogger } from '../../lib/logger.js';
import { startCarrierFixture, type CarrierTestClient } from '../emulators/carrier-fixture.js';
import { createTempDir } from '../support/temp-dir.js';

const logger = createLogger('carrier-connector-test', 'silent');
const ctx = (correlationId = 'corr-carrier', signal?: AbortSignal) =>
  signal ? { correlationId, signal } : { correlationId };
const keyOf = (s: BcSalesShipment) =>
  trackingKey({ carrier: s.shippingAgentCode, trackingNumber: s.packageTrackingNo });

let carrier: CarrierTestClient;
const adapters: FedexTrackAdapter[] = [];

function connect(
  target: CarrierTestClient,
  overrides: Partial<CarrierConnectorOptions> = {},
  now?: () => number,
): FedexTrackAdapter {
  const adapter = createFedexTrackAdapter(
    {
      adapter: 'fedex-track',
      baseUrl: target.running.url,
      clientId: 'customer360-carrier-dev',
      clientSecret: 'customer360-carrier-dev-secret',
      caFile: target.running.caFile,
      timeoutMs: 5_000,
      ...overrides,
    },
    logger,
    now,
  );
  adapters.push(adapter);
  return adapter;
}

async function stats(target: CarrierTestClient) {
  return (await target.control('/stats', undefined, 'GET')).body as {
    byRoute: Record<string, number>;
    byStatus: Record<string, number>;
    maxInFlight: number;
    rowsScanned: number;
    recent: Array<{ route: string; correlationId: string | null }>;
  };
}

/** The BackendError a promise rejects with. */
async function failureOf(promise: Promise<unknown>): Promise<BackendError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackendError);
  return error as BackendError;
}

beforeAll(async () => {
  carrier = await startCarrierFixture();
});
afterEach(async () => {
  await carrier.control('/faults', {});
  await carrier.control('/stats', undefined, 'DELETE');
  while (adapters.length > 0) adapters.pop()!.close();
});
afterAll(async () => {
  await carrier.close();
});

describe('tracking seeded shipments', () => {
  it("maps every carrier's packages to the port: status, events oldest first, estimated delivery", async () => {
    const port = connect(carrier);
    const shipments = carrier.dataset.salesShipments;
    const found = await port.trackingByKeys(shipments.map(keyOf), ctx());
    expect(found.size).toBe(shipments.length);
    for (const shipment of shipments) {
      const tracking = found.get(keyOf(shipment))!;
      expect(tracking).toMatchObject({
        trackingNumber: shipment.packageTrackingNo,
        carrier: shipment.shippingAgentCode,
      });
      expect(tracking.events[0]).toMatchObject({ status: 'LABEL_CREATED', location: 'Columbus, OH, US' });
      const times = tracking.events.map((e) => e.at);
      expect(times).toEqual([...times].sort());
      expect(tracking.events.at(-1)!.status).toBe(tracking.status);
      if (tracking.status === 'DELIVERED') {
        expect(tracking.deliveredAt).toBe(tracking.events.at(-1)!.at);
        expect(tracking.estimatedDelivery).toBeNull();
      } else if (tracking.status !== 'EXCEPTION') {
        expect(tracking.estimatedDelivery! > tracking.events.at(-1)!.at).toBe(true);
      }
    }
    const statuses = new Set([...found.values()].map((t) => t.status));
    expect(statuses).toContain('DELIVERED');
    expect(
      [...statuses].every((s) =>
        ['LABEL_CREATED', 'PICKED_UP', 'IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED', 'EXCEPTION'].includes(s),
      ),
    ).toBe(true);
  });

  it('leaves out what the carrier does not know: unknown numbers, malformed ones, keys that are not tracking keys', async () => {
    const port = connect(carrier);
    const known = keyOf(carrier.dataset.salesShipments[0]!);
    const found = await port.trackingByKeys(
      [known, 'FEDEX~999999999999', 'UPS~not-a-ups-number', 'no separator', 'ACME~123', known],
      ctx(),
    );
    expect([...found.keys()]).toEqual([known]);
  });

  it("sends the correlation id as FedEx's x-customer-transaction-id and the usual X-Correlation-Id", async () => {
    await connect(carrier).trackingByKeys([keyOf(carrier.dataset.salesShipments[0]!)], ctx('corr-trace-1'));
    const recent = (await stats(carrier)).recent.filter((r) => r.route === 'track');
    expect(recent.map((r) => r.correlationId)).toEqual(['corr-trace-1']);
  });
});

describe('batching', () => {
  it('asks 30 numbers per request, at most two requests at a time', async () => {
    await carrier.control('/faults', { latencyMs: 100, pathPattern: '^/track/' });
    const keys = carrier.dataset.salesShipments.slice(0, 65).map(keyOf);
    expect(keys.length).toBe(65);
    const found = await connect(carrier).trackingByKeys(keys, ctx());
    expect(found.size).toBe(65);
    const counted = await stats(carrier);
    expect(counted.byRoute.track).toBe(3);
    expect(counted.rowsScanned).toBe(65);
    expect(counted.maxInFlight).toBe(2);
  });

  it('puts a number two carriers share into different requests', async () => {
    const dhl = carrier.dataset.salesShipments.find((s) => s.shippingAgentCode === 'DHL')!;
    const found = await connect(carrier).trackingByKeys([keyOf(dhl), `DB SCHENKER~${dhl.packageTrackingNo}`], ctx());
    expect([...found.keys()]).toEqual([keyOf(dhl)]);
    expect((await stats(carrier)).byRoute.track).toBe(2);
  });
});

describe('the OAuth token', () => {
  it('is fetched once for many calls, and once for concurrent first calls', async () => {
    const port = connect(carrier);
    const key = keyOf(carrier.dataset.salesShipments[0]!);
    await Promise.all(Array.from({ length: 5 }, (_, i) => port.trackingByKeys([key], ctx(`corr-${i}`))));
    await port.trackingByKeys([key], ctx());
    expect(port.tokenRequests).toBe(1);
    expect((await stats(carrier)).byRoute).toMatchObject({ token: 1, track: 6 });
  });

  it('is refreshed shortly before it expires', async () => {
    const short = await startCarrierFixture({ tokenLifetimeSeconds: 120 });
    try {
      const port = connect(short, {}, () => short.clock.now);
      const key = keyOf(short.dataset.salesShipments[0]!);
      await port.trackingByKeys([key], ctx());
      short.clock.now += 59_000;
      await port.trackingByKeys([key], ctx());
      expect(port.tokenRequests).toBe(1);
      short.clock.now += 2_000; // 61 s: within the last minute of its life
      await port.trackingByKeys([key], ctx());
      expect(port.tokenRequests).toBe(2);
      expect((await stats(short)).byStatus['401']).toBeUndefined();
    } finally {
      await short.close();
    }
  });

  it('is replaced once when the API answers 401, and the request repeated', async () => {
    const port = connect(carrier);
    const key = keyOf(carrier.dataset.salesShipments[0]!);
    await port.trackingByKeys([key], ctx());
    await carrier.control('/tokens', undefined, 'DELETE');
    expect((await port.trackingByKeys([key], ctx())).size).toBe(1);
    expect(port.tokenRequests).toBe(2);
    expect((await stats(carrier)).byStatus['401']).toBe(1);
  });

  it('fails as unauthorized with wrong credentials, without asking the Track API', async () => {
    const port = connect(carrier, { clientSecret: 'wrong' });
    const error = await failureOf(port.trackingByKeys([keyOf(carrier.dataset.salesShipments[0]!)], ctx()));
    expect(error).toMatchObject({
      backend: 'carrier',
      failure: 'unauthorized',
      details: { status: 401, backendCode: 'NOT.AUTHORIZED.ERROR' },
    });
    expect(error.isOutage).toBe(false);
    expect((await stats(carrier)).byRoute.track).toBeUndefined();
    await expect(port.ping(ctx())).rejects.toMatchObject({ failure: 'unauthorized' });
  });

  it('ping asks for a new token: a real round trip that spends no Track quota', async () => {
    const port = connect(carrier);
    await port.ping(ctx());
    await port.ping(ctx());
    expect(port.tokenRequests).toBe(2);
    expect((await stats(carrier)).byRoute.track).toBeUndefined();
  });
});

describe('rate limits: Retry-After honoured', () => {
  it('waits out a short Retry-After and repeats the request once', async () => {
    // A 2-second window: wide enough that the second request lands in it however loaded the machine.
    const limited = await startCarrierFixture({
      now: 'real',
      rateLimits: { perWindow: 1, windowMs: 2_000, perDay: 1_000 },
    });
    try {
      const port = connect(limited, { maxRetryAfterWaitMs: 3_000 });
      const [a, b] = limited.dataset.salesShipments.map(keyOf);
      await port.trackingByKeys([a!], ctx());
      const started = Date.now();
      const found = await port.trackingByKeys([b!], ctx());
      expect(found.size).toBe(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect((await limited.control('/rate-limits', undefined, 'GET')).body).toMatchObject({ refused: { window: 1 } });
    } finally {
      await limited.close();
    }
  });

  it('fails a long Retry-After at once as rate_limited, and sends nothing more until it has passed', async () => {
    const limited = await startCarrierFixture({ rateLimits: { perWindow: 1, windowMs: 60_000, perDay: 1_000 } });
    try {
      const port = connect(limited);
      const [a, b] = limited.dataset.salesShipments.map(keyOf);
      await port.trackingByKeys([a!], ctx());
      const error = await failureOf(port.trackingByKeys([b!], ctx()));
      expect(error).toMatchObject({
        failure: 'rate_limited',
        details: { status: 429, backendCode: 'TOO.MANY.REQUESTS.ERROR', retryAfterMs: 60_000 },
      });
      expect(error.isOutage).toBe(true);
      const again = await failureOf(port.trackingByKeys([b!], ctx()));
      expect(again.failure).toBe('rate_limited');
      expect((await stats(limited)).byRoute.track).toBe(2);
    } finally {
      await limited.close();
    }
  });
});

describe('failures as BackendError kinds', () => {
  const oneKey = () => [keyOf(carrier.dataset.salesShipments[0]!)];

  it("5xx: unavailable, with FedEx's code", async () => {
    const port = connect(carrier);
    await carrier.control('/faults', { status: 503, pathPattern: '^/track/', count: 1 });
    expect(await failureOf(port.trackingByKeys(oneKey(), ctx()))).toMatchObject({
      failure: 'unavailable',
      details: { status: 503, backendCode: 'SERVICE.UNAVAILABLE.ERROR' },
    });
    await carrier.control('/faults', { status: 500, pathPattern: '^/track/', count: 1 });
    expect(await failureOf(port.trackingByKeys(oneKey(), ctx()))).toMatchObject({
      failure: 'unavailable',
      details: { backendCode: 'INTERNAL.SERVER.ERROR' },
    });
    expect((await port.trackingByKeys(oneKey(), ctx())).size).toBe(1);
  });

  it('a dropped connection: unavailable; no answer within the deadline: timeout; the caller leaving: timeout', async () => {
    const port = connect(carrier, { timeoutMs: 400 });
    await port.ping(ctx());
    await carrier.control('/faults', { outage: true, pathPattern: '^/track/' });
    expect((await failureOf(port.trackingByKeys(oneKey(), ctx()))).failure).toBe('unavailable');
    await carrier.control('/faults', { latencyMs: 2_000, pathPattern: '^/track/' });
    const started = Date.now();
    const late = await failureOf(port.trackingByKeys(oneKey(), ctx()));
    expect(late).toMatchObject({ failure: 'timeout', message: expect.stringMatching(/deadline of 400 ms/) });
    // Back before the emulator's answer (2 s) would have come.
    expect(Date.now() - started).toBeLessThan(1_900);
    const leaving = new AbortController();
    setTimeout(() => leaving.abort(), 50);
    expect(await failureOf(port.trackingByKeys(oneKey(), ctx('corr', leaving.signal)))).toMatchObject({
      failure: 'timeout',
      message: expect.stringMatching(/caller aborted/),
    });
  });

  it("an answer that is not the Track API's: invalid_response", async () => {
    const dir = createTempDir('carrier-html');
    const material = ensureTlsMaterial(join(dir.path, 'tls'), certificateHostnames('127.0.0.1'));
    const server = await listen(
      (req, res) => {
        if (req.url === '/oauth/token') {
          res.setHeader('content-type', 'application/json');
          res.end(
            JSON.stringify({ access_token: 'x'.repeat(30), token_type: 'bearer', expires_in: 3599, scope: 'CXS' }),
          );
          return;
        }
        // A maintenance page, served with 200.
        res.setHeader('content-type', 'text/html');
        res.end('<html><body>Maintenance</body></html>');
      },
      { host: '127.0.0.1', port: 0, tls: { cert: material.certPem, key: material.keyPem } },
    );
    try {
      const port = createFedexTrackAdapter(
        {
          adapter: 'fedex-track',
          baseUrl: server.url,
          clientId: 'a',
          clientSecret: 'b',
          caFile: material.caFile,
          timeoutMs: 2_000,
        },
        logger,
      );
      adapters.push(port);
      const error = await failureOf(port.trackingByKeys(['UPS~1Z0000000000000000'], ctx()));
      expect(error).toMatchObject({ failure: 'invalid_response', message: expect.stringMatching(/not JSON/) });
      expect(error.isOutage).toBe(true);
    } finally {
      await server.close();
      dir.remove();
    }
  });
});

describe('TLS: the configured CA, never verification turned off', () => {
  it("refuses the emulator when trusting only Node's default roots, or another CA", async () => {
    const noCa = connect(carrier, { caFile: undefined });
    const refused = await failureOf(noCa.trackingByKeys([keyOf(carrier.dataset.salesShipments[0]!)], ctx()));
    expect(refused).toMatchObject({
      failure: 'unavailable',
      message: expect.stringMatching(/TLS certificate is not trusted.*CARRIER_CA_FILE/),
    });
    expect(refused.details.backendCode).toMatch(
      /SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/,
    );
    const dir = createTempDir('carrier-other-ca');
    try {
      const other = ensureTlsMaterial(join(dir.path, 'tls'), ['localhost']);
      const wrongCa = connect(carrier, { caFile: other.caFile });
      expect((await failureOf(wrongCa.ping(ctx()))).failure).toBe('unavailable');
    } finally {
      dir.remove();
    }
  });

  it('reads a CA file that appears after start (the emulator creates it): unavailable until then', async () => {
    const dir = createTempDir('carrier-late-ca');
    try {
      const caFile = join(dir.path, 'ca.pem');
      const port = connect(carrier, { caFile });
      expect(await failureOf(port.ping(ctx()))).toMatchObject({
        failure: 'unavailable',
        message: expect.stringMatching(/CA file .*ca\.pem cannot be read \(ENOENT\)/),
      });
      copyFileSync(carrier.running.caFile, caFile);
      const found: Map<string, ShipmentTracking> = await port.trackingByKeys(
        [keyOf(carrier.dataset.salesShipments[0]!)],
        ctx(),
      );
      expect(found.size).toBe(1);
    } finally {
      dir.remove();
    }
  });

  it('takes an https base URL only', () => {
    expect(() => connect(carrier, { baseUrl: carrier.running.url.replace('https:', 'http:') })).toThrow(
      /must be an https URL/,
    );
  });
});
