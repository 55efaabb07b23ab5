// forbiddenFields (schema/access.ts): which coordinates of an operation a caller's scopes may not
// select, against the real supergraph and subgraph schemas and against small schemas for the
// semantics (any-of / all-of, interfaces, renamed directives).
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readSupergraphSdl } from '../../gateway/supergraph.js';
import {
  AccessDeclarationError,
  accessPolicyOf,
  accessRulesOf,
  bothOf,
  describeAccess,
  forbiddenFields,
  satisfies,
  type AccessPolicy,
} from '../../schema/access.js';

const supergraph = accessPolicyOf(
  readSupergraphSdl(new URL('../../schema/supergraph.graphql', import.meta.url).pathname),
);
const erpSubgraph = buildSubgraphSchema({
  typeDefs: parse(readFileSync(new URL('../../schema/erp.graphql', import.meta.url), 'utf8')),
});
const salesforceSubgraph = buildSubgraphSchema({
  typeDefs: parse(readFileSync(new URL('../../schema/salesforce.graphql', import.meta.url), 'utf8')),
});

const PARTNER = ['partner'];
const SALES = ['sales'];

function check(
  policy: AccessPolicy | Parameters<typeof forbiddenFields>[0],
  query: string,
  scopes: readonly string[],
  operationName?: string,
) {
  return forbiddenFields(policy, parse(query), operationName, scopes);
}

