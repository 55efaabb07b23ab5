// The auth matrix at unit level: the rules the SDL declares are exactly ACCESS_MATRIX (in the
// supergraph and in each subgraph, which enforces its own share), and the gateway's plugin, in an
// Apollo Server over the supergraph, refuses each role exactly what the matrix says, with one
// FORBIDDEN error, HTTP 403 and the coordinates. Nothing here resolves data: refusals happen before
// execution (end to end: matrix-stack.test.ts).
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayAccessPlugin } from '../../gateway/access-plugin.js';
import type { GatewayContext } from '../../gateway/context.js';
import { readSupergraphSdl } from '../../gateway/supergraph.js';
import { ErrorCode } from '../../lib/error-codes.js';
import { ROLES, type Identity, type Role } from '../../lib/identity.js';
import { accessPolicyOf } from '../../schema/access.js';
import {
  ACCESS_MATRIX,
  expectedRefusal,
  GATEWAY_ENTRIES,
  matrixCases,
  OPEN_CONTROLS,
  protectedCoordinates,
} from './support/matrix.js';

const SUPERGRAPH_SDL = readSupergraphSdl(new URL('../../schema/supergraph.graphql', import.meta.url).pathname);
const supergraph = accessPolicyOf(SUPERGRAPH_SDL);
const subgraphs = {
  salesforce: accessPolicyOf(
    buildSubgraphSchema({
      typeDefs: parse(readFileSync(new URL('../../schema/salesforce.graphql', import.meta.url), 'utf8')),
    }),
  ),
  erp: accessPolicyOf(
    buildSubgraphSchema({
      typeDefs: parse(readFileSync(new URL('../../schema/erp.graphql', import.meta.url), 'utf8')),
    }),
  ),
};

function identity(role: Role): Identity {
  return {
    subject: `matrix-${role}`,
    issuer: 'urn:customer360:test',
    role,
    scopes: [role],
    partner: role === 'partner' ? { id: 'P-NORTHWIND', customers: new Set(['C00001']) } : null,
  };
}

const sorted = <T>(entries: Iterable<[string, readonly T[]]>) =>
  [...entries].map(([key, value]) => [key, [...value].sort()] as const).sort(([a], [b]) => a.localeCompare(b));

describe('the declared rules', () => {
  it('are exactly the matrix in the supergraph', () => {
    expect(sorted(protectedCoordinates(supergraph))).toEqual(sorted(Object.entries(ACCESS_MATRIX)));
  });

  it.each(Object.entries(subgraphs))(
    'are the matrix’s in the %s subgraph, for every coordinate it serves',
    (_name, policy) => {
      const declared = protectedCoordinates(policy);
      const served = Object.keys(ACCESS_MATRIX).filter((coordinate) => {
        const [type, field] = coordinate.split('.');
        const named = policy.schema.getType(type!) as { getFields?: () => Record<string, unknown> } | undefined;
        return (
          named !== undefined &&
          (field === undefined || (typeof named.getFields === 'function' && field in named.getFields()))
        );
      });
      expect(served.length).toBeGreaterThan(0);
      expect(sorted(declared)).toEqual(sorted(served.map((coordinate) => [coordinate, ACCESS_MATRIX[coordinate]!])));
    },
  );
});

describe('the gateway plugin, every role against every protected coordinate', () => {
  let server: ApolloServer<GatewayContext>;
  beforeAll(async () => {
    // The supergraph SDL itself as the schema: no resolvers, nothing runs past the check but nulls.
    server = new ApolloServer<GatewayContext>({
      typeDefs: SUPERGRAPH_SDL,
      plugins: [gatewayAccessPlugin(SUPERGRAPH_SDL)],
    });
    await server.start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const cases = matrixCases(supergraph, GATEWAY_ENTRIES, [...Object.keys(ACCESS_MATRIX), ...OPEN_CONTROLS]);

  it('covers every protected coordinate', () => {
    expect(cases.map((matrixCase) => matrixCase.coordinate)).toEqual(
      expect.arrayContaining(Object.keys(ACCESS_MATRIX)),
    );
  });

  describe.each(ROLES)('%s', (role) => {
    it.each(cases.map((matrixCase) => [matrixCase.coordinate, matrixCase] as const))(
      '%s',
      async (_coordinate, matrixCase) => {
        const response = await server.executeOperation(
          { query: matrixCase.query },
          { contextValue: { correlationId: 'matrix', identity: identity(role), origin: 'graphql' } },
        );
        if (response.body.kind !== 'single') throw new Error('expected a single result');
        const { errors, data } = response.body.singleResult;
        const refused = expectedRefusal(matrixCase, role);
        if (refused.length > 0) {
          expect(response.http.status).toBe(403);
          expect(data).toBeUndefined();
          expect(errors).toHaveLength(1);
          expect(errors![0]!.extensions).toMatchObject({ code: ErrorCode.FORBIDDEN, fields: refused });
          expect(errors![0]!.message).toContain(`The ${role} role may not select ${refused.join(', ')}`);
        } else {
          // Valid and let through: it runs (to nulls: this schema has no resolvers).
          expect(response.http.status ?? 200).toBe(200);
          expect((errors ?? []).filter((error) => error.extensions?.code === ErrorCode.FORBIDDEN)).toEqual([]);
        }
      },
    );
  });

  it('refuses every restricted coordinate to a context without an identity (fail closed)', async () => {
    const response = await server.executeOperation({
      query: '{ accountByErpNumber(erpCustomerNumber: "C00001") { name credit { limit { amount } } } }',
    });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    expect(response.http.status).toBe(403);
    expect(response.body.singleResult.errors?.[0]?.extensions).toMatchObject({
      code: ErrorCode.FORBIDDEN,
      fields: ['Credit.limit'],
    });
    expect(response.body.singleResult.errors?.[0]?.message).toMatch(
      /^A caller without a verified role may not select Credit\.limit/,
    );
  });
});
