// The demand-control plugin in an Apollo Server, with the gateway's error masking: each limit is
// refused with its own code, HTTP 400 and { limit, max, actual }, before anything resolves; a
// pathological document is refused by the parser's token limit.
import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demandControlPlugin, type DemandControlOptions } from '../../gateway/demand-control/index.js';
import { formatError } from '../../gateway/error-masking.js';

const typeDefs = `
  directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
  type Query {
    person(id: ID!): Person
    people(first: Int!): PersonPage! @listSize(slicingArguments: ["first"], sizedFields: ["nodes"])
    a: Int b: Int c: Int d: Int
    search(filter: Filter): [Person!]! @listSize(assumedSize: 2)
  }
  input Filter { and: [Filter!], name: String }
  type PersonPage { nodes: [Person!]! }
  type Person { id: ID!, name: String!, bestFriend: Person, friends: [Person!]! @listSize(assumedSize: 10) }
`;

const LIMITS: DemandControlOptions = {
  maxDepth: 6,
  maxInputDepth: 4,
  maxCost: 1000,
  maxAliases: 5,
  maxRootFields: 3,
  maxSelections: 40,
  defaultListSize: 10,
  exposeCost: false,
};

let resolved = 0;
const person = (id: string) => {
  resolved += 1;
  return { id, name: `P${id}`, bestFriend: null, friends: [] };
};

function server(options: Partial<DemandControlOptions> = {}, maxTokens = 5000) {
  return new ApolloServer({
    typeDefs,
    resolvers: {
      Query: {
        search: () => [person('s')],
        person: (_: unknown, { id }: { id: string }) => person(id),
        people: () => ({ nodes: [person('1')] }),
        a: () => 1,
        b: () => 2,
        c: () => 3,
        d: () => 4,
      },
    },
    formatError,
    parseOptions: { maxTokens },
    plugins: [demandControlPlugin({ ...LIMITS, ...options })],
  });
}

const apollo = server();
const exposing = server({ exposeCost: true });
beforeAll(async () => {
  await apollo.start();
  await exposing.start();
});
afterAll(async () => {
  await apollo.stop();
  await exposing.stop();
});

async function run(query: string, variables?: Record<string, unknown>, on = apollo) {
  const before = resolved;
  const response = await on.executeOperation({ query, variables });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return { status: response.http.status, result: response.body.singleResult, resolvedNow: resolved - before };
}

const nest = (levels: number) =>
  `{ person(id: 1) { ${'bestFriend { '.repeat(levels - 2)}name${' }'.repeat(levels - 2)} } }`;

