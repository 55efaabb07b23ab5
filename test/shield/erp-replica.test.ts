// The opt-in ERP read replica (shield/erp-replica.ts) over a fake port that can scan: full load fills
// the keyed caches (no keyed ERP reads afterwards), delta polls bring new orders and drop invoices
// that left Open, failed polls let entries go stale (not errors), and the replica is off by default.
// The rounds are driven by hand (fullLoad/poll) with a manual clock: no timers, no sleeps.
import { describe, expect, it } from 'vitest';
import type { CallContext } from '../../lib/call-context.js';
import type { ErpInvoice, ErpScanPage, ErpScanRequest, ErpScanRows, ErpScanSet } from '../../connectors/erp/port.js';
import { createShield, parseShieldOptions } from '../../shield/index.js';
import { createKeyedCache, startAtOnce } from '../../shield/keyed-cache.js';
import { createShieldMetrics } from '../../shield/metrics.js';
import {
  batchSource,
  ctx,
  customer,
  FakeErp,
  flush,
  manualClock,
  metricValue,
  order,
  outage,
  Registry,
  T0,
} from './fakes.js';

const PAGE = 2;

function invoice(
  number: string,
  customerNumber: string,
  status: ErpInvoice['status'],
  dueDate = '2025-02-01',
): ErpInvoice {
  return {
    number,
    customerNumber,
    orderNumber: null,
    externalDocumentNumber: null,
    invoiceDate: '2025-01-01',
    dueDate,
    status,
    currency: 'USD',
    totalExcludingTax: '100.00',
    totalIncludingTax: '108.00',
    remaining: status === 'open' ? '108.00' : '0.00',
  };
}

/** FakeErp plus invoices and a paged scan honouring modifiedSince (rows carry a modification time). */
class ScanningErp extends FakeErp {
  invoices: ErpInvoice[] = [];
  readonly modified = new Map<string, number>();
  readonly scans: Array<{ set: ErpScanSet; request: ErpScanRequest }> = [];
  scanFailure: Error | null = null;
  /** Sets whose scans fail (with an outage). */
  failingSets = new Set<ErpScanSet>();
  /** While set, scans of this set read their page, then wait for `until` before answering. */
  gate: { set: ErpScanSet; until: Promise<void> } | null = null;

  touch(set: ErpScanSet, key: string, at: number) {
    this.modified.set(`${set}/${key}`, at);
  }

  private rowsOf(set: ErpScanSet): Array<{ key: string; row: unknown }> {
    switch (set) {
      case 'customers':
        return [...this.customers.values()].map((c) => ({ key: c.number, row: c }));
      case 'salesOrders':
        return this.orders.map((o) => ({ key: o.number, row: o }));
      case 'salesInvoices':
        return this.invoices.map((i) => ({ key: i.number, row: i }));
      default:
        return [];
    }
  }

  scanPage = async <S extends ErpScanSet>(
    set: S,
    request: ErpScanRequest,
    _c: CallContext,
  ): Promise<ErpScanPage<S>> => {
    this.scans.push({ set, request });
    if (this.scanFailure) throw this.scanFailure;
    if (this.failingSets.has(set)) throw outage();
    const since = request.modifiedSince ? Date.parse(request.modifiedSince) : -Infinity;
    const all = this.rowsOf(set).filter(({ key }) => (this.modified.get(`${set}/${key}`) ?? T0 - 60_000) > since);
    const offset = request.nextLink ? Number(request.nextLink) : 0;
    const page = all.slice(offset, offset + PAGE);
    const times = page.map(({ key }) => this.modified.get(`${set}/${key}`) ?? T0 - 60_000);
    if (this.gate?.set === set) await this.gate.until;
    return {
      rows: page.map(({ row }) => row as ErpScanRows[S]),
      nextLink: offset + PAGE < all.length ? String(offset + PAGE) : null,
      maxModified: times.length ? new Date(Math.max(...times)).toISOString() : null,
    };
  };
}

function setup(pollMs = 1_000, erpResilience: Record<string, unknown> = {}) {
  const clock = manualClock();
  const registry = new Registry();
  const shield = createShield(parseShieldOptions({ erpReplica: { enabled: true, pollMs }, erp: erpResilience }), {
    registry,
    clock,
  });
  const port = new ScanningErp();
  for (const n of ['C1', 'C2', 'C3']) port.customers.set(n, customer(n));
  port.orders.push(order('O1', 'C1'), { ...order('O2', 'C1'), orderDate: '2025-01-05' });
  port.invoices.push(invoice('I1', 'C1', 'open'), invoice('I2', 'C2', 'open'), invoice('I3', 'C2', 'paid'));
  const erp = shield.erp(port);
  if (!erp.replica) throw new Error('replica expected');
  return { clock, registry, port, erp, replica: erp.replica };
}

const keyedCalls = (port: ScanningErp) => port.calls.filter((c) => c.method !== 'ping').length;

