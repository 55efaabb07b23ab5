// Signs the verified identity for the subgraphs (lib/identity-forwarding.ts): the x-c360-identity
// JWS once per client request and subgraph (Apollo's context function starts the signing; every
// fetch of the request to that subgraph, SubgraphDataSource.willSendRequest, sends the same JWS),
// and the x-c360-identity-binding HMAC for each fetch, over its exact body, just before it is sent.
// Keyed by the request's Identity object, so an OData request (gateway/odata builds its own
// context) gets the same treatment, and an entry lives exactly as long as its request holds the
// identity (WeakMap).
import {
  bindForwardedIdentity,
  FORWARDED_IDENTITY_LIFETIME_S,
  signForwardedIdentity,
  type ForwardedRequest,
} from '../../lib/identity-forwarding.js';
import type { Identity } from '../../lib/identity.js';
import type { SubgraphName } from '../config.js';

export interface IdentityForwarder {
  /** The x-c360-identity header value for this identity and subgraph (signed on first use). */
  headerFor(identity: Identity, subgraph: SubgraphName): Promise<string>;
  /** The x-c360-identity-binding header value for one request carrying `identityHeader`. */
  bindingFor(identityHeader: string, request: ForwardedRequest): string;
}

// A request that outlives half the JWS's lifetime gets a fresh one for its later fetches.
const RENEW_AFTER_MS = (FORWARDED_IDENTITY_LIFETIME_S * 1000) / 2;

export function createIdentityForwarder(key: Uint8Array): IdentityForwarder {
  const signed = new WeakMap<Identity, Map<SubgraphName, { header: Promise<string>; signedAt: number }>>();
  return {
    headerFor(identity, subgraph) {
      let bySubgraph = signed.get(identity);
      if (!bySubgraph) signed.set(identity, (bySubgraph = new Map()));
      const entry = bySubgraph.get(subgraph);
      if (entry && Date.now() - entry.signedAt < RENEW_AFTER_MS) return entry.header;
      const header = signForwardedIdentity(identity, subgraph, key);
      bySubgraph.set(subgraph, { header, signedAt: Date.now() });
      return header;
    },
    bindingFor: (identityHeader, request) => bindForwardedIdentity(identityHeader, request, key),
  };
}
