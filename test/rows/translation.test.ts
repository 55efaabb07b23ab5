// The Business Central adapter's translation of port row filters into $filter text (row-plan.ts over
// the builder in odata-filter.ts): literals and escaping, `in` as `or` chains, null tests as BC's
// blanks, `not` pushed to the leaves, case-insensitive text functions, and what BC cannot express
// (ORs across properties → branches; NOT CONTAINS → a residual tested on the rows read).
import { describe, expect, it } from 'vitest';
import { BC_ROW_SETS, LINE_FIELDS } from '../../connectors/erp/business-central/row-fields.js';
import { MAX_BRANCHES, planRowFilter, type RowFilterPlan } from '../../connectors/erp/business-central/row-plan.js';
import { stringFunction } from '../../connectors/erp/business-central/odata-filter.js';
import { checkRowQuery, ErpRowQueryError, type RowFilter, type RowSet } from '../../connectors/erp/port.js';

const plan = (set: Exclude<RowSet, 'salesOrderLines'>, filter: RowFilter | undefined): RowFilterPlan =>
  planRowFilter(set, BC_ROW_SETS[set].fields, filter);

/** The $filter texts of a plan (null: no filter), and whether its branches are disjoint. */
function texts(p: RowFilterPlan): { filters: (string | null)[]; disjoint: boolean } | 'nothing' {
  if (p.kind === 'nothing') return 'nothing';
  return { filters: p.branches.map((b) => (b === null ? null : b.toString())), disjoint: p.disjoint };
}
const one = (set: Exclude<RowSet, 'salesOrderLines'>, filter: RowFilter): string => {
  const t = texts(plan(set, filter));
  if (t === 'nothing' || t.filters.length !== 1) throw new Error(`expected one branch, got ${JSON.stringify(t)}`);
  return t.filters[0]!;
};

const eq = (field: string, value: string | number | boolean): RowFilter => ({
  kind: 'compare',
  field,
  op: 'eq',
  value,
});
const cmp = (field: string, op: 'ne' | 'gt' | 'ge' | 'lt' | 'le', value: string | number | boolean): RowFilter => ({
  kind: 'compare',
  field,
  op,
  value,
});
const not = (filter: RowFilter): RowFilter => ({ kind: 'not', filter });
const and = (...filters: RowFilter[]): RowFilter => ({ kind: 'and', filters });
const or = (...filters: RowFilter[]): RowFilter => ({ kind: 'or', filters });

describe('literals', () => {
  it('quotes text and doubles embedded quotes; an injection attempt stays one literal', () => {
    expect(one('customers', eq('name', "O'Brien Tools"))).toBe("displayName eq 'O''Brien Tools'");
    expect(one('salesInvoices', eq('customerNumber', "C1' or number ne '"))).toBe(
      "customerNumber eq 'C1'' or number ne '''",
    );
  });

  it('writes dates, decimals, numbers and booleans unquoted, and enums as BC captions', () => {
    expect(one('salesInvoices', cmp('invoiceDate', 'ge', '2026-01-31'))).toBe('invoiceDate ge 2026-01-31');
    expect(one('salesInvoices', cmp('totalIncludingTax', 'gt', '1000.50'))).toBe('totalAmountIncludingTax gt 1000.50');
    expect(one('items', cmp('inventory', 'le', 12.5))).toBe('inventory le 12.5');
    expect(one('salesOrders', eq('fullyShipped', true))).toBe('fullyShipped eq true');
    expect(one('salesInvoices', eq('status', 'in_review'))).toBe("status eq 'In Review'");
    expect(one('customers', eq('blocked', 'none'))).toBe("blocked eq ' '");
  });

  it('refuses values that are not of the field type before anything is built', () => {
    const bad = (filter: RowFilter) => () => checkRowQuery('salesInvoices', { filter, top: 1 });
    expect(bad(cmp('invoiceDate', 'ge', '2026-02-30'))).toThrow(ErpRowQueryError);
    expect(bad(cmp('totalIncludingTax', 'gt', '1e3'))).toThrow(/not a decimal/);
    expect(bad(eq('status', 'Open'))).toThrow(/not a enum/);
    expect(bad(eq('nope', 'x'))).toThrow(/no field 'nope'/);
    expect(bad({ kind: 'text', field: 'dueDate', op: 'contains', value: '2026' })).toThrow(/needs a text field/);
    expect(() => checkRowQuery('items', { top: 2001 })).toThrow(/top must be 1\.\.2000/);
  });
});

