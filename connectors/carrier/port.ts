// The carrier port: what the product needs from a carrier's tracking API, independent of its wire
// shape. A shipment is tracked by its carrier (the ERP's shipping agent code: UPS, FEDEX, DHL,
// DB SCHENKER) and tracking number, joined into one string key so that the shield can cache and batch
// it like any other keyed read (trackingKey). Times are ISO 8601 instants in UTC.
import type { CallContext } from '../../lib/call-context.js';

export const TRACKING_STATUSES = [
  'LABEL_CREATED',
  'PICKED_UP',
  'IN_TRANSIT',
  'OUT_FOR_DELIVERY',
  'DELIVERED',
  'EXCEPTION',
] as const;
export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

export interface TrackingEvent {
  /** When it happened, as an ISO 8601 UTC instant. */
  readonly at: string;
  readonly status: TrackingStatus;
  /** The carrier's own words, e.g. "Arrived at FedEx hub". */
  readonly description: string;
  /** "Memphis, TN, US"; null when the carrier gives no place. */
  readonly location: string | null;
}

export interface ShipmentTracking {
  readonly trackingNumber: string;
  /** The ERP's shipping agent code the shipment was looked up with. */
  readonly carrier: string;
  /** The latest status. */
  readonly status: TrackingStatus;
  /** Oldest first. */
  readonly events: readonly TrackingEvent[];
  /** The end of the delivery window the carrier promises now; null once delivered or when it has none. */
  readonly estimatedDelivery: string | null;
  readonly deliveredAt: string | null;
}

export interface TrackingRef {
  readonly carrier: string;
  readonly trackingNumber: string;
}

const SEPARATOR = '~';

/** The key of a shipment's tracking in batch reads and caches: `UPS~1Z…`. */
export function trackingKey(ref: TrackingRef): string {
  return `${ref.carrier}${SEPARATOR}${ref.trackingNumber}`;
}

/** The reference a key names, or null when it is not a tracking key (then there is nothing to track). */
export function parseTrackingKey(key: string): TrackingRef | null {
  const at = key.indexOf(SEPARATOR);
  if (at <= 0 || at === key.length - 1 || key.indexOf(SEPARATOR, at + 1) >= 0) return null;
  return { carrier: key.slice(0, at), trackingNumber: key.slice(at + 1) };
}

/** An exception with no new delivery date and no news for this long is where the journey ended. */
const EXCEPTION_SETTLES_AFTER_MS = 7 * 86_400_000;

/**
 * A shipment has reached a state the carrier will not change any more: delivered, or stuck in an
 * exception (no delivery date) for a week. A fresh exception may still resolve (a customs hold).
 */
export function isSettled(tracking: ShipmentTracking, now: number = Date.now()): boolean {
  if (tracking.deliveredAt !== null) return true;
  const last = tracking.events.at(-1);
  return (
    tracking.status === 'EXCEPTION' &&
    tracking.estimatedDelivery === null &&
    last !== undefined &&
    now - Date.parse(last.at) > EXCEPTION_SETTLES_AFTER_MS
  );
}

export interface CarrierPort {
  /** Which adapter speaks to the carrier. */
  readonly adapter: 'fedex-track';
  /** Shipments one request can track (FedEx: 30); a batch read of more makes several requests. */
  readonly maxKeysPerRequest: number;
  /**
   * Tracking of many shipments by trackingKey. Keys the carrier does not know (or cannot read, or
   * that are not tracking keys) are absent from the map: "no tracking", not an error.
   */
  trackingByKeys(keys: readonly string[], ctx: CallContext): Promise<Map<string, ShipmentTracking>>;
  /** Cheapest authenticated call (a token): for readiness. */
  ping(ctx: CallContext): Promise<void>;
  /** Releases the connections kept alive to the carrier. */
  close(): void;
}
