// The shielded ERP port and Salesforce connector as a subgraph uses them: same interfaces, one
// backend call per entity kind per tick, freshness for asOf/stale, degraded answers while the ERP is
// down (stale from cache, fail fast once the breaker opens, recovery through a half-open probe),
// writes never retried and invalidating what they touch. Fake timers (Date included) drive the
// caches' clock and cockatiel's.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackendError } from '../../lib/backend-error.js';
import { createShield, parseShieldOptions, ShieldRejectedError, type ShieldOptionsInput } from '../../shield/index.js';
import { account, customer, ctx, FakeErp, FakeSalesforce, metricValue, order, outage, Registry, T0 } from './fakes.js';

function setup(input: ShieldOptionsInput = {}) {
  const registry = new Registry();
  const shield = createShield(parseShieldOptions(input), { registry });
  const port = new FakeErp();
  for (const n of ['C1', 'C2', 'C3']) port.customers.set(n, customer(n));
  port.orders.push(order('500', 'C1'));
  const erp = shield.erp(port);
  const sfBackend = new FakeSalesforce();
  sfBackend.accounts.set('001A', account('001A', 'C1'));
  sfBackend.accounts.set('001B', account('001B', 'C2'));
  const sf = shield.salesforce(sfBackend);
  return { registry, shield, port, erp, sfBackend, sf };
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('shielded ERP port: reads', () => {
  it('keeps the ErpPort contract and asks the ERP once per entity kind, however many keys and callers', async () => {
    const { erp, port } = setup();
    const [customers, again, orders] = await Promise.all([
      erp.customersByNumbers(['C1', 'C2', 'NOPE'], ctx('r1')),
      erp.customersByNumbers(['C2', 'C3'], ctx('r2')),
      erp.ordersByCustomers(['C1', 'C2'], ctx('r1')),
    ]);
    expect([...customers.keys()]).toEqual(['C1', 'C2']);
    expect([...again.keys()]).toEqual(['C2', 'C3']);
    expect(orders.get('C1')!.map((o) => o.number)).toEqual(['500']);
    expect(port.callsTo('customersByNumbers').map((c) => c.keys)).toEqual([['C1', 'C2', 'NOPE', 'C3']]);
    expect(port.callsTo('ordersByCustomers')).toHaveLength(1);

    await erp.customersByNumbers(['C1', 'C3', 'NOPE'], ctx()); // all cached, the absent one too
    expect(port.callsTo('customersByNumbers')).toHaveLength(1);
  });

  it('serves values with asOf and stale for the ERP-backed types, aligned with the keys', async () => {
    const { erp } = setup();
    await erp.customersByNumbers(['C1'], ctx());
    await vi.advanceTimersByTimeAsync(61_000); // past erp.customer's 60 s TTL
    const [c1, none] = await erp.served.customersByNumbers(['C1', 'NOPE'], ctx());
    expect(c1).toEqual({ value: customer('C1'), asOf: new Date(T0), stale: true });
    expect(none).toBeNull();
  });

  it('never caches the lookup by external document number (submitQuote recovery must see the ERP now)', async () => {
    const { erp, port } = setup();
    await erp.ordersByExternalDocumentNumbers(['Q-1'], ctx());
    await erp.ordersByExternalDocumentNumbers(['Q-1'], ctx());
    expect(port.callsTo('ordersByExternalDocumentNumbers')).toHaveLength(2);
  });

  it('with the cache disabled, still batches each tick but stores nothing', async () => {
    const { erp, port } = setup({ cacheEnabled: false });
    await Promise.all([erp.customersByNumbers(['C1'], ctx()), erp.customersByNumbers(['C2'], ctx())]);
    await erp.customersByNumbers(['C1'], ctx());
    expect(port.callsTo('customersByNumbers').map((c) => c.keys)).toEqual([['C1', 'C2'], ['C1']]);
  });
});

describe('shielded ERP port: the ERP goes down', () => {
  it('serves cached values as stale, fails fast once the breaker opens, and recovers via a probe', async () => {
    const { erp, port, registry } = setup({ erp: { maxRetries: 0, breakerThreshold: 2, halfOpenAfterMs: 5_000 } });
    await erp.customersByNumbers(['C1', 'C2'], ctx());
    port.failure = outage();
    await vi.advanceTimersByTimeAsync(121_000); // past TTL + revalidate window: callers wait for the refresh

    // Known customers come back stale; one never seen fails with the outage (ERP_UNAVAILABLE there).
    const first = await erp.served.customersByNumbers(['C1', 'C2', 'C3'], ctx());
    expect(first[0]).toMatchObject({ value: { number: 'C1' }, asOf: new Date(T0), stale: true });
    expect(first[1]).toMatchObject({ value: { number: 'C2' }, stale: true });
    expect(first[2]).toBeInstanceOf(BackendError);
    expect((first[2] as BackendError).isOutage).toBe(true);

    await erp.served.customersByNumbers(['C1'], ctx()); // second consecutive failure: the circuit opens
    expect(erp.policy.load().breaker).toBe('open');
    const callsWhenOpened = port.calls.length;

    const whileOpen = await erp.served.customersByNumbers(['C1', 'C3'], ctx());
    expect(whileOpen[0]).toMatchObject({ value: { number: 'C1' }, stale: true });
    expect(whileOpen[1]).toBeInstanceOf(ShieldRejectedError);
    await expect(erp.customersByNumbers(['C3'], ctx())).rejects.toMatchObject({ reason: 'circuit_open' });
    expect(port.calls.length).toBe(callsWhenOpened); // failing fast: the ERP is left alone
    expect(await metricValue(registry, 'cache_requests_total', { kind: 'erp.customer', result: 'stale' })).toBe(4);

    port.failure = null;
    await vi.advanceTimersByTimeAsync(5_000);
    const recovered = await erp.served.customersByNumbers(['C1', 'C3'], ctx()); // the probe
    expect(erp.policy.load().breaker).toBe('closed');
    expect(recovered[0]).toMatchObject({ value: { number: 'C1' }, asOf: new Date(Date.now()), stale: false });
    expect(recovered[1]).toMatchObject({ value: { number: 'C3' }, stale: false });
  });
});

describe('shielded ERP port: writes', () => {
  it('never retries createSalesOrder, even after an outage', async () => {
    const { erp, port } = setup();
    port.failure = outage();
    const input = { customerNumber: 'C1', externalDocumentNumber: 'Q-1', lines: [{ itemNumber: 'I1', quantity: 1 }] };
    await expect(erp.createSalesOrder(input, ctx())).rejects.toMatchObject({ failure: 'unavailable' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(port.callsTo('createSalesOrder')).toHaveLength(1);
  });

  it("drops the customer's cached orders after creating one, so the next read sees it", async () => {
    const { erp, port } = setup();
    expect((await erp.ordersByCustomers(['C1'], ctx())).get('C1')).toHaveLength(1);
    const created = await erp.createSalesOrder(
      { customerNumber: 'C1', externalDocumentNumber: 'Q-1', lines: [] },
      ctx(),
    );
    const orders = (await erp.ordersByCustomers(['C1'], ctx())).get('C1')!;
    expect(orders.map((o) => o.number)).toEqual(['500', created.number]);
    expect(port.callsTo('ordersByCustomers')).toHaveLength(2);
  });
});

describe('shielded Salesforce connector', () => {
  it('caches keyed reads, not list queries, and serves freshness', async () => {
    const { sf, sfBackend } = setup();
    await sf.accountsByIds(['001A', '001B'], ctx());
    const served = await sf.served.accountsByIds(['001A', '001X'], ctx());
    expect(served).toEqual([{ value: account('001A', 'C1'), asOf: new Date(T0), stale: false }, null]);
    await sf.listAccounts({ first: 10 }, ctx());
    await sf.listAccounts({ first: 10 }, ctx());
    expect(sfBackend.callsTo('accountsByIds')).toHaveLength(2); // the first load, then '001X' (never seen)
    expect(sfBackend.callsTo('listAccounts')).toHaveLength(2);
    expect(sf.apiUsage()).toEqual({ used: 1, limit: 100 });
  });

  it('invalidates the account it updated; other kinds through shield.invalidate', async () => {
    const { shield, sf, sfBackend } = setup();
    await sf.accountsByIds(['001A'], ctx());
    await sf.accountsByErpNumbers(['C1'], ctx());
    await sf.updateAccount('001A', { name: 'Renamed' }, ctx());
    expect((await sf.accountsByIds(['001A'], ctx())).get('001A')!.name).toBe('Renamed');
    expect((await sf.accountsByErpNumbers(['C1'], ctx())).get('C1')!.name).toBe('Account 001A'); // still cached
    shield.invalidate('sf.accountByErpNumber', ['C1']);
    expect((await sf.accountsByErpNumbers(['C1'], ctx())).get('C1')!.name).toBe('Renamed');
    expect(sfBackend.callsTo('accountsByIds')).toHaveLength(2);
    expect(sfBackend.callsTo('accountsByErpNumbers')).toHaveLength(2);
  });
});

describe('createShield', () => {
  it('shields each backend once per process, so breaker and bulkhead are shared', () => {
    const { shield } = setup();
    expect(() => shield.erp(new FakeErp())).toThrow(/already shielded/);
  });

  it('exposes every shield metric in the registry it was given', async () => {
    const { erp, registry } = setup();
    await erp.customersByNumbers(['C1'], ctx());
    const text = await registry.metrics();
    for (const name of [
      'backend_calls_total{backend="erp",operation="customersByNumbers",outcome="success"} 1',
      'backend_call_duration_seconds_count{backend="erp",operation="customersByNumbers"} 1',
      'cache_requests_total{kind="erp.customer",result="miss"} 1',
      'cache_evictions_total',
      'cache_entries{kind="erp.customer"} 1',
      'backend_in_flight{backend="erp"} 0',
      'backend_queue_length{backend="salesforce"} 0',
      'circuit_breaker_state{backend="erp"} 0',
    ]) {
      expect(text).toContain(name);
    }
  });
});
