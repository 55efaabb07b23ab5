// The carrier port behind the shield: a decorator that IS a CarrierPort and adds `served` (values
// with asOf/stale). Carriers ration requests (FedEx: 1,400 per 10 seconds and a daily quota), and
// tracking changes a few times a day, so lookups go through one process-wide cache: misses of every
// request coalesce into batch calls of at most the port's maxKeysPerRequest (one API request each,
// so the bulkhead caps requests in flight), and a delivered shipment (or one stuck in an exception
// for a week) stays cached for the kind's settledTtlMs. While the carrier is down or rate limits us, cached tracking is served stale.
import { isSettled, type CarrierPort, type ShipmentTracking } from '../connectors/carrier/port.js';
import { createCacheFactory, type ShieldDeps } from './cache-factory.js';
import { systemClock } from './clock.js';
import type { ServedReads } from './keyed-cache.js';
import type { ShieldOptions } from './options.js';
import { createResiliencePolicy, type ResiliencePolicy } from './resilience.js';

export interface ShieldedCarrier extends CarrierPort {
  /**
   * The cached read with freshness, results aligned with the keys (Served | null | BackendError):
   * `new DataLoader((keys) => carrier.served.trackingByKeys(keys, ctx))` in the request context.
   */
  readonly served: ServedReads<CarrierPort, 'trackingByKeys'>;
  /** The port behind the resilience policy only: tracking as the carrier has it right now. */
  readonly uncached: CarrierPort;
  readonly policy: ResiliencePolicy;
}

export function shieldCarrier(port: CarrierPort, options: ShieldOptions, deps: ShieldDeps): ShieldedCarrier {
  const policy = createResiliencePolicy('carrier', options.carrier, deps.metrics);
  const uncached: CarrierPort = {
    adapter: port.adapter,
    maxKeysPerRequest: port.maxKeysPerRequest,
    trackingByKeys: (keys, ctx) => policy.read('trackingByKeys', ctx, (c) => port.trackingByKeys(keys, c)),
    // Once, no retries, through the breaker on purpose (see shielded-erp.ts, ping).
    ping: (ctx) => policy.write('ping', ctx, (c) => port.ping(c)),
    close: () => port.close(),
  };

  const cache = createCacheFactory('carrier', options, deps, policy);
  const clock = deps.clock ?? systemClock;
  const tracking = cache<ShipmentTracking>(
    'carrier.tracking',
    'trackingByKeys',
    (keys, c) => port.trackingByKeys(keys, c),
    {
      isSettled: (value) => isSettled(value, clock.now()),
      maxKeysPerBatch: port.maxKeysPerRequest,
    },
  );

  return {
    ...uncached,
    trackingByKeys: tracking.getMap,
    served: { trackingByKeys: tracking.getMany },
    uncached,
    policy,
  };
}
