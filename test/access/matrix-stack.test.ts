// The auth matrix end to end, on the in-process stack (real gateway, subgraphs, connectors and
// emulators; development tokens): every role against every protected field and mutation, at the
// gateway with bearer tokens, and at each subgraph called directly with a validly forwarded identity
// (defense in depth: the subgraph refuses what the role may not read, whoever calls it). The cases
// and their expected refusals come from support/matrix.ts (rules and the hand-written matrix).
//
// Partners may run only persisted operations (gateway/persisted-operations), so their ad-hoc
// operations never reach the access check at the gateway: there the partner row is covered by
// the persisted manifest's own operations, and in full at the subgraphs and by the gateway plugin
// itself (matrix.test.ts).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSupergraphSdl } from '../../gateway/supergraph.js';
import { ErrorCode } from '../../lib/error-codes.js';
import { forwardingKeySource, loadForwardingKey } from '../../lib/forwarding-key.js';
import { ROLES, type Role } from '../../lib/identity.js';
import { accessPolicyOf, forbiddenFields } from '../../schema/access.js';
import { startStack, type InProcessStack } from '../../stack/in-process.js';
import { forwardedIdentityHeaders, testIdentity } from '../support/identity.js';
import {
  ACCESS_MATRIX,
  expectedRefusal,
  GATEWAY_ENTRIES,
  matrixCases,
  OPEN_CONTROLS,
  type Entry,
  type MatrixCase,
} from './support/matrix.js';

const NORTHWIND = {
  id: 'P-NORTHWIND',
  customers: Array.from({ length: 10 }, (_, i) => `C${String(i + 1).padStart(5, '0')}`),
};
const NON_PARTNER_ROLES = ROLES.filter((role) => role !== 'partner');
const UNKNOWN_QUOTE = '0Q0000000000000AAA';

interface Body {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string; fields?: string[] } }[];
}

let stack: InProcessStack;
const tokens = new Map<Role, string>();
let forwardingKey: Uint8Array;
/** The Salesforce id of C00001's account (Salesforce entity representations need it). */
let accountId: string;

beforeAll(async () => {
  stack = await startStack({ seedAccounts: 20 });
  for (const role of ROLES) {
    tokens.set(
      role,
      await stack.token(
        role === 'partner' ? { role, partnerId: NORTHWIND.id, customers: NORTHWIND.customers } : { role },
      ),
    );
  }
  forwardingKey = await loadForwardingKey(forwardingKeySource(undefined, stack.dataDir));
  const { body } = await gateway('integration', '{ accountByErpNumber(erpCustomerNumber: "C00001") { id } }');
  accountId = (body.data?.accountByErpNumber as { id: string }).id;
});
afterAll(async () => {
  await stack?.close();
});

async function post(
  url: string,
  headers: Record<string, string>,
  payload: Record<string, unknown>,
): Promise<{ status: number; body: Body }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(payload),
  });
  return { status: response.status, body: (await response.json()) as Body };
}

function gateway(role: Role, query: string, extra: Record<string, unknown> = {}) {
  return post(`${stack.gatewayUrl}/graphql`, { authorization: `Bearer ${tokens.get(role)}` }, { query, ...extra });
}

async function subgraph(url: string, role: Role, query: string, variables: Record<string, unknown>) {
  const identity = role === 'partner' ? testIdentity(role, NORTHWIND) : testIdentity(role);
  const payload = { query, variables };
  const request = {
    subgraph: url === stack.erpSubgraphUrl ? ('erp' as const) : ('salesforce' as const),
    body: JSON.stringify(payload),
  };
  return post(`${url}/graphql`, await forwardedIdentityHeaders(request, identity, forwardingKey), payload);
}

/** A refused case: one FORBIDDEN error naming exactly the coordinates, 403, no data. */
function expectRefused({ status, body }: { status: number; body: Body }, role: Role, refused: string[]) {
  expect({ status, data: body.data, errors: body.errors?.length }).toEqual({ status: 403, data: undefined, errors: 1 });
  expect(body.errors![0]!.extensions).toMatchObject({ code: ErrorCode.FORBIDDEN, fields: refused });
  expect(body.errors![0]!.message).toContain(`The ${role} role may not select`);
}

