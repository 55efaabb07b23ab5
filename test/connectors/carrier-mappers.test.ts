// FedEx Track API answers → the carrier port, without a server: times with their offsets, FedEx's
// statuses on the port's six, per-number errors as "no tracking", and the request chunking.
import { describe, expect, it } from 'vitest';
import { chunkRefs } from '../../connectors/carrier/fedex/adapter.js';
import {
  carrierCodeOf,
  locationOf,
  parseFedexTime,
  statusOf,
  toShipmentTracking,
} from '../../connectors/carrier/fedex/mappers.js';
import { retryAfterMs } from '../../connectors/carrier/fedex/transport.js';
import type { TrackResult } from '../../connectors/carrier/fedex/wire.js';
import { isSettled, parseTrackingKey, trackingKey } from '../../connectors/carrier/port.js';

const REF = { carrier: 'FEDEX', trackingNumber: '794600000001' };

const scan = (
  date: string,
  eventType: string,
  derivedStatusCode: string,
  eventDescription: string,
  city = 'MEMPHIS',
) => ({
  date,
  eventType,
  derivedStatusCode,
  eventDescription,
  exceptionDescription: '',
  scanLocation: { city, stateOrProvinceCode: 'TN', countryCode: 'US' },
});

describe('parseFedexTime', () => {
  it("reads FedEx's local times with an offset, in either spelling, as UTC instants", () => {
    expect(parseFedexTime('2026-11-12T15:18:10-05:00')).toBe('2026-11-12T20:18:10.000Z');
    expect(parseFedexTime('2026-11-12T15:18:10 -0500')).toBe('2026-11-12T20:18:10.000Z');
    expect(parseFedexTime('2026-11-12T15:18:10+01:00')).toBe('2026-11-12T14:18:10.000Z');
    expect(parseFedexTime('2026-11-12T15:18:10Z')).toBe('2026-11-12T15:18:10.000Z');
    expect(parseFedexTime('2026-11-12T15:18')).toBe('2026-11-12T15:18:00.000Z');
    expect(parseFedexTime('2026-11-12')).toBe('2026-11-12T00:00:00.000Z');
    for (const bad of ['', 'tomorrow', '12/11/2026', '2026-13-45T99:00:00Z']) expect(parseFedexTime(bad)).toBeNull();
  });
});

describe('statuses', () => {
  it("maps FedEx's derived status first, its event type second, anything else as movement", () => {
    expect(statusOf('IN', 'OC')).toBe('LABEL_CREATED');
    expect(statusOf('PU', 'PU')).toBe('PICKED_UP');
    expect(statusOf('IT', 'AR')).toBe('IN_TRANSIT');
    expect(statusOf('OD', 'OD')).toBe('OUT_FOR_DELIVERY');
    expect(statusOf('DL', 'DL')).toBe('DELIVERED');
    expect(statusOf('DE', 'DE')).toBe('EXCEPTION');
    expect(statusOf(undefined, 'SE')).toBe('EXCEPTION');
    expect(statusOf(undefined, 'CC')).toBe('IN_TRANSIT');
    expect(statusOf('', '')).toBe('IN_TRANSIT');
  });

  it('writes places as people read them and addresses FedEx numbers as FedEx Express', () => {
    expect(locationOf({ city: 'DAVIS-RUNOLFSSONBOROUGH', stateOrProvinceCode: 'OR', countryCode: 'US' })).toBe(
      'Davis-Runolfssonborough, OR, US',
    );
    expect(locationOf({ city: 'FRANKFURT AM MAIN', stateOrProvinceCode: '', countryCode: 'DE' })).toBe(
      'Frankfurt Am Main, DE',
    );
    expect(locationOf({})).toBeNull();
    expect(locationOf(undefined)).toBeNull();
    expect(carrierCodeOf('FEDEX')).toBe('FDXE');
    expect(carrierCodeOf('DB SCHENKER')).toBe('DB SCHENKER');
  });
});