describe('demand control plugin', () => {
  it('runs an operation within every limit', async () => {
    const { status, result } = await run('{ person(id: 1) { name friends { name } } }');
    expect(status).toBeUndefined();
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ person: { name: 'P1', friends: [] } });
    expect(result.extensions).toBeUndefined();
  });

  it('refuses an over-deep operation: DEPTH_LIMIT_EXCEEDED', async () => {
    expect((await run(nest(6))).result.errors).toBeUndefined();
    const { status, result, resolvedNow } = await run(nest(7));
    expect(status).toBe(400);
    expect(resolvedNow).toBe(0);
    expect(result.data).toBeUndefined();
    expect(result.errors).toEqual([
      {
        message: 'Depth limit exceeded: the operation nests fields 7 levels deep, more than the maximum of 6.',
        extensions: { code: 'DEPTH_LIMIT_EXCEEDED', limit: 'depth', max: 6, actual: 7 },
      },
    ]);
  });

  it('counts depth through fragments', async () => {
    const { result } = await run(
      `{ person(id: 1) { ...A } } fragment A on Person { bestFriend { ...B } } fragment B on Person { bestFriend { bestFriend { bestFriend { bestFriend { name } } } } }`,
    );
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'DEPTH_LIMIT_EXCEEDED', limit: 'depth', max: 6, actual: 7 });
  });

  it('refuses an over-costly operation: COST_LIMIT_EXCEEDED', async () => {
    // people 1 + nodes N × (1 + friends 10 × 1)
    expect((await run('{ people(first: 90) { nodes { friends { id } } } }')).result.errors).toBeUndefined();
    const { status, result, resolvedNow } = await run(
      'query ($n: Int!) { people(first: $n) { nodes { friends { id } } } }',
      { n: 100 },
    );
    expect(status).toBe(400);
    expect(resolvedNow).toBe(0);
    expect(result.errors).toEqual([
      {
        message: "Cost limit exceeded: the operation's estimated cost is 1101, more than the maximum of 1000.",
        extensions: { code: 'COST_LIMIT_EXCEEDED', limit: 'cost', max: 1000, actual: 1101 },
      },
    ]);
  });

  it('refuses alias bombing: ALIAS_LIMIT_EXCEEDED', async () => {
    const aliases = Array.from({ length: 200 }, (_, i) => `n${i}: name`).join(' ');
    const { status, result, resolvedNow } = await run(`{ person(id: 1) { ${aliases} } }`);
    expect(status).toBe(400);
    expect(resolvedNow).toBe(0);
    expect(result.errors?.[0]).toMatchObject({
      message: 'Alias limit exceeded: the operation uses 200 aliases, more than the maximum of 5.',
      extensions: { code: 'ALIAS_LIMIT_EXCEEDED', limit: 'aliases', max: 5, actual: 200 },
    });
  });

  it('refuses too many root fields: ROOT_FIELD_LIMIT_EXCEEDED', async () => {
    expect((await run('{ a b c __typename }')).result.errors).toBeUndefined();
    const { status, result } = await run('{ a b c d }');
    expect(status).toBe(400);
    expect(result.errors?.[0]).toMatchObject({
      message: 'Root field limit exceeded: the operation selects 4 root fields, more than the maximum of 3.',
      extensions: { code: 'ROOT_FIELD_LIMIT_EXCEEDED', limit: 'rootFields', max: 3, actual: 4 },
    });
  });

  it('refuses a fragment fan-out by its expanded selections: SELECTION_LIMIT_EXCEEDED', async () => {
    // Each fragment spreads the next twice: no aliases, one root field, shallow, scalars only (cost 1).
    const levels = (n: number) =>
      `{ person(id: 1) { ...F0 } }\n${Array.from({ length: n }, (_, i) => `fragment F${i} on Person { ...F${i + 1} ...F${i + 1} }`).join('\n')}\nfragment F${n} on Person { id name }`;
    expect((await run(levels(3))).result.errors).toBeUndefined();
    const { status, result, resolvedNow } = await run(levels(4));
    expect(status).toBe(400);
    expect(resolvedNow).toBe(0);
    // person 1, its spread of F0 1, then 2 + 4 + 8 + 16 spreads, and the last fragment's two fields 16 times: 64.
    expect(result.errors).toEqual([
      {
        message:
          'Selection limit exceeded: the operation expands to 64 selections (each fragment counted where it is spread), more than the maximum of 40.',
        extensions: { code: 'SELECTION_LIMIT_EXCEEDED', limit: 'selections', max: 40, actual: 64 },
      },
    ]);
  });

  it('refuses argument values nested too deep, written or sent as variables: DEPTH_LIMIT_EXCEEDED (inputDepth)', async () => {
    // { and: [ { and: [ { name } ] } ] }: object, list, object, list, object.
    const nested = (levels: number): string => (levels === 0 ? '{ name: "x" }' : `{ and: [${nested(levels - 1)}] }`);
    expect((await run(`{ search(filter: ${nested(1)}) { id } }`)).result.errors).toBeUndefined();
    const written = await run(`{ search(filter: ${nested(2)}) { id } }`);
    expect(written.status).toBe(400);
    expect(written.resolvedNow).toBe(0);
    expect(written.result.errors).toEqual([
      {
        message:
          'Depth limit exceeded: an argument value (in the document or a variable) nests objects and lists 5 levels deep, more than the maximum of 4.',
        extensions: { code: 'DEPTH_LIMIT_EXCEEDED', limit: 'inputDepth', max: 4, actual: 5 },
      },
    ]);
    const query = 'query ($f: Filter) { search(filter: $f) { id } }';
    expect((await run(query, { f: { and: [{ name: 'x' }] } })).result.errors).toBeUndefined();
    expect((await run(query, { f: { and: [{ and: [{ name: 'x' }] }] } })).result.errors?.[0]?.extensions).toEqual({
      code: 'DEPTH_LIMIT_EXCEEDED',
      limit: 'inputDepth',
      max: 4,
      actual: 5,
    });
    // Thousands of levels would overflow graphql-js's recursive coercion (a RangeError, answered 500).
    let deep: unknown = { name: 'x' };
    for (let level = 0; level < 4000; level += 1) deep = { and: [deep] };
    const sent = await run(query, { f: deep });
    expect(sent.status).toBe(400);
    expect(sent.result.errors?.[0]?.extensions).toEqual({
      code: 'DEPTH_LIMIT_EXCEEDED',
      limit: 'inputDepth',
      max: 4,
      actual: 8001,
    });
  });

  it('refuses a megabyte alias bomb in the parser, fast', async () => {
    const bomb = `{ ${Array.from({ length: 120_000 }, (_, i) => `a${i}: a`).join(' ')} }`;
    expect(bomb.length).toBeGreaterThan(1_000_000);
    const started = performance.now();
    const { status, result, resolvedNow } = await run(bomb);
    const elapsed = performance.now() - started;
    expect(status).toBe(400);
    expect(resolvedNow).toBe(0);
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(result.errors?.[0]?.message).toMatch(/5000 tokens\. Parsing aborted/);
    // The token message above is the proof; the bound only catches a parser that read it all.
    expect(elapsed).toBeLessThan(500);
  });

  it('adds the estimated cost to the response only when configured', async () => {
    const { result } = await run('{ people(first: 3) { nodes { id } } }', undefined, exposing);
    expect(result.extensions).toEqual({ cost: { estimated: 4, max: 1000 } });
  });
});
