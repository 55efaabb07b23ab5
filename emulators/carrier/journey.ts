// The life of one package, planned once and deterministically from the emulator's seed, the carrier,
// the tracking number, the ERP shipment date and the delivery address: label created and picked up on
// the shipment date at the plant, through the carrier's hubs (and customs, abroad), out for delivery
// and delivered on the day the service's transit time gives (weekends skipped), or a failed delivery
// attempt and a redelivery, or an exception that ends the journey. What a client sees at a moment is
// the part of the plan that has happened by then (track-response.ts), so a shipment made yesterday is
// in transit today and delivered tomorrow, the same for every process started with the same seed.
//
// Each plan draws from its own stream (SHA-256 of seed, carrier and number), not from the dataset's
// generator: it does not depend on which other shipments exist or in which order they are looked up.
import { createHash } from 'node:crypto';
import type { Carrier } from '../seed/reference-data.js';
import { BRAND, FACILITIES, ORIGIN, serviceOf, type Place, type Service } from './network.js';

/** FedEx scan event types used here (its Track API's eventType values). */
export type ScanCode = 'OC' | 'PU' | 'DP' | 'AR' | 'IT' | 'CC' | 'OD' | 'DL' | 'DE' | 'SE';

export interface PlannedScan {
  /** UTC milliseconds. */
  readonly at: number;
  readonly code: ScanCode;
  readonly description: string;
  readonly place: Place;
  /** FedEx's locationType of the scan's place. */
  readonly locationType: string;
  readonly exception?: { readonly code: string; readonly description: string };
}

export interface DeliveryWindow {
  /** UTC milliseconds. */
  readonly begins: number;
  readonly ends: number;
  /** The delivery address's offset, for formatting the window in local time. */
  readonly offsetMinutes: number;
}

export interface Journey {
  readonly carrier: Carrier;
  readonly trackingNumber: string;
  readonly service: Service;
  readonly origin: Place;
  readonly destination: Place;
  /** The shipment date, 'YYYY-MM-DD'. */
  readonly shipDate: string;
  /** Every scan of the plan, oldest first. */
  readonly scans: readonly PlannedScan[];
  /** The delivery window promised at pickup. */
  readonly promised: DeliveryWindow;
  /** After a failed attempt (a DE scan at `after`), the window of the redelivery. */
  readonly revised?: { readonly after: number; readonly window: DeliveryWindow };
  readonly outcome: 'delivered' | 'exception';
}

export interface JourneyInput {
  seed: number;
  carrier: Carrier;
  trackingNumber: string;
  /** 'YYYY-MM-DD' */
  shipmentDate: string;
  destination: Place;
}

const MINUTE = 60_000;
const DAY = 1_440 * MINUTE;

/** Share of packages whose first delivery attempt fails (delivered on the next business day). */
const FAILED_ATTEMPT_RATE = 0.05;
/** Share of packages that end in an exception: damaged in transit, returned to the shipper. */
const TERMINAL_EXCEPTION_RATE = 0.02;

/** Deterministic draws: SHA-256 blocks of the plan's identity and a counter, 32 bits at a time. */
class Draws {
  #block = 0;
  #words: number[] = [];
  constructor(private readonly identity: string) {}

  #next(): number {
    if (this.#words.length === 0) {
      const digest = createHash('sha256').update(`${this.identity}|${this.#block++}`).digest();
      for (let i = 0; i < digest.length; i += 4) this.#words.push(digest.readUInt32BE(i));
    }
    return this.#words.shift()!;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor((this.#next() / 0x1_0000_0000) * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.#next() / 0x1_0000_0000 < p;
  }
}

/** UTC ms of day `day` (UTC ms of a date's midnight) at local `minuteOfDay` in `place`'s offset. */
const localTime = (day: number, minuteOfDay: number, place: Place) =>
  day + minuteOfDay * MINUTE - place.offsetMinutes * MINUTE;

/** Saturday or Sunday: no deliveries (business shipments). */
const isWeekend = (day: number) => {
  const weekday = new Date(day).getUTCDay();
  return weekday === 0 || weekday === 6;
};

const nextBusinessDay = (day: number) => {
  let next = day + DAY;
  while (isWeekend(next)) next += DAY;
  return next;
};

const onBusinessDay = (day: number) => (isWeekend(day) ? nextBusinessDay(day) : day);