describe('forbiddenFields on the supergraph', () => {
  it('refuses field-level rules (Credit internals) and allows the open fields next to them', () => {
    const query = `{ accountByErpNumber(erpCustomerNumber: "C00001") { name credit { onHold paymentTerms { code } limit { amount } holdReason } } }`;
    expect(check(supergraph, query, PARTNER)).toEqual(['Credit.limit', 'Credit.holdReason']);
    expect(check(supergraph, query, SALES)).toEqual([]);
    expect(
      check(
        supergraph,
        `{ accountByErpNumber(erpCustomerNumber: "C00001") { name credit { onHold } orders { number } } }`,
        PARTNER,
      ),
    ).toEqual([]);
  });

  it('refuses every field returning a type with a type-level rule', () => {
    const query = `{ accountByErpNumber(erpCustomerNumber: "C00001") { owner { name } contacts { name } opportunities { name } quotes { id } cases { id } } quote(id: "x") { id } }`;
    expect(check(supergraph, query, PARTNER)).toEqual([
      'Account.owner',
      'Account.contacts',
      'Account.opportunities',
      'Account.quotes',
      'Account.cases',
      'Query.quote',
    ]);
    for (const role of ['sales', 'service', 'finance', 'integration'])
      expect(check(supergraph, query, [role])).toEqual([]);
  });

  it('needs both a field rule and its return type rule (Order.quote)', () => {
    expect(check(supergraph, `{ order(number: "1") { quote { id } } }`, PARTNER)).toEqual(['Order.quote']);
  });

  it('walks named fragments, nested fragments and inline fragments, and counts each coordinate once', () => {
    const query = `
      query Q { accountByErpNumber(erpCustomerNumber: "C00001") { ...A ... on Account { credit { balance { amount } } } } }
      fragment A on Account { credit { ...C } orders { ...O } }
      fragment C on Credit { limit { amount } l2: limit { currency } onHold }
      fragment O on Order { quote { id } }
    `;
    expect(check(supergraph, query, PARTNER)).toEqual(['Credit.limit', 'Order.quote', 'Credit.balance']);
  });

  it('ignores fragments the operation does not use', () => {
    const query = `
      query Q { accountByErpNumber(erpCustomerNumber: "C00001") { name } }
      fragment Unused on Credit { limit { amount } }
    `;
    expect(check(supergraph, query, PARTNER)).toEqual([]);
  });

  it('sees through aliases', () => {
    const query = `{ a: accountByErpNumber(erpCustomerNumber: "C00001") { c: credit { x: limit { amount } } people: contacts { name } } }`;
    expect(check(supergraph, query, PARTNER)).toEqual(['Credit.limit', 'Account.contacts']);
  });

  it('counts fields under @skip and @include whatever their condition', () => {
    const query = `query($no: Boolean = false) { accountByErpNumber(erpCustomerNumber: "C00001") {
      credit { limit @skip(if: true) { amount } balance @include(if: $no) { amount } }
      ... on Account @include(if: false) { contacts { name } }
    } }`;
    expect(check(supergraph, query, PARTNER)).toEqual(['Credit.limit', 'Credit.balance', 'Account.contacts']);
  });

  it('checks mutations role by role', () => {
    const submit = `mutation { submitQuote(input: { quoteId: "x", idempotencyKey: "k-12345678" }) { status } }`;
    const update = `mutation { updateAccount(input: { id: "x" }) { updatedFields } }`;
    expect(check(supergraph, submit, ['service'])).toEqual(['Mutation.submitQuote']);
    expect(check(supergraph, submit, ['finance'])).toEqual(['Mutation.submitQuote']);
    expect(check(supergraph, submit, SALES)).toEqual([]);
    expect(check(supergraph, submit, ['integration'])).toEqual([]);
    expect(check(supergraph, update, ['service'])).toEqual([]);
    expect(check(supergraph, update, ['finance'])).toEqual(['Mutation.updateAccount']);
    // A payload field returning a restricted type adds its own coordinate.
    expect(
      check(
        supergraph,
        `mutation { submitQuote(input: { quoteId: "x", idempotencyKey: "k-12345678" }) { quote { id } } }`,
        PARTNER,
      ),
    ).toEqual(['Mutation.submitQuote', 'SubmitQuotePayload.quote']);
  });

  it('checks only the operation named, or every operation when the name picks none', () => {
    const query = `
      query Open { accountByErpNumber(erpCustomerNumber: "C00001") { name } }
      query Closed { accountByErpNumber(erpCustomerNumber: "C00001") { credit { limit { amount } } } }
    `;
    expect(check(supergraph, query, PARTNER, 'Open')).toEqual([]);
    expect(check(supergraph, query, PARTNER, 'Closed')).toEqual(['Credit.limit']);
    expect(check(supergraph, query, PARTNER, 'Nope')).toEqual(['Credit.limit']);
    expect(check(supergraph, query, PARTNER)).toEqual(['Credit.limit']);
  });

  it('leaves introspection open', () => {
    const query = `{ __typename __schema { types { name fields { name } } } __type(name: "Quote") { name fields { name type { name } } } }`;
    expect(check(supergraph, query, PARTNER)).toEqual([]);
    expect(check(supergraph, query, [])).toEqual([]);
  });

  it('walks each fragment once however often it is spread, and handles deep documents', () => {
    // 2^40 expansions if fragments were inlined.
    const bomb = Array.from(
      { length: 40 },
      (_, i) => `fragment F${i} on Account { orders { account { ...F${i + 1} ...F${i + 1} } } }`,
    ).join('\n');
    const query = `{ accountByErpNumber(erpCustomerNumber: "C00001") { ...F0 } } ${bomb} fragment F40 on Account { credit { limit { amount } } }`;
    const started = performance.now();
    expect(check(supergraph, query, PARTNER)).toEqual(['Credit.limit']);
    expect(performance.now() - started).toBeLessThan(1000);

    const depth = 400;
    const deep = `{ accountByErpNumber(erpCustomerNumber: "C00001") { ${'orders { account { '.repeat(depth)}contacts { name }${' } }'.repeat(depth)} } }`;
    expect(check(supergraph, deep, PARTNER)).toEqual(['Account.contacts']);
  });

  it('refuses a caller without scopes every restricted field', () => {
    expect(check(supergraph, `{ validateQuote(quoteId: "x") { verdict } }`, [])).toEqual(['Query.validateQuote']);
    expect(check(supergraph, `{ accountByErpNumber(erpCustomerNumber: "C00001") { name } }`, [])).toEqual([]);
  });
});

