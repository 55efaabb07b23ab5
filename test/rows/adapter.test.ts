// The Business Central adapter's row queries against the ERP emulator under Business Central's own
// filter rules (an OR across properties is refused there, so every branch split is exercised for
// real): each answer must equal the same query evaluated in memory over the dataset (the port's
// semantics, row-evaluate.ts), with the request shapes the pushdown promises.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyRowQuery } from '../../connectors/erp/row-evaluate.js';
import type { RowFilter, RowQuery, RowSet } from '../../connectors/erp/port.js';
import { ctx, optionsOf, startBcFixture, type BcFixture } from './support.js';

let fx: BcFixture;
let c: string[];

beforeAll(async () => {
  // 30 customers' seed documents plus paid history (no order number, often no external document
  // number: nulls to filter on).
  fx = await startBcFixture({ accounts: 30, invoices: 600 });
  c = fx.dataset.customers.map((customer) => customer.number);
});
afterAll(() => fx.close());
beforeEach(() => fx.resetStats());

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
const text = (field: string, op: 'contains' | 'startsWith' | 'endsWith', value: string): RowFilter => ({
  kind: 'text',
  field,
  op,
  value,
});
const and = (...filters: RowFilter[]): RowFilter => ({ kind: 'and', filters });
const or = (...filters: RowFilter[]): RowFilter => ({ kind: 'or', filters });
const not = (filter: RowFilter): RowFilter => ({ kind: 'not', filter });

async function expectSame<S extends RowSet>(set: S, query: RowQuery): Promise<void> {
  const expected = applyRowQuery(set, fx.rows(set), query);
  const actual = await fx.port.queryRows(set, query, ctx);
  expect(actual.totalCount).toBe(expected.totalCount);
  expect(actual.rows).toEqual(expected.rows);
}

