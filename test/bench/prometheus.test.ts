import { describe, expect, it } from 'vitest';
import { metricSum, metricValue } from '../../bench/prometheus.js';
import { percentile, summarizeLatencies } from '../../bench/percentiles.js';
import { CUSTOMER_360, customer360WithFreshness, freshnessFromIntrospection } from '../../bench/queries.js';

const TEXT = `# HELP circuit_breaker_state Circuit breaker state per backend: 0 closed, 1 half-open, 2 open.
# TYPE circuit_breaker_state gauge
circuit_breaker_state{backend="erp"} 2
circuit_breaker_state{backend="salesforce"} 0
circuit_breaker_state_other{backend="erp"} 9
backend_calls_total{backend="erp",operation="customers",outcome="circuit_open"} 3
backend_calls_total{backend="erp",operation="orders",outcome="circuit_open"} 4
backend_calls_total{backend="erp",operation="orders",outcome="success"} 40
`;

describe('bench metrics reading', () => {
  it('reads one labelled sample and sums a counter over labels', () => {
    expect(metricValue(TEXT, 'circuit_breaker_state', { backend: 'erp' })).toBe(2);
    expect(metricValue(TEXT, 'circuit_breaker_state', { backend: 'salesforce' })).toBe(0);
    expect(metricValue(TEXT, 'circuit_breaker_state', { backend: 'none' })).toBeUndefined();
    expect(metricSum(TEXT, 'backend_calls_total', { backend: 'erp', outcome: 'circuit_open' })).toBe(7);
  });
});

describe('bench percentiles', () => {
  it('uses nearest rank', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(95);
    expect(percentile(sorted, 100)).toBe(100);
    expect(summarizeLatencies([3, 1, 2]).p50Ms).toBe(2);
    expect(Number.isNaN(summarizeLatencies([]).p95Ms)).toBe(true);
  });
});

describe('bench outage query', () => {
  it('adds the freshness fields the schema has to the ERP-backed selections only', () => {
    const freshness = freshnessFromIntrospection({
      credit: { name: 'Credit', fields: [{ name: 'asOf' }, { name: 'stale' }, { name: 'limit' }] },
      invoice: { name: 'Invoice', fields: [{ name: 'number' }] },
      order: { name: 'Order', fields: [{ name: 'stale' }] },
      shipment: null,
    });
    const query = customer360WithFreshness(freshness);
    expect(query).toContain('credit { asOf stale');
    expect(query).toMatch(/orders \{ stale\s+number/);
    expect(query).toContain('openInvoices { number');
    expect(customer360WithFreshness({})).toBe(CUSTOMER_360);
  });
});
