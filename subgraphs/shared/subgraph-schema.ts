// Builds a subgraph's executable schema from its SDL file in schema/ (the file composition reads, so a
// subgraph serves exactly what was composed) and its resolvers.
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';

type SubgraphResolverMap = NonNullable<
  Extract<Parameters<typeof buildSubgraphSchema>[0], { resolvers?: unknown }>['resolvers']
>;

/**
 * `resolvers` is each subgraph's object typed with its generated `Resolvers` (that is where parent,
 * argument and return types are checked). @apollo/subgraph's own map type models every entry as a
 * field resolver `(parent, args, context, info)` and so cannot describe `__resolveReference`
 * `(reference, context, info)`: the cast only bridges that declaration gap.
 */
export function buildSchemaFromSdlFile(sdlFile: URL, resolvers: object): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: parse(readFileSync(sdlFile, 'utf8')),
    resolvers: resolvers as SubgraphResolverMap,
  });
}
