// The gateway's enforcement of the supergraph's @requiresScopes rules (issue 5, item 2). This is
// what makes it right for gateway/supergraph.ts to hand @apollo/gateway the requiresScopes link
// without `for: SECURITY`: startGateway always installs this plugin, so the rules Apollo Router
// would enforce are enforced here, for every operation, before it is planned.
import type { ApolloServerPlugin } from '@apollo/server';
import { accessControlPlugin } from '../lib/access-control-plugin.js';
import { accessPolicyOf } from '../schema/access.js';
import type { GatewayContext } from './context.js';

/**
 * `supergraphSdl` is the supergraph the gateway serves (readSupergraphSdl): the rules are read from
 * it once, at start, so they are exactly the composed ones.
 */
export function gatewayAccessPlugin(supergraphSdl: string): ApolloServerPlugin<GatewayContext> {
  return accessControlPlugin(accessPolicyOf(supergraphSdl));
}
