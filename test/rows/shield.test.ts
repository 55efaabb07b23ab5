// Row queries behind the shield (shield/row-query-cache.ts): the resilience policy around every ERP
// call, a short-TTL page cache keyed by the canonical query (hits counted in the shield metrics),
// identical queries in flight sharing one call, writes dropping every page, the 2,000-row cap.
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { BackendError } from '../../lib/backend-error.js';
import type { CallContext } from '../../lib/call-context.js';
import {
  ErpRowQueryError,
  type ErpOrder,
  type ErpPort,
  type RowPage,
  type RowQuery,
  type RowSet,
} from '../../connectors/erp/port.js';
import { createShield, parseShieldOptions, type ShieldOptionsInput } from '../../shield/index.js';
import { canonicalJson } from '../../shield/row-query-cache.js';

const ctx: CallContext = { correlationId: 'shield-rows' };

function fakePort() {
  const calls: Array<{ set: RowSet; query: RowQuery }> = [];
  let failure: Error | null = null;
  let gate: Promise<void> | null = null;
  const unused = () => Promise.reject(new Error('not used here'));
  const port: ErpPort = {
    adapter: 'fake',
    customersByNumbers: unused,
    financialsByCustomers: unused,
    paymentTermsByIds: unused,
    openInvoicesByCustomers: unused,
    ordersByCustomers: unused,
    ordersByNumbers: unused,
    ordersByExternalDocumentNumbers: unused,
    shipmentsByCustomers: unused,
    shipmentsByOrderNumbers: unused,
    itemsByNumbers: unused,
    createSalesOrder: async (order) => ({ number: 'SO-9', customerNumber: order.customerNumber }) as ErpOrder,
    ping: async () => {},
    async queryRows<S extends RowSet>(set: S, query: RowQuery): Promise<RowPage<S>> {
      calls.push({ set, query });
      if (gate) await gate;
      if (failure) throw failure;
      return { rows: [], totalCount: query.count ? calls.length : null };
    },
  };
  return {
    port,
    calls,
    fail: (error: Error | null) => void (failure = error),
    hold: () => {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = null;
        release();
      };
    },
  };
}

function shielded(options: ShieldOptionsInput = {}) {
  let now = Date.UTC(2026, 10, 24, 12);
  const registry = new Registry();
  const fake = fakePort();
  const shield = createShield(parseShieldOptions({ erp: { maxRetries: 0, breakerThreshold: 1 }, ...options }), {
    registry,
    clock: { now: () => now },
  });
  const erp = shield.erp(fake.port);
  return { erp, fake, registry, advance: (ms: number) => void (now += ms) };
}

const query: RowQuery = {
  filter: { kind: 'compare', field: 'customerNumber', op: 'eq', value: 'C1' },
  top: 26,
  count: true,
};

describe('the row-page cache', () => {
  it('serves a warm repeat from memory until the TTL passes, and counts hits and misses', async () => {
    const { erp, fake, registry, advance } = shielded({ rowQueries: { ttlMs: 5_000 } });
    const first = await erp.servedRows('salesInvoices', query, ctx);
    const again = await erp.servedRows(
      'salesInvoices',
      { count: true, top: 26, filter: { value: 'C1', op: 'eq', field: 'customerNumber', kind: 'compare' } },
      ctx,
    );
    expect(fake.calls).toHaveLength(1);
    expect(again).toEqual(first);
    expect(first.stale).toBe(false);
    advance(5_001);
    await erp.queryRows('salesInvoices', query, ctx);
    expect(fake.calls).toHaveLength(2);
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/cache_requests_total\{kind="erp\.rows",result="hit"\} 1/);
    expect(metrics).toMatch(/cache_requests_total\{kind="erp\.rows",result="miss"\} 2/);
    expect(metrics).toMatch(/cache_entries\{kind="erp\.rows"\} 1/);
  });

  it('keys by the whole query: another page, count or set is another entry', async () => {
    const { erp, fake } = shielded();
    await erp.queryRows('salesInvoices', query, ctx);
    await erp.queryRows('salesInvoices', { ...query, skip: 26 }, ctx);
    await erp.queryRows('salesInvoices', { ...query, count: false }, ctx);
    await erp.queryRows('salesShipments', query, ctx);
    expect(fake.calls).toHaveLength(4);
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
  });

  it('shares one ERP call between identical queries in flight', async () => {
    const { erp, fake } = shielded();
    const release = fake.hold();
    const pages = [
      erp.queryRows('salesInvoices', query, ctx),
      erp.queryRows('salesInvoices', query, ctx),
      erp.queryRows('salesInvoices', query, ctx),
    ];
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await Promise.all(pages);
    expect(fake.calls).toHaveLength(1);
  });

  it('drops every page after a write', async () => {
    const { erp, fake } = shielded();
    await erp.queryRows('salesOrders', query, ctx);
    await erp.createSalesOrder(
      { customerNumber: 'C1', externalDocumentNumber: 'SFQ-1', lines: [{ itemNumber: 'I', quantity: 1 }] },
      ctx,
    );
    await erp.queryRows('salesOrders', query, ctx);
    expect(fake.calls).toHaveLength(2);
  });

  it('with the cache off, every query reaches the ERP', async () => {
    const { erp, fake } = shielded({ cacheEnabled: false });
    await erp.queryRows('items', { top: 5 }, ctx);
    await erp.queryRows('items', { top: 5 }, ctx);
    expect(fake.calls).toHaveLength(2);
  });
});

describe('the resilience policy', () => {
  it('caps a page at 2,000 rows before asking the ERP', async () => {
    const { erp, fake } = shielded();
    await expect(erp.queryRows('items', { top: 2001 }, ctx)).rejects.toThrow(/at most 2000 rows/);
    expect(fake.calls).toEqual([]);
  });

  it("a query the adapter refuses is the caller's: not retried, not cached, the circuit stays closed", async () => {
    const { erp, fake, registry } = shielded({ erp: { maxRetries: 2, breakerThreshold: 1 } });
    fake.fail(new ErpRowQueryError('unsupported', 'salesInvoices: nope'));
    await expect(erp.queryRows('salesInvoices', query, ctx)).rejects.toBeInstanceOf(ErpRowQueryError);
    expect(fake.calls).toHaveLength(1);
    fake.fail(null);
    await erp.queryRows('salesInvoices', query, ctx);
    expect(fake.calls).toHaveLength(2);
    expect(await registry.metrics()).toMatch(/circuit_breaker_state\{backend="erp"\} 0/);
  });

  it('an outage is retried, then opens the circuit: later queries fail fast without an ERP call', async () => {
    const { erp, fake } = shielded({
      erp: { maxRetries: 1, retryInitialDelayMs: 1, retryMaxDelayMs: 1, breakerThreshold: 2 },
    });
    fake.fail(new BackendError('erp', 'unavailable', 'down'));
    await expect(erp.queryRows('salesInvoices', query, ctx)).rejects.toMatchObject({ failure: 'unavailable' });
    expect(fake.calls).toHaveLength(2);
    await expect(erp.queryRows('salesInvoices', { ...query, skip: 1 }, ctx)).rejects.toMatchObject({
      reason: 'circuit_open',
    });
    expect(fake.calls).toHaveLength(2);
  });

  it('a port without row queries is refused as unsupported', async () => {
    const registry = new Registry();
    const { port } = fakePort();
    const { queryRows: _omitted, ...withoutRows } = port;
    const erp = createShield(parseShieldOptions({}), { registry }).erp(withoutRows);
    await expect(erp.queryRows('items', { top: 5 }, ctx)).rejects.toThrow(/serves no row queries/);
  });
});