export function planJourney(input: JourneyInput): Journey {
  const { carrier, trackingNumber, destination } = input;
  const draw = new Draws(`carrier-emulator|${input.seed}|${carrier}|${trackingNumber}`);
  const brand = BRAND[carrier];
  const facilities = FACILITIES[carrier];
  const international = destination.countryCode !== 'US';
  const service = serviceOf(carrier, trackingNumber, international);
  const shipDay = Date.parse(`${input.shipmentDate}T00:00:00Z`);
  const scans: PlannedScan[] = [];
  // Every scan is at least a few minutes after the previous one, whatever the offsets of the places.
  const add = (scan: Omit<PlannedScan, 'at'> & { at: number }) => {
    const previous = scans.at(-1)?.at ?? -Infinity;
    scans.push({ ...scan, at: Math.max(scan.at, previous + draw.int(3, 25) * MINUTE) });
  };

  add({
    at: localTime(shipDay, draw.int(8 * 60, 13 * 60 + 59), ORIGIN),
    code: 'OC',
    description: `Shipment information sent to ${brand}`,
    place: ORIGIN,
    locationType: 'SHIPPER',
  });
  add({
    at: localTime(shipDay, draw.int(15 * 60, 18 * 60 + 59), ORIGIN),
    code: 'PU',
    description: 'Picked up',
    place: ORIGIN,
    locationType: 'PICKUP_LOCATION',
  });
  add({
    at: localTime(shipDay, draw.int(20 * 60, 22 * 60 + 59), facilities.origin),
    code: 'DP',
    description: `Left ${brand} origin facility`,
    place: facilities.origin,
    locationType: 'ORIGIN_FEDEX_FACILITY',
  });

  const transitDays = draw.int(service.transitDays[0], service.transitDays[1]);
  let deliveryDay = onBusinessDay(shipDay + transitDays * DAY);
  const window = (day: number): DeliveryWindow => ({
    begins: localTime(day, 9 * 60, destination),
    ends: localTime(day, 18 * 60, destination),
    offsetMinutes: destination.offsetMinutes,
  });
  const journey = (rest: Pick<Journey, 'promised' | 'outcome'> & Partial<Pick<Journey, 'revised'>>): Journey => ({
    carrier,
    trackingNumber,
    service,
    origin: ORIGIN,
    destination,
    shipDate: input.shipmentDate,
    scans,
    ...rest,
  });

  // The overnight hub.
  const hub = facilities.usHub;
  const hubDay = shipDay + DAY;
  add({
    at: localTime(hubDay, draw.int(60, 4 * 60 + 59), hub),
    code: 'AR',
    description: `Arrived at ${brand} hub`,
    place: hub,
    locationType: 'FEDEX_FACILITY',
  });
  add({
    at: localTime(hubDay, draw.int(5 * 60, 7 * 60 + 59), hub),
    code: 'DP',
    description: `Departed ${brand} hub`,
    place: hub,
    locationType: 'FEDEX_FACILITY',
  });

  if (draw.chance(TERMINAL_EXCEPTION_RATE)) {
    add({
      at: localTime(hubDay, draw.int(9 * 60, 15 * 60), hub),
      code: 'SE',
      description: 'Shipment exception',
      place: hub,
      locationType: 'FEDEX_FACILITY',
      exception: { code: '011', description: 'Package damaged in transit; returning to shipper' },
    });
    return journey({ promised: window(deliveryDay), outcome: 'exception' });
  }

  let lastFacility: Place = hub;
  if (international) {
    const gateway = facilities.euHub;
    const arrivalDay = shipDay + 2 * DAY;
    add({
      at: localTime(arrivalDay, draw.int(6 * 60, 9 * 60 + 59), gateway),
      code: 'AR',
      description: `Arrived at ${brand} hub`,
      place: gateway,
      locationType: 'FEDEX_FACILITY',
    });
    add({
      at: localTime(arrivalDay, draw.int(10 * 60, 14 * 60 + 59), gateway),
      code: 'CC',
      description: 'International shipment release - Import',
      place: gateway,
      locationType: 'CUSTOMS',
    });
    add({
      at: localTime(arrivalDay, draw.int(18 * 60, 22 * 60 + 59), gateway),
      code: 'DP',
      description: `Departed ${brand} hub`,
      place: gateway,
      locationType: 'FEDEX_FACILITY',
    });
    lastFacility = gateway;
    // Customs and the last leg take their time: never delivered before the day after arrival.
    deliveryDay = Math.max(deliveryDay, onBusinessDay(arrivalDay + DAY));
  }
  // Long hauls report progress once a day on the way.
  for (let day = international ? shipDay + 3 * DAY : shipDay + 2 * DAY; day < deliveryDay; day += DAY) {
    add({
      at: localTime(day, draw.int(10 * 60, 17 * 60 + 59), lastFacility),
      code: 'IT',
      description: 'On the way',
      place: lastFacility,
      locationType: 'FEDEX_FACILITY',
    });
  }

  const { locationId: _none, ...station } = destination;
  const outForDelivery = (day: number) =>
    add({
      at: localTime(day, draw.int(7 * 60, 9 * 60 + 29), station),
      code: 'OD',
      description: `On ${brand} vehicle for delivery`,
      place: station,
      locationType: 'DESTINATION_FEDEX_FACILITY',
    });
  const delivered = (day: number) =>
    add({
      at: localTime(day, draw.int(10 * 60, 17 * 60 + 29), destination),
      code: 'DL',
      description: 'Delivered',
      place: destination,
      locationType: 'DELIVERY_LOCATION',
    });

  const promised = window(deliveryDay);
  add({
    at: localTime(deliveryDay, draw.int(4 * 60, 6 * 60 + 59), station),
    code: 'AR',
    description: `At local ${brand} facility`,
    place: station,
    locationType: 'DESTINATION_FEDEX_FACILITY',
  });
  outForDelivery(deliveryDay);
  if (!draw.chance(FAILED_ATTEMPT_RATE)) {
    delivered(deliveryDay);
    return journey({ promised, outcome: 'delivered' });
  }
  add({
    at: localTime(deliveryDay, draw.int(11 * 60, 16 * 60 + 59), destination),
    code: 'DE',
    description: 'Delivery exception',
    place: destination,
    locationType: 'DELIVERY_LOCATION',
    exception: { code: '08', description: 'Customer not available or business closed' },
  });
  const failedAt = scans.at(-1)!.at;
  const redelivery = nextBusinessDay(deliveryDay);
  outForDelivery(redelivery);
  delivered(redelivery);
  return journey({ promised, revised: { after: failedAt, window: window(redelivery) }, outcome: 'delivered' });
}
