// The Tryton adapter's translations that need no server: JSON-RPC values both ways, error types to
// failure kinds, and row filters to Tryton domains with the port's null and negation semantics
// (what a real server makes of the domains is the contract suite's part).
import { describe, expect, it } from 'vitest';
import { rpcError } from '../../connectors/erp/tryton/errors.js';
import { toPaymentTerms } from '../../connectors/erp/tryton/mappers.js';
import { translateFilter } from '../../connectors/erp/tryton/row-query.js';
import { reviveTrytonValue, trytonDate, trytonDecimal } from '../../connectors/erp/tryton/values.js';
import type { RowFilter } from '../../connectors/erp/port.js';
import type { TrytonCompany } from '../../connectors/erp/tryton/company.js';

const company: TrytonCompany = { id: 1, party: 1, currency: 'USD', warehouse: 5, context: { company: 1 } };
const domain = (set: Parameters<typeof translateFilter>[0], filter: RowFilter) =>
  translateFilter(set, filter, { company });

describe('JSON-RPC values', () => {
  it("decodes Tryton's tagged decimals, dates and date-times; encodes the port's", () => {
    const parsed = JSON.parse(
      '{"a":{"__class__":"Decimal","decimal":"550.00"},"b":{"__class__":"Decimal","decimal":"1E+3"},"c":{"__class__":"date","year":2026,"month":3,"day":5},' +
        '"d":{"__class__":"datetime","year":2026,"month":12,"day":8,"hour":1,"minute":2,"second":3,"microsecond":456789},"e":[1,"x"]}',
      reviveTrytonValue,
    );
    expect(parsed).toEqual({ a: '550.00', b: '1000', c: '2026-03-05', d: '2026-12-08T01:02:03.456Z', e: [1, 'x'] });
    expect(trytonDate('2026-03-05')).toEqual({ __class__: 'date', year: 2026, month: 3, day: 5 });
    expect(trytonDecimal('12.30')).toEqual({ __class__: 'Decimal', decimal: '12.30' });
  });
});

describe('errors', () => {
  it.each([
    [['UserError', ['You are not allowed', '', null]], 'rejected', 'UserError'],
    [['UserWarning', ['w', 'message', '']], 'rejected', 'UserWarning'],
    [['ConcurrencyException', ['changed']], 'unavailable', 'ConcurrencyException'],
    [['LoginException', ['password', 'Password', 'password']], 'unauthorized', 'LoginException'],
    [["'nofield'", 'Traceback ...'], 'unavailable', 'ServerError'],
  ])('%j → %s', (error, failure, code) => {
    const mapped = rpcError(error, 'op', 'model.x.search_read');
    expect(mapped).toMatchObject({ backend: 'erp', failure, details: { backendCode: code } });
    expect(mapped.message).not.toContain('Traceback');
  });
});

describe('payment terms', () => {
  it("reads the remainder line's delays as a date formula", () => {
    const term = (deltas: Array<{ days: number | null; weeks: number | null; months: number | null }>) =>
      toPaymentTerms({
        id: 3,
        name: 'X',
        description: null,
        'lines.': [
          { type: 'percent', 'relativedeltas.': [] },
          { type: 'remainder', 'relativedeltas.': deltas },
        ],
      });
    expect(term([{ days: 30, weeks: null, months: null }])).toEqual({
      id: '3',
      code: 'X',
      name: 'X',
      dueDateCalculation: '30D',
    });
    expect(term([{ days: 10, weeks: 1, months: 1 }]).dueDateCalculation).toBe('1M+17D');
    expect(term([]).dueDateCalculation).toBe('0D');
  });
});

describe('row filters as Tryton domains', () => {
  it('a null field passes ne, not in and negated text functions (the port), which SQL would not', () => {
    expect(
      domain('salesOrders', { kind: 'compare', field: 'externalDocumentNumber', op: 'ne', value: 'PO-1' }),
    ).toEqual({
      t: 'domain',
      domain: ['OR', ['reference', '!=', 'PO-1'], ['reference', '=', null]],
    });
    expect(
      domain('salesOrders', {
        kind: 'not',
        filter: { kind: 'compare', field: 'externalDocumentNumber', op: 'gt', value: 'M' },
      }),
    ).toEqual({
      t: 'domain',
      domain: ['OR', ['reference', '<=', 'M'], ['reference', '=', null]],
    });
    expect(
      domain('salesOrders', {
        kind: 'not',
        filter: { kind: 'text', field: 'externalDocumentNumber', op: 'startsWith', value: '50%_off' },
      }),
    ).toEqual({
      t: 'domain',
      domain: ['OR', ['reference', 'not ilike', '50\\%\\_off%'], ['reference', '=', null]],
    });
    // Not nullable: no null fix.
    expect(domain('salesOrders', { kind: 'compare', field: 'number', op: 'ne', value: 'X' })).toEqual({
      t: 'domain',
      domain: ['number', '!=', 'X'],
    });
  });

  it('pushes not down (De Morgan); an or across fields stays one domain', () => {
    expect(
      domain('salesOrders', {
        kind: 'not',
        filter: {
          kind: 'or',
          filters: [
            { kind: 'compare', field: 'customerNumber', op: 'eq', value: 'T1' },
            { kind: 'compare', field: 'orderDate', op: 'lt', value: '2026-01-01' },
          ],
        },
      }),
    ).toEqual({
      t: 'domain',
      domain: [
        'AND',
        ['party.code', '!=', 'T1'],
        ['sale_date', '>=', { __class__: 'date', year: 2026, month: 1, day: 1 }],
      ],
    });
  });

  it('translates what Tryton models otherwise, and folds constants', () => {
    expect(domain('salesOrders', { kind: 'compare', field: 'status', op: 'eq', value: 'released' })).toEqual({
      t: 'domain',
      domain: ['state', 'in', ['processing', 'done']],
    });
    expect(domain('salesOrders', { kind: 'compare', field: 'status', op: 'eq', value: 'in_review' })).toEqual({
      t: 'false',
    });
    expect(domain('salesOrders', { kind: 'in', field: 'status', values: ['draft', 'open'] })).toEqual({
      t: 'domain',
      domain: ['OR', ['state', 'in', ['quotation']], ['state', 'in', ['confirmed']]],
    });
    expect(domain('customers', { kind: 'compare', field: 'blocked', op: 'ne', value: 'none' })).toEqual({
      t: 'domain',
      domain: ['active', '=', false],
    });
    expect(domain('customers', { kind: 'compare', field: 'currency', op: 'eq', value: 'USD' })).toEqual({ t: 'true' });
    expect(domain('salesShipments', { kind: 'null', field: 'carrier', isNull: false })).toEqual({ t: 'false' });
    expect(domain('items', { kind: 'compare', field: 'blocked', op: 'eq', value: true })).toEqual({
      t: 'domain',
      domain: ['OR', ['active', '=', false], ['salable', '=', false]],
    });
  });

  it('refuses what Tryton cannot evaluate: computed fields, negations over a list', () => {
    expect(() => domain('salesInvoices', { kind: 'compare', field: 'dueDate', op: 'lt', value: '2026-01-01' })).toThrow(
      /'dueDate' cannot be filtered in Tryton/,
    );
    expect(() =>
      domain('customers', { kind: 'not', filter: { kind: 'compare', field: 'city', op: 'eq', value: 'Berlin' } }),
    ).toThrow(/negated condition on 'city'/);
  });
});
