// The ERP connector's entry point: picks the adapter named in the options. The ERP subgraph codes
// against ErpPort only, so a second ERP (tryton, JSON-RPC) is one more case here.
import type { Logger } from '../../lib/logger.js';
import { createBusinessCentralAdapter } from './business-central/adapter.js';
import type { ErpConnectorOptions } from './options.js';
import type { ErpPort } from './port.js';

export type * from './port.js';
export type { ErpConnectorOptions } from './options.js';

export function createErpConnector(options: ErpConnectorOptions, logger: Logger): ErpPort {
  switch (options.adapter) {
    case 'business-central':
      return createBusinessCentralAdapter(options, logger.child({ component: 'erp-connector', adapter: options.adapter }));
    default: {
      // Exhaustiveness: a new adapter in ErpConnectorOptions must be handled here.
      const unknown: never = options.adapter;
      throw new Error(`ERP adapter '${String(unknown)}' is not supported`);
    }
  }
}