describe('one filter, one request', () => {
  it('filters, orders, pages and counts in ONE request ($filter, $orderby + key, $top, $skip, $count)', async () => {
    const query: RowQuery = {
      filter: eq('customerNumber', c[3]!),
      orderBy: [{ field: 'dueDate', descending: true }],
      top: 5,
      skip: 2,
      count: true,
    };
    await expectSame('salesInvoices', query);
    const reads = await fx.reads('salesInvoices');
    expect(reads).toHaveLength(1);
    const options = optionsOf(reads[0]!);
    expect(
      Object.fromEntries(['$filter', '$orderby', '$top', '$skip', '$count'].map((o) => [o, options.get(o)])),
    ).toEqual({
      $filter: `customerNumber eq '${c[3]}'`,
      $orderby: 'dueDate desc,number',
      $top: '5',
      $skip: '2',
      $count: 'true',
    });
    expect(reads[0]!.rows?.returned).toBe(5);
  });

  it('asks for no count unless told to', async () => {
    const page = await fx.port.queryRows('salesInvoices', { filter: eq('customerNumber', c[0]!), top: 3 }, ctx);
    expect(page.totalCount).toBeNull();
    expect(optionsOf((await fx.reads('salesInvoices'))[0]!).has('$count')).toBe(false);
  });

  it.each<[string, RowSet, () => RowQuery]>([
    [
      'in and eq',
      'salesInvoices',
      () => ({
        filter: and({ kind: 'in', field: 'customerNumber', values: [c[0]!, c[1]!, c[2]!] }, eq('status', 'open')),
        top: 50,
        count: true,
      }),
    ],
    [
      'decimal and date ranges',
      'salesInvoices',
      () => ({
        filter: and(cmp('totalIncludingTax', 'gt', '2000'), cmp('invoiceDate', 'ge', '2025-06-01')),
        orderBy: [{ field: 'totalIncludingTax', descending: true }],
        top: 10,
        skip: 3,
        count: true,
      }),
    ],
    ['not', 'salesInvoices', () => ({ filter: not(eq('status', 'paid')), top: 40, count: true })],
    [
      'is null (blank order number)',
      'salesInvoices',
      () => ({
        filter: { kind: 'null', field: 'orderNumber', isNull: true },
        orderBy: [{ field: 'invoiceDate' }],
        top: 20,
        count: true,
      }),
    ],
    [
      'lt keeps nulls out',
      'salesInvoices',
      () => ({ filter: cmp('externalDocumentNumber', 'lt', 'PO-5'), top: 30, count: true }),
    ],
    [
      'not le lets nulls in',
      'salesInvoices',
      () => ({
        filter: not(cmp('externalDocumentNumber', 'le', 'PO-5')),
        orderBy: [{ field: 'externalDocumentNumber' }],
        top: 30,
        count: true,
      }),
    ],
    [
      'case-insensitive contains',
      'salesInvoices',
      () => ({ filter: text('number', 'contains', 'si-1000'), top: 100, count: true }),
    ],
    [
      'customers: startsWith, blocked, not null',
      'customers',
      () => ({ filter: and(text('name', 'startsWith', 'a'), eq('blocked', 'none')), top: 20, count: true }),
    ],
    [
      'customers: endsWith on a nullable field',
      'customers',
      () => ({
        filter: and(text('city', 'endsWith', 'E'), { kind: 'null', field: 'phone', isNull: false }),
        orderBy: [{ field: 'city' }],
        top: 20,
        count: true,
      }),
    ],
    [
      'items: boolean, decimal, number',
      'items',
      () => ({
        filter: and(eq('blocked', false), cmp('unitPrice', 'le', '500'), cmp('inventory', 'gt', 10)),
        orderBy: [{ field: 'unitPrice', descending: true }],
        top: 15,
        count: true,
      }),
    ],
    [
      'orders: boolean, null date, enum in',
      'salesOrders',
      () => ({
        filter: and(eq('fullyShipped', false), { kind: 'in', field: 'status', values: ['open', 'draft'] }),
        orderBy: [{ field: 'orderDate', descending: true }],
        top: 10,
        count: true,
      }),
    ],
    [
      'orders: requested delivery date is null',
      'salesOrders',
      () => ({ filter: { kind: 'null', field: 'requestedDeliveryDate', isNull: true }, top: 10, count: true }),
    ],
    [
      'shipments: one property ORed, date range',
      'salesShipments',
      () => ({
        filter: and(or(eq('carrier', 'UPS'), eq('carrier', 'FEDEX')), cmp('shipmentDate', 'ge', '2026-01-01')),
        top: 10,
        count: true,
      }),
    ],
  ])('%s', async (_name, set, query) => {
    await expectSame(set, query());
  });
});

