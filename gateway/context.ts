// Per-request state of one GraphQL operation at the gateway, created in Apollo Server's `context`
// function (never in module scope). The data sources read it to decide what each subgraph request carries.
import type { Identity } from '../lib/identity.js';

export interface GatewayContext {
  /** The request's correlation id (correlation.ts), forwarded to every subgraph. */
  readonly correlationId: string;
  /** The caller, verified from its bearer token (gateway/auth) before any operation runs. */
  readonly identity: Identity;
  /**
   * Where the operation came from: a client's POST /graphql, or the OData bridge (gateway/odata),
   * which builds its own operations (they are not in the persisted-operation manifest).
   */
  readonly origin: 'graphql' | 'odata';
}
