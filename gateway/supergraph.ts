// The gateway runs from a static supergraph composed ahead of time (`npm run compose`, CI), not
// from IntrospectAndCompose, which Apollo documents as unfit for production
// (shared/reference/federation-anchors.md). The subgraph URLs recorded in the supergraph are the
// composer's; the gateway's own config decides where each subgraph lives at run time.
import { readFileSync } from 'node:fs';
import type { GatewayConfig, SubgraphName } from './config.js';

export class SupergraphError extends Error {
  override readonly name = 'SupergraphError';
}

export function readSupergraphSdl(supergraphPath: string): string {
  let sdl: string;
  try {
    sdl = readFileSync(supergraphPath, 'utf8');
  } catch (error) {
    throw new SupergraphError(
      `Cannot read the supergraph at SUPERGRAPH_PATH=${supergraphPath} (${(error as NodeJS.ErrnoException).code ?? error}); ` +
        'compose it with `npm run compose`',
      { cause: error },
    );
  }
  if (sdl.trim() === '') throw new SupergraphError(`The supergraph at SUPERGRAPH_PATH=${supergraphPath} is empty`);
  return withSecurityFeaturesEnforcedHere(sdl);
}

const REQUIRES_SCOPES_LINK = /(@link\(url: "https:\/\/specs\.apollo\.dev\/requiresScopes\/v0\.1"), for: SECURITY\)/;

/**
 * @apollo/gateway refuses a supergraph holding a `for: SECURITY` feature, because it does not
 * enforce it (federation-internals checkFeatureSupport): failing closed is right for a gateway that
 * would silently ignore @requiresScopes. This gateway does enforce it: gateway/access-plugin.ts rejects an
 * operation selecting a field the caller's role may not read, before planning, and each subgraph
 * checks again (schema/access.ts). So the link is handed to @apollo/gateway as a plain feature; the
 * file itself keeps `for: SECURITY`, so Apollo Router in front of the same subgraphs enforces the
 * same rules (DESIGN.md "Run modes": scale-out).
 */
function withSecurityFeaturesEnforcedHere(sdl: string): string {
  return sdl.replace(REQUIRES_SCOPES_LINK, '$1)');
}

/**
 * Where a subgraph named in the supergraph (join__graph name) is served, per the gateway config.
 * Used from ApolloGateway's `buildService`, which sees every subgraph once when the supergraph
 * loads: a supergraph naming a subgraph the gateway has no URL for fails the start, loudly.
 */
export function subgraphEndpoint(
  name: string,
  config: Pick<GatewayConfig, 'subgraphUrls'>,
): { name: SubgraphName; url: string } {
  if (!isSubgraphName(name)) {
    throw new SupergraphError(
      `The supergraph names subgraph "${name}", but the gateway only has URLs for ${Object.keys(config.subgraphUrls).join(', ')}`,
    );
  }
  return { name, url: config.subgraphUrls[name] };
}

function isSubgraphName(name: string): name is SubgraphName {
  return name === 'salesforce' || name === 'erp';
}
