// Planner fixes (connectors/erp/business-central/row-plan.ts) and BC 4xx refusals
// (business-central/row-query.ts): an `or` of `in`s on one property is merged and split like one
// long `in`; a comparison with BC's blank (the port's null) is constant or a null test; a 4xx of
// BC's own is a row-query refusal, not an internal error or an outage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRowQuery } from '../../connectors/erp/row-evaluate.js';
import { BC_ROW_SETS } from '../../connectors/erp/business-central/row-fields.js';
import { MAX_OR_TERMS, planRowFilter, type RowFilterPlan } from '../../connectors/erp/business-central/row-plan.js';
import { ErpRowQueryError, type RowFilter, type RowSet } from '../../connectors/erp/port.js';
import { ctx, startBcFixture, type BcFixture } from './support.js';

const plan = (set: Exclude<RowSet, 'salesOrderLines'>, filter: RowFilter): RowFilterPlan =>
  planRowFilter(set, BC_ROW_SETS[set].fields, filter);
const texts = (p: RowFilterPlan) =>
  p.kind === 'nothing' ? 'nothing' : p.branches.map((b) => (b === null ? null : b.toString()));
const cmp = (field: string, op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le', value: string): RowFilter => ({
  kind: 'compare',
  field,
  op,
  value,
});
const not = (filter: RowFilter): RowFilter => ({ kind: 'not', filter });
const or = (...filters: RowFilter[]): RowFilter => ({ kind: 'or', filters });
const numbers = (from: number, n: number) => Array.from({ length: n }, (_, i) => `SI-${from + i}`);

describe('an or of in lists on one property', () => {
  it('is merged into one in and split into chunks of MAX_OR_TERMS, disjoint', () => {
    // What the OData bridge sends for `Number in (450 values)`: an or of IN lists of 200.
    const filter = or(
      { kind: 'in', field: 'number', values: numbers(0, 200) },
      { kind: 'in', field: 'number', values: numbers(200, 200) },
      { kind: 'in', field: 'number', values: numbers(400, 50) },
      cmp('number', 'eq', 'SI-0'),
    );
    const p = plan('salesInvoices', filter);
    expect(p.kind === 'branches' && p.disjoint).toBe(true);
    const branches = texts(p) as string[];
    expect(branches).toHaveLength(Math.ceil(450 / MAX_OR_TERMS));
    for (const branch of branches) expect(branch.split(' or ').length).toBeLessThanOrEqual(MAX_OR_TERMS);
  });

  it('keeps a single eq as a plain comparison', () => {
    expect(texts(plan('salesInvoices', cmp('number', 'eq', 'SI-1')))).toEqual(["number eq 'SI-1'"]);
    expect(texts(plan('salesInvoices', or(cmp('number', 'eq', 'SI-1'), cmp('number', 'eq', 'SI-2'))))).toEqual([
      "(number eq 'SI-1' or number eq 'SI-2')",
    ]);
  });
});

describe('comparisons with the blank of a nullable field', () => {
  it('eq/lt/le are false, ne true, gt/ge a null test; negated the other way', () => {
    const f = 'externalDocumentNumber';
    expect(texts(plan('salesOrders', cmp(f, 'eq', '')))).toBe('nothing');
    expect(texts(plan('salesOrders', cmp(f, 'lt', '')))).toBe('nothing');
    expect(texts(plan('salesOrders', cmp(f, 'le', '')))).toBe('nothing');
    expect(texts(plan('salesOrders', cmp(f, 'ne', '')))).toEqual([null]);
    expect(texts(plan('salesOrders', cmp(f, 'gt', '')))).toEqual(["externalDocumentNumber ne ''"]);
    expect(texts(plan('salesOrders', not(cmp(f, 'eq', ''))))).toEqual([null]);
    expect(texts(plan('salesOrders', not(cmp(f, 'ne', ''))))).toBe('nothing');
    expect(texts(plan('salesOrders', not(cmp(f, 'ge', ''))))).toEqual(["externalDocumentNumber eq ''"]);
    expect(texts(plan('salesOrders', { kind: 'in', field: f, values: [''] }))).toBe('nothing');
    expect(texts(plan('salesOrders', { kind: 'in', field: f, values: ['', 'X'] }))).toEqual([
      "externalDocumentNumber eq 'X'",
    ]);
  });

  it('the same for the 0001-01-01 blank date', () => {
    expect(texts(plan('salesOrders', cmp('requestedDeliveryDate', 'eq', '0001-01-01')))).toBe('nothing');
    expect(texts(plan('salesOrders', cmp('requestedDeliveryDate', 'ne', '0001-01-01')))).toEqual([null]);
  });
});

describe('against the emulator', () => {
  let fx: BcFixture;
  beforeAll(async () => {
    fx = await startBcFixture({ accounts: 30, invoices: 600 });
  });
  afterAll(() => fx.close());
  const faults = (body: object) =>
    fetch(`${fx.emulator.url}/__emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('eq / ne the blank answer as the port does (no null row for eq, every row for ne)', async () => {
    for (const op of ['eq', 'ne'] as const) {
      const query = { filter: cmp('externalDocumentNumber', op, ''), top: 50, count: true };
      const expected = applyRowQuery('salesOrders', fx.rows('salesOrders'), query);
      const actual = await fx.port.queryRows('salesOrders', query, ctx);
      expect(actual.totalCount).toBe(expected.totalCount);
      expect(actual.rows).toEqual(expected.rows);
    }
  });

  it('a 450-value in sent as an or of in lists: answered, in several short requests', async () => {
    const all = fx.rows('salesInvoices').map((i) => i.number);
    const values = all.slice(0, 450);
    const filter = or(
      { kind: 'in', field: 'number', values: values.slice(0, 200) },
      { kind: 'in', field: 'number', values: values.slice(200, 400) },
      { kind: 'in', field: 'number', values: values.slice(400) },
    );
    const page = await fx.port.queryRows('salesInvoices', { filter, top: 1, count: true }, ctx);
    expect(page.totalCount).toBe(450);
  });

  it('a 4xx of BC is an unsupported row query, not an internal error', async () => {
    await faults({ status: 400, pathPattern: 'salesInvoices' });
    try {
      const error = await fx.port.queryRows('salesInvoices', { top: 1 }, ctx).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ErpRowQueryError);
      expect((error as ErpRowQueryError).reason).toBe('unsupported');
      expect((error as ErpRowQueryError).isOutage).toBe(false);
    } finally {
      await faults({});
    }
  });
});
