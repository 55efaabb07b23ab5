// The Salesforce subgraph's executable schema: schema/salesforce.graphql plus its typed resolvers.
import type { GraphQLSchema } from 'graphql';
import { buildSchemaFromSdlFile } from '../shared/subgraph-schema.js';
import { resolvers } from './resolvers/index.js';

const SDL_FILE = new URL('../../schema/salesforce.graphql', import.meta.url);

export function buildSalesforceSchema(): GraphQLSchema {
  return buildSchemaFromSdlFile(SDL_FILE, resolvers);
}