describe('what BC cannot express in one $filter', () => {
  it('an OR across fields: one request per branch, merged in order, counted by inclusion-exclusion', async () => {
    const query: RowQuery = {
      filter: or(eq('customerNumber', c[1]!), cmp('totalIncludingTax', 'gt', '15000')),
      orderBy: [{ field: 'invoiceDate' }],
      top: 5,
      skip: 4,
      count: true,
    };
    await expectSame('salesInvoices', query);
    // Two branches, then one $count of their intersection; never an OR across fields on the wire.
    const filters = (await fx.reads('salesInvoices')).map((r) => optionsOf(r).get('$filter'));
    expect(filters).toEqual([
      `customerNumber eq '${c[1]}'`,
      'totalAmountIncludingTax gt 15000',
      `customerNumber eq '${c[1]}' and totalAmountIncludingTax gt 15000`,
    ]);
  });

  it("merges branches in BC's order, enums by their ordinal too", async () => {
    await expectSame('salesInvoices', {
      filter: or(eq('customerNumber', c[1]!), cmp('totalIncludingTax', 'gt', '15000')),
      orderBy: [{ field: 'status', descending: true }, { field: 'dueDate' }],
      top: 12,
      skip: 9,
    });
    await expectSame('customers', {
      filter: or(text('name', 'contains', 'e'), eq('currency', 'EUR')),
      orderBy: [{ field: 'blocked', descending: true }, { field: 'city' }],
      top: 8,
      skip: 2,
      count: true,
    });
  });

  it('search-like ORs of three text fields, with the count', async () => {
    const search = or(
      text('number', 'contains', '1001'),
      text('customerNumber', 'contains', '0001'),
      text('externalDocumentNumber', 'contains', 'po-1'),
    );
    await expectSame('salesInvoices', {
      filter: and(cmp('totalIncludingTax', 'gt', '100'), search),
      top: 7,
      skip: 7,
      count: true,
    });
    expect(optionsOf((await fx.reads('salesInvoices'))[0]!).get('$schemaversion')).toBe('2.1');
  });

  it("four ORed fields: counted from the branches' keys (bounded), or from whole branches", async () => {
    const filter = or(
      eq('customerNumber', c[1]!),
      eq('status', 'open'),
      cmp('dueDate', 'lt', '2022-06-01'),
      eq('currency', 'EUR'),
    );
    await fx.resetStats();
    await expectSame('salesInvoices', { filter, top: 10, skip: 3, count: true });
    // Four row requests, then four requests for the keys alone.
    const selects = (await fx.reads('salesInvoices')).map((r) => optionsOf(r).get('$select'));
    expect(selects.slice(4)).toEqual(['number', 'number', 'number', 'number']);
    const narrow = or(
      eq('number', 'SI-100001'),
      eq('customerNumber', 'NOBODY'),
      eq('status', 'corrective'),
      eq('currency', 'XXX'),
    );
    await expectSame('salesInvoices', { filter: narrow, top: 10, count: true });
  });

  it('a long in (a partner of 150 customers): disjoint chunks, counts added', async () => {
    const values = [...c, ...Array.from({ length: 120 }, (_, i) => `Z${String(i).padStart(5, '0')}`)];
    await expectSame('salesInvoices', {
      filter: { kind: 'in', field: 'customerNumber', values },
      orderBy: [{ field: 'dueDate' }],
      top: 25,
      skip: 30,
      count: true,
    });
    expect(await fx.reads('salesInvoices')).toHaveLength(2);
  });

  it('a window past 5,000 rows of a union is answered within the budget', async () => {
    const union = or(eq('customerNumber', c[1]!), eq('status', 'open'));
    await expectSame('salesInvoices', { filter: union, top: 10, skip: 4_995 });
  });
});

describe('what BC cannot evaluate at all: negated text functions (Salesforce\'s "does not contain")', () => {
  it.each<[string, RowSet, () => RowQuery]>([
    ['not contains, counted', 'customers', () => ({ filter: not(text('name', 'contains', 'a')), top: 5, count: true })],
    [
      'not startsWith with a pushed condition, a later page',
      'salesInvoices',
      () => ({
        filter: and(eq('customerNumber', c[3]!), not(text('number', 'startsWith', 'SI-1000'))),
        orderBy: [{ field: 'dueDate', descending: true }],
        top: 4,
        skip: 3,
        count: true,
      }),
    ],
    [
      'not endsWith on a nullable field (null passes)',
      'customers',
      () => ({ filter: not(text('email', 'endsWith', '.com')), top: 50, count: true }),
    ],
    [
      'two negations and a union',
      'salesInvoices',
      () => ({
        filter: and(
          or(eq('status', 'open'), eq('customerNumber', c[1]!)),
          not(text('number', 'contains', '7')),
          not(text('customerNumber', 'endsWith', '2')),
        ),
        top: 20,
        count: true,
      }),
    ],
    [
      'ORed with a pushable condition (read whole, within the budget)',
      'salesInvoices',
      () => ({
        filter: and(eq('customerNumber', c[5]!), or(not(text('number', 'contains', '1')), eq('status', 'paid'))),
        top: 10,
        count: true,
      }),
    ],
    [
      'matching nothing: counted, the rows read to the end',
      'customers',
      () => ({ filter: not(text('number', 'startsWith', 'C')), top: 5, count: true }),
    ],
  ])('%s', async (_name, set, query) => {
    await expectSame(set, query());
  });

  it('never sends BC the negation: it gets the rest of the filter, and the count as |A| - |A and T|', async () => {
    const query: RowQuery = {
      filter: and(eq('customerNumber', c[3]!), not(text('number', 'contains', '5'))),
      top: 3,
      count: true,
    };
    await expectSame('salesInvoices', query);
    const filters = (await fx.reads('salesInvoices')).map((read) => optionsOf(read).get('$filter'));
    expect(filters.every((filter) => filter !== null && !/\bnot\b/.test(filter))).toBe(true);
    expect(filters).toContain(`customerNumber eq '${c[3]}'`);
    expect(filters).toContain(`customerNumber eq '${c[3]}' and contains(tolower(number),'5')`);
  });
});