describe('ERP read replica', () => {
  it('after the full load, customer-360 reads cost no ERP request and carry the sync time', async () => {
    const { port, erp, replica, registry } = setup();
    expect(await replica.fullLoad()).toBe(true);
    expect(replica.status().ready).toBe(true);

    const [c1, c3] = await erp.served.customersByNumbers(['C1', 'C3'], ctx());
    const [orders1, orders3] = await erp.served.ordersByCustomers(['C1', 'C3'], ctx());
    const [open1, open2, open3] = await erp.served.openInvoicesByCustomers(['C1', 'C2', 'C3'], ctx());
    const [byNumber] = await erp.served.ordersByNumbers(['O2'], ctx());
    const [shipments3] = await erp.served.shipmentsByCustomers(['C3'], ctx());

    expect(keyedCalls(port)).toBe(0);
    expect(c1).toMatchObject({ value: { number: 'C1' }, stale: false, asOf: new Date(T0) });
    expect(c3).toMatchObject({ value: { number: 'C3' } });
    // Newest first, as the adapter orders them; [] for a customer without rows.
    expect(orders1 && !(orders1 instanceof Error) && orders1.value.map((o) => o.number)).toEqual(['O2', 'O1']);
    expect(orders3).toMatchObject({ value: [] });
    expect(open1).toMatchObject({ value: [{ number: 'I1' }] });
    expect(open2).toMatchObject({ value: [{ number: 'I2' }] });
    expect(open3).toMatchObject({ value: [] });
    expect(byNumber).toMatchObject({ value: { number: 'O2' } });
    expect(shipments3).toMatchObject({ value: [] });
    // Paged: 3 customers at 2 rows a page is 2 pages.
    expect(port.scans.filter((s) => s.set === 'customers')).toHaveLength(2);
    expect(await metricValue(registry, 'erp_replica_rows', { set: 'customers' })).toBe(3);
    expect(await metricValue(registry, 'erp_replica_ready', {})).toBe(1);
  });

  it('a delta poll brings a new order into its customer list and by number, and drops an invoice that left Open', async () => {
    const { clock, port, erp, replica } = setup();
    await replica.fullLoad();
    clock.advance(1_000);
    port.orders.push({ ...order('O3', 'C3'), orderDate: '2025-01-06' });
    port.touch('salesOrders', 'O3', clock.now());
    port.invoices = port.invoices.map((i) => (i.number === 'I1' ? { ...i, status: 'paid' as const } : i));
    port.touch('salesInvoices', 'I1', clock.now());
    port.scans.length = 0;

    expect(await replica.poll()).toBe(true);
    // Deltas since the watermark (the newest modification seen) minus the 2 s overlap.
    const orderScan = port.scans.find((s) => s.set === 'salesOrders');
    expect(orderScan?.request.modifiedSince).toBe(new Date(T0 - 60_000 - 2_000).toISOString());

    const [orders3] = await erp.served.ordersByCustomers(['C3'], ctx());
    const [o3] = await erp.served.ordersByNumbers(['O3'], ctx());
    const [open1] = await erp.served.openInvoicesByCustomers(['C1'], ctx());
    expect(orders3).toMatchObject({ value: [{ number: 'O3' }], asOf: new Date(T0 + 1_000), stale: false });
    expect(o3).toMatchObject({ value: { number: 'O3' } });
    expect(open1).toMatchObject({ value: [] });
    // Unchanged entries are confirmed by the successful poll, not re-read.
    const [c2] = await erp.served.customersByNumbers(['C2'], ctx());
    const [orders1] = await erp.served.ordersByCustomers(['C1'], ctx());
    expect(c2).toMatchObject({ asOf: new Date(T0 + 1_000), stale: false });
    expect(orders1).toMatchObject({ asOf: new Date(T0 + 1_000), value: [{ number: 'O2' }, { number: 'O1' }] });
    expect(keyedCalls(port)).toBe(0);

    // The next delta starts from the new watermark.
    port.scans.length = 0;
    clock.advance(1_000);
    await replica.poll();
    expect(port.scans.find((s) => s.set === 'salesOrders')?.request.modifiedSince).toBe(
      new Date(T0 + 1_000 - 2_000).toISOString(),
    );
  });

  it('failed polls let the entries age into stale answers (stale-if-error), never errors', async () => {
    const { clock, port, erp, replica, registry } = setup();
    await replica.fullLoad();
    port.scanFailure = outage();
    port.failure = outage();
    // Orders by customer live 30 s (their TTL, above the 3-poll floor) past the last sync.
    clock.advance(31_000);
    expect(await replica.poll()).toBe(false);
    expect(await metricValue(registry, 'erp_replica_sync_failures_total', { set: 'salesOrders' })).toBeGreaterThan(0);
    const [orders1] = await erp.served.ordersByCustomers(['C1'], ctx());
    await flush();
    expect(orders1).toMatchObject({ value: [{ number: 'O2' }, { number: 'O1' }], stale: true, asOf: new Date(T0) });
    // The replica does not claim a sync it did not make.
    expect(replica.status().sets.salesOrders.lastSyncMs).toBe(T0);
  });

  it('does not publish rows read before a write that invalidated them while the scan was running', async () => {
    const { clock, port, erp, replica } = setup();
    let release!: () => void;
    port.gate = { set: 'salesOrders', until: new Promise<void>((resolve) => (release = resolve)) };
    const loading = replica.fullLoad();
    for (let i = 0; i < 50 && !port.scans.some((s) => s.set === 'salesOrders'); i += 1) await flush();
    expect(port.scans.some((s) => s.set === 'salesOrders')).toBe(true);
    // The orders page was read at T0; a createSalesOrder for C1 lands before the scan publishes.
    clock.advance(10);
    await erp.createSalesOrder({ customerNumber: 'C1', externalDocumentNumber: 'Q-1', lines: [] }, ctx());
    release();
    expect(await loading).toBe(true);

    const [orders1, orders2] = await erp.served.ordersByCustomers(['C1', 'C2'], ctx());
    // C1's list is read again by key (with the new order), not the replica's pre-write list as fresh.
    expect(orders1 && !(orders1 instanceof Error) && orders1.value.map((o) => o.number)).toContain('1002');
    expect(port.callsTo('ordersByCustomers').map((c) => c.keys)).toEqual([['C1']]);
    expect(orders1).toMatchObject({ asOf: new Date(T0 + 10), stale: false });
    expect(orders2).toMatchObject({ asOf: new Date(T0), value: [] });
  });

  it('until every set has loaded once, retries only the sets that failed, with backoff', async () => {
    // No retries of the shield's own: each failed scan is one request, counted below.
    const { clock, port, erp, replica } = setup(1_000, { maxRetries: 0 });
    port.failingSets.add('salesOrders');
    expect(await replica.fullLoad()).toBe(false);
    expect(replica.status().ready).toBe(false);
    const scansOf = (set: ErpScanSet) => port.scans.filter((s) => s.set === set);

    // Round 1 (backoff 1 poll): the failed set is scanned whole again; the loaded ones by delta only.
    port.scans.length = 0;
    clock.advance(1_000);
    expect(await replica.poll()).toBe(false);
    expect(scansOf('salesOrders').map((s) => s.request)).toEqual([{}]);
    expect(scansOf('customers')[0]?.request.modifiedSince).toBeDefined();
    expect(scansOf('customerFinancialDetails')).toHaveLength(0); // wholly scanned sets keep their cadence

    // Round 2: the set is backing off (2 polls now): not asked at all.
    port.scans.length = 0;
    clock.advance(1_000);
    expect(await replica.poll()).toBe(false);
    expect(scansOf('salesOrders')).toHaveLength(0);
    expect(replica.status().ready).toBe(false);

    // Round 3: retried, succeeds; the replica is ready and every customer has its order list.
    port.failingSets.clear();
    port.scans.length = 0;
    clock.advance(1_000);
    expect(await replica.poll()).toBe(true);
    expect(scansOf('salesOrders')).toHaveLength(1);
    expect(replica.status().ready).toBe(true);
    const [orders1, orders3] = await erp.served.ordersByCustomers(['C1', 'C3'], ctx());
    expect(orders1 && !(orders1 instanceof Error) && orders1.value.map((o) => o.number)).toEqual(['O2', 'O1']);
    expect(orders3).toMatchObject({ value: [], asOf: new Date(T0 + 3_000) });
    expect(keyedCalls(port)).toBe(0);
  });

  it('is off by default', () => {
    expect(parseShieldOptions({}).erpReplica).toEqual({ enabled: false, pollMs: 5_000 });
    const shield = createShield(parseShieldOptions({}), { registry: new Registry(), clock: manualClock() });
    expect(shield.erp(new ScanningErp()).replica).toBeUndefined();
  });
});