describe('toShipmentTracking', () => {
  it('turns a result in transit into events oldest first with the estimated delivery', () => {
    const result: TrackResult = {
      trackingNumberInfo: { trackingNumber: REF.trackingNumber, carrierCode: 'FDXE' },
      latestStatusDetail: { code: 'AR', derivedCode: 'IT', description: 'Arrived at FedEx hub' },
      dateAndTimes: [
        { type: 'ESTIMATED_DELIVERY', dateTime: '2026-11-14T18:00:00-05:00' },
        { type: 'ACTUAL_PICKUP', dateTime: '2026-11-12T16:00:00-05:00' },
      ],
      scanEvents: [
        scan('2026-11-13T02:10:00-06:00', 'AR', 'IT', 'Arrived at FedEx hub'),
        scan('2026-11-12T16:00:00-05:00', 'PU', 'PU', 'Picked up', 'COLUMBUS'),
        scan('2026-11-12T09:00:00-05:00', 'OC', 'IN', 'Shipment information sent to FedEx', 'COLUMBUS'),
      ],
    };
    expect(toShipmentTracking(REF, result)).toEqual({
      trackingNumber: REF.trackingNumber,
      carrier: 'FEDEX',
      status: 'IN_TRANSIT',
      events: [
        {
          at: '2026-11-12T14:00:00.000Z',
          status: 'LABEL_CREATED',
          description: 'Shipment information sent to FedEx',
          location: 'Columbus, TN, US',
        },
        { at: '2026-11-12T21:00:00.000Z', status: 'PICKED_UP', description: 'Picked up', location: 'Columbus, TN, US' },
        {
          at: '2026-11-13T08:10:00.000Z',
          status: 'IN_TRANSIT',
          description: 'Arrived at FedEx hub',
          location: 'Memphis, TN, US',
        },
      ],
      estimatedDelivery: '2026-11-14T23:00:00.000Z',
      deliveredAt: null,
    });
  });

  it("takes the window's end when there is no ESTIMATED_DELIVERY date, and none once delivered", () => {
    const moving = toShipmentTracking(REF, {
      latestStatusDetail: { code: 'PU', derivedCode: 'PU' },
      estimatedDeliveryTimeWindow: {
        window: { begins: '2026-11-14T09:00:00+01:00', ends: '2026-11-14T18:00:00+01:00' },
      },
      scanEvents: [],
    });
    expect(moving).toMatchObject({ status: 'PICKED_UP', estimatedDelivery: '2026-11-14T17:00:00.000Z', events: [] });
    const delivered = toShipmentTracking(REF, {
      latestStatusDetail: { code: 'DL', derivedCode: 'DL' },
      dateAndTimes: [{ type: 'ACTUAL_DELIVERY', dateTime: '2026-11-14T11:30:00-05:00' }],
      estimatedDeliveryTimeWindow: { window: {} },
      scanEvents: [scan('2026-11-14T11:30:00-05:00', 'DL', 'DL', 'Delivered')],
    })!;
    expect(delivered).toMatchObject({
      status: 'DELIVERED',
      deliveredAt: '2026-11-14T16:30:00.000Z',
      estimatedDelivery: null,
    });
    expect(isSettled(delivered)).toBe(true);
    expect(isSettled(moving!)).toBe(false);
  });

  it("adds the exception's reason to its description; an exception without a new date settles after a week", () => {
    const ended = toShipmentTracking(REF, {
      latestStatusDetail: { code: 'SE', derivedCode: 'SE' },
      scanEvents: [
        {
          ...scan('2026-11-13T10:00:00-06:00', 'SE', 'SE', 'Shipment exception'),
          exceptionDescription: 'Package damaged',
        },
      ],
    })!;
    expect(ended.events[0]!.description).toBe('Shipment exception: Package damaged');
    expect(ended.status).toBe('EXCEPTION');
    expect(isSettled(ended, Date.parse('2026-11-15T00:00:00Z'))).toBe(false);
    expect(isSettled(ended, Date.parse('2026-11-21T00:00:00Z'))).toBe(true);
  });

  it('is null for a per-number error: nothing to track', () => {
    for (const code of [
      'TRACKING.TRACKINGNUMBER.NOTFOUND',
      'TRACKING.TRACKINGNUMBER.INVALID',
      'TRACKING.DATA.NOTUNIQUE',
    ]) {
      expect(
        toShipmentTracking(REF, {
          trackingNumberInfo: { trackingNumber: REF.trackingNumber },
          error: { code, message: '…' },
        }),
      ).toBeNull();
    }
  });

  it('refuses a date that is not one (the answer cannot be trusted)', () => {
    expect(() =>
      toShipmentTracking(REF, {
        latestStatusDetail: { code: 'PU' },
        scanEvents: [scan('yesterday', 'PU', 'PU', 'Picked up')],
      }),
    ).toThrow(/not a date-time/);
  });
});

describe('keys, chunks and Retry-After', () => {
  it('joins and splits tracking keys; anything else is not one', () => {
    expect(trackingKey({ carrier: 'DB SCHENKER', trackingNumber: '1234567890' })).toBe('DB SCHENKER~1234567890');
    expect(parseTrackingKey('DB SCHENKER~1234567890')).toEqual({
      carrier: 'DB SCHENKER',
      trackingNumber: '1234567890',
    });
    for (const bad of ['', '~1', 'UPS~', 'UPS', 'A~B~C']) expect(parseTrackingKey(bad)).toBeNull();
  });

  it('chunks refs by the request limit, never one number twice in a request', () => {
    const refs = Array.from({ length: 65 }, (_, i) => ({ carrier: 'UPS', trackingNumber: `N${i}` }));
    expect(chunkRefs(refs, 30).map((c) => c.length)).toEqual([30, 30, 5]);
    const twins = chunkRefs(
      [
        { carrier: 'DHL', trackingNumber: '1' },
        { carrier: 'DB SCHENKER', trackingNumber: '1' },
        { carrier: 'DHL', trackingNumber: '2' },
      ],
      30,
    );
    expect(twins.map((c) => c.map((r) => `${r.carrier}~${r.trackingNumber}`))).toEqual([
      ['DHL~1', 'DHL~2'],
      ['DB SCHENKER~1'],
    ]);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(retryAfterMs('8', now)).toBe(8_000);
    expect(retryAfterMs('Mon, 23 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Mon, 23 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
  });
});
