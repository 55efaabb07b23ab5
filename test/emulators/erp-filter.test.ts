// $filter: the parser's grammar and precedence, every operator and literal kind over HTTP, and
// malformed filters answered with 400 naming the position. An `or` across different properties is
// refused with Business Central's 400 by default; the opt-out (EMULATOR_ERP_STRICT_FILTERS=false)
// still evaluates it exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFilter } from '../../emulators/erp/odata/filter.js';
import { planIndex } from '../../emulators/erp/odata/index-plan.js';
import { customers, q, salesInvoices, startFixtureEmulator, type ErpTestClient } from './erp-fixture.js';

let erp: ErpTestClient;
/** The opt-out: cross-property ORs evaluated instead of refused. */
let lenient: ErpTestClient;

beforeAll(async () => {
  [erp, lenient] = await Promise.all([startFixtureEmulator(), startFixtureEmulator({ strictFilters: false })]);
});
afterAll(async () => {
  await Promise.all([erp.running.close(), lenient.running.close()]);
});

type Entity = Record<string, unknown>;

async function numbers(set: string, filter: string, client: ErpTestClient = erp): Promise<string[]> {
  const { status, body } = await client.json<{ value: Entity[]; error?: unknown }>(
    `/${set}?$filter=${q(filter)}&$select=number`,
  );
  if (status !== 200) throw new Error(`${status} ${JSON.stringify(body)}`);
  return body.value.map((row) => row.number as string);
}

async function filterError(set: string, filter: string): Promise<{ code: string; message: string }> {
  const { status, body } = await erp.json<{ error: { code: string; message: string } }>(`/${set}?$filter=${q(filter)}`);
  expect(status, filter).toBe(400);
  return body.error;
}

/** Business Central's answer to an `or` across different properties (webservices/odata-known-limitations), then its CorrelationId. */
const DISTINCT_FIELDS_OR =
  /^An error occurred while processing this request\. The 'OR' operator is not supported on distinct fields on an OData filter\.\s/;

const invoiceNumbers = (predicate: (invoice: (typeof salesInvoices)[number]) => boolean) =>
  salesInvoices.filter(predicate).map((invoice) => invoice.number);

describe('parser', () => {
  it('binds and tighter than or, and not tighter than and', () => {
    const ast = parseFilter("a eq 1 or not b eq 2 and c eq 'x'");
    expect(ast.kind).toBe('or');
    if (ast.kind !== 'or') return;
    expect(ast.left).toMatchObject({ kind: 'compare', op: 'eq', left: { name: 'a' }, right: { value: 1 } });
    expect(ast.right).toMatchObject({
      kind: 'and',
      left: { kind: 'not', operand: { kind: 'compare', left: { name: 'b' } } },
      right: { kind: 'compare', right: { type: 'string', value: 'x' } },
    });
  });

  it('parses every literal kind', () => {
    const literal = (text: string) => {
      const ast = parseFilter(`p eq ${text}`);
      return ast.kind === 'compare' ? ast.right : null;
    };
    expect(literal("'O''Brien'")).toMatchObject({ type: 'string', value: "O'Brien" });
    expect(literal("''")).toMatchObject({ type: 'string', value: '' });
    expect(literal('-12.5')).toMatchObject({ type: 'number', value: -12.5, integer: false });
    expect(literal('42')).toMatchObject({ type: 'number', value: 42, integer: true });
    expect(literal('true')).toMatchObject({ type: 'boolean', value: true });
    expect(literal('null')).toMatchObject({ type: 'null', value: null });
    expect(literal('2026-11-23')).toMatchObject({ type: 'date', value: '2026-11-23' });
    expect(literal('2026-11-23T10:00:00.123Z')).toMatchObject({ type: 'datetime' });
    expect(literal('2026-11-23T10:00:00+01:00')).toMatchObject({ type: 'datetime' });
    expect(literal('C0000000-0000-4000-8000-00000000000A')).toMatchObject({
      type: 'guid',
      value: 'c0000000-0000-4000-8000-00000000000a',
    });
  });

  it('plans an index for an eq, an OR of eqs on one property, or such a conjunct of an AND', () => {
    const indexed = new Set(['customerNumber', 'number']);
    expect(planIndex(parseFilter("customerNumber eq 'C1'"), indexed)).toEqual({
      property: 'customerNumber',
      values: ['C1'],
    });
    expect(
      planIndex(
        parseFilter(
          "(customerNumber eq 'C1' or customerNumber eq 'C2' or customerNumber eq 'C3') and status eq 'Open'",
        ),
        indexed,
      ),
    ).toEqual({ property: 'customerNumber', values: ['C1', 'C2', 'C3'] });
    expect(planIndex(parseFilter("status eq 'Open' and number eq 'SI-1'"), indexed)).toEqual({
      property: 'number',
      values: ['SI-1'],
    });
    // Not usable: mixed properties in the OR, a non-eq, a negation, an unindexed property.
    expect(planIndex(parseFilter("customerNumber eq 'C1' or number eq 'X'"), indexed)).toBeNull();
    expect(planIndex(parseFilter("customerNumber ne 'C1'"), indexed)).toBeNull();
    expect(planIndex(parseFilter("not (customerNumber eq 'C1')"), indexed)).toBeNull();
    expect(planIndex(parseFilter("status eq 'Open'"), indexed)).toBeNull();
  });
});

