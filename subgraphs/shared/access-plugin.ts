// Each subgraph's own enforcement of @requiresScopes (issue 5, item 2), defense in depth behind the
// gateway's (gateway/access-plugin.ts): a request carrying a valid forwarded identity still cannot
// select a field that identity's role may not read, whoever sent it. The rules are the subgraph's
// own, read from its schema (the SDL file it was built from, schema/*.graphql), and cover the
// operations the gateway sends too (`_entities { ... on Quote }` needs the Quote rule).
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { accessControlPlugin } from '../../lib/access-control-plugin.js';
import type { Identity } from '../../lib/identity.js';
import { accessPolicyOf } from '../../schema/access.js';

export function subgraphAccessPlugin(schema: GraphQLSchema): ApolloServerPlugin<{ identity: Identity }> {
  return accessControlPlugin(accessPolicyOf(schema));
}
