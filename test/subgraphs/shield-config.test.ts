// The SHIELD_* variables (config-contract.md, issue 3) as both subgraphs' config modules read them.
import { describe, expect, it } from 'vitest';
import { defaultShieldOptions } from '../../shield/index.js';
import { loadErpSubgraphConfig } from '../../subgraphs/erp/index.js';
import { loadSalesforceSubgraphConfig } from '../../subgraphs/salesforce/index.js';

describe('SHIELD_* configuration', () => {
  it('defaults to the shield defaults in both subgraphs', () => {
    expect(loadErpSubgraphConfig({}).shield).toEqual(defaultShieldOptions);
    expect(loadSalesforceSubgraphConfig({}).shield).toEqual(defaultShieldOptions);
  });

  it('maps every variable onto the shield options', () => {
    const env = {
      SHIELD_CACHE_ENABLED: 'false',
      SHIELD_CACHE_TTLS_MS: '{"erp.customer": 5000, "sf.account": 7000}',
      SHIELD_MAX_STALE_MS: '60000',
      SHIELD_ERP_MAX_IN_FLIGHT: '4',
      SHIELD_ERP_QUEUE: '0',
      SHIELD_SALESFORCE_MAX_IN_FLIGHT: '32',
      SHIELD_SALESFORCE_QUEUE: '256',
      SHIELD_READ_TIMEOUT_MS: '1500',
      SHIELD_BREAKER_FAILURES: '3',
      SHIELD_BREAKER_HALF_OPEN_MS: '250',
    };
    for (const { shield } of [loadErpSubgraphConfig(env), loadSalesforceSubgraphConfig(env)]) {
      expect(shield.cacheEnabled).toBe(false);
      expect(shield.caches['erp.customer']).toMatchObject({
        ttlMs: 5_000,
        maxStaleMs: 60_000,
        staleWhileRevalidateMs: 5_000,
      });
      expect(shield.caches['sf.account']).toMatchObject({ ttlMs: 7_000, maxStaleMs: 60_000 });
      // Kinds not named keep their own TTL; the staleness bound applies to all.
      expect(shield.caches['erp.item']).toMatchObject({
        ttlMs: 300_000,
        maxStaleMs: 60_000,
        staleWhileRevalidateMs: 60_000,
      });
      expect(shield.erp).toMatchObject({
        maxConcurrent: 4,
        maxQueue: 0,
        readTimeoutMs: 1_500,
        breakerThreshold: 3,
        halfOpenAfterMs: 250,
      });
      expect(shield.salesforce).toMatchObject({
        maxConcurrent: 32,
        maxQueue: 256,
        readTimeoutMs: 1_500,
        breakerThreshold: 3,
        halfOpenAfterMs: 250,
      });
    }
  });

  it('maps SHIELD_ERP_REPLICA and SHIELD_ERP_REPLICA_POLL_MS (off and 5000 by default)', () => {
    expect(loadErpSubgraphConfig({}).shield.erpReplica).toEqual({ enabled: false, pollMs: 5_000 });
    expect(
      loadErpSubgraphConfig({ SHIELD_ERP_REPLICA: 'on', SHIELD_ERP_REPLICA_POLL_MS: '2000' }).shield.erpReplica,
    ).toEqual({
      enabled: true,
      pollMs: 2_000,
    });
  });

  it('treats empty values as unset', () => {
    expect(loadErpSubgraphConfig({ SHIELD_CACHE_ENABLED: '', SHIELD_CACHE_TTLS_MS: '' }).shield).toEqual(
      defaultShieldOptions,
    );
  });

  it.each([
    [{ SHIELD_CACHE_ENABLED: 'yes' }, /SHIELD_CACHE_ENABLED: must be true or false/],
    [{ SHIELD_CACHE_TTLS_MS: '{erp.customer: 5}' }, /SHIELD_CACHE_TTLS_MS: must be a JSON object/],
    [{ SHIELD_CACHE_TTLS_MS: '{"erp.nope": 5}' }, /SHIELD_CACHE_TTLS_MS.*unknown cache kind/],
    [{ SHIELD_CACHE_TTLS_MS: '{"erp.customer": 0}' }, /SHIELD_CACHE_TTLS_MS.erp.customer/],
    [{ SHIELD_ERP_MAX_IN_FLIGHT: '0' }, /SHIELD_ERP_MAX_IN_FLIGHT/],
    [{ SHIELD_BREAKER_HALF_OPEN_MS: 'soon' }, /SHIELD_BREAKER_HALF_OPEN_MS/],
    [{ SHIELD_ERP_REPLICA: 'true' }, /SHIELD_ERP_REPLICA: must be on or off/],
    [{ SHIELD_ERP_REPLICA_POLL_MS: '10' }, /SHIELD_ERP_REPLICA_POLL_MS/],
  ])('rejects %o naming the variable', (env, message) => {
    expect(() => loadErpSubgraphConfig(env)).toThrow(message);
    expect(() => loadSalesforceSubgraphConfig(env)).toThrow(message);
  });
});
