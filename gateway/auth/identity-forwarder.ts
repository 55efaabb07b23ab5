// Signs the verified identity for the subgraphs (lib/identity-forwarding.ts) once per client
// request: Apollo's context function starts the signing, and every subgraph fetch of that request
// (SubgraphDataSource.willSendRequest) sends the same header. Keyed by the request's Identity
// object, so an OData request (gateway/odata builds its own context) gets the same treatment, and
// an entry lives exactly as long as its request holds the identity (WeakMap).
import { FORWARDED_IDENTITY_LIFETIME_S, signForwardedIdentity } from '../../lib/identity-forwarding.js';
import type { Identity } from '../../lib/identity.js';

export interface IdentityForwarder {
  /** The x-c360-identity header value for this identity (signed on first use). */
  headerFor(identity: Identity): Promise<string>;
}

// An identity kept longer than a request (none is today) gets a fresh header well before the old expires.
const RENEW_AFTER_MS = (FORWARDED_IDENTITY_LIFETIME_S * 1000) / 2;

export function createIdentityForwarder(key: Uint8Array): IdentityForwarder {
  const signed = new WeakMap<Identity, { header: Promise<string>; signedAt: number }>();
  return {
    headerFor(identity) {
      const entry = signed.get(identity);
      if (entry && Date.now() - entry.signedAt < RENEW_AFTER_MS) return entry.header;
      const header = signForwardedIdentity(identity, key);
      signed.set(identity, { header, signedAt: Date.now() });
      return header;
    },
  };
}