/** A case let through: it ran (200), and nothing in it was refused. */
function expectLetThrough({ status, body }: { status: number; body: Body }) {
  expect(status).toBe(200);
  expect(body.data).toBeDefined();
  expect((body.errors ?? []).filter((error) => error.extensions?.code === ErrorCode.FORBIDDEN)).toEqual([]);
}

const supergraph = accessPolicyOf(
  readSupergraphSdl(fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url))),
);
const supergraphCases = matrixCases(supergraph, GATEWAY_ENTRIES, [...Object.keys(ACCESS_MATRIX), ...OPEN_CONTROLS]);

describe('at the gateway (bearer tokens)', () => {
  describe.each(NON_PARTNER_ROLES)('%s', (role) => {
    it.each(supergraphCases.map((matrixCase) => [matrixCase.coordinate, matrixCase] as const))(
      '%s',
      async (_coordinate, matrixCase) => {
        const response = await gateway(role, matrixCase.query);
        const refused = expectedRefusal(matrixCase, role);
        if (refused.length > 0) {
          expectRefused(response, role, refused);
        } else {
          expectLetThrough(response);
          if (matrixCase.selects[0] === 'Query.accountByErpNumber')
            expect(response.body.data?.accountByErpNumber).not.toBeNull();
        }
      },
    );
  });

  it('refuses before anything runs: no backend call for a refused operation', async () => {
    const stats = async () => {
      const [salesforce, erp] = await Promise.all(
        [stack.salesforceEmulatorUrl, stack.erpEmulatorUrl].map(
          async (url) => ((await (await fetch(`${url}/__emulator/stats`)).json()) as { total: number }).total,
        ),
      );
      return { salesforce, erp };
    };
    const before = await stats();
    const response = await gateway(
      'service',
      `mutation { submitQuote(input: { quoteId: "${UNKNOWN_QUOTE}", idempotencyKey: "access-refused-0001" }) { status } }`,
    );
    expectRefused(response, 'service', ['Mutation.submitQuote']);
    expect(await stats()).toEqual(before);
  });

  describe('partner', () => {
    const manifest = JSON.parse(
      readFileSync(new URL('../../clients/__generated__/persisted-documents.json', import.meta.url), 'utf8'),
    ) as Record<string, string>;
    const operations = Object.entries(manifest).map(([id, query]) => ({
      id,
      query,
      refused: forbiddenFields(supergraph, parse(query), null, ['partner']),
    }));

    /** Sent as a persisted operation (hash and text: the manifest's, so allowed for partners). */
    const persisted = (operation: (typeof operations)[number]) =>
      gateway('partner', operation.query, {
        variables: { id: accountId, erp: 'C00001' },
        extensions: { persistedQuery: { version: 1, sha256Hash: operation.id.replace(/^sha256:/, '') } },
      });

    it('is refused a persisted operation that selects what partners may not read', async () => {
      const restricted = operations.filter((operation) => operation.refused.length > 0);
      expect(restricted.length).toBeGreaterThan(0);
      for (const operation of restricted) expectRefused(await persisted(operation), 'partner', operation.refused);
    });

    it('runs the persisted operations made for partners, on its own accounts', async () => {
      const open = operations.filter(
        (operation) => operation.refused.length === 0 && !/^\s*mutation/.test(operation.query),
      );
      expect(open.length).toBeGreaterThan(0);
      for (const operation of open) expectLetThrough(await persisted(operation));
    });

    it('never gets an ad-hoc operation selecting credit internals answered', async () => {
      const { status, body } = await gateway(
        'partner',
        '{ accountByErpNumber(erpCustomerNumber: "C00001") { credit { limit { amount } } } }',
      );
      expect(status).toBe(403);
      expect(body.data).toBeUndefined();
      // Refused by whichever check comes first: the access rules, or persisted-operations-only.
      expect([ErrorCode.FORBIDDEN, ErrorCode.PERSISTED_QUERY_REQUIRED]).toContain(body.errors?.[0]?.extensions?.code);
    });
  });
});

// ------------------------------------------------------------------------------------ subgraphs

