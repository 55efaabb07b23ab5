// Salesforce Connect's "does not contain" list-view filter, and the negated startswith / endswith,
// on every entity set, end to end: `contains(P,'x') eq false`, `ne true` and `not contains(...)`
// are answered (Business Central cannot evaluate them, the adapter does, within the read budget)
// with exactly the rows and the count the ERP's own data gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type InProcessStack } from '../../stack/in-process.js';
import { rawErp, textOrNull, type RawRow } from './support/raw-erp.js';

let stack: InProcessStack;
let sales: Record<string, string>;
/** Per entity set: its rows as the bridge serves the tested properties, in key order. */
const raw = new Map<string, Array<Record<string, string | number | null>>>();

interface SetCase {
  readonly set: string;
  readonly key: readonly string[];
  readonly rows: (erp: Awaited<ReturnType<typeof rawErp>>) => Promise<Array<Record<string, string | number | null>>>;
  /** Text properties to negate a function on. */
  readonly probes: readonly string[];
}

const CASES: readonly SetCase[] = [
  {
    set: 'Customers',
    key: ['CustomerNumber'],
    rows: async (erp) =>
      (await erp.rows('customers')).map((c) => ({
        CustomerNumber: c.number as string,
        Name: c.displayName as string,
        Phone: textOrNull(c.phoneNumber),
      })),
    probes: ['Name', 'Phone'],
  },
  {
    set: 'Invoices',
    key: ['Number'],
    rows: async (erp) =>
      (await erp.rows('salesInvoices')).map((i) => ({
        Number: i.number as string,
        CustomerNumber: i.customerNumber as string,
      })),
    probes: ['Number', 'CustomerNumber'],
  },
  {
    set: 'SalesOrders',
    key: ['Number'],
    rows: async (erp) =>
      (await erp.rows('salesOrders')).map((o) => ({
        Number: o.number as string,
        ExternalDocumentNumber: textOrNull(o.externalDocumentNumber),
      })),
    probes: ['Number', 'ExternalDocumentNumber'],
  },
  {
    set: 'SalesOrderLines',
    key: ['OrderNumber', 'Sequence'],
    rows: async (erp) =>
      (await erp.rows('salesOrders')).flatMap((o) =>
        (o.salesOrderLines as RawRow[]).map((l) => ({
          OrderNumber: o.number as string,
          Sequence: l.sequence as number,
          Description: l.description as string,
          ItemNumber: l.lineObjectNumber as string,
        })),
      ),
    probes: ['Description', 'ItemNumber'],
  },
  {
    set: 'Shipments',
    key: ['Number'],
    rows: async (erp) =>
      (await erp.rows('salesShipments')).map((s) => ({
        Number: s.number as string,
        TrackingNumber: textOrNull(s.packageTrackingNo),
      })),
    probes: ['Number', 'TrackingNumber'],
  },
  {
    set: 'Products',
    key: ['Number'],
    rows: async (erp) =>
      (await erp.rows('items')).map((i) => ({ Number: i.number as string, Name: i.displayName as string })),
    probes: ['Name', 'Number'],
  },
];

/** The port's text functions ignore case; a null value matches none of them, so every negation keeps it. */
const has = (value: unknown, test: (text: string) => boolean) => typeof value === 'string' && test(value.toLowerCase());
type TextTest = (text: string, needle: string) => boolean;
const CONTAINS: TextTest = (t, n) => t.includes(n);
const STARTS: TextTest = (t, n) => t.startsWith(n);
const ENDS: TextTest = (t, n) => t.endsWith(n);
const FORMS: ReadonlyArray<readonly [string, (property: string, needle: string) => string, TextTest]> = [
  ['contains eq false', (p, n) => `contains(${p},'${n}') eq false`, CONTAINS],
  ['contains ne true', (p, n) => `contains(${p},'${n}') ne true`, CONTAINS],
  ['not contains', (p, n) => `not contains(${p},'${n}')`, CONTAINS],
  ['not startswith', (p, n) => `not startswith(${p},'${n}')`, STARTS],
  ['endswith eq false', (p, n) => `endswith(${p},'${n}') eq false`, ENDS],
];

