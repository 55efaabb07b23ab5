// The cost rules (gateway/demand-control/operation-cost.ts, after Apollo Router's static estimate)
// on a small schema whose numbers can be worked out by hand.
import { buildSchema, Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  costDirectivesFromSchema,
  costDirectivesFromSdl,
  estimateOperationCost,
} from '../../gateway/demand-control/index.js';

const SDL = `
  directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
  directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION

  type Query {
    shop(id: ID!): Shop
    shops(first: Int = 20, last: Int): ShopPage! @listSize(slicingArguments: ["first", "last"], sizedFields: ["nodes", "edges"])
    capped(first: Int): ShopPage! @listSize(slicingArguments: ["first"], sizedFields: ["nodes"], assumedSize: 200)
    unsized(first: Int): ShopPage! @listSize(slicingArguments: ["first"], sizedFields: ["nodes"])
    rows(first: Int!, skip: Int = 0): ShopPage! @listSize(slicingArguments: ["first"], sizedFields: ["nodes"], assumedSize: 2000)
    offsetOnly(skip: Int): [Shop!]!
    tags: [String!]!
    search(filter: Filter): [Shop!]! @listSize(assumedSize: 5)
    expensive: Shop @cost(weight: 50)
    node: Node
  }
  type Mutation { buy(input: BuyInput!): Shop }
  input BuyInput { sku: String!, quantity: Int, extras: [BuyInput!] }
  input Filter { and: [Filter!], name: String, pricey: Int @cost(weight: 3) }
  interface Node { id: ID! }
  type ShopPage { totalCount: Int!, nodes: [Shop!]!, edges: [ShopEdge!]! }
  type ShopEdge { cursor: String!, node: Shop! }
  type Shop implements Node {
    id: ID!
    name: String!
    owner: Person
    products: [Product!]! @listSize(assumedSize: 10)
    staff: [Person!]!
    rating: Rating
  }
  type Person implements Node { id: ID!, name: String! }
  type Product { sku: String!, price: Money!, related: [Product!]! @listSize(assumedSize: 3) }
  type Money { amount: String! }
  type Rating @cost(weight: 7) { stars: Int! }
`;
const schema = buildSchema(SDL);
const directives = costDirectivesFromSchema(schema);

function cost(query: string, variables: Record<string, unknown> = {}, defaultListSize = 10): number {
  const document = parse(query);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  return estimateOperationCost(operation, { schema, directives, fragments, variables, defaultListSize });
}

