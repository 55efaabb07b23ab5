// The ERP connector's entry point: picks the adapter the options name. The ERP subgraph codes against
// ErpPort only, so an adapter is one case here and one shape in options.ts.
import type { Logger } from '../../lib/logger.js';
import { createBusinessCentralAdapter } from './business-central/adapter.js';
import type { ErpConnectorOptions } from './options.js';
import type { ErpPort } from './port.js';
import { createTrytonAdapter } from './tryton/adapter.js';

export type * from './port.js';
export type { BusinessCentralOptions, ErpAdapterKind, ErpConnectorOptions, TrytonOptions } from './options.js';

export function createErpConnector(options: ErpConnectorOptions, logger: Logger): ErpPort {
  const child = logger.child({ component: 'erp-connector', adapter: options.kind });
  switch (options.kind) {
    case 'business-central':
      return createBusinessCentralAdapter(options, child);
    case 'tryton':
      return createTrytonAdapter(options, child);
    default: {
      // Exhaustiveness: a new adapter in ErpConnectorOptions must be handled here.
      const unknown: never = options;
      throw new Error(`ERP adapter '${String((unknown as { kind: unknown }).kind)}' is not supported`);
    }
  }
}