/**
 * A needle the function matches in about half the values: characters, prefixes and suffixes of the
 * values (lower case, no quotes), the closest to half.
 */
function needleFor(values: readonly unknown[], test: TextTest): string {
  const texts = values.filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase());
  const candidates = new Set<string>();
  for (const text of texts.slice(0, 50)) {
    for (const ch of text) candidates.add(ch);
    for (let k = 1; k <= text.length; k += 1) candidates.add(text.slice(0, k)).add(text.slice(-k));
  }
  let best = '';
  let distance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate.includes("'") || candidate.trim() === '') continue;
    const share = texts.filter((t) => test(t, candidate)).length / values.length;
    if (Math.abs(share - 0.5) < distance) [best, distance] = [candidate, Math.abs(share - 0.5)];
  }
  return best;
}

beforeAll(async () => {
  stack = await startStack({ seedAccounts: 40 });
  sales = { authorization: `Bearer ${await stack.token({ role: 'sales' })}` };
  const erp = await rawErp(stack.erpEmulatorUrl);
  for (const c of CASES) {
    const rows = await c.rows(erp);
    const keyOf = (row: Record<string, unknown>) => c.key.map((k) => row[k]);
    rows.sort((a, b) => {
      const [x, y] = [keyOf(a), keyOf(b)];
      for (let i = 0; i < x.length; i += 1)
        if (x[i] !== y[i]) return (x[i] as string | number) < (y[i] as string | number) ? -1 : 1;
      return 0;
    });
    raw.set(c.set, rows);
  }
});
afterAll(async () => {
  await stack?.close();
});

async function getJson(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers: sales });
  return { status: res.status, body: await res.json() };
}

/** Every row of a collection request, following next links; the count of the first page. */
async function listAll(path: string): Promise<{ rows: any[]; count: number }> {
  let next: string | undefined = `${stack.gatewayUrl}/odata/v4/${path}`;
  const rows: any[] = [];
  let count = -1;
  while (next) {
    const { status, body } = await getJson(next);
    expect(status, JSON.stringify(body)).toBe(200);
    if (count < 0) count = body['@odata.count'];
    rows.push(...body.value);
    next = body['@odata.nextLink'];
  }
  return { rows, count };
}

describe.each(CASES)('$set', (c) => {
  const keys = (rows: Array<Record<string, unknown>>) => rows.map((row) => c.key.map((k) => row[k]).join('|'));

  it.each(
    c.probes.flatMap((property) =>
      FORMS.map(([name, filter, test]) => [`${name} on ${property}`, filter, property, test] as const),
    ),
  )('%s: every row and the count, as the ERP data says', async (_name, form, property, test) => {
    const all = raw.get(c.set)!;
    const needle = needleFor(
      all.map((row) => row[property]),
      test,
    );
    const filter = form(property, needle);
    const expected = all.filter((row) => !has(row[property], (t) => test(t, needle)));
    // The check is worth something only when the filter keeps some rows and drops others.
    expect(expected.length, filter).toBeGreaterThan(0);
    expect(expected.length, filter).toBeLessThan(all.length);
    const { rows, count } = await listAll(
      `${c.set}?$filter=${encodeURIComponent(filter)}&$count=true&$select=${c.key.join(',')}`,
    );
    expect(count, filter).toBe(expected.length);
    expect(keys(rows), filter).toEqual(keys(expected));
  });

  it("the list view's request: $count=true&$top=26 with a 'does not contain' filter", async () => {
    const property = c.probes[0]!;
    const needle = needleFor(
      raw.get(c.set)!.map((row) => row[property]),
      CONTAINS,
    );
    const expected = raw.get(c.set)!.filter((row) => !has(row[property], (t) => t.includes(needle)));
    const { status, body } = await getJson(
      `${stack.gatewayUrl}/odata/v4/${c.set}?$count=true&$top=26&$select=${c.key.join(',')}&$filter=${encodeURIComponent(`contains(${property},'${needle}') eq false`)}`,
    );
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body['@odata.count']).toBe(expected.length);
    expect(keys(body.value)).toEqual(keys(expected.slice(0, 26)));
  });
});