describe('keyed cache set()', () => {
  it('a value set while a keyed read is in flight is not overwritten by that read', async () => {
    const clock = manualClock();
    const source = batchSource(new Map([['k', 'old']]));
    const cache = createKeyedCache<string>({
      kind: 'erp.customer',
      backend: 'erp',
      policy: parseShieldOptions({}).caches['erp.customer'],
      enabled: true,
      loadBatch: startAtOnce(source.load),
      metrics: createShieldMetrics(new Registry()),
      clock,
    });
    source.backend.hold();
    const reading = cache.getMany(['k'], ctx());
    await flush();
    clock.advance(10);
    cache.set('k', 'new', clock.now());
    source.backend.release();
    await reading;
    const [after] = await cache.getMany(['k'], ctx());
    expect(after).toMatchObject({ value: 'new', asOf: new Date(T0 + 10) });
    expect(source.backend.calls).toHaveLength(1);
  });

  it('keeps an entry read after the asOf of a set', async () => {
    const clock = manualClock();
    const source = batchSource(new Map([['k', 'read']]));
    const cache = createKeyedCache<string>({
      kind: 'erp.customer',
      backend: 'erp',
      policy: parseShieldOptions({}).caches['erp.customer'],
      enabled: true,
      loadBatch: startAtOnce(source.load),
      metrics: createShieldMetrics(new Registry()),
      clock,
    });
    clock.advance(100);
    await cache.getMany(['k'], ctx());
    cache.set('k', 'older', T0 + 50);
    expect(await cache.getMany(['k'], ctx())).toMatchObject([{ value: 'read' }]);
  });
});
