// One package's answer in the FedEx Track API's shape (`output.completeTrackResults[].trackResults[]`,
// TrackResult in its reference): what has happened to it by `now`. Scan events come newest first, as
// FedEx sends them, with FedEx's eventType and derivedStatusCode; times are local to the scan's place
// with their UTC offset ("2026-11-12T15:18:10-05:00"). Before delivery the estimated delivery window
// is given (`estimatedDeliveryTimeWindow`, `dateAndTimes` ESTIMATED_DELIVERY), after it the actual
// delivery; after a shipment exception FedEx's "No scheduled delivery date available at this time".
import { CARRIER_CODES, COUNTRY_NAMES, type Place } from './network.js';
import type { DeliveryWindow, Journey, PlannedScan, ScanCode } from './journey.js';
import type { KnownPackage } from './shipments.js';

/** FedEx's derived status per scan type: code and text (latestStatusDetail.derivedCode, statusByLocale). */
const DERIVED: Readonly<Record<ScanCode, readonly [string, string]>> = {
  OC: ['IN', 'Label created'],
  PU: ['PU', 'Picked up'],
  DP: ['IT', 'In transit'],
  AR: ['IT', 'In transit'],
  IT: ['IT', 'In transit'],
  CC: ['IT', 'In transit'],
  OD: ['OD', 'Out for delivery'],
  DL: ['DL', 'Delivered'],
  DE: ['DE', 'Delivery exception'],
  SE: ['SE', 'Shipment exception'],
};

const MINUTE = 60_000;
const two = (n: number) => String(n).padStart(2, '0');

/** '+01:00', '-05:00' */
function offsetSuffix(offsetMinutes: number): string {
  const abs = Math.abs(offsetMinutes);
  return `${offsetMinutes < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/** ISO 8601 local time with its offset, as FedEx writes scan times. */
export function formatLocal(utcMs: number, offsetMinutes: number): string {
  return `${new Date(utcMs + offsetMinutes * MINUTE).toISOString().slice(0, 19)}${offsetSuffix(offsetMinutes)}`;
}

function address(place: Place) {
  return {
    streetLines: [] as string[],
    city: place.city.toUpperCase(),
    stateOrProvinceCode: place.state,
    postalCode: place.postalCode,
    countryCode: place.countryCode,
    residential: false,
    countryName: COUNTRY_NAMES[place.countryCode] ?? place.countryCode,
  };
}

function scanEvent(scan: PlannedScan) {
  const [derivedCode, derivedStatus] = DERIVED[scan.code];
  return {
    date: formatLocal(scan.at, scan.place.offsetMinutes),
    eventType: scan.code,
    eventDescription: scan.description,
    exceptionCode: scan.exception?.code ?? '',
    exceptionDescription: scan.exception?.description ?? '',
    scanLocation: address(scan.place),
    locationId: scan.place.locationId ?? '',
    locationType: scan.locationType,
    derivedStatusCode: derivedCode,
    derivedStatus,
  };
}

/** The window a client is told at `now`: the promised one, or the redelivery's after a failed attempt. */
function currentWindow(journey: Journey, now: number): DeliveryWindow {
  return journey.revised && now >= journey.revised.after ? journey.revised.window : journey.promised;
}

/**
 * FedEx's unique id of a package: a day number, the tracking number and the operating company. Here
 * the day number is the shipment date's Julian day.
 */
export function trackingNumberUniqueId(pkg: KnownPackage): string {
  const julianDay = Math.floor(Date.parse(`${pkg.shipmentDate}T00:00:00Z`) / 86_400_000) + 2_440_588;
  return `${julianDay}~${pkg.trackingNumber}~${CARRIER_CODES[pkg.carrier]}`;
}

/** The package's TrackResult at `now`, or null when nothing has happened to it yet (unknown to the carrier). */
export function trackResult(
  pkg: KnownPackage,
  journey: Journey,
  now: number,
  includeDetailedScans: boolean,
): Record<string, unknown> | null {
  const visible = journey.scans.filter((scan) => scan.at <= now);
  const latest = visible.at(-1);
  if (!latest) return null;
  const [derivedCode, statusByLocale] = DERIVED[latest.code];
  const uniqueId = trackingNumberUniqueId(pkg);
  const pickup = visible.find((scan) => scan.code === 'PU');
  const delivery = visible.find((scan) => scan.code === 'DL');
  const failedAttempts = visible.filter((scan) => scan.code === 'DE').length;
  const ended = latest.code === 'SE';
  const window = delivery || ended ? undefined : currentWindow(journey, now);
  const dateAndTimes = [
    ...(delivery
      ? [{ type: 'ACTUAL_DELIVERY', dateTime: formatLocal(delivery.at, delivery.place.offsetMinutes) }]
      : []),
    ...(window ? [{ type: 'ESTIMATED_DELIVERY', dateTime: formatLocal(window.ends, window.offsetMinutes) }] : []),
    ...(pickup ? [{ type: 'ACTUAL_PICKUP', dateTime: formatLocal(pickup.at, pickup.place.offsetMinutes) }] : []),
    { type: 'SHIP', dateTime: `${journey.shipDate}T00:00:00${offsetSuffix(journey.origin.offsetMinutes)}` },
  ];
  return {
    trackingNumberInfo: {
      trackingNumber: pkg.trackingNumber,
      carrierCode: CARRIER_CODES[pkg.carrier],
      trackingNumberUniqueId: uniqueId,
    },
    additionalTrackingInfo: {
      nickname: '',
      hasAssociatedShipments: false,
      packageIdentifiers: [
        { type: 'SHIPPER_REFERENCE', value: pkg.shipperReference, trackingNumberUniqueId: uniqueId },
      ],
    },
    shipperInformation: { address: address(journey.origin) },
    recipientInformation: { address: address(journey.destination) },
    latestStatusDetail: {
      code: latest.code,
      derivedCode,
      statusByLocale,
      description: latest.description,
      scanLocation: address(latest.place),
      ...(latest.exception
        ? { ancillaryDetails: [{ reason: latest.exception.code, reasonDescription: latest.exception.description }] }
        : {}),
    },
    dateAndTimes,
    availableImages: [],
    specialHandlings: [],
    packageDetails: {
      count: '1',
      sequenceNumber: '1',
      packagingDescription: { type: 'YOUR_PACKAGING', description: 'Your Packaging' },
    },
    serviceDetail: { type: journey.service.type, description: journey.service.description },
    originLocation: { locationContactAndAddress: { address: address(journey.origin) } },
    destinationLocation: { locationContactAndAddress: { address: address(journey.destination) } },
    deliveryDetails: {
      deliveryAttempts: String(failedAttempts + (delivery ? 1 : 0)),
      ...(delivery ? { receivedByName: 'RECEIVING DOCK', locationDescription: 'Shipping/Receiving' } : {}),
    },
    estimatedDeliveryTimeWindow: window
      ? {
          type: 'ESTIMATED_DELIVERY',
          window: {
            begins: formatLocal(window.begins, window.offsetMinutes),
            ends: formatLocal(window.ends, window.offsetMinutes),
          },
        }
      : { window: {} },
    ...(ended
      ? {
          serviceCommitMessage: {
            message: 'No scheduled delivery date available at this time.',
            type: 'ESTIMATED_DELIVERY_DATE_UNAVAILABLE',
          },
        }
      : {}),
    scanEvents: includeDetailedScans ? visible.map(scanEvent).reverse() : [],
  };
}
