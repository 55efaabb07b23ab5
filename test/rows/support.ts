// Shared by the row-query tests: the ERP emulator on a generated dataset (strict Business Central
// filter rules unless told otherwise), the Business Central adapter pointed at it, the dataset's rows
// as port records (the oracle every pushed-down answer is compared with), and the emulator's
// request log.
import { createBusinessCentralAdapter } from '../../connectors/erp/business-central/adapter.js';
import { toCustomer, toInvoice, toItem, toOrder, toShipment } from '../../connectors/erp/business-central/mappers.js';
import type { ErpOrderLineRow, ErpPort, ErpRow, RowSet } from '../../connectors/erp/port.js';
import { createLogger } from '../../lib/logger.js';
import type { RecentRequest, TrafficStats } from '../../emulators/common/traffic.js';
import { loadErpEmulatorConfig, startErpEmulator, type RunningErpEmulator } from '../../emulators/erp/index.js';
import { withInvoiceHistory } from '../../emulators/erp/invoice-history.js';
import { generateDataset } from '../../emulators/seed/generate.js';
import type { ErpDataset } from '../../emulators/seed/types.js';
import type * as Wire from '../../connectors/erp/business-central/wire.js';

export const TODAY = '2026-11-24';

export interface BcFixture {
  readonly emulator: RunningErpEmulator;
  readonly dataset: ErpDataset;
  readonly port: ErpPort & Required<Pick<ErpPort, 'queryRows'>>;
  /** The set's rows as port records, straight from the dataset. */
  rows<S extends RowSet>(set: S): Array<ErpRow<S>>;
  stats(): Promise<TrafficStats>;
  resetStats(): Promise<void>;
  /** Collection reads of an entity set since the last reset. */
  reads(entitySet: string): Promise<RecentRequest[]>;
  close(): Promise<void>;
}

export async function startBcFixture(
  options: { accounts?: number; invoices?: number; strict?: boolean; dataset?: ErpDataset; pageSize?: number } = {},
): Promise<BcFixture> {
  let dataset = options.dataset ?? generateDataset({ accounts: options.accounts ?? 30, seed: 11, today: TODAY }).erp;
  if (options.invoices !== undefined)
    dataset = withInvoiceHistory(dataset, options.invoices, { seed: 11, today: TODAY });
  const config = {
    ...loadErpEmulatorConfig({
      EMULATOR_ERP_PORT: '0',
      ...(options.pageSize ? { EMULATOR_ERP_PAGE_SIZE: String(options.pageSize) } : {}),
    }),
    strictFilters: options.strict ?? true,
  };
  const emulator = await startErpEmulator(config, { dataset });
  const port = createBusinessCentralAdapter(
    {
      kind: 'business-central',
      baseUrl: emulator.apiUrl,
      tokenUrl: emulator.tokenUrl,
      clientId: config.credentials.clientId,
      clientSecret: config.credentials.clientSecret,
      scope: 'https://api.businesscentral.dynamics.com/.default',
      timeoutMs: 20_000,
    },
    createLogger('test-rows', 'silent'),
  ) as BcFixture['port'];
  const statsUrl = `${emulator.url}/__emulator/stats`;
  const stats = async () => (await (await fetch(statsUrl)).json()) as TrafficStats;
  return {
    emulator,
    dataset,
    port,
    rows: <S extends RowSet>(set: S) => portRows(dataset, set),
    stats,
    resetStats: async () => void (await fetch(statsUrl, { method: 'DELETE' })),
    reads: async (entitySet) => (await stats()).recent.filter((r) => r.route === `GET ${entitySet}`),
    close: () => emulator.close(),
  };
}

/** The dataset's records of a set mapped as the adapter maps BC's answers. */
export function portRows<S extends RowSet>(dataset: ErpDataset, set: S): Array<ErpRow<S>> {
  const rows = (() => {
    switch (set) {
      case 'customers':
        return dataset.customers.map((c) => toCustomer(c as unknown as Wire.Customer));
      case 'salesInvoices':
        return dataset.salesInvoices.map((i) => toInvoice(i as unknown as Wire.SalesInvoice));
      case 'salesOrders':
        return dataset.salesOrders.map((o) =>
          toOrder(o as unknown as Wire.SalesOrder, o.salesOrderLines as unknown as Wire.SalesOrderLine[]),
        );
      case 'salesOrderLines':
        return dataset.salesOrders.flatMap((o) => {
          const order = toOrder(o as unknown as Wire.SalesOrder, o.salesOrderLines as unknown as Wire.SalesOrderLine[]);
          return order.lines.map((line): ErpOrderLineRow => ({
            ...line,
            orderNumber: order.number,
            customerNumber: order.customerNumber,
            currency: order.currency,
          }));
        });
      case 'salesShipments':
        return dataset.salesShipments.map((s) => toShipment(s as unknown as Wire.SalesShipment));
      case 'items':
        return dataset.items.map((i) => toItem(i as unknown as Wire.Item));
    }
  })();
  return rows as Array<ErpRow<S>>;
}

/** Decoded query options of a request the emulator logged. */
export function optionsOf(request: RecentRequest): URLSearchParams {
  return new URLSearchParams(request.path.split('?')[1] ?? '');
}

export const ctx = { correlationId: 'rows-test' };
