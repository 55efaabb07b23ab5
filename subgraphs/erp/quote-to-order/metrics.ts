// What quote to order counts on the ERP subgraph's /metrics: duplicate ERP orders found for one
// quote, by what became of each: `deleted` (a Draft removed, one order left) or `flagged` (past
// Draft, so it stays: the quote is flagged for a person, ERP_DUPLICATE_ORDER). Any increase is an
// incident: alert on it.
import { Counter, type Registry } from 'prom-client';

export type DuplicateAction = 'deleted' | 'flagged';

export interface QuoteToOrderMetrics {
  duplicateOrder(action: DuplicateAction, count?: number): void;
}

export function createQuoteToOrderMetrics(registry: Registry | undefined): QuoteToOrderMetrics {
  if (!registry) return { duplicateOrder: () => undefined };
  const duplicates = new Counter({
    name: 'quote_duplicate_orders_total',
    help: 'Extra ERP orders found carrying one quote’s external document number, by action: deleted (a Draft removed) or flagged (past Draft: the quote is flagged ERP_DUPLICATE_ORDER for a person).',
    labelNames: ['action'] as const,
    registers: [registry],
  });
  // Both series exist from the start, so a rate() or an alert sees 0 rather than nothing.
  duplicates.inc({ action: 'deleted' }, 0);
  duplicates.inc({ action: 'flagged' }, 0);
  return { duplicateOrder: (action, count = 1) => duplicates.inc({ action }, count) };
}