describe('operators', () => {
  it('writes in as an or chain on one property (BC has `in` only from $schemaversion 2.1)', () => {
    expect(one('salesInvoices', { kind: 'in', field: 'customerNumber', values: ['C1', 'C2', 'C1'] })).toBe(
      "(customerNumber eq 'C1' or customerNumber eq 'C2')",
    );
  });

  it('writes text functions case-insensitively, as nested calls needing $schemaversion=2.1', () => {
    const p = plan('customers', { kind: 'text', field: 'name', op: 'contains', value: 'AcMe' });
    expect(texts(p)).toEqual({ filters: ["contains(tolower(displayName),'acme')"], disjoint: true });
    expect(p.kind === 'branches' && p.branches[0]!.nestedFunctions).toBe(true);
    expect(one('customers', { kind: 'text', field: 'name', op: 'startsWith', value: "O'B" })).toBe(
      "startswith(tolower(displayName),'o''b')",
    );
    expect(one('customers', { kind: 'text', field: 'city', op: 'endsWith', value: 'TON' })).toBe(
      "endswith(tolower(city),'ton')",
    );
    expect(stringFunction('contains', 'displayName', 'X', { ignoreCase: false }).nestedFunctions).toBe(false);
  });

  it('tests nulls against BC blanks (empty text, the 0001-01-01 date); a field never null is a constant', () => {
    expect(one('salesInvoices', { kind: 'null', field: 'orderNumber', isNull: true })).toBe("orderNumber eq ''");
    expect(one('salesOrders', { kind: 'null', field: 'requestedDeliveryDate', isNull: false })).toBe(
      'requestedDeliveryDate ne 0001-01-01',
    );
    expect(texts(plan('salesInvoices', { kind: 'null', field: 'number', isNull: true }))).toBe('nothing');
    expect(texts(plan('salesInvoices', { kind: 'null', field: 'number', isNull: false }))).toEqual({
      filters: [null],
      disjoint: true,
    });
    expect(one('salesInvoices', and(eq('status', 'open'), { kind: 'null', field: 'number', isNull: false }))).toBe(
      "status eq 'Open'",
    );
  });

  it('keeps nulls out of lt/le and in their negations, as the port semantics say (BC blanks sort first)', () => {
    expect(one('salesInvoices', cmp('externalDocumentNumber', 'lt', 'PO-5'))).toBe(
      "externalDocumentNumber lt 'PO-5' and externalDocumentNumber ne ''",
    );
    expect(one('salesInvoices', not(cmp('externalDocumentNumber', 'le', 'PO-5')))).toBe(
      "(externalDocumentNumber gt 'PO-5' or externalDocumentNumber eq '')",
    );
    // The negations of ge/gt are lt/le, which a blank passes anyway, as a null should.
    expect(one('salesInvoices', not(cmp('externalDocumentNumber', 'ge', 'PO-5')))).toBe(
      "externalDocumentNumber lt 'PO-5'",
    );
    expect(one('salesInvoices', not(cmp('externalDocumentNumber', 'gt', 'PO-5')))).toBe(
      "externalDocumentNumber le 'PO-5'",
    );
    expect(one('salesInvoices', cmp('totalIncludingTax', 'lt', '10'))).toBe('totalAmountIncludingTax lt 10');
  });

  it('pushes not down to the leaves (BC has no negation of a field filter)', () => {
    expect(one('salesInvoices', not(eq('status', 'open')))).toBe("status ne 'Open'");
    expect(one('salesInvoices', not(cmp('dueDate', 'lt', '2026-01-01')))).toBe('dueDate ge 2026-01-01');
    expect(one('salesInvoices', not(or(eq('status', 'open'), eq('status', 'paid'))))).toBe(
      "status ne 'Open' and status ne 'Paid'",
    );
    expect(one('salesInvoices', not(not(eq('status', 'open'))))).toBe("status eq 'Open'");
    expect(one('salesInvoices', not({ kind: 'in', field: 'customerNumber', values: ['A', 'B'] }))).toBe(
      "customerNumber ne 'A' and customerNumber ne 'B'",
    );
    // The negation of a text function has no BC form: a residual (below).
    expect(plan('customers', not({ kind: 'text', field: 'name', op: 'contains', value: 'x' }))).toMatchObject({
      branches: [null],
      exact: false,
    });
  });

  it('keeps ORs on one property in one filter, parenthesized under and', () => {
    expect(
      one('salesInvoices', and(or(eq('status', 'open'), eq('status', 'paid')), cmp('dueDate', 'lt', '2026-01-01'))),
    ).toBe("(status eq 'Open' or status eq 'Paid') and dueDate lt 2026-01-01");
  });
});

