// The carrier emulator's `POST /track/v1/trackingnumbers` as FedEx's Track API v1 answers it: the
// TrackResult shape, per-number errors inside the 200, whole-request refusals as 400s with FedEx's
// codes, the rate limit and daily quota (429 with Retry-After), injected faults and the counters.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../emulators/seed/generate.js';
import type { ErpDataset } from '../../emulators/seed/types.js';
import {
  httpsRequest,
  results,
  startCarrierFixture,
  TODAY,
  SEED,
  trackBody,
  type CarrierTestClient,
} from './carrier-fixture.js';

let carrier: CarrierTestClient;

beforeAll(async () => {
  carrier = await startCarrierFixture();
});
afterAll(async () => {
  await carrier.close();
});
afterEach(async () => {
  await carrier.control('/faults', {});
});

const shipment = (agent: string) => carrier.dataset.salesShipments.find((s) => s.shippingAgentCode === agent)!;

describe('a known package', () => {
  it('answers in the Track API shape: number info, latest status, scans newest first, dates, addresses', async () => {
    const ups = shipment('UPS');
    const answer = await carrier.track(trackBody([ups.packageTrackingNo]));
    expect(answer.status).toBe(200);
    expect(typeof answer.body.transactionId).toBe('string');
    const [result] = results(answer);
    expect(result!.trackingNumberInfo).toMatchObject({ trackingNumber: ups.packageTrackingNo, carrierCode: 'UPS' });
    expect(result!.trackingNumberInfo.trackingNumberUniqueId).toMatch(
      new RegExp(`^\\d+~${ups.packageTrackingNo}~UPS$`),
    );
    expect(result!.error).toBeUndefined();
    expect(result!.latestStatusDetail).toMatchObject({
      code: expect.any(String),
      derivedCode: expect.any(String),
      statusByLocale: expect.any(String),
    });
    expect(result!.additionalTrackingInfo!.packageIdentifiers).toEqual([
      expect.objectContaining({ type: 'SHIPPER_REFERENCE', value: ups.orderNumber }),
    ]);
    const scans = result!.scanEvents!;
    expect(scans.length).toBeGreaterThanOrEqual(3);
    expect(scans.at(-1)).toMatchObject({ eventType: 'OC', derivedStatusCode: 'IN' });
    const times = scans.map((s) => Date.parse(s.date));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // Local times with their offset, as FedEx writes them.
    for (const scan of scans) expect(scan.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    expect(result!.latestStatusDetail!.code).toBe(scans[0]!.eventType);
    expect(result!.dateAndTimes!.map((d) => d.type)).toContain('SHIP');
  });

  it('addresses FedEx numbers with FedEx carrier codes and every other carrier by its ERP code', async () => {
    const fedex = shipment('FEDEX');
    const dhl = shipment('DHL');
    const schenker = shipment('DB SCHENKER');
    const answer = await carrier.track(
      trackBody([
        { trackingNumber: fedex.packageTrackingNo, carrierCode: 'FDXE' },
        { trackingNumber: fedex.packageTrackingNo, carrierCode: 'FDXG' },
        { trackingNumber: dhl.packageTrackingNo, carrierCode: 'DHL' },
        { trackingNumber: schenker.packageTrackingNo, carrierCode: 'DB SCHENKER' },
      ]),
    );
    expect(results(answer).map((r) => [r.trackingNumberInfo.carrierCode, r.error?.code])).toEqual([
      ['FDXE', undefined],
      ['FDXE', undefined],
      ['DHL', undefined],
      ['DB SCHENKER', undefined],
    ]);
  });

  it('leaves the scans out unless includeDetailedScans is true', async () => {
    const [result] = results(await carrier.track(trackBody([shipment('DHL').packageTrackingNo], false)));
    expect(result!.scanEvents).toEqual([]);
    expect(result!.latestStatusDetail).toBeDefined();
  });
});

describe('numbers the carrier cannot answer for: an error per number inside the 200', () => {
  it('TRACKING.TRACKINGNUMBER.NOTFOUND for a well-formed number nobody shipped, INVALID for a malformed one', async () => {
    const known = shipment('FEDEX').packageTrackingNo;
    const answer = await carrier.track(
      trackBody(['999999999999', known, '1ZSHORT', { trackingNumber: known, carrierCode: 'UPS' }]),
    );
    expect(answer.status).toBe(200);
    expect(results(answer).map((r) => r.error?.code)).toEqual([
      'TRACKING.TRACKINGNUMBER.NOTFOUND',
      undefined,
      'TRACKING.TRACKINGNUMBER.INVALID',
      // A FedEx number is not a UPS number.
      'TRACKING.TRACKINGNUMBER.INVALID',
    ]);
    expect(results(answer)[0]!.error!.message).toMatch(/^Tracking number cannot be found/);
  });

  it('TRACKING.DATA.NOTUNIQUE when two carriers share a number and no carrierCode says which', async () => {
    const base = generateDataset({ accounts: 5, seed: SEED, today: TODAY }).erp;
    const dhl = base.salesShipments.find((s) => s.shippingAgentCode === 'DHL')!;
    const twin = {
      ...base.salesShipments.find((s) => s.shippingAgentCode !== 'DHL')!,
      shippingAgentCode: 'DB SCHENKER',
      packageTrackingNo: dhl.packageTrackingNo,
    };
    const dataset: ErpDataset = { ...base, salesShipments: [...base.salesShipments, twin] };
    const other = await startCarrierFixture({ dataset });
    try {
      const answer = await other.track(
        trackBody([
          dhl.packageTrackingNo,
          { trackingNumber: dhl.packageTrackingNo, carrierCode: 'DHL' },
          { trackingNumber: dhl.packageTrackingNo, carrierCode: 'DB SCHENKER' },
        ]),
      );
      const [ambiguous, asDhl, asSchenker] = results(answer);
      expect(ambiguous!.error?.code).toBe('TRACKING.DATA.NOTUNIQUE');
      expect(asDhl!.trackingNumberInfo.carrierCode).toBe('DHL');
      expect(asSchenker!.trackingNumberInfo.carrierCode).toBe('DB SCHENKER');
      expect(asDhl!.additionalTrackingInfo!.packageIdentifiers[0]!.value).toBe(dhl.orderNumber);
      expect(asSchenker!.additionalTrackingInfo!.packageIdentifiers[0]!.value).toBe(twin.orderNumber);
    } finally {
      await other.close();
    }
  });
});

describe('requests refused as a whole', () => {
  it('400 with FedEx codes: no number, more than 30, a bad flag or date, a body that is not JSON', async () => {
    const number = shipment('UPS').packageTrackingNo;
    const cases: Array<[unknown, string]> = [
      [{ includeDetailedScans: true }, 'TRACKING.TRACKINGNUMBER.EMPTY'],
      [{ includeDetailedScans: true, trackingInfo: [] }, 'TRACKING.TRACKINGNUMBER.EMPTY'],
      [{ trackingInfo: [{ trackingNumberInfo: { trackingNumber: '  ' } }] }, 'TRACKING.TRACKINGNUMBER.EMPTY'],
      [trackBody(Array.from({ length: 31 }, () => number)), 'TRACKING.TRACKINGNUMBERS.LIMITEXCEEDED'],
      [{ ...trackBody([number]), includeDetailedScans: 'yes' }, 'BAD.REQUEST.ERROR'],
      [
        { trackingInfo: [{ trackingNumberInfo: { trackingNumber: number }, shipDateBegin: '23/11/2026' }] },
        'TRACKING.SHIPDATEBEGIN.INVALID',
      ],
      ['{"trackingInfo": [', 'BAD.REQUEST.ERROR'],
    ];
    for (const [body, code] of cases) {
      const answer = await carrier.track(body);
      expect({ status: answer.status, code: (answer.body.errors as Array<{ code: string }>)[0]!.code }).toEqual({
        status: 400,
        code,
      });
    }
    expect((await carrier.track(trackBody(Array.from({ length: 30 }, () => number)))).status).toBe(200);
  });

  it('404 NOT.FOUND.ERROR in the same envelope for a path the API does not have', async () => {
    const unknown = await httpsRequest(`${carrier.running.url}/ship/v1/shipments`, {
      method: 'POST',
      ca: carrier.ca,
      body: '{}',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ errors: [{ code: 'NOT.FOUND.ERROR' }] });
  });
});

describe('rate limits (FedEx: requests per 10-second window, a daily quota)', () => {
  it('answers 429 TOO.MANY.REQUESTS.ERROR with Retry-After once the window is full, and serves again in the next one', async () => {
    const limited = await startCarrierFixture({ rateLimits: { perWindow: 3, windowMs: 10_000, perDay: 1_000 } });
    try {
      const body = trackBody([limited.dataset.salesShipments[0]!.packageTrackingNo]);
      const authorization = `Bearer ${(await limited.token()).body.access_token as string}`;
      for (let i = 0; i < 3; i++) expect((await limited.track(body, { authorization })).status).toBe(200);
      limited.clock.now += 2_500;
      const refused = await limited.track(body, { authorization });
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('8');
      expect(refused.body).toMatchObject({
        errors: [
          { code: 'TOO.MANY.REQUESTS.ERROR', message: expect.stringMatching(/too many requests in a short duration/) },
        ],
      });
      // The token endpoint is not part of the Track quota.
      expect((await limited.token()).status).toBe(200);
      limited.clock.now += 7_500;
      expect((await limited.track(body, { authorization })).status).toBe(200);
      const stats = await limited.control('/rate-limits', undefined, 'GET');
      expect(stats.body).toMatchObject({ refused: { window: 1, daily: 0 } });
    } finally {
      await limited.close();
    }
  });

  it('answers 429 "Daily transaction quota exceeded" until midnight GMT once the day is spent', async () => {
    const limited = await startCarrierFixture({
      rateLimits: { perWindow: 100, windowMs: 10_000, perDay: 2 },
      now: Date.parse(`${TODAY}T22:00:00Z`),
    });
    try {
      const body = trackBody([limited.dataset.salesShipments[0]!.packageTrackingNo]);
      const authorization = `Bearer ${(await limited.token()).body.access_token as string}`;
      expect((await limited.track(body, { authorization })).status).toBe(200);
      expect((await limited.track(body, { authorization })).status).toBe(200);
      const refused = await limited.track(body, { authorization });
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe(String(2 * 3600));
      expect(refused.body).toMatchObject({
        errors: [
          { code: 'TOO.MANY.REQUESTS.ERROR', message: expect.stringMatching(/^Daily transaction quota exceeded/) },
        ],
      });
      limited.clock.now += 2 * 3600 * 1000;
      // A new day (and a new token: the old one lived an hour).
      expect((await limited.track(body)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('takes new limits at run time on POST /__emulator/rate-limits and refuses bad ones', async () => {
    expect((await carrier.control('/rate-limits', { perWindow: 0 })).status).toBe(400);
    const changed = await carrier.control('/rate-limits', { perWindow: 1 });
    expect(changed.body).toMatchObject({ limits: { perWindow: 1, windowMs: 10_000, perDay: 100_000 } });
    const body = trackBody([shipment('UPS').packageTrackingNo]);
    expect((await carrier.track(body)).status).toBe(200);
    expect((await carrier.track(body)).status).toBe(429);
    await carrier.control('/rate-limits', { perWindow: 1400 });
    expect((await carrier.track(body)).status).toBe(200);
  });
});

describe('faults and counters', () => {
  it('fails with FedEx 5xx envelopes on injected faults (Retry-After on 503) and counts the requests per route', async () => {
    await carrier.control('/stats', undefined, 'DELETE');
    const body = trackBody([shipment('UPS').packageTrackingNo, '999999999999']);
    await carrier.control('/faults', { status: 503, pathPattern: '^/track/', count: 1 });
    const unavailable = await carrier.track(body);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers['retry-after']).toBe('1');
    expect(unavailable.body).toMatchObject({ errors: [{ code: 'SERVICE.UNAVAILABLE.ERROR' }] });
    await carrier.control('/faults', { status: 500, pathPattern: '^/track/', count: 1 });
    expect((await carrier.track(body)).body).toMatchObject({ errors: [{ code: 'INTERNAL.SERVER.ERROR' }] });
    expect((await carrier.track(body)).status).toBe(200);
    const stats = (await carrier.control('/stats', undefined, 'GET')).body as {
      byRoute: Record<string, number>;
      byStatus: Record<string, number>;
      rowsReturned: number;
      rowsScanned: number;
    };
    expect(stats.byRoute).toMatchObject({ token: 3, track: 3 });
    expect(stats.byStatus).toMatchObject({ '503': 1, '500': 1 });
    // Numbers asked and numbers answered, of the request that was served.
    expect({ scanned: stats.rowsScanned, returned: stats.rowsReturned }).toEqual({ scanned: 2, returned: 1 });
  });

  it('drops the connection on an outage', async () => {
    await carrier.control('/faults', { outage: true, pathPattern: '^/track/' });
    await expect(carrier.track(trackBody([shipment('UPS').packageTrackingNo]))).rejects.toThrow(
      /socket hang up|ECONNRESET/,
    );
  });
});