describe('$filter over HTTP', () => {
  it('compares strings with eq and ne', async () => {
    expect(await numbers('customers', "number eq 'C00003'")).toEqual(['C00003']);
    expect(await numbers('customers', "blocked ne ' '")).toEqual(['C00003', 'C00004']);
    expect(await numbers('customers', "'C00002' eq number")).toEqual(['C00002']);
  });

  it("unescapes '' inside string literals", async () => {
    expect(await numbers('customers', "displayName eq 'O''Brien Tools'")).toEqual(['C00002']);
    expect(await numbers('customers', "displayName eq 'O'Brien Tools'").catch((e: Error) => e.message)).toMatch(/^400/);
  });

  it('compares numbers with gt, ge, lt, le (integers, decimals, negatives)', async () => {
    expect(await numbers('salesInvoices', 'totalAmountIncludingTax gt 2807')).toEqual(
      invoiceNumbers((i) => i.totalAmountIncludingTax > 2807),
    );
    expect(await numbers('salesInvoices', 'totalAmountIncludingTax ge 2807')).toEqual(
      invoiceNumbers((i) => i.totalAmountIncludingTax >= 2807),
    );
    expect(await numbers('salesInvoices', 'totalAmountIncludingTax lt 300.75')).toEqual(['SI-100001', 'SI-100002']);
    expect(await numbers('salesInvoices', 'totalAmountIncludingTax le 300.75')).toEqual([
      'SI-100001',
      'SI-100002',
      'SI-100003',
    ]);
    expect(await numbers('items', 'unitPrice eq 10.5')).toEqual(['1000-A']);
    expect(await numbers('items', 'unitPrice gt -1')).toHaveLength(3);
  });

  it('compares booleans, and accepts a bare boolean property', async () => {
    expect(await numbers('customers', 'taxLiable eq false')).toEqual(['C00002']);
    expect(await numbers('items', 'blocked')).toEqual(['9999-X']);
    expect(await numbers('items', 'not blocked')).toEqual(['1000-A', '2000-B']);
  });

  it('compares with null', async () => {
    expect(await numbers('customers', 'displayName eq null')).toEqual([]);
    expect(await numbers('customers', 'displayName ne null')).toHaveLength(5);
    expect(await numbers('salesInvoices', 'totalAmountIncludingTax gt null')).toEqual([]);
  });

  it('compares dates and date-times (with offsets, as instants)', async () => {
    expect(await numbers('salesInvoices', 'invoiceDate ge 2026-10-10 and invoiceDate le 2026-10-12')).toEqual([
      'SI-100010',
      'SI-100011',
      'SI-100012',
    ]);
    expect(await numbers('salesInvoices', 'dueDate gt 2026-12-28')).toEqual(['SI-100029', 'SI-100030']);
    expect(await numbers('customers', 'lastModifiedDateTime lt 2026-10-03T00:00:00Z')).toEqual(['C00001', 'C00002']);
    expect(await numbers('customers', 'lastModifiedDateTime lt 2026-10-03T02:00:00+02:00')).toEqual([
      'C00001',
      'C00002',
    ]);
    expect(await numbers('customers', 'lastModifiedDateTime eq 2026-10-05T08:00:00.000Z')).toEqual(['C00005']);
  });

  it('compares GUIDs case-insensitively and refuses a quoted GUID (Edm.Guid vs Edm.String)', async () => {
    expect(await numbers('customers', 'id eq C0000000-0000-4000-8000-000000000002')).toEqual(['C00002']);
    expect(await numbers('salesOrders', `customerId eq ${customers[0]!.id}`)).toEqual(['SO-100001', 'SO-100003']);
    const error = await filterError('customers', "id eq 'c0000000-0000-4000-8000-000000000002'");
    expect(error.message).toMatch(/incompatible types.*'Edm.Guid' and 'Edm.String'/);
  });

  it('applies precedence: and before or, not before and; parentheses override', async () => {
    // One property throughout: `a or (b and c)` is SI-100001/2; `(a or b) and c` would be nothing.
    expect(
      await numbers(
        'salesInvoices',
        'totalAmountIncludingTax lt 300.75 or totalAmountIncludingTax gt 2807 and totalAmountIncludingTax lt 0',
      ),
    ).toEqual(['SI-100001', 'SI-100002']);
    expect(
      await numbers(
        'salesInvoices',
        '(totalAmountIncludingTax lt 300.75 or totalAmountIncludingTax gt 2807) and totalAmountIncludingTax lt 0',
      ),
    ).toEqual([]);
    expect(
      await numbers('salesInvoices', "(status eq 'Paid' or status eq 'Open') and customerNumber eq 'C00001'"),
    ).toEqual(invoiceNumbers((i) => (i.status === 'Paid' || i.status === 'Open') && i.customerNumber === 'C00001'));
    expect(await numbers('salesInvoices', "not status eq 'Open' and customerNumber eq 'C00001'")).toEqual(
      invoiceNumbers((i) => i.status !== 'Open' && i.customerNumber === 'C00001'),
    );
    expect(await numbers('salesInvoices', "not (status eq 'Open' or status eq 'Paid')")).toEqual(
      invoiceNumbers((i) => !(i.status === 'Open' || i.status === 'Paid')),
    );
  });

  it('supports contains, startswith and endswith', async () => {
    expect(await numbers('customers', "contains(displayName,'Tools')")).toEqual(['C00002']);
    expect(await numbers('customers', "startswith(displayName, 'Zeta') or endswith(displayName,'Ltd')")).toEqual([
      'C00004',
      'C00005',
    ]);
    expect(await numbers('customers', "contains(displayName,'tools')")).toEqual([]);
  });

  it('uses the customerNumber index for ORs of eqs without changing the result', async () => {
    const wanted = ['C00001', 'C00003', 'C00009'];
    const filter = `(${wanted.map((n) => `customerNumber eq '${n}'`).join(' or ')}) and status eq 'Open'`;
    expect(await numbers('salesInvoices', filter)).toEqual(
      invoiceNumbers((i) => wanted.includes(i.customerNumber) && i.status === 'Open'),
    );
    expect(await numbers('salesOrders', "externalDocumentNumber eq 'SFQ-0Q0000000000001AAA'")).toEqual(['SO-100002']);
  });
});

