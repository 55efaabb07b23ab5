// The QUOTE_* variables as the ERP subgraph's config module reads them: the submittable statuses and
// the settle window (the ERP call's timeout plus the longest commit delay the deployment expects).
import { describe, expect, it } from 'vitest';
import { loadErpSubgraphConfig } from '../../subgraphs/erp/index.js';
import { TEST_FORWARDING_ENV } from '../support/identity.js';

const load = (env: Record<string, string>) => loadErpSubgraphConfig({ ...TEST_FORWARDING_ENV, ...env }).quoteToOrder;

describe('quote-to-order configuration', () => {
  it('defaults: only Approved quotes; the window is ERP_TIMEOUT_MS + 10 minutes (Business Central’s own request limit)', () => {
    expect(load({})).toEqual({ submittableStatuses: ['Approved'], settleMs: 10_000 + 600_000 });
  });

  it('QUOTE_SUBMITTABLE_STATUSES: comma-separated picklist values, trimmed, de-duplicated, exact case', () => {
    expect(load({ QUOTE_SUBMITTABLE_STATUSES: ' Approved, Accepted ,Approved' }).submittableStatuses).toEqual([
      'Approved',
      'Accepted',
    ]);
    expect(load({ QUOTE_SUBMITTABLE_STATUSES: 'In Review' }).submittableStatuses).toEqual(['In Review']);
    expect(() => load({ QUOTE_SUBMITTABLE_STATUSES: ' , ' })).toThrow(/QUOTE_SUBMITTABLE_STATUSES/);
  });

  it('the settle window follows ERP_TIMEOUT_MS and QUOTE_ERP_COMMIT_DELAY_MS', () => {
    expect(load({ ERP_TIMEOUT_MS: '3000', QUOTE_ERP_COMMIT_DELAY_MS: '60000' }).settleMs).toBe(63_000);
    expect(load({ QUOTE_ERP_COMMIT_DELAY_MS: '0' }).settleMs).toBe(10_000);
    expect(() => load({ QUOTE_ERP_COMMIT_DELAY_MS: '-1' })).toThrow(/QUOTE_ERP_COMMIT_DELAY_MS/);
    expect(() => load({ QUOTE_ERP_COMMIT_DELAY_MS: 'soon' })).toThrow(/QUOTE_ERP_COMMIT_DELAY_MS/);
  });
});
