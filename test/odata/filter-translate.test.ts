// $filter → RowFilter (gateway/odata/filter-translate.ts) against the real entity model: field names,
// typed values, Salesforce's `eq true/false` form, enum-backed properties, date/date-time and
// integer/fraction conversions, constant folding, and the refusals.
import { describe, expect, it } from 'vitest';
import { OdataError } from '../../gateway/odata/errors.js';
import { parseFilter } from '../../gateway/odata/filter-parser.js';
import { translateFilter, type Translated } from '../../gateway/odata/filter-translate.js';
import { ENTITY_SETS } from '../../gateway/odata/entity-model.js';
import { buildEntityModel } from '../../gateway/odata/model.js';
import { identity, SUPERGRAPH_SDL } from './support/fake-graph.js';

const model = buildEntityModel(SUPERGRAPH_SDL);
const sales = identity('sales');

function translate(setName: string, text: string, who = sales): Translated {
  return translateFilter(parseFilter(text), model.set(setName)!, who);
}

function refusal(setName: string, text: string, who = sales): OdataError {
  try {
    translate(setName, text, who);
  } catch (error) {
    expect(error).toBeInstanceOf(OdataError);
    return error as OdataError;
  }
  throw new Error(`expected ${text} to be refused`);
}

describe('translation to RowFilter', () => {
  it('maps properties to the row query fields, values as typed strings', () => {
    expect(translate('Invoices', "CustomerNumber eq 'C00001'")).toEqual({
      field: 'customerNumber',
      op: 'EQ',
      value: 'C00001',
    });
    expect(translate('Invoices', 'Total gt 100')).toEqual({ field: 'total', op: 'GT', value: '100' });
    expect(translate('Invoices', 'Total le 1.5E3')).toEqual({ field: 'total', op: 'LE', value: '1500' });
    expect(translate('Invoices', "Currency ne 'EUR'")).toEqual({ field: 'currency', op: 'NE', value: 'EUR' });
    expect(translate('Invoices', 'InvoiceDate ge 2024-01-31')).toEqual({
      field: 'invoiceDate',
      op: 'GE',
      value: '2024-01-31',
    });
    expect(translate('SalesOrders', 'FullyShipped eq false')).toEqual({
      field: 'fullyShipped',
      op: 'EQ',
      value: 'false',
    });
    expect(translate('SalesOrderLines', 'Sequence eq 10000')).toEqual({ field: 'sequence', op: 'EQ', value: '10000' });
    expect(translate('Customers', "City eq 'Springfield'")).toEqual({ field: 'city', op: 'EQ', value: 'Springfield' });
    expect(translate('Customers', "Name eq 'O''Neil'")).toEqual({ field: 'name', op: 'EQ', value: "O'Neil" });
  });

  it('mirrors a literal on the left', () => {
    expect(translate('Invoices', '100 lt Total')).toEqual({ field: 'total', op: 'GT', value: '100' });
    expect(translate('Invoices', "'C00001' eq CustomerNumber")).toEqual({
      field: 'customerNumber',
      op: 'EQ',
      value: 'C00001',
    });
  });

  it("Salesforce's wrapped search form, and its negation", () => {
    const contains = { field: 'name', op: 'CONTAINS', value: 'Acme' };
    expect(translate('Customers', "contains(Name,'Acme') eq true")).toEqual(contains);
    expect(translate('Customers', "contains(Name,'Acme') ne false")).toEqual(contains);
    expect(translate('Customers', "contains(Name,'Acme') eq false")).toEqual({ not: contains });
    expect(translate('Customers', "contains(Name,'Acme') ne true")).toEqual({ not: contains });
    expect(translate('Customers', "true eq contains(Name,'Acme')")).toEqual(contains);
    expect(translate('Customers', "contains(Name,'Acme') eq true or contains(Phone,'Acme') eq true")).toEqual({
      or: [contains, { field: 'phone', op: 'CONTAINS', value: 'Acme' }],
    });
    expect(translate('Customers', "startswith(Name,'Ac')")).toEqual({ field: 'name', op: 'STARTS_WITH', value: 'Ac' });
    expect(translate('Customers', "endswith(Email,'.com') eq true")).toEqual({
      field: 'email',
      op: 'ENDS_WITH',
      value: '.com',
    });
    expect(translate('Customers', "(Name eq 'A') eq false")).toEqual({ not: { field: 'name', op: 'EQ', value: 'A' } });
  });

  it('and / or flatten, not of not cancels', () => {
    expect(
      translate('Invoices', "CustomerNumber eq 'C1' and Total gt 1 and (Status eq 'OPEN' or Status eq 'PAID')"),
    ).toEqual({
      and: [
        { field: 'customerNumber', op: 'EQ', value: 'C1' },
        { field: 'total', op: 'GT', value: '1' },
        {
          or: [
            { field: 'status', op: 'EQ', value: 'OPEN' },
            { field: 'status', op: 'EQ', value: 'PAID' },
          ],
        },
      ],
    });
    expect(translate('Invoices', "not not (Currency eq 'USD')")).toEqual({ field: 'currency', op: 'EQ', value: 'USD' });
  });

  it('eq null / ne null: IS_NULL on nullable properties, constants on the others', () => {
    expect(translate('Invoices', 'OrderNumber eq null')).toEqual({ field: 'orderNumber', op: 'IS_NULL' });
    expect(translate('Invoices', 'OrderNumber ne null')).toEqual({ field: 'orderNumber', op: 'IS_NOT_NULL' });
    expect(translate('Invoices', 'Number eq null')).toBe(false);
    expect(translate('Invoices', 'Number ne null')).toBe(true);
    expect(translate('Invoices', "Number eq null or Currency eq 'USD'")).toEqual({
      field: 'currency',
      op: 'EQ',
      value: 'USD',
    });
    expect(translate('Invoices', "Number eq null and Currency eq 'USD'")).toBe(false);
  });

  it('in: one IN per 200 values, duplicates dropped, a single value as EQ', () => {
    expect(translate('Invoices', "CustomerNumber in ('C1','C2','C1')")).toEqual({
      field: 'customerNumber',
      op: 'IN',
      values: ['C1', 'C2'],
    });
    expect(translate('Invoices', "CustomerNumber in ('C1')")).toEqual({
      field: 'customerNumber',
      op: 'EQ',
      value: 'C1',
    });
    const many = Array.from({ length: 450 }, (_, i) => `'C${i}'`).join(',');
    const translated = translate('Invoices', `CustomerNumber in (${many})`) as unknown as {
      or: { values: string[] }[];
    };
    expect(translated.or.map((part) => part.values.length)).toEqual([200, 200, 50]);
    expect(translate('Invoices', "OrderNumber in ('SO-1', null)")).toEqual({
      or: [
        { field: 'orderNumber', op: 'EQ', value: 'SO-1' },
        { field: 'orderNumber', op: 'IS_NULL' },
      ],
    });
  });

  it('enum-backed strings: compared with the value names here', () => {
    expect(translate('Invoices', "Status eq 'OPEN'")).toEqual({ field: 'status', op: 'EQ', value: 'OPEN' });
    // Not a value of the enum: no row has it (not an error, and nothing the ERP must parse).
    expect(translate('Invoices', "Status eq 'Open'")).toBe(false);
    expect(translate('Invoices', "Status ne 'Open'")).toBe(true);
    expect(translate('Invoices', "Status ne 'OPEN'")).toEqual({
      field: 'status',
      op: 'IN',
      values: ['DRAFT', 'IN_REVIEW', 'PAID', 'CANCELED', 'CORRECTIVE'],
    });
    expect(translate('Invoices', "contains(Status,'pe') eq true")).toEqual({
      field: 'status',
      op: 'EQ',
      value: 'OPEN',
    });
    expect(translate('Invoices', "startswith(Status,'C')")).toEqual({
      field: 'status',
      op: 'IN',
      values: ['CANCELED', 'CORRECTIVE'],
    });
    expect(translate('Invoices', "Status in ('PAID','Nope')")).toEqual({ field: 'status', op: 'EQ', value: 'PAID' });
    expect(translate('Invoices', "Status gt 'O'")).toEqual({ field: 'status', op: 'IN', values: ['OPEN', 'PAID'] });
    expect(translate('Customers', "Blocked eq 'NONE'")).toEqual({ field: 'blocked', op: 'EQ', value: 'NONE' });
  });

  it('a date property against a date-time compares the date at midnight UTC', () => {
    const f = (text: string) => translate('Invoices', text);
    expect(f('InvoiceDate eq 2024-01-31T00:00:00Z')).toEqual({ field: 'invoiceDate', op: 'EQ', value: '2024-01-31' });
    expect(f('InvoiceDate eq 2024-01-31T10:00:00Z')).toBe(false);
    expect(f('InvoiceDate ne 2024-01-31T10:00:00Z')).toBe(true);
    expect(f('InvoiceDate gt 2024-01-31T10:00:00Z')).toEqual({ field: 'invoiceDate', op: 'GT', value: '2024-01-31' });
    expect(f('InvoiceDate ge 2024-01-31T10:00:00Z')).toEqual({ field: 'invoiceDate', op: 'GT', value: '2024-01-31' });
    expect(f('InvoiceDate ge 2024-01-31T00:00:00Z')).toEqual({ field: 'invoiceDate', op: 'GE', value: '2024-01-31' });
    expect(f('InvoiceDate lt 2024-01-31T10:00:00Z')).toEqual({ field: 'invoiceDate', op: 'LE', value: '2024-01-31' });
    expect(f('InvoiceDate lt 2024-01-31T00:00:00Z')).toEqual({ field: 'invoiceDate', op: 'LT', value: '2024-01-31' });
    // 01:00 at +02:00 is 23:00 the day before in UTC.
    expect(f('InvoiceDate le 2024-01-31T01:00:00+02:00')).toEqual({
      field: 'invoiceDate',
      op: 'LE',
      value: '2024-01-30',
    });
    expect(f('InvoiceDate eq 2024-01-31T00:00:00.000000001Z')).toBe(false);
  });

  it('a date-time property against a date is that date at midnight UTC; date-times pass as written', () => {
    // No served property is a filterable date-time today (AsOf is computed): a model that makes one.
    const invoices = ENTITY_SETS.find((set) => set.name === 'Invoices')!;
    const withAsOf = {
      ...invoices,
      properties: invoices.properties.map((p) => (p.name === 'AsOf' ? { ...p, field: 'asOf' } : p)),
    };
    const set = buildEntityModel(SUPERGRAPH_SDL, [withAsOf]).set('Invoices')!;
    const f = (text: string) => translateFilter(parseFilter(text), set, sales);
    expect(f('AsOf gt 2024-01-31')).toEqual({ field: 'asOf', op: 'GT', value: '2024-01-31T00:00:00Z' });
    expect(f('AsOf le 2024-01-31T10:00:00.5+01:00')).toEqual({
      field: 'asOf',
      op: 'LE',
      value: '2024-01-31T10:00:00.5+01:00',
    });
    expect(f('AsOf gt 2024-01-31T10:00:00 01:00')).toEqual({
      field: 'asOf',
      op: 'GT',
      value: '2024-01-31T10:00:00+01:00',
    });
    expect(refusal('Invoices', 'AsOf gt 2024-01-31').message).toMatch(/AsOf cannot be used in a filter/);
  });

  it('an integer property against a fraction rounds the bound', () => {
    const f = (text: string) => translate('SalesOrderLines', text);
    expect(f('Sequence gt 1.5')).toEqual({ field: 'sequence', op: 'GT', value: '1' });
    expect(f('Sequence ge 1.5')).toEqual({ field: 'sequence', op: 'GT', value: '1' });
    expect(f('Sequence lt 1.5')).toEqual({ field: 'sequence', op: 'LE', value: '1' });
    expect(f('Sequence le -1.5')).toEqual({ field: 'sequence', op: 'LE', value: '-2' });
    expect(f('Sequence eq 1.5')).toBe(false);
    expect(f('Sequence ne 1.5')).toBe(true);
    expect(f('Sequence eq 2.0')).toEqual({ field: 'sequence', op: 'EQ', value: '2' });
  });

  it('Boolean properties used as conditions', () => {
    expect(translate('SalesOrders', 'FullyShipped')).toEqual({ field: 'fullyShipped', op: 'EQ', value: 'true' });
    expect(translate('SalesOrders', 'not FullyShipped')).toEqual({
      not: { field: 'fullyShipped', op: 'EQ', value: 'true' },
    });
    expect(translate('Products', 'Blocked eq true and Inventory gt 0')).toEqual({
      and: [
        { field: 'blocked', op: 'EQ', value: 'true' },
        { field: 'inventory', op: 'GT', value: '0' },
      ],
    });
    expect(translate('Invoices', 'true')).toBe(true);
  });
});

