// The activity simulator (off by default; EMULATOR_ERP_ACTIVITY=on): the people working in Business
// Central, moving sales orders along on their own so a demo shows changes arriving. Every tick it
// takes one open order — the ones created through the API (from Salesforce quotes) first, oldest
// first, else a seeded one — and does its next step as a user in the client would: release it,
// post part of the delivery (warehouse), post the rest with the invoice (which deletes the order),
// or, now and then, cancel a draft (delete it). Each step is a write of the store, so webhooks
// notify it like any other change.
import { SeededRandom } from '../seed/random.js';
import { CARRIERS } from '../seed/reference-data.js';
import { trackingNumber } from '../seed/tracking.js';
import type { BcSalesOrder } from '../seed/types.js';
import { BcError } from './errors.js';
import type { ErpStore } from './store.js';

export interface ActivityOptions {
  readonly store: ErpStore;
  readonly intervalMs: number;
  readonly seed: number;
  /** Told what each step did (the emulator's log). */
  readonly onStep?: (description: string) => void;
}

export interface Activity {
  /** One step now; what it did, or null when no order is left to move. */
  step(): string | null;
  stop(): void;
}

const CANCEL_CHANCE = 0.1;
const PARTIAL_CHANCE = 0.5;

function outstanding(order: BcSalesOrder): number {
  return order.salesOrderLines.reduce((sum, line) => sum + Math.max(0, line.quantity - line.shippedQuantity), 0);
}

export function startActivity(options: ActivityOptions): Activity {
  const { store } = options;
  const rng = new SeededRandom(options.seed);
  /** Orders created through the API while the simulator runs, oldest first. */
  const created: string[] = [];
  store.onChange((change) => {
    if (change.set === 'salesOrders' && change.kind === 'created') created.push(change.id);
  });

  function pick(): BcSalesOrder | null {
    const orders = store.table('salesOrders');
    while (created.length > 0) {
      const order = orders.get(created[0]!);
      if (order && outstanding(order) > 0) return order;
      created.shift();
    }
    const open = orders.all().filter((order) => outstanding(order) > 0);
    return open.length > 0 ? rng.pick(open) : null;
  }

  function advance(order: BcSalesOrder): string {
    const shippedAny = order.salesOrderLines.some((line) => line.shippedQuantity > 0);
    if (order.status !== 'Released') {
      if (!shippedAny && rng.chance(CANCEL_CHANCE)) {
        store.deleteSalesOrder(order);
        return `cancelled order ${order.number}`;
      }
      store.releaseSalesOrder(order);
      return `released order ${order.number}`;
    }
    const carrier = rng.pick(CARRIERS);
    const shipping = { shippingAgentCode: carrier, packageTrackingNo: trackingNumber(rng, carrier) };
    const half = new Map(
      order.salesOrderLines.map((line) => [line.id, Math.floor(Math.max(0, line.quantity - line.shippedQuantity) / 2)]),
    );
    const partial = !shippedAny && [...half.values()].some((q) => q > 0) && rng.chance(PARTIAL_CHANCE);
    const result = store.postSalesOrder(order, partial ? { ...shipping, quantities: half } : shipping);
    return `${partial ? 'shipped part of' : 'shipped and invoiced'} order ${order.number} (${result.shipment.number}, ${result.invoice.number}${result.order ? '' : '; order complete'})`;
  }

  function step(): string | null {
    for (let tries = 0; tries < 5; tries++) {
      const order = pick();
      if (!order) return null;
      try {
        return advance(order);
      } catch (error) {
        // A blocked customer's order cannot be posted: it waits, as in real life; try another.
        if (!(error instanceof BcError)) throw error;
        const at = created.indexOf(order.id);
        if (at >= 0) created.splice(at, 1);
      }
    }
    return null;
  }

  const timer = setInterval(() => {
    const done = step();
    if (done) options.onStep?.(done);
  }, options.intervalMs);
  timer.unref();
  return { step, stop: () => clearInterval(timer) };
}
