// The carrier emulator tracks exactly the packages the ERP emulator lists: every seeded shipment of
// every carrier, its journey starting on the ERP shipment date at the plant and ending at the
// customer's city, the same in every process started with the same seed, and moving on with time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planJourney } from '../../emulators/carrier/journey.js';
import { ORIGIN, type Place } from '../../emulators/carrier/network.js';
import { generateDataset } from '../../emulators/seed/generate.js';
import type { BcSalesShipment } from '../../emulators/seed/types.js';
import {
  results,
  SEED,
  startCarrierFixture,
  TODAY,
  trackBody,
  type CarrierTestClient,
  type TrackResultBody,
} from './carrier-fixture.js';

let carrier: CarrierTestClient;
let all: Map<string, TrackResultBody>;

const CODES: Record<string, string> = { FEDEX: 'FDXE', UPS: 'UPS', DHL: 'DHL', 'DB SCHENKER': 'DB SCHENKER' };
const keyOf = (s: BcSalesShipment) => `${s.shippingAgentCode}~${s.packageTrackingNo}`;

/** Every seeded shipment, asked 30 at a time with its carrier code. */
async function trackAll(client: CarrierTestClient): Promise<Map<string, TrackResultBody>> {
  const found = new Map<string, TrackResultBody>();
  const shipments = client.dataset.salesShipments;
  for (let i = 0; i < shipments.length; i += 30) {
    const chunk = shipments.slice(i, i + 30);
    const answer = await client.track(
      trackBody(chunk.map((s) => ({ trackingNumber: s.packageTrackingNo, carrierCode: CODES[s.shippingAgentCode]! }))),
    );
    expect(answer.status).toBe(200);
    results(answer).forEach((result, k) => found.set(keyOf(chunk[k]!), result));
  }
  return found;
}

beforeAll(async () => {
  carrier = await startCarrierFixture();
  all = await trackAll(carrier);
});
afterAll(async () => {
  await carrier.close();
});

describe('consistency with the seed', () => {
  it('tracks every seeded shipment of every carrier', () => {
    const shipments = carrier.dataset.salesShipments;
    expect(shipments.length).toBeGreaterThan(100);
    expect(new Set(shipments.map((s) => s.shippingAgentCode))).toEqual(new Set(['UPS', 'FEDEX', 'DHL', 'DB SCHENKER']));
    const failures = shipments.filter((s) => all.get(keyOf(s))?.error);
    expect(failures.map((s) => `${keyOf(s)}: ${all.get(keyOf(s))!.error!.code}`)).toEqual([]);
  });

  it('starts each journey on the ERP shipment date at the plant and ends it at the customer', () => {
    const customers = new Map(carrier.dataset.customers.map((c) => [c.number, c]));
    for (const shipment of carrier.dataset.salesShipments) {
      const result = all.get(keyOf(shipment))!;
      const scans = result.scanEvents!;
      const first = scans.at(-1)!;
      expect(first.eventType).toBe('OC');
      // The label is made on the shipment date, local time at the plant.
      expect(first.date.slice(0, 10)).toBe(shipment.shipmentDate);
      expect(first.scanLocation.city).toBe(ORIGIN.city.toUpperCase());
      const customer = customers.get(shipment.customerNumber)!;
      expect(result.recipientInformation!.address).toMatchObject({
        city: customer.city.toUpperCase(),
        countryCode: customer.country,
      });
      expect(result.additionalTrackingInfo!.packageIdentifiers[0]!.value).toBe(shipment.orderNumber);
      if (result.latestStatusDetail!.code === 'DL')
        expect(scans[0]!.scanLocation.city).toBe(customer.city.toUpperCase());
      // Never a scan in the future.
      for (const scan of scans) expect(Date.parse(scan.date)).toBeLessThanOrEqual(carrier.clock.now);
    }
  });

  it('has delivered old shipments, and shipments of the last days still on their way with an estimated delivery', () => {
    const byStatus = new Map<string, number>();
    for (const result of all.values())
      byStatus.set(
        result.latestStatusDetail!.derivedCode,
        (byStatus.get(result.latestStatusDetail!.derivedCode) ?? 0) + 1,
      );
    expect(byStatus.get('DL')).toBeGreaterThan(all.size * 0.8);
    for (const shipment of carrier.dataset.salesShipments) {
      const result = all.get(keyOf(shipment))!;
      const delivered = result.dateAndTimes!.find((d) => d.type === 'ACTUAL_DELIVERY');
      const estimated = result.dateAndTimes!.find((d) => d.type === 'ESTIMATED_DELIVERY');
      const code = result.latestStatusDetail!.code;
      if (code === 'DL') {
        expect(delivered && !estimated).toBeTruthy();
        expect(Date.parse(delivered!.dateTime)).toBeGreaterThan(Date.parse(`${shipment.shipmentDate}T00:00:00Z`));
      } else if (code === 'SE') {
        expect(delivered ?? estimated).toBeUndefined();
      } else {
        expect(estimated).toBeDefined();
        expect(Date.parse(estimated!.dateTime)).toBeGreaterThan(Date.parse(result.scanEvents![0]!.date));
        expect(result.estimatedDeliveryTimeWindow!.window.ends).toBe(estimated!.dateTime);
      }
      // Old enough shipments are settled one way or the other.
      if (shipment.shipmentDate < '2026-11-01') expect(['DL', 'SE']).toContain(code);
    }
  });

  it('answers the same in a second emulator started with the same seed and day, and differently with another seed', async () => {
    const twin = await startCarrierFixture();
    try {
      const again = await trackAll(twin);
      const strip = (r: TrackResultBody) => JSON.stringify(r);
      expect([...again.entries()].map(([k, r]) => [k, strip(r)])).toEqual(
        [...all.entries()].map(([k, r]) => [k, strip(r)]),
      );
    } finally {
      await twin.close();
    }
    const shipment = carrier.dataset.salesShipments[0]!;
    const destination: Place = {
      city: 'Boston',
      state: 'MA',
      postalCode: '02108',
      countryCode: 'US',
      offsetMinutes: -300,
    };
    const input = {
      carrier: 'UPS' as const,
      trackingNumber: '1ZABCDEF0312345678',
      shipmentDate: shipment.shipmentDate,
      destination,
    };
    const plans = [1, 2, 3, 4, 5].map((seed) => JSON.stringify(planJourney({ ...input, seed }).scans.map((s) => s.at)));
    expect(new Set(plans).size).toBeGreaterThan(1);
    expect(JSON.stringify(planJourney({ ...input, seed: SEED }))).toBe(
      JSON.stringify(planJourney({ ...input, seed: SEED })),
    );
  });
});

