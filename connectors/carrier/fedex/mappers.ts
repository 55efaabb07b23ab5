// FedEx Track API answers → the carrier port's ShipmentTracking. FedEx's statuses are many (its
// eventType and derivedStatusCode lists); the port has six, mapped from FedEx's derived status
// first, the event type second. Scan times are local with an offset ("2026-11-12T15:18:10-05:00";
// FedEx's own samples also write "2024-08-12T15:18:10 -0500"); the port wants UTC instants.
import type { ShipmentTracking, TrackingEvent, TrackingRef, TrackingStatus } from '../port.js';
import type { ScanEvent, TrackResult } from './wire.js';

/** The ERP's shipping agent code → FedEx's carrierCode (FedEx Express for the FEDEX code). */
export function carrierCodeOf(carrier: string): string {
  return carrier === 'FEDEX' ? 'FDXE' : carrier;
}

const BY_DERIVED_CODE: Readonly<Record<string, TrackingStatus>> = {
  IN: 'LABEL_CREATED',
  PU: 'PICKED_UP',
  IT: 'IN_TRANSIT',
  DY: 'IN_TRANSIT',
  DD: 'IN_TRANSIT',
  HL: 'IN_TRANSIT',
  OD: 'OUT_FOR_DELIVERY',
  DL: 'DELIVERED',
  DE: 'EXCEPTION',
  SE: 'EXCEPTION',
  CA: 'EXCEPTION',
  RS: 'EXCEPTION',
};

const BY_EVENT_TYPE: Readonly<Record<string, TrackingStatus>> = {
  OC: 'LABEL_CREATED',
  PU: 'PICKED_UP',
  OD: 'OUT_FOR_DELIVERY',
  DL: 'DELIVERED',
  DE: 'EXCEPTION',
  SE: 'EXCEPTION',
  CA: 'EXCEPTION',
  RS: 'EXCEPTION',
  CD: 'EXCEPTION',
};

/** Statuses neither list knows are movement: a scan somewhere on the way. */
export function statusOf(derivedCode: string | undefined, eventType: string | undefined): TrackingStatus {
  return (derivedCode && BY_DERIVED_CODE[derivedCode]) || (eventType && BY_EVENT_TYPE[eventType]) || 'IN_TRANSIT';
}

const FEDEX_TIME = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A FedEx date or date-time as an ISO UTC instant, or null when it is not one. A time without an
 * offset is read as UTC (FedEx gives offsets on scan times; its windows sometimes lack them).
 */
export function parseFedexTime(text: string): string | null {
  const match = FEDEX_TIME.exec(text.trim());
  if (!match) return null;
  const [, date, time = '00:00:00', zone = 'Z'] = match;
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const ms = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}${offset}`);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** "MEMPHIS" → "Memphis", "DAVIS-RUNOLFSSONBOROUGH" → "Davis-Runolfssonborough" (FedEx writes cities in capitals). */
function titleCase(text: string): string {
  return text
    .toLowerCase()
    .replace(/(^|[\s\-'])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}

export function locationOf(
  address:
    | { city?: string | undefined; stateOrProvinceCode?: string | undefined; countryCode?: string | undefined }
    | undefined,
): string | null {
  if (!address) return null;
  const parts = [
    address.city ? titleCase(address.city) : '',
    address.stateOrProvinceCode ?? '',
    address.countryCode ?? '',
  ].filter((part) => part !== '');
  return parts.length > 0 ? parts.join(', ') : null;
}

export class UnreadableTrackResult extends Error {}

function toEvent(scan: ScanEvent): TrackingEvent {
  const at = parseFedexTime(scan.date);
  if (at === null) throw new UnreadableTrackResult(`scan event date ${JSON.stringify(scan.date)} is not a date-time`);
  const description = [scan.eventDescription, scan.exceptionDescription]
    .filter((text) => text !== undefined && text !== '')
    .join(': ');
  return {
    at,
    status: statusOf(scan.derivedStatusCode, scan.eventType),
    description,
    location: locationOf(scan.scanLocation),
  };
}

/**
 * One package's TrackResult as the port's ShipmentTracking; null when FedEx answered an error for it
 * (not found, invalid, ambiguous: no tracking to show). Throws UnreadableTrackResult when a date is
 * not a date.
 */
export function toShipmentTracking(ref: TrackingRef, result: TrackResult): ShipmentTracking | null {
  if (result.error?.code || !result.latestStatusDetail) return null;
  const events = (result.scanEvents ?? [])
    .map(toEvent)
    .map((event, index) => ({ event, index }))
    // Oldest first; FedEx sends newest first. Equal times keep FedEx's order, reversed.
    .sort((a, b) => a.event.at.localeCompare(b.event.at) || b.index - a.index)
    .map(({ event }) => event);
  const dated = (type: string) => {
    const entry = result.dateAndTimes?.find((d) => d.type === type);
    if (!entry) return null;
    const at = parseFedexTime(entry.dateTime);
    if (at === null) throw new UnreadableTrackResult(`${type} ${JSON.stringify(entry.dateTime)} is not a date-time`);
    return at;
  };
  const deliveredAt = dated('ACTUAL_DELIVERY') ?? events.findLast((e) => e.status === 'DELIVERED')?.at ?? null;
  const windowEnd = result.estimatedDeliveryTimeWindow?.window?.ends;
  const estimatedDelivery = deliveredAt
    ? null
    : (dated('ESTIMATED_DELIVERY') ?? (windowEnd ? parseFedexTime(windowEnd) : null));
  const latest = result.latestStatusDetail;
  return {
    trackingNumber: ref.trackingNumber,
    carrier: ref.carrier,
    status: deliveredAt ? 'DELIVERED' : statusOf(latest.derivedCode, latest.code),
    events,
    estimatedDelivery,
    deliveredAt,
  };
}
