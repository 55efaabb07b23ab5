// Persisted operations in an Apollo Server, as the gateway wires them (gateway/persisted-operations):
// manifest hashes run without registration, other hashes follow Apollo's APQ protocol, a hash that
// is not its query's sha256 is refused, and the partner role runs only manifest operations.
import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayContext } from '../../gateway/context.js';
import { formatError } from '../../gateway/error-masking.js';
import {
  manifestFromEntries,
  operationCache,
  persistedOperationsPlugin,
  sha256Hex,
} from '../../gateway/persisted-operations/index.js';
import type { Identity, Role } from '../../lib/identity.js';

const typeDefs = 'type Query { account(id: ID!): Account, hello: String } type Account { id: ID!, name: String! }';
const resolvers = {
  Query: { account: (_: unknown, { id }: { id: string }) => ({ id, name: `Account ${id}` }), hello: () => 'hi' },
};

// As codegen prints them (one line, sorted): what persisted-documents.json holds.
const ACCOUNT_DOC = 'query Account($id: ID!) { account(id: $id) { id name } }';
const ACCOUNT_HASH = sha256Hex(ACCOUNT_DOC);
const manifest = manifestFromEntries({ [`sha256:${ACCOUNT_HASH}`]: ACCOUNT_DOC });

const AD_HOC = '{ hello }';
const AD_HOC_HASH = sha256Hex(AD_HOC);

function identity(role: Role): Identity {
  return {
    subject: `${role}-user`,
    issuer: 'urn:test',
    role,
    scopes: [role],
    partner: role === 'partner' ? { id: 'P-NORTHWIND', customers: new Set(['C00001']) } : null,
  };
}
const context = (role: Role, origin: GatewayContext['origin'] = 'graphql'): GatewayContext => ({
  correlationId: 'test',
  identity: identity(role),
  origin,
});

function server(apq: boolean, maxEntries = 100) {
  return new ApolloServer<GatewayContext>({
    typeDefs,
    resolvers,
    formatError,
    persistedQueries: { cache: operationCache(manifest, { apq, maxEntries }), ttl: null },
    plugins: [persistedOperationsPlugin({ manifest, requiredRoles: ['partner'] })],
  });
}

const apollo = server(true);
const noApq = server(false);
const tiny = server(true, 2);
beforeAll(() => Promise.all([apollo.start(), noApq.start(), tiny.start()]));
afterAll(() => Promise.all([apollo.stop(), noApq.stop(), tiny.stop()]));

interface Send {
  readonly query?: string;
  readonly hash?: string;
  readonly variables?: Record<string, unknown>;
  readonly role?: Role;
  readonly origin?: GatewayContext['origin'];
  readonly on?: ApolloServer<GatewayContext>;
}

