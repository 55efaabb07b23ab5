// The ERP subgraph's executable schema: schema/erp.graphql plus its typed resolvers.
import type { GraphQLSchema } from 'graphql';
import { buildSchemaFromSdlFile } from '../shared/subgraph-schema.js';
import { resolvers } from './resolvers/index.js';

const SDL_FILE = new URL('../../schema/erp.graphql', import.meta.url);

export function buildErpSchema(): GraphQLSchema {
  return buildSchemaFromSdlFile(SDL_FILE, resolvers);
}