describe('what BC cannot express in one $filter', () => {
  it('splits an OR across properties into branches, one request each (not disjoint)', () => {
    const filter = and(eq('customerNumber', 'C1'), or(eq('status', 'open'), cmp('dueDate', 'lt', '2026-01-01')));
    expect(texts(plan('salesInvoices', filter))).toEqual({
      filters: ["customerNumber eq 'C1' and status eq 'Open'", "customerNumber eq 'C1' and dueDate lt 2026-01-01"],
      disjoint: false,
    });
  });

  it('splits a long top-level in into disjoint chunks of 100 (the URL stays short)', () => {
    const values = Array.from({ length: 250 }, (_, i) => `C${String(i).padStart(5, '0')}`);
    const t = texts(plan('salesInvoices', and({ kind: 'in', field: 'customerNumber', values }, eq('status', 'open'))));
    if (t === 'nothing') throw new Error('unexpected');
    expect(t.disjoint).toBe(true);
    expect(t.filters).toHaveLength(3);
    expect(t.filters[0]).toMatch(
      /^\(customerNumber eq 'C00000' or .* or customerNumber eq 'C00099'\) and status eq 'Open'$/,
    );
    expect(t.filters[2]!.match(/ eq /g)).toHaveLength(51);
  });

  it('intersects the `in` lists of one property under and: a 1,000-customer scope and a key lookup send one value', () => {
    const scope = Array.from({ length: 1000 }, (_, i) => `C${String(i).padStart(19, '0')}`);
    const lookup = and({ kind: 'in', field: 'number', values: scope }, eq('number', 'C0000000000000000042'));
    expect(texts(plan('customers', lookup))).toEqual({ filters: ["number eq 'C0000000000000000042'"], disjoint: true });
    const invoices = and(
      { kind: 'in', field: 'customerNumber', values: scope },
      { kind: 'in', field: 'customerNumber', values: ['C0000000000000000007', 'OTHER'] },
      eq('status', 'open'),
    );
    expect(texts(plan('salesInvoices', invoices))).toEqual({
      filters: ["customerNumber eq 'C0000000000000000007' and status eq 'Open'"],
      disjoint: true,
    });
    // Outside the scope: nothing, without a request.
    expect(plan('customers', and({ kind: 'in', field: 'number', values: scope }, eq('number', 'OTHER')))).toEqual({
      kind: 'nothing',
    });
  });

  it('refuses a filter that would need more than MAX_BRANCHES requests', () => {
    // Each OR of a date bound and a number makes two branches: 2^6 = 64 of them.
    const two = (i: number) => or(cmp('dueDate', 'lt', `2026-01-0${i}`), eq('number', `SI-${i}`));
    const filter = and(...Array.from({ length: 6 }, (_, i) => two(i + 1)));
    expect(() => plan('salesInvoices', filter)).toThrow(new RegExp(`at most ${MAX_BRANCHES} requests`));
    expect(plan('salesInvoices', and(...Array.from({ length: 5 }, (_, i) => two(i + 1))))).toMatchObject({
      kind: 'branches',
    });
  });

  it("plans order lines on the Analytics API's salesLines; what it does not serve is a residual", () => {
    const p = planRowFilter(
      'salesOrderLines',
      LINE_FIELDS,
      and({ kind: 'in', field: 'orderNumber', values: ['SO-1', 'SO-2'] }, eq('itemNumber', 'X')),
    );
    expect(texts(p)).toEqual({
      filters: ["(documentNo eq 'SO-1' or documentNo eq 'SO-2') and itemNo eq 'X'"],
      disjoint: true,
    });
    expect(p).toMatchObject({ exact: true });
    // Unit price is not in the query: BC gets the rest, and the rows read are tested.
    const residual = planRowFilter(
      'salesOrderLines',
      LINE_FIELDS,
      and(eq('customerNumber', 'C1'), cmp('unitPrice', 'gt', '10')),
    );
    expect(texts(residual)).toEqual({ filters: ["sellToCustomerNo eq 'C1'"], disjoint: true });
    expect(residual).toMatchObject({ exact: false });
  });

  it('a negated text function is a residual: BC reads the rest, or everything when it is ORed', () => {
    const notContains = not({ kind: 'text', field: 'name', op: 'contains', value: 'acme' });
    const p = plan('customers', and(eq('country', 'US'), notContains));
    expect(texts(p)).toEqual({ filters: ["country eq 'US'"], disjoint: true });
    expect(p).toMatchObject({ exact: false });
    expect(plan('customers', or(eq('country', 'US'), notContains))).toMatchObject({ branches: [null], exact: false });
    // Negated twice it is a contains again: exact.
    expect(plan('customers', not(not({ kind: 'text', field: 'name', op: 'contains', value: 'acme' })))).toMatchObject({
      exact: true,
    });
  });

  it('an in on the key bounds a branch by its number of values', () => {
    const values = Array.from({ length: 250 }, (_, i) => `SI-${i}`);
    expect(plan('salesInvoices', { kind: 'in', field: 'number', values })).toMatchObject({
      bounds: [100, 100, 50],
      disjoint: true,
    });
    expect(plan('salesInvoices', { kind: 'in', field: 'customerNumber', values })).toMatchObject({
      bounds: [Infinity, Infinity, Infinity],
    });
  });
});