function subgraphPolicy(file: string) {
  return accessPolicyOf(
    buildSubgraphSchema({ typeDefs: parse(readFileSync(new URL(`../../schema/${file}`, import.meta.url), 'utf8')) }),
  );
}

/** The matrix's coordinates a subgraph serves (the rest are the other subgraph's to enforce). */
function servedBy(policy: ReturnType<typeof subgraphPolicy>): string[] {
  return Object.keys(ACCESS_MATRIX).filter((coordinate) => {
    const [type, field] = coordinate.split('.');
    const named = policy.schema.getType(type!) as { getFields?: () => Record<string, unknown> } | undefined;
    return (
      named !== undefined &&
      (field === undefined || (typeof named.getFields === 'function' && field in named.getFields()))
    );
  });
}

/** What the gateway sends a subgraph for an entity: `_entities` with a fragment on its type. */
const entity = (type: string): Entry => ({
  operation: 'query',
  variables: '$representations: [_Any!]!',
  open: `_entities(representations: $representations) { ... on ${type} {`,
  closes: 2,
  type,
  coordinates: ['Query._entities', type],
});

const SUBGRAPHS = [
  {
    name: 'salesforce',
    url: () => stack.salesforceSubgraphUrl,
    policy: subgraphPolicy('salesforce.graphql'),
    entries: [
      entity('Account'),
      entity('Quote'),
      {
        operation: 'query',
        open: `quote(id: "${UNKNOWN_QUOTE}") {`,
        closes: 1,
        type: 'Quote',
        coordinates: ['Query.quote'],
      },
      {
        operation: 'mutation',
        open: 'updateAccount(input: { id: "001000000000000AAA" }) {',
        closes: 1,
        type: 'UpdateAccountPayload',
        coordinates: ['Mutation.updateAccount'],
      },
    ] satisfies Entry[],
    representations: (type: string) => [
      type === 'Account' ? { __typename: type, id: accountId } : { __typename: type, id: UNKNOWN_QUOTE },
    ],
  },
  {
    name: 'erp',
    url: () => stack.erpSubgraphUrl,
    policy: subgraphPolicy('erp.graphql'),
    entries: [
      entity('Account'),
      ...GATEWAY_ENTRIES.filter((entry) =>
        entry.coordinates.some((coordinate) =>
          ['Query.validateQuote', 'Mutation.submitQuote', 'Query.customers'].includes(coordinate),
        ),
      ),
    ],
    representations: (type: string) => [{ __typename: type, erpCustomerNumber: 'C00001' }],
  },
] as const;

describe.each(SUBGRAPHS)(
  'at the $name subgraph (forwarded identities)',
  ({ url, policy, entries, representations }) => {
    const cases: MatrixCase[] = matrixCases(policy, entries, servedBy(policy));

    // The subgraphs' error masking (subgraphs/shared/errors.ts) tells public errors by `instanceof
    // GraphQLError`: with two copies of graphql-js loaded (the test runner resolving the ESM build for
    // our sources while Apollo Server and @apollo/subgraph load the CommonJS one), every request-level
    // error is masked, FORBIDDEN included. Node (npm start) loads one copy; so must the tests.
    it('passes its own request errors through (one graphql-js instance)', async () => {
      const { status, body } = await subgraph(url(), 'integration', '{ noSuchField }', {});
      expect({ status, code: body.errors?.[0]?.extensions?.code }).toEqual({
        status: 400,
        code: 'GRAPHQL_VALIDATION_FAILED',
      });
    });

    describe.each(ROLES)('%s', (role) => {
      it.each(cases.map((matrixCase) => [matrixCase.coordinate, matrixCase] as const))(
        '%s',
        async (_coordinate, matrixCase) => {
          const type = matrixCase.selects[0] === 'Query._entities' ? matrixCase.selects[1]! : null;
          const response = await subgraph(
            url(),
            role,
            matrixCase.query,
            type ? { representations: representations(type) } : {},
          );
          const refused = expectedRefusal(matrixCase, role);
          if (refused.length > 0) expectRefused(response, role, refused);
          else expectLetThrough(response);
        },
      );
    });
  },
);
