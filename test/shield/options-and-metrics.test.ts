// Shield options (defaults, partial overrides, clear errors) and the GraphQL operation histogram.
import { describe, expect, it } from 'vitest';
import { readPublishedOperationNames } from '../../lib/published-operations.js';
import { createGraphqlOperationMetrics } from '../../shield/metrics.js';
import { defaultShieldOptions, parseShieldOptions } from '../../shield/options.js';
import { Registry } from './fakes.js';

describe('shield options', () => {
  it('has the documented defaults', () => {
    expect(defaultShieldOptions.cacheEnabled).toBe(true);
    expect(defaultShieldOptions.erp).toMatchObject({
      maxConcurrent: 8,
      maxQueue: 64,
      maxRetries: 2,
      breakerThreshold: 5,
      halfOpenAfterMs: 5_000,
    });
    expect(defaultShieldOptions.salesforce).toMatchObject({ maxConcurrent: 16, maxQueue: 128 });
    expect(defaultShieldOptions.caches['erp.openInvoicesByCustomer'].ttlMs).toBe(30_000);
    expect(defaultShieldOptions.caches['erp.customer']).toEqual({
      ttlMs: 60_000,
      settledTtlMs: 60_000,
      staleWhileRevalidateMs: 60_000,
      maxStaleMs: 900_000,
      absentTtlMs: 15_000,
      maxEntries: 50_000,
    });
  });

  it('derives the revalidate window and negative TTL from an overridden TTL', () => {
    const options = parseShieldOptions({ caches: { 'erp.item': { ttlMs: 5_000 } }, erp: { maxConcurrent: 2 } });
    expect(options.caches['erp.item']).toMatchObject({
      ttlMs: 5_000,
      staleWhileRevalidateMs: 5_000,
      absentTtlMs: 5_000,
    });
    expect(options.erp).toMatchObject({ maxConcurrent: 2, maxQueue: 64 });
  });

  it('rejects bad values and unknown keys, naming each path', () => {
    expect(() =>
      parseShieldOptions({
        erp: { maxConcurrent: 0 },
        caches: { 'erp.item': { staleWhileRevalidateMs: 10, maxStaleMs: 5 }, 'erp.nope': {} },
      }),
    ).toThrow(
      /erp\.maxConcurrent[\s\S]*caches\["erp\.item"\]: staleWhileRevalidateMs must not exceed maxStaleMs[\s\S]*Unrecognized key/,
    );
  });
});

describe('graphql_operation_duration_seconds', () => {
  it('observes operations by name, type and outcome, with a bounded set of names', async () => {
    const registry = new Registry();
    const graphql = createGraphqlOperationMetrics(registry, new Set(['Customer360', 'SubmitQuote']));
    graphql.observe({ operationName: 'Customer360', operationType: 'query', outcome: 'success' }, 0.02);
    graphql.observe({ operationName: 'SubmitQuote', operationType: 'mutation', outcome: 'error' }, 0.3);
    graphql.observe({ operationName: 'Third', operationType: 'query', outcome: 'success' }, 0.01);
    graphql.startTimer()({ operationName: null, operationType: 'query', outcome: 'success' });
    const text = await registry.metrics();
    expect(text).toContain(
      'graphql_operation_duration_seconds_count{operation_name="Customer360",operation_type="query",outcome="success"} 1',
    );
    expect(text).toContain(
      'graphql_operation_duration_seconds_count{operation_name="SubmitQuote",operation_type="mutation",outcome="error"} 1',
    );
    expect(text).toContain(
      'graphql_operation_duration_seconds_count{operation_name="(other)",operation_type="query",outcome="success"} 1',
    );
    expect(text).toContain(
      'graphql_operation_duration_seconds_count{operation_name="(anonymous)",operation_type="query",outcome="success"} 1',
    );
  });

  it('labels only published names: junk names cannot take the first-party labels', async () => {
    const registry = new Registry();
    const published = readPublishedOperationNames();
    expect(published).toContain('Customer360');
    const graphql = createGraphqlOperationMetrics(registry, published);
    for (let i = 0; i < 500; i += 1)
      graphql.observe({ operationName: `Junk${i}`, operationType: 'query', outcome: 'success' }, 0.01);
    graphql.observe({ operationName: 'Customer360', operationType: 'query', outcome: 'success' }, 0.02);
    // What a subgraph sees: the query planner names its fetch after the client operation.
    graphql.observe({ operationName: 'Customer360__erp__1', operationType: 'query', outcome: 'success' }, 0.02);
    graphql.observe({ operationName: 'Junk1__erp__1', operationType: 'query', outcome: 'success' }, 0.02);
    const text = await registry.metrics();
    expect(text).toContain(
      'graphql_operation_duration_seconds_count{operation_name="Customer360",operation_type="query",outcome="success"} 2',
    );
    expect(text).toContain(
      'graphql_operation_duration_seconds_count{operation_name="(other)",operation_type="query",outcome="success"} 501',
    );
    expect(text).not.toMatch(/operation_name="Junk/);
  });
});
