// A seeded fuzz of GraphQL requests against the whole embedded stack (real emulators, subgraphs and
// gateway): 2,000 bodies of malformed JSON, wrong types, odd operationName, variables and
// extensions, hostile documents (fragment fan-out, deep nesting, aliases) and well-formed
// operations with hostile values that reach both backends (separators and lone surrogates in an
// account search, quotes in ERP numbers, deep row filters). None may answer 5xx, and none may come
// back masked as INTERNAL_SERVER_ERROR (that code is for our faults, and these are the client's).
// FUZZ_SEED replays another sequence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../bench/prng.js';
import { startStack, type InProcessStack } from '../../stack/in-process.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_311);
const BODIES = 2_000;

let stack: InProcessStack;
const tokens: string[] = [];
beforeAll(async () => {
  stack = await startStack({ seedAccounts: 20 });
  for (const claims of [
    { role: 'integration' },
    { role: 'sales' },
    { role: 'finance' },
    { role: 'partner', partnerId: 'P-NORTHWIND' },
  ] as const) {
    tokens.push(await stack.token(claims));
  }
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (random: Random, max: number) => Math.floor(random() * max);

/** Text a client might send where a string belongs: nothing, separators, controls, lone surrogates, quotes, SOQL/OData syntax, long runs. */
function hostileText(random: Random): string {
  const pieces = [
    '',
    ' ',
    '   ',
    '\t',
    '\n',
    '\u2028',
    '\u2029',
    '\u0085',
    '\u00a0',
    '\u0000',
    '\u0001',
    '\u001f',
    '\u007f',
    '\u009f',
    '\ud800',
    '\udc00',
    '😀',
    'é',
    '漢字',
    "'",
    '"',
    '\\',
    '%',
    '_',
    "' OR Name != '",
    "') OR (Id != '",
    'C00001',
    'C00011',
    "C00001' or CustomerNumber ne '",
    '$filter=',
    '${x}',
    '<script>',
    'acme',
    'Group',
    'x'.repeat(int(random, 300)),
  ];
  return Array.from({ length: 1 + int(random, 4) }, () => pick(random, pieces)).join('');
}

/** A JSON value of any type, sometimes deep. */
function anyValue(random: Random, depth = 0): unknown {
  switch (int(random, depth > 3 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return pick(random, [0, -1, 1.5, 2 ** 31, -(2 ** 53), 1e308, Number.MAX_SAFE_INTEGER]);
    case 3:
      return hostileText(random);
    case 4:
      return pick(random, ['1', 'true', '{}', '[]', 'null']);
    case 5:
      return {};
    case 6:
      return Array.from({ length: int(random, 4) }, () => anyValue(random, depth + 1));
    case 7:
      return Object.fromEntries(
        Array.from({ length: int(random, 4) }, () => [
          pick(random, ['a', 'nameContains', 'and', 'field', 'persistedQuery', '__proto__', 'constructor']),
          anyValue(random, depth + 1),
        ]),
      );
    default: {
      let nested: unknown = anyValue(random, 4);
      for (let level = int(random, 600); level > 0; level -= 1) nested = random() < 0.5 ? [nested] : { and: [nested] };
      return nested;
    }
  }
}

const nestedFilter = (levels: number): string =>
  levels === 0 ? '{ field: "number", op: IS_NULL }' : `{ and: [${nestedFilter(levels - 1)}] }`;

/** A document: well-formed, odd, or hostile. */
function document(random: Random): string {
  const text = JSON.stringify(hostileText(random));
  const fanOut = (levels: number) =>
    `query Fan { accountByErpNumber(erpCustomerNumber: "C00001") { ...F0 } }\n${Array.from({ length: levels }, (_, i) => `fragment F${i} on Account { ...F${i + 1} @include(if: true) ...F${i + 1} @skip(if: false) }`).join('\n')}\nfragment F${levels} on Account { name }`;
  return pick(random, [
    () =>
      `{ accounts(first: ${pick(random, [1, 5, 0, -1, 201, 2 ** 31])}, filter: { nameContains: ${text} }) { totalCount nodes { name erpCustomerNumber } } }`,
    () => `query Search($t: String) { accounts(first: 3, filter: { nameContains: $t }) { nodes { id name } } }`,
    () => `{ accountByErpNumber(erpCustomerNumber: ${text}) { name credit { onHold } orders { number } } }`,
    () => `{ account(id: ${text}) { name } }`,
    () => `{ order(number: ${text}) { number lines { itemNumber } } }`,
    () => `{ product(number: ${text}) { number } }`,
    () => `{ customers(first: 5, search: ${text}) { nodes { number name } } }`,
    () => `{ invoices(first: 3, where: { field: "customerNumber", op: EQ, value: ${text} }) { nodes { number } } }`,
    () => `{ customers(first: 1, where: ${nestedFilter(int(random, 40))}) { totalCount } }`,
    () => `query Rows($w: RowFilter) { orders(first: 2, where: $w) { nodes { number } } }`,
    () => `mutation { submitQuote(input: { quoteId: ${text}, idempotencyKey: ${text} }) { status } }`,
    () => `mutation { updateAccount(input: { id: ${text}, phone: ${text} }) { account { id } } }`,
    () => `{ validateQuote(quoteId: ${text}) { verdict } }`,
    () => `query A { __typename } query B { __typename }`,
    () => `{ __schema { types { name } } }`,
    () => `{ __type(name: ${text}) { name fields { name } } }`,
    () => fanOut(5 + int(random, 40)),
    () => `{ ${Array.from({ length: 1 + int(random, 60) }, (_, i) => `a${i}: __typename`).join(' ')} }`,
    () => `{ accounts(first: 1) { nodes { ${'owner { '.repeat(int(random, 20))}name${' }'.repeat(0)} } } }`,
    () => `{ accounts(first: 2) { nodes { quotes { account { quotes { account { name } } } } } } }`,
    () => `{ nope }`,
    () => `{ accounts(first: 1) { nodes { name @include(if: $undefined) } } }`,
    () => `query ($x: Int!) { accounts(first: $x) { totalCount } }`,
    () => hostileText(random),
    () => `{`.repeat(int(random, 2000)),
    () => `query { accounts(first: 1) { nodes { name } } } # ${hostileText(random)}`,
  ])();
}

/** A row filter of the right shape with hostile values, a few levels deep. */
function rowFilter(random: Random, depth = 0): unknown {
  if (depth < 3 && random() < 0.4)
    return {
      [pick(random, ['and', 'or'])]: Array.from({ length: 1 + int(random, 3) }, () => rowFilter(random, depth + 1)),
    };
  if (depth < 3 && random() < 0.1) return { not: rowFilter(random, depth + 1) };
  const op = pick(random, ['EQ', 'NE', 'GT', 'CONTAINS', 'STARTS_WITH', 'IN', 'IS_NULL', 'BOGUS']);
  return {
    field: pick(random, ['number', 'customerNumber', 'status', 'orderDate', 'total', 'nope', hostileText(random)]),
    op,
    ...(op === 'IN'
      ? { values: Array.from({ length: int(random, 5) }, () => hostileText(random)) }
      : { value: random() < 0.8 ? hostileText(random) : anyValue(random) }),
  };
}

/** A body: well-formed with hostile values (two in three), or with odd parts in its envelope. */
function payload(random: Random): Record<string, unknown> {
  if (random() < 0.65) {
    return {
      query: document(random),
      variables: { t: hostileText(random), w: rowFilter(random), x: pick(random, [1, 5, 201, -1, null]) },
    };
  }
  const body: Record<string, unknown> = {};
  if (random() < 0.9) body.query = random() < 0.85 ? document(random) : anyValue(random);
  if (random() < 0.5)
    body.variables =
      random() < 0.6 ? { t: hostileText(random), w: anyValue(random), x: anyValue(random) } : anyValue(random);
  if (random() < 0.3)
    body.operationName =
      random() < 0.5 ? pick(random, ['A', 'B', 'Search', 'Rows', 'Fan', 'Nope', '', 'Customer360']) : anyValue(random);
  if (random() < 0.25) {
    body.extensions =
      random() < 0.5
        ? {
            persistedQuery: pick(random, [
              anyValue(random),
              { version: 1, sha256Hash: 'a'.repeat(64) },
              { version: anyValue(random), sha256Hash: anyValue(random) },
            ]),
          }
        : anyValue(random);
  }
  return body;
}

/** A request: method, content type and body text. */
function request(random: Random): { method: 'GET' | 'POST'; contentType?: string; body?: string; query?: string } {
  switch (int(random, 12)) {
    case 0: {
      // Malformed JSON: truncated, or with garbage after it.
      const text = JSON.stringify(payload(random));
      return {
        method: 'POST',
        contentType: 'application/json',
        body: random() < 0.5 ? text.slice(0, int(random, text.length)) : `${text}${hostileText(random)}`,
      };
    }
    case 1:
      return { method: 'POST', contentType: 'application/json', body: JSON.stringify(anyValue(random)) };
    case 2:
      return {
        method: 'POST',
        contentType: pick(random, [
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/graphql',
          'multipart/form-data; boundary=x',
        ]),
        body: JSON.stringify(payload(random)),
      };
    case 3: {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(payload(random)))
        params.set(key, typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
      return { method: 'GET', query: params.toString() };
    }
    case 4: {
      // Variables nested thousands of levels (written as text: JSON.stringify itself would overflow).
      const levels = 1_000 + int(random, 9_000);
      const deep =
        random() < 0.5
          ? `${'['.repeat(levels)}1${']'.repeat(levels)}`
          : `${'{"and":['.repeat(levels)}{"field":"number","op":"IS_NULL"}${']}'.repeat(levels)}`;
      return {
        method: 'POST',
        contentType: 'application/json',
        body: `{"query":"query Rows($w: RowFilter) { orders(first: 2, where: $w) { nodes { number } } }","variables":{"w":${deep}}}`,
      };
    }
    default:
      return { method: 'POST', contentType: 'application/json', body: JSON.stringify(payload(random)) };
  }
}

describe(`fuzzed GraphQL requests (seed ${SEED})`, () => {
  it(`${BODIES} requests: no 5xx, no INTERNAL_SERVER_ERROR`, { timeout: 600_000 }, async () => {
    const random = mulberry32(SEED);
    const statuses = new Map<number, number>();
    const codes = new Map<string, number>();
    const failures: string[] = [];
    for (let i = 0; i < BODIES; i += 1) {
      const sent = request(random);
      const headers: Record<string, string> = {
        authorization: `Bearer ${pick(random, tokens)}`,
        'apollo-require-preflight': 'true',
      };
      if (sent.contentType) headers['content-type'] = sent.contentType;
      const url = `${stack.gatewayUrl}/graphql${sent.query !== undefined ? `?${sent.query}` : ''}`;
      const response = await fetch(url, {
        method: sent.method,
        headers,
        ...(sent.body !== undefined && { body: sent.body }),
      });
      const text = await response.text();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const code = /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? (text.includes('"data"') ? 'data' : 'other');
      codes.set(code, (codes.get(code) ?? 0) + 1);
      if (response.status >= 500 || text.includes('INTERNAL_SERVER_ERROR')) {
        failures.push(
          `#${i} ${sent.method} ${response.status} ${JSON.stringify(sent).slice(0, 400)} → ${text.slice(0, 300)}`,
        );
      }
    }
    // The mix is printed so a change of generator shows what it now exercises.
    console.log(
      `fuzz seed ${SEED}: ${BODIES} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}, first codes ${JSON.stringify(Object.fromEntries([...codes].sort((a, b) => b[1] - a[1])))}`,
    );
    expect(failures).toEqual([]);
  });
});