describe('a journey moves on with time', () => {
  it('shows a yesterday shipment picked up, then in transit, then delivered', async () => {
    const dataset = generateDataset({ accounts: 5, seed: SEED, today: TODAY }).erp;
    const customer = dataset.customers.find((c) => c.country === 'US')!;
    const shipment: BcSalesShipment = {
      ...dataset.salesShipments[0]!,
      customerNumber: customer.number,
      shipmentDate: '2026-11-23',
      shippingAgentCode: 'UPS',
      // UPS 2nd Day Air (service code 02): delivered two days later, on a weekday.
      packageTrackingNo: '1ZTEST010212345678',
    };
    const client = await startCarrierFixture({
      dataset: { ...dataset, salesShipments: [shipment] },
      now: Date.parse('2026-11-23T08:00:00Z'),
    });
    try {
      const ask = async () =>
        results(
          await client.track(trackBody([{ trackingNumber: shipment.packageTrackingNo, carrierCode: 'UPS' }])),
        )[0]!;
      // Before the label exists, the carrier knows nothing.
      expect((await ask()).error?.code).toBe('TRACKING.TRACKINGNUMBER.NOTFOUND');
      client.clock.now = Date.parse('2026-11-24T03:00:00Z');
      const moving = await ask();
      expect(moving.latestStatusDetail!.derivedCode).toMatch(/^(PU|IT)$/);
      const estimate = moving.dateAndTimes!.find((d) => d.type === 'ESTIMATED_DELIVERY')!.dateTime;
      expect(estimate.slice(0, 10)).toBe('2026-11-25');
      client.clock.now = Date.parse('2026-11-27T00:00:00Z');
      const done = await ask();
      expect(['DL', 'SE']).toContain(done.latestStatusDetail!.code);
      if (done.latestStatusDetail!.code === 'DL') {
        const delivered = done.dateAndTimes!.find((d) => d.type === 'ACTUAL_DELIVERY')!.dateTime;
        expect(delivered.slice(0, 10) >= '2026-11-25').toBe(true);
        expect([1, 2, 3, 4, 5]).toContain(new Date(`${delivered.slice(0, 10)}T12:00:00Z`).getUTCDay());
      }
    } finally {
      await client.close();
    }
  });

  it('plans believable journeys: in order, delivered on a weekday, international ones through customs, a few exceptions', () => {
    const destinations: Place[] = [
      { city: 'Boston', state: 'MA', postalCode: '02108', countryCode: 'US', offsetMinutes: -300 },
      { city: 'Seattle', state: 'WA', postalCode: '98101', countryCode: 'US', offsetMinutes: -480 },
      { city: 'Munich', state: '', postalCode: '80331', countryCode: 'DE', offsetMinutes: 60 },
    ];
    const outcomes = { delivered: 0, exception: 0, redelivered: 0 };
    for (let n = 0; n < 600; n++) {
      const carrierName = (['UPS', 'FEDEX', 'DHL', 'DB SCHENKER'] as const)[n % 4]!;
      const destination = destinations[n % 3]!;
      const journey = planJourney({
        seed: SEED,
        carrier: carrierName,
        trackingNumber: `N${n}`,
        shipmentDate: '2026-06-05',
        destination,
      });
      const times = journey.scans.map((s) => s.at);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(new Set(times).size).toBe(times.length);
      expect(journey.scans.slice(0, 2).map((s) => s.code)).toEqual(['OC', 'PU']);
      if (destination.countryCode !== 'US' && journey.outcome === 'delivered')
        expect(journey.scans.map((s) => s.code)).toContain('CC');
      const last = journey.scans.at(-1)!;
      if (journey.outcome === 'exception') {
        outcomes.exception += 1;
        expect(last.code).toBe('SE');
        continue;
      }
      outcomes.delivered += 1;
      expect(last.code).toBe('DL');
      const localDay = new Date(last.at + destination.offsetMinutes * 60_000).getUTCDay();
      expect([1, 2, 3, 4, 5]).toContain(localDay);
      const window = journey.revised?.window ?? journey.promised;
      expect(last.at).toBeGreaterThanOrEqual(window.begins);
      expect(last.at).toBeLessThanOrEqual(window.ends);
      if (journey.revised) {
        outcomes.redelivered += 1;
        expect(journey.scans.map((s) => s.code)).toContain('DE');
      }
    }
    expect(outcomes.exception).toBeGreaterThan(0);
    expect(outcomes.redelivered).toBeGreaterThan(0);
    expect(outcomes.delivered).toBeGreaterThan(540);
  });
});