describe('an OR across different properties (BC: "The \'OR\' operator is not supported on distinct fields")', () => {
  const crossPropertyOrs: Array<[string, string]> = [
    ['salesInvoices', "customerNumber eq 'C00002' or totalAmountIncludingTax gt 2900"],
    // and binds tighter: the or's right side reads customerNumber too.
    ['salesInvoices', "status eq 'Paid' or status eq 'Open' and customerNumber eq 'C00001'"],
    // Nested under and / not, and through a function.
    ['salesInvoices', "status eq 'Open' and (customerNumber eq 'C00001' or number eq 'SI-100002')"],
    ['salesInvoices', "not (status eq 'Open' or customerNumber eq 'C00001')"],
    ['customers', "startswith(displayName,'Zeta') or city eq 'Boston'"],
  ];

  it.each(crossPropertyOrs)('%s: %s → 400 BadRequest, also for /$count', async (set, filter) => {
    const error = await filterError(set, filter);
    expect(error.code).toBe('BadRequest');
    expect(error.message).toMatch(DISTINCT_FIELDS_OR);
    const count = await erp.json<{ error: { code: string; message: string } }>(`/${set}/$count?$filter=${q(filter)}`);
    expect(count.status).toBe(400);
    expect(count.body.error.message).toMatch(DISTINCT_FIELDS_OR);
  });

  it('allows ORs of one property: eqs, ranges, functions, also nested under and / not', async () => {
    expect(await numbers('customers', "number eq 'C00001' or number eq 'C00004'")).toEqual(['C00001', 'C00004']);
    expect(await numbers('customers', "startswith(displayName, 'Zeta') or endswith(displayName,'Ltd')")).toEqual([
      'C00004',
      'C00005',
    ]);
    expect(
      await numbers('salesInvoices', "(status eq 'Paid' or status eq 'Open') and customerNumber eq 'C00001'"),
    ).toEqual(invoiceNumbers((i) => (i.status === 'Paid' || i.status === 'Open') && i.customerNumber === 'C00001'));
    expect(await numbers('salesInvoices', "not (status eq 'Open' or status eq 'Paid')")).toEqual(
      invoiceNumbers((i) => !(i.status === 'Open' || i.status === 'Paid')),
    );
  });

  it('is evaluated exactly under the opt-out (EMULATOR_ERP_STRICT_FILTERS=false)', async () => {
    const paid = invoiceNumbers((i) => i.status === 'Paid');
    const openC1 = invoiceNumbers((i) => i.status === 'Open' && i.customerNumber === 'C00001');
    const sorted = (list: string[]) => [...list].sort();
    expect(
      sorted(
        await numbers('salesInvoices', "status eq 'Paid' or status eq 'Open' and customerNumber eq 'C00001'", lenient),
      ),
    ).toEqual(sorted([...paid, ...openC1]));
    // Not indexable (mixed properties), and still exact.
    expect(
      await numbers('salesInvoices', "customerNumber eq 'C00002' or totalAmountIncludingTax gt 2900", lenient),
    ).toEqual(invoiceNumbers((i) => i.customerNumber === 'C00002' || i.totalAmountIncludingTax > 2900));
  });
});

