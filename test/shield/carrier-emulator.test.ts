// The whole carrier side as the tracking subgraph will stack it: shield → FedEx Track adapter →
// carrier emulator over HTTPS. Concurrent lookups become requests of 30 numbers; when the emulator
// drops connections or rate limits us, cached tracking is served stale, the breaker opens and stops
// asking, and a probe closes it again once the carrier is back. Real timers, short TTLs.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCarrierConnector } from '../../connectors/carrier/index.js';
import { trackingKey } from '../../connectors/carrier/port.js';
import { BackendError } from '../../lib/backend-error.js';
import { createLogger } from '../../lib/logger.js';
import {
  createShield,
  parseShieldOptions,
  ShieldRejectedError,
  type ShieldOptionsInput,
  type ShieldedCarrier,
} from '../../shield/index.js';
import { startCarrierFixture, type CarrierTestClient } from '../emulators/carrier-fixture.js';
import { ctx, Registry } from './fakes.js';

let emulator: CarrierTestClient;
let keys: string[];
const opened: ShieldedCarrier[] = [];

/** The connector to the emulator behind a shield of its own. */
function shieldedCarrier(input: ShieldOptionsInput = {}): ShieldedCarrier {
  const port = createCarrierConnector(
    {
      adapter: 'fedex-track',
      baseUrl: emulator.running.url,
      clientId: 'customer360-carrier-dev',
      clientSecret: 'customer360-carrier-dev-secret',
      caFile: emulator.running.caFile,
      timeoutMs: 2_000,
    },
    createLogger('carrier-shield-test', 'silent'),
  );
  const carrier = createShield(parseShieldOptions(input), { registry: new Registry() }).carrier(port);
  opened.push(carrier);
  return carrier;
}

/** Short TTLs, no retries and a quick breaker: the outage tests see every state within seconds. */
const FAILING_FAST: ShieldOptionsInput = {
  carrier: { maxRetries: 0, breakerThreshold: 3, halfOpenAfterMs: 1_500 },
  caches: { 'carrier.tracking': { ttlMs: 300, settledTtlMs: 300, staleWhileRevalidateMs: 0, maxStaleMs: 60_000 } },
};

async function trackRequests(): Promise<{ track: number; scanned: number }> {
  const stats = (await emulator.control('/stats', undefined, 'GET')).body as {
    byRoute: Record<string, number>;
    rowsScanned: number;
  };
  return { track: stats.byRoute.track ?? 0, scanned: stats.rowsScanned };
}

beforeAll(async () => {
  emulator = await startCarrierFixture();
  keys = emulator.dataset.salesShipments.map((s) =>
    trackingKey({ carrier: s.shippingAgentCode, trackingNumber: s.packageTrackingNo }),
  );
});
afterEach(async () => {
  await emulator.control('/faults', {});
  while (opened.length > 0) opened.pop()!.close();
});
afterAll(async () => {
  await emulator.close();
});

describe('shield over the FedEx Track adapter and the emulator', () => {
  it('turns concurrent lookups of 65 shipments into three requests of at most 30 numbers', async () => {
    const carrier = shieldedCarrier();
    await emulator.control('/stats', undefined, 'DELETE');
    const [a, b, c] = await Promise.all([
      carrier.served.trackingByKeys(keys.slice(0, 30), ctx('r1')),
      carrier.served.trackingByKeys(keys.slice(20, 50), ctx('r2')),
      carrier.served.trackingByKeys(keys.slice(40, 65), ctx('r3')),
    ]);
    for (const result of [...a, ...b, ...c])
      expect(result).toMatchObject({ stale: false, value: { events: expect.any(Array) } });
    expect(await trackRequests()).toEqual({ track: 3, scanned: 65 });
    await carrier.served.trackingByKeys(keys.slice(0, 65), ctx('r4'));
    expect((await trackRequests()).track).toBe(3);
  });

  it('serves stale tracking through an outage, opens the breaker, and recovers through a probe', async () => {
    const carrier = shieldedCarrier(FAILING_FAST);
    const warm = keys.slice(70, 72);
    const [first] = await carrier.served.trackingByKeys(warm, ctx());
    const asOf = (first as { asOf: Date }).asOf;
    await sleep(400);
    await emulator.control('/faults', { outage: true, pathPattern: '^/track/' });
    await emulator.control('/stats', undefined, 'DELETE');

    const during = await carrier.served.trackingByKeys([...warm, keys[80]!], ctx());
    expect(during[0]).toMatchObject({ stale: true, asOf });
    expect(during[1]).toMatchObject({ stale: true });
    expect(during[2]).toBeInstanceOf(BackendError);
    expect((during[2] as BackendError).failure).toBe('unavailable');
    await carrier.served.trackingByKeys([keys[81]!], ctx());
    await carrier.served.trackingByKeys([keys[82]!], ctx());
    expect(carrier.policy.load().breaker).toBe('open');
    const asked = (await trackRequests()).track;
    const whileOpen = await carrier.served.trackingByKeys([warm[0]!, keys[83]!], ctx());
    expect(whileOpen[0]).toMatchObject({ stale: true });
    expect(whileOpen[1]).toBeInstanceOf(ShieldRejectedError);
    expect((await trackRequests()).track).toBe(asked);

    await emulator.control('/faults', {});
    await sleep(1_600);
    const after = await carrier.served.trackingByKeys([warm[0]!, keys[83]!], ctx());
    expect(carrier.policy.load().breaker).toBe('closed');
    expect(after[0]).toMatchObject({ stale: false });
    expect(after[1]).toMatchObject({ stale: false });
  });

  it('serves stale tracking while the carrier rate limits us', async () => {
    const carrier = shieldedCarrier(FAILING_FAST);
    const warm = keys[90]!;
    await carrier.served.trackingByKeys([warm], ctx());
    await sleep(400);
    await emulator.control('/rate-limits', { perWindow: 1, windowMs: 60_000 });
    try {
      await emulator.track({
        includeDetailedScans: false,
        trackingInfo: [{ trackingNumberInfo: { trackingNumber: '999999999999' } }],
      });
      const [stale] = await carrier.served.trackingByKeys([warm], ctx());
      expect(stale).toMatchObject({ stale: true });
      const [never] = await carrier.served.trackingByKeys([keys[91]!], ctx());
      expect(never).toMatchObject({ failure: 'rate_limited' });
    } finally {
      await emulator.control('/rate-limits', { perWindow: 1400, windowMs: 10_000 });
    }
  });
});