describe('estimateOperationCost', () => {
  it('costs 1 per object, 0 per scalar', () => {
    expect(cost('{ shop(id: 1) { id name } }')).toBe(1);
    expect(cost('{ shop(id: 1) { id owner { name } } }')).toBe(2);
    expect(cost('{ tags }')).toBe(0);
  });

  it('multiplies a list by its assumed size, nested lists by each other', () => {
    // shop 1 + products 10 × (1 + price 1)
    expect(cost('{ shop(id: 1) { products { sku price { amount } } } }')).toBe(1 + 10 * 2);
    // shop 1 + products 10 × (1 + related 3 × 1)
    expect(cost('{ shop(id: 1) { products { related { sku } } } }')).toBe(1 + 10 * (1 + 3));
  });

  it('sizes a list without @listSize with the default list size', () => {
    expect(cost('{ shop(id: 1) { staff { name } } }', {}, 10)).toBe(1 + 10);
    expect(cost('{ shop(id: 1) { staff { name } } }', {}, 25)).toBe(1 + 25);
  });

  it("sizes a connection's sized fields by its slicing argument: literal, variable, variable default, schema default", () => {
    const page = (first: string) => `{ shops${first} { totalCount nodes { name } edges { node { name } } } }`;
    // shops 1 + nodes N × 1 + edges N × (1 + node 1)
    expect(cost(page('(first: 100)'))).toBe(1 + 100 + 100 * 2);
    expect(cost('query ($n: Int) { shops(first: $n) { nodes { name } } }', { n: 7 })).toBe(1 + 7);
    expect(cost('query ($n: Int = 30) { shops(first: $n) { nodes { name } } }')).toBe(1 + 30);
    expect(cost('{ shops { nodes { name } } }')).toBe(1 + 20);
    // The largest of several slicing arguments.
    expect(cost('{ shops(first: 5, last: 50) { nodes { name } } }')).toBe(1 + 50);
  });

  it("sizes a null or missing slicing argument as the resolver does: the schema default, else the field's maximum (assumedSize)", () => {
    const nodes = '{ nodes { name } }';
    // shops(first: Int = 20): graphql-js passes null through and the resolver pages 20 (as the
    // Salesforce subgraph's accounts do), an unset variable gets the default: 20 either way.
    expect(cost(`{ shops(first: null) ${nodes} }`)).toBe(1 + 20);
    expect(cost(`query ($n: Int) { shops(first: $n) ${nodes} }`)).toBe(1 + 20);
    expect(cost(`query ($n: Int) { shops(first: $n) ${nodes} }`, { n: null })).toBe(1 + 20);
    expect(cost(`query ($n: Int = 30) { shops(first: $n) ${nodes} }`, { n: null })).toBe(1 + 20);
    // No default: the field's maximum, which its @listSize declares as assumedSize.
    expect(cost(`{ capped(first: null) ${nodes} }`)).toBe(1 + 200);
    expect(cost(`{ capped ${nodes} }`)).toBe(1 + 200);
    expect(cost(`query ($n: Int!) { rows(first: $n) ${nodes} }`)).toBe(1 + 2000);
    // Neither: the default list size.
    expect(cost(`{ unsized(first: null) ${nodes} }`, {}, 25)).toBe(1 + 25);
  });

  it('adds 1 per row a sliced field skips (read by the backend, never returned), whatever is selected', () => {
    expect(cost('{ rows(first: 10) { nodes { name } } }')).toBe(1 + 10);
    expect(cost('{ rows(first: 10, skip: 500) { nodes { name } } }')).toBe(1 + 10 + 500);
    expect(cost('query ($s: Int) { rows(first: 10, skip: $s) { nodes { name owner { name } } } }', { s: 40_000 })).toBe(
      1 + 10 * 2 + 40_000,
    );
    expect(cost('query ($s: Int = 7) { rows(first: 10, skip: $s) { totalCount } }')).toBe(1 + 7);
    // null or missing: the schema default (0).
    expect(cost('{ rows(first: 10, skip: null) { nodes { name } } }')).toBe(1 + 10);
    expect(cost('query ($s: Int) { rows(first: 10, skip: $s) { nodes { name } } }', { s: null })).toBe(1 + 10);
    // Only on sliced fields: a plain argument named skip is just an argument.
    expect(cost('{ offsetOnly(skip: 1000) { name } }', {}, 10)).toBe(10);
  });

  it('applies @cost on a field, instead of the default weight, and on a type', () => {
    expect(cost('{ expensive { id } }')).toBe(50);
    expect(cost('{ shop(id: 1) { rating { stars } } }')).toBe(1 + 7);
  });

  it('charges a mutation its base cost of 10 and input objects 1 each (with @cost on input fields)', () => {
    // base 10 + buy 1 + input 1 + extras 2 × 1
    expect(cost('mutation { buy(input: { sku: "a", extras: [{ sku: "b" }, { sku: "c" }] }) { id } }')).toBe(
      10 + 1 + 1 + 2,
    );
    // The same input as a variable.
    expect(
      cost('mutation ($i: BuyInput!) { buy(input: $i) { id } }', {
        i: { sku: 'a', extras: [{ sku: 'b' }, { sku: 'c' }] },
      }),
    ).toBe(14);
    // search 5 × 1 + Filter 1 + and: 2 × Filter 1 + pricey @cost 3
    expect(cost('{ search(filter: { and: [{ name: "x" }, { pricey: 2 }] }) { id } }')).toBe(5 + 1 + 2 + 3);
  });

  it('counts nothing skipped by @skip/@include, literal or variable', () => {
    expect(cost('{ shop(id: 1) { owner @skip(if: true) { name } } }')).toBe(1);
    expect(cost('query ($on: Boolean!) { shop(id: 1) { owner @include(if: $on) { name } } }', { on: false })).toBe(1);
    expect(cost('query ($on: Boolean!) { shop(id: 1) { owner @include(if: $on) { name } } }', { on: true })).toBe(2);
  });

  it('expands fragments and inline fragments, and costs introspection and __typename nothing', () => {
    const query = `
      { shop(id: 1) { ...S } node { __typename ... on Shop { owner { name } } ... on Person { name } } __schema { types { name } } }
      fragment S on Shop { owner { name } products { sku } }
    `;
    // shop 1 + owner 1 + products 10 ; node 1 + owner 1
    expect(cost(query)).toBe(1 + 1 + 10 + 1 + 1);
  });

  it('measures an exponential fragment tree without expanding it', () => {
    // F0 → F1 twice → … → F40: 2^40 products lists if expanded.
    const fragments = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Shop { ...F${i + 1} ...F${i + 1} }`).join(
      '\n',
    );
    const query = `{ shop(id: 1) { ...F0 } }\n${fragments}\nfragment F40 on Shop { owner { name } }`;
    const started = performance.now();
    expect(cost(query)).toBe(1 + 2 ** 40);
    expect(performance.now() - started).toBeLessThan(100);
  });
});

describe('cost directives', () => {
  it('reads the supergraph names, renamed by @link', () => {
    const sdl = `
      schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/cost/v0.1", as: "dc", import: [{ name: "@listSize", as: "@size" }]) { query: Query }
      type Query { a: [A] @dc(weight: 4) @size(assumedSize: 9) }
      type A { b: Int }
    `;
    const read = costDirectivesFromSdl(sdl);
    expect(read.fieldWeight('Query', 'a')).toBe(4);
    expect(read.listSize('Query', 'a')).toEqual({ assumedSize: 9, slicingArguments: [], sizedFields: [] });
  });
});