describe('malformed $filter → 400 BadRequest naming the position', () => {
  it.each([
    ['number eq', /Expression expected at position 9 in 'number eq'/],
    ["number eq 'C0001", /Unterminated string literal at position 10/],
    ["(number eq 'C00001'", /'\)' or an operator expected at position 19/],
    ["number eq 'C00001' and", /Expression expected at position 22/],
    ["number eq 'C00001' xyz", /unexpected 'xyz'.* at position 19/],
    ["number € 'C00001'", /character '€' is not valid at position 7/],
    ['invoiceDate eq 2026-02-30', /'2026-02-30' is not a valid date at position 15/],
    ["lower(number,'a')", /Unknown function 'lower' at position 0/],
    ['eq 5', /Expression expected at position 0/],
  ])('%s', async (filter, message) => {
    const set = filter.startsWith('invoiceDate') ? 'salesInvoices' : 'customers';
    const error = await filterError(set, filter);
    expect(error.code).toBe('BadRequest');
    expect(error.message).toMatch(message);
  });

  it('names unknown properties and incompatible types', async () => {
    expect((await filterError('customers', "colour eq 'red'")).message).toMatch(
      /Could not find a property named 'colour' on type 'Microsoft.NAV.customer'/,
    );
    expect((await filterError('customers', "creditLimit eq 'lots'")).message).toMatch(
      /incompatible types.*'Edm.Decimal' and 'Edm.String'/,
    );
    expect((await filterError('customers', 'number')).message).toMatch(/must evaluate to a single boolean/);
    expect((await filterError('customers', 'contains(creditLimit,1)')).message).toMatch(/requires Edm.String/);
    expect((await filterError('customers', '')).message).toMatch(/must not be empty/);
  });
});
