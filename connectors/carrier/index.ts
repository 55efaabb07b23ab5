// The carrier connector's entry point: picks the adapter named in the options. The tracking code
// works against CarrierPort only, so another carrier API (UPS's Tracking API, DHL's unified one) is
// one more case here.
import type { Logger } from '../../lib/logger.js';
import { createFedexTrackAdapter } from './fedex/adapter.js';
import type { CarrierConnectorOptions } from './options.js';
import type { CarrierPort } from './port.js';

export type * from './port.js';
export { isSettled, parseTrackingKey, trackingKey, TRACKING_STATUSES } from './port.js';
export type { CarrierConnectorOptions } from './options.js';
export { carrierEnvSchema, carrierOptionsFromEnv, type CarrierEnv } from './env.js';

export function createCarrierConnector(options: CarrierConnectorOptions, logger: Logger): CarrierPort {
  switch (options.adapter) {
    case 'fedex-track':
      return createFedexTrackAdapter(
        options,
        logger.child({ component: 'carrier-connector', adapter: options.adapter }),
      );
    default: {
      // Exhaustiveness: a new adapter in CarrierConnectorOptions must be handled here.
      const unknown: never = options.adapter;
      throw new Error(`carrier adapter '${String(unknown)}' is not supported`);
    }
  }
}
