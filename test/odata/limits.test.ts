// Literals beyond what the ERP holds (gateway/odata/filter-translate.ts) fold or round instead of
// failing with the ERP's wording, and a row query the ERP cannot run at all (marked `unsupported` by
// the ERP subgraph, passed by the gateway's masking) answers 501; a genuinely invalid one, or one
// past a limit (the read budget), 400.
import { describe, expect, it } from 'vitest';
import { formatError } from '../../gateway/error-masking.js';
import { errorFor } from '../../gateway/odata/execute.js';
import { parseFilter } from '../../gateway/odata/filter-parser.js';
import { translateFilter, type Translated } from '../../gateway/odata/filter-translate.js';
import { buildEntityModel } from '../../gateway/odata/model.js';
import { identity, SUPERGRAPH_SDL } from './support/fake-graph.js';

const model = buildEntityModel(SUPERGRAPH_SDL);
const translate = (setName: string, text: string): Translated =>
  translateFilter(parseFilter(text), model.set(setName)!, identity('sales'));

describe('out-of-range literals', () => {
  it('a number beyond 10^15 makes the comparison constant', () => {
    expect(translate('Invoices', 'Total lt 1e20')).toBe(true);
    expect(translate('Invoices', 'Total gt 1e20')).toBe(false);
    expect(translate('Invoices', 'Total eq 100000000000000000000')).toBe(false);
    expect(translate('Invoices', 'Total gt -1e20')).toBe(true);
    expect(translate('SalesOrderLines', 'Sequence lt 99999999999999999999')).toBe(true);
  });

  it('more fraction digits than the ERP keeps round the bound', () => {
    expect(translate('Invoices', 'Total gt 0.000000000001')).toEqual({ field: 'total', op: 'GT', value: '0' });
    expect(translate('Invoices', 'Total le -0.000000000001')).toEqual({
      field: 'total',
      op: 'LE',
      value: '-0.0000000001',
    });
    expect(translate('Invoices', 'Total eq 1.000000000001')).toBe(false);
    expect(translate('Invoices', 'Total ne 1.000000000001')).toBe(true);
    expect(translate('Invoices', 'Total ge 1.5')).toEqual({ field: 'total', op: 'GE', value: '1.5' });
  });

  it('a date-time after 9999-12-31 (in UTC) is after every date', () => {
    expect(translate('Invoices', 'InvoiceDate gt 9999-12-31T23:59:59-14:00')).toBe(false);
    expect(translate('Invoices', 'InvoiceDate le 9999-12-31T23:59:59-14:00')).toBe(true);
    expect(translate('Invoices', 'InvoiceDate gt 9999-12-31T23:59:59Z')).toEqual({
      field: 'invoiceDate',
      op: 'GT',
      value: '9999-12-31',
    });
  });
});

describe('unsupported row queries', () => {
  const fromSubgraph = (extensions: Record<string, unknown>) =>
    formatError({
      message: 'invoices: this filter cannot be evaluated by the ERP',
      extensions: { serviceName: 'erp', argumentName: 'where', ...extensions },
    });

  it('answer 501 NOT_IMPLEMENTED through the gateway masking; invalid ones 400', () => {
    const unsupported = errorFor([fromSubgraph({ code: 'BAD_USER_INPUT', unsupported: true })], 'c1');
    expect(unsupported.status).toBe(501);
    expect(unsupported.code).toBe('NOT_IMPLEMENTED');
    expect(unsupported.message).toMatch(/cannot be evaluated by the ERP/);
    expect(errorFor([fromSubgraph({ code: 'BAD_USER_INPUT' })], 'c1').status).toBe(400);
  });
});