async function send({ query, hash, variables, role = 'sales', origin = 'graphql', on = apollo }: Send) {
  const response = await on.executeOperation(
    {
      ...(query !== undefined && { query }),
      variables,
      ...(hash !== undefined && { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
    },
    { contextValue: context(role, origin) },
  );
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const { data, errors } = response.body.singleResult;
  return { status: response.http.status ?? 200, data, errors, code: errors?.[0]?.extensions?.code };
}

describe('manifest operations', () => {
  it('run by hash alone, without registering, in hex or as codegen writes it (sha256:<hex>)', async () => {
    for (const hash of [ACCOUNT_HASH, `sha256:${ACCOUNT_HASH}`]) {
      const { status, data, errors } = await send({ hash, variables: { id: '1' } });
      expect(errors).toBeUndefined();
      expect(status).toBe(200);
      expect(data).toEqual({ account: { id: '1', name: 'Account 1' } });
    }
  });

  it('run by hash with APQ off', async () => {
    expect((await send({ hash: ACCOUNT_HASH, variables: { id: '2' }, on: noApq })).data).toEqual({
      account: { id: '2', name: 'Account 2' },
    });
  });

  it('cannot be replaced by a registration under their hash', async () => {
    const { code } = await send({ query: AD_HOC, hash: ACCOUNT_HASH });
    expect(code).toBe('BAD_REQUEST');
    expect((await send({ hash: ACCOUNT_HASH, variables: { id: '3' } })).data).toEqual({
      account: { id: '3', name: 'Account 3' },
    });
  });
});

describe('automatic persisted queries (APQ)', () => {
  it('round trip: unknown hash → PERSISTED_QUERY_NOT_FOUND, register with the query, then the hash alone runs it', async () => {
    const query = '{ hello account(id: "9") { name } }';
    const hash = sha256Hex(query);
    const first = await send({ hash });
    expect(first.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(first.data).toBeUndefined();

    const registered = await send({ query, hash });
    expect(registered.errors).toBeUndefined();
    expect(registered.data).toEqual({ hello: 'hi', account: { name: 'Account 9' } });

    const again = await send({ hash });
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual({ hello: 'hi', account: { name: 'Account 9' } });
  });

  it('refuses a hash that is not the sha256 of its query: 400 BAD_REQUEST, nothing registered', async () => {
    const wrong = sha256Hex('{ something else }');
    const { status, code, data, errors } = await send({ query: AD_HOC, hash: wrong });
    expect(status).toBe(400);
    expect(code).toBe('BAD_REQUEST');
    expect(errors?.[0]?.message).toBe('provided sha does not match query');
    expect(data).toBeUndefined();
    expect((await send({ hash: wrong })).code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('keeps no registration when APQ is off (the query still runs when sent)', async () => {
    expect((await send({ query: AD_HOC, hash: AD_HOC_HASH, on: noApq })).data).toEqual({ hello: 'hi' });
    expect((await send({ hash: AD_HOC_HASH, on: noApq })).code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('keeps at most PERSISTED_OPERATIONS_APQ_MAX_ENTRIES registrations, least recently used out first', async () => {
    const queries = ['{ a: hello }', '{ b: hello }', '{ c: hello }'];
    for (const query of queries)
      expect((await send({ query, hash: sha256Hex(query), on: tiny })).errors).toBeUndefined();
    expect((await send({ hash: sha256Hex(queries[0]!), on: tiny })).code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await send({ hash: sha256Hex(queries[2]!), on: tiny })).data).toEqual({ c: 'hi' });
    // The manifest never leaves.
    expect((await send({ hash: ACCOUNT_HASH, variables: { id: '1' }, on: tiny })).errors).toBeUndefined();
  });
});

describe('the partner role runs only manifest operations', () => {
  it('an ad-hoc operation → 403 PERSISTED_QUERY_REQUIRED, nothing resolved', async () => {
    const { status, code, data, errors } = await send({ query: '{ account(id: "1") { id name } }', role: 'partner' });
    expect(status).toBe(403);
    expect(code).toBe('PERSISTED_QUERY_REQUIRED');
    expect(errors?.[0]?.message).toMatch(/partner role may run only the published operations/);
    expect(data).toBeUndefined();
  });

  it('a manifest operation by hash runs', async () => {
    const { errors, data } = await send({ hash: `sha256:${ACCOUNT_HASH}`, variables: { id: '5' }, role: 'partner' });
    expect(errors).toBeUndefined();
    expect(data).toEqual({ account: { id: '5', name: 'Account 5' } });
  });

  it('a manifest operation sent as text runs, in its own layout', async () => {
    const asWritten = `# the console's file
      query Account($id: ID!) {
        account(id: $id) { name
          id }
      }`;
    const { errors, data } = await send({ query: asWritten, variables: { id: '6' }, role: 'partner' });
    expect(errors).toBeUndefined();
    expect(data).toEqual({ account: { id: '6', name: 'Account 6' } });
  });

  it('an operation another caller registered by APQ is refused', async () => {
    expect((await send({ query: AD_HOC, hash: AD_HOC_HASH, role: 'sales' })).data).toEqual({ hello: 'hi' });
    const { status, code } = await send({ hash: AD_HOC_HASH, role: 'partner' });
    expect(status).toBe(403);
    expect(code).toBe('PERSISTED_QUERY_REQUIRED');
  });

  it('registering an ad-hoc operation is refused, and keeps nothing', async () => {
    const query = '{ partnerOwn: hello }';
    expect((await send({ query, hash: sha256Hex(query), role: 'partner' })).code).toBe('PERSISTED_QUERY_REQUIRED');
    expect((await send({ hash: sha256Hex(query) })).code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('introspection is exempt (GRAPHQL_INTROSPECTION decides), but not with other root fields', async () => {
    expect((await send({ query: '{ __schema { queryType { name } } __typename }', role: 'partner' })).data).toEqual({
      __schema: { queryType: { name: 'Query' } },
      __typename: 'Query',
    });
    expect((await send({ query: '{ __typename hello }', role: 'partner' })).code).toBe('PERSISTED_QUERY_REQUIRED');
  });

  it("the OData bridge's operations are exempt (the gateway builds them)", async () => {
    expect((await send({ query: AD_HOC, role: 'partner', origin: 'odata' })).data).toEqual({ hello: 'hi' });
  });

  it('a context without a verified identity is held to the manifest too (fail closed)', async () => {
    const contextValue = { correlationId: 'test', origin: 'graphql' } as unknown as GatewayContext;
    const response = await apollo.executeOperation({ query: AD_HOC }, { contextValue });
    expect(response.http.status).toBe(403);
    expect(response.body.kind === 'single' && response.body.singleResult.errors?.[0]?.extensions?.code).toBe(
      'PERSISTED_QUERY_REQUIRED',
    );
  });

  it('other roles run ad-hoc operations', async () => {
    for (const role of ['sales', 'service', 'finance', 'integration'] as const) {
      expect((await send({ query: AD_HOC, role })).data).toEqual({ hello: 'hi' });
    }
  });
});