describe("order lines (found in the Analytics API's salesLines, read with their orders)", () => {
  it.each<[string, () => RowQuery]>([
    [
      'a customer, a line condition',
      () => ({ filter: and(eq('customerNumber', c[2]!), cmp('quantity', 'gt', 2)), top: 50, count: true }),
    ],
    [
      'orders by number, ordered by amount',
      () => ({
        filter: { kind: 'in', field: 'orderNumber', values: ['SO-100003', 'SO-100010', 'SO-100011'] },
        orderBy: [{ field: 'amount', descending: true }],
        top: 50,
        count: true,
      }),
    ],
    [
      'no order condition: every order, bounded',
      () => ({
        filter: text('itemNumber', 'startsWith', '1'),
        orderBy: [{ field: 'unitPrice' }],
        top: 20,
        skip: 5,
        count: true,
      }),
    ],
    [
      'search across order and line fields',
      () => ({
        filter: and(
          eq('customerNumber', c[4]!),
          or(text('orderNumber', 'contains', '0'), text('description', 'contains', 'a')),
        ),
        top: 10,
        count: true,
      }),
    ],
  ])('%s', async (_name, query) => {
    await expectSame('salesOrderLines', query());
  });

  it('finds the lines in salesLines (what it serves), then reads their orders with the lines expanded', async () => {
    await expectSame('salesOrderLines', { filter: and(eq('customerNumber', c[2]!), cmp('quantity', 'gt', 2)), top: 5 });
    const lines = await fx.reads('salesLines');
    expect(lines.length).toBeGreaterThan(0);
    expect(optionsOf(lines[0]!).get('$filter')).toBe(`documentType eq 'Order' and sellToCustomerNo eq '${c[2]}'`);
    expect(optionsOf(lines[0]!).get('$orderby')).toBe('documentNo,lineNo');
    const orders = await fx.reads('salesOrders');
    expect(orders.length).toBeGreaterThan(0);
    expect(optionsOf(orders[0]!).get('$filter')).toMatch(/^\(?number eq 'SO-/);
    expect(optionsOf(orders[0]!).get('$expand')).toMatch(/^salesOrderLines\(\$select=/);
  });
});

describe('stable paging', () => {
  it('skip through a non-unique order returns every row exactly once', async () => {
    const filter = { kind: 'in', field: 'customerNumber', values: c.slice(0, 6) } as const;
    const total = applyRowQuery('salesInvoices', fx.rows('salesInvoices'), { filter, top: 1, count: true }).totalCount!;
    const seen: string[] = [];
    for (let skip = 0; skip < total; skip += 37) {
      const page = await fx.port.queryRows(
        'salesInvoices',
        { filter, orderBy: [{ field: 'status' }], top: 37, skip },
        ctx,
      );
      seen.push(...page.rows.map((row) => row.number));
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });
});
