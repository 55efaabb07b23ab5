// Requests that are the client's mistake, answered as such: HTTP 400, a code saying what is wrong,
// and nothing at error level in the gateway's log (error lines are for what support must look at).
// Before, an unknown operationName or several operations without one answered 500; a malformed
// persistedQuery extension and variables nested thousands of levels answered 400 with
// INTERNAL_SERVER_ERROR (and the latter 500 once the variable was used); all logged as errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger } from '../subgraphs/support/capture-logger.js';
import { startHarness, type Harness } from './support/gateway-harness.js';

const log = captureLogger();
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({}, { logger: log.logger });
});
afterAll(async () => {
  await harness?.close();
});

async function send(body: unknown, init: { method?: string; query?: string } = {}) {
  const url = `${harness.gateway.url}/graphql${init.query ?? ''}`;
  const response =
    init.method === 'GET'
      ? await fetch(url, {
          headers: { ...harness.authHeaders, 'apollo-require-preflight': 'true', accept: 'application/json' },
        })
      : await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...harness.authHeaders },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        });
  return {
    status: response.status,
    body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions: { code: string } }[] },
  };
}

const errorLines = () => log.lines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
const HASH = 'a'.repeat(64);

describe('client mistakes', () => {
  const cases: [string, unknown, string, RegExp][] = [
    [
      'an unknown operationName',
      { query: 'query A { __typename }', operationName: 'B' },
      'OPERATION_RESOLUTION_FAILURE',
      /^Unknown operation named "B"\.$/,
    ],
    [
      'several operations and no operationName',
      { query: 'query A { __typename } query B { __typename }' },
      'OPERATION_RESOLUTION_FAILURE',
      /Must provide operation name/,
    ],
    [
      'a persistedQuery that is a string',
      { query: '{ __typename }', extensions: { persistedQuery: 'yes' } },
      'BAD_REQUEST',
      /persistedQuery must be .*: got "yes"\.$/,
    ],
    [
      'a persistedQuery of version 2',
      { extensions: { persistedQuery: { version: 2, sha256Hash: HASH } } },
      'BAD_REQUEST',
      /: version is 2\.$/,
    ],
    [
      'a persistedQuery without a hash',
      { extensions: { persistedQuery: { version: 1 } } },
      'BAD_REQUEST',
      /: sha256Hash is missing\.$/,
    ],
    [
      'a persistedQuery hash that is a number',
      { extensions: { persistedQuery: { version: 1, sha256Hash: 5 } } },
      'BAD_REQUEST',
      /: sha256Hash is 5\.$/,
    ],
    [
      'a persistedQuery hash that is not hex',
      { extensions: { persistedQuery: { version: 1, sha256Hash: 'z'.repeat(64) } } },
      'BAD_REQUEST',
      /: sha256Hash is "z+"\.$/,
    ],
    [
      'a used variable nested 8,000 levels',
      `{"query":"query ($f: AccountFilter) { accounts(first: 1, filter: $f) { totalCount } }","variables":{"f":${'{"nameContains":'.repeat(8000)}"x"${'}'.repeat(8000)}}}`,
      'DEPTH_LIMIT_EXCEEDED',
      /nests objects and lists 8000 levels deep/,
    ],
    [
      'a variable holding a lone UTF-16 surrogate (it cannot be put into an ERP URL)',
      {
        query: 'query ($w: RowFilter) { orders(first: 2, where: $w) { nodes { number } } }',
        variables: { w: { field: 'customerNumber', op: 'GT', value: '\n%\udc00' } },
      },
      'BAD_USER_INPUT',
      /^Variable "\$w" holds a string that is not Unicode text/,
    ],
    [
      'an undeclared variable of 8,000 nested lists',
      `{"query":"{ __typename }","variables":{"x":${'['.repeat(8000)}1${']'.repeat(8000)}}}`,
      'DEPTH_LIMIT_EXCEEDED',
      /nests objects and lists 8000 levels deep/,
    ],
  ];
  for (const [name, body, code, message] of cases) {
    it(`${name}: 400 ${code}, no error log`, async () => {
      const before = errorLines().length;
      const { status, body: result } = await send(body);
      expect(status).toBe(400);
      expect(result.data).toBeUndefined();
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]!.extensions.code).toBe(code);
      expect(result.errors![0]!.message).toMatch(message);
      expect(errorLines().slice(before)).toEqual([]);
    });
  }

  it('checks the persistedQuery extension of a GET request too', async () => {
    const extensions = encodeURIComponent(JSON.stringify({ persistedQuery: { version: 3, sha256Hash: HASH } }));
    const { status, body } = await send(undefined, { method: 'GET', query: `?extensions=${extensions}` });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions.code).toBe('BAD_REQUEST');
    expect(errorLines()).toEqual([]);
  });

  it('still runs well-formed requests: a named operation among several, a registered hash', async () => {
    const named = await send({ query: 'query A { __typename } query B { b: __typename }', operationName: 'B' });
    expect(named).toEqual({ status: 200, body: { data: { b: 'Query' } } });
    // APQ: an unknown but well-formed hash is PERSISTED_QUERY_NOT_FOUND (the client then sends the text).
    const apq = await send({ extensions: { persistedQuery: { version: 1, sha256Hash: HASH } } });
    expect(apq.body.errors?.[0]?.extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(errorLines()).toEqual([]);
  });
});