describe('forbiddenFields on the subgraph schemas (what the gateway sends them)', () => {
  const entities = (selection: string) =>
    `query($representations: [_Any!]!) { _entities(representations: $representations) { ${selection} } }`;

  it('reads the rules from the built subgraph schema', () => {
    expect([...accessRulesOf(erpSubgraph).types.keys()]).toEqual(['Quote']);
    expect([...accessRulesOf(salesforceSubgraph).types.keys()].sort()).toEqual([
      'Case',
      'Contact',
      'Opportunity',
      'Quote',
      'QuoteLine',
      'User',
    ]);
    expect(accessRulesOf(erpSubgraph).fields.get('Mutation.submitQuote')).toEqual([['sales'], ['integration']]);
  });

  it('checks fields under _entities fragments', () => {
    expect(check(erpSubgraph, entities('... on Account { credit { limit { amount } onHold } }'), PARTNER)).toEqual([
      'Credit.limit',
    ]);
    expect(check(erpSubgraph, entities('... on Account { credit { onHold } orders { number } }'), PARTNER)).toEqual([]);
  });

  it('refuses an _entities fragment conditioned on a restricted type', () => {
    expect(check(salesforceSubgraph, entities('... on Quote { id erpSync { status } }'), PARTNER)).toEqual(['Quote']);
    expect(check(salesforceSubgraph, `${entities('...Q')} fragment Q on Quote { id }`, PARTNER)).toEqual(['Quote']);
    expect(check(salesforceSubgraph, entities('... on Quote { id }'), SALES)).toEqual([]);
    expect(check(salesforceSubgraph, entities('__typename ... on Account { name contacts { id } }'), PARTNER)).toEqual([
      'Account.contacts',
    ]);
  });
});

describe('rule semantics', () => {
  const sdl = /* GraphQL */ `
    extend schema
      @link(url: "https://specs.apollo.dev/federation/v2.9", import: [{ name: "@requiresScopes", as: "@scopes" }])
    type Query {
      both: String @scopes(scopes: [["a", "b"], ["c"]])
      secret: Secret
      node: Node
      open: String
      guarded: Secret @scopes(scopes: [["a"], ["d"]])
    }
    type Secret @scopes(scopes: [["a"]]) {
      x: String
    }
    interface Node {
      id: ID
    }
    type Plain implements Node {
      id: ID
    }
    type Locked implements Node {
      id: ID @scopes(scopes: [["z"]])
    }
  `;
  const policy = accessPolicyOf(parse(sdl));

  it('reads a renamed import; outer list is any of, inner list all of', () => {
    expect(policy.rules.fields.get('Query.both')).toEqual([['c'], ['a', 'b']]);
    expect(check(policy, '{ both }', ['a'])).toEqual(['Query.both']);
    expect(check(policy, '{ both }', ['a', 'b'])).toEqual([]);
    expect(check(policy, '{ both }', ['c'])).toEqual([]);
  });

  it('combines a field rule and its type rule (both must hold)', () => {
    expect(check(policy, '{ guarded { x } }', ['d'])).toEqual(['Query.guarded']);
    expect(check(policy, '{ guarded { x } }', ['a'])).toEqual([]);
    expect(bothOf([['a'], ['d']], [['a']])).toEqual([['a']]);
    expect(bothOf([['a'], ['b']], [['c'], ['d']])).toEqual([
      ['a', 'c'],
      ['a', 'd'],
      ['b', 'c'],
      ['b', 'd'],
    ]);
  });

  it('applies an implementing type’s field rule when selected through the interface', () => {
    expect(check(policy, '{ node { id } }', [])).toEqual(['Locked.id']);
    expect(check(policy, '{ node { id } }', ['z'])).toEqual([]);
  });

  it('satisfies and describes rules', () => {
    expect(satisfies([['a', 'b']], ['b', 'a'])).toBe(true);
    expect(satisfies([['a', 'b']], ['a'])).toBe(false);
    expect(describeAccess([['sales'], ['finance']])).toBe('Access: sales, finance.');
    expect(describeAccess([['c'], ['a', 'b']])).toBe('Access: c; or a and b.');
    expect(describeAccess(null)).toBe('Access: any signed-in role.');
  });

  it('reads the supergraph’s own link, renamed or not', () => {
    const renamed = accessRulesOf(
      parse(`
        schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", as: "rs", for: SECURITY) { query: Query }
        type Query { a: String @rs(scopes: [["x"]]) b: String @requiresScopes(scopes: [["y"]]) }
      `),
    );
    expect([...renamed.fields.keys()]).toEqual(['Query.a']);
  });

  it('refuses a rule that would let nobody or everybody in', () => {
    expect(() => accessRulesOf(parse('type Query { a: String @requiresScopes(scopes: []) }'))).toThrow(
      AccessDeclarationError,
    );
    expect(() => accessRulesOf(parse('type Query { a: String @requiresScopes(scopes: [[]]) }'))).toThrow(
      AccessDeclarationError,
    );
    expect(() => accessRulesOf(parse('type Query { a: String @requiresScopes(scopes: "sales") }'))).toThrow(
      AccessDeclarationError,
    );
  });
});