describe('translation refusals', () => {
  it.each([
    ['Invoices', "Nope eq 'x'", 400, /Invoices has no property Nope \(position 1\)/],
    [
      'Invoices',
      'IsOverdue eq true',
      400,
      /IsOverdue cannot be used in a filter \(it is computed by the graph, not stored in the ERP\)/,
    ],
    // Stored in the ERP, only not one of the fields the row query filters by: not "computed".
    [
      'Customers',
      'AddressLine2 eq null',
      400,
      /AddressLine2 cannot be used in a filter \(it is stored in the ERP but is not one of the fields the ERP filters and sorts by\)/,
    ],
    ['Customers', "State eq 'CA'", 400, /State cannot be used in a filter \(it is stored in the ERP but/],
    ['Invoices', "Total eq 'x'", 400, /Total is Edm.Decimal; 'x' is not a value of that type \(position 7\)/],
    ['Invoices', 'CustomerNumber eq 1', 400, /Edm.String; 1 is not/],
    ['Invoices', 'InvoiceDate eq 5', 400, /Edm.Date/],
    ['SalesOrders', 'FullyShipped gt true', 400, /compare it with eq or ne/],
    ['Invoices', 'Total gt null', 400, /null can only be compared with eq or ne/],
    ['Invoices', "contains(Total,'1')", 400, /needs a string property/],
    ['Invoices', 'contains(CustomerNumber,1)', 400, /must be a string literal/],
    ['Invoices', 'CustomerNumber', 400, /not Boolean/],
    ['Invoices', "'x'", 400, /is not a condition/],
    ['Invoices', "contains(Number,'a') gt true", 400, /only be compared with eq or ne/],
    ['Invoices', 'Total eq Remaining', 501, /comparing two properties/],
    ['Invoices', '1 eq 1', 501, /comparing two literals/],
    ['Invoices', "contains('abc',Number)", 501, /contains\(\) other than/],
  ])('%s?$filter=%s → %i', (set, text, status, message) => {
    const error = refusal(set, text);
    expect(error.status).toBe(status);
    expect(error.message).toMatch(message);
    expect(error.target).toBe('$filter');
  });

  it('a partner may not filter on what it may not read (403): the credit internals', () => {
    // HoldReason / CreditLimit are not filterable for anyone; the access check comes first, so a
    // partner learns nothing, not even whether the property is filterable.
    const partner = identity('partner', ['C00001']);
    const error = refusal('Customers', "HoldReason eq 'x'", partner);
    expect(error.status).toBe(403);
    expect(error.code).toBe('FORBIDDEN');
    expect(refusal('Customers', "HoldReason eq 'x'").status).toBe(400);
    expect(translate('Customers', "Name eq 'x'", partner)).toEqual({ field: 'name', op: 'EQ', value: 'x' });
  });

  it('a partner may not filter on Blocked (403), which the hold reason is derived from; other roles may', () => {
    const partner = identity('partner', ['C00001']);
    for (const text of ["Blocked eq 'ALL'", "Blocked ne 'NONE'", "Name eq 'x' or Blocked eq 'SHIP'"]) {
      const error = refusal('Customers', text, partner);
      expect(error.status, text).toBe(403);
      expect(error.code).toBe('FORBIDDEN');
      expect(error.message).toContain('Blocked');
    }
    expect(translate('Customers', "Blocked eq 'ALL'")).toEqual({ field: 'blocked', op: 'EQ', value: 'ALL' });
  });
});
