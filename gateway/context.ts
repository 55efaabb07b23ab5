// Per-request state of one GraphQL operation at the gateway, created in Apollo Server's `context`
// function (never in module scope). The data sources read it to decide what each subgraph request carries.
export interface GatewayContext {
  /** The request's correlation id (correlation.ts), forwarded to every subgraph. */
  readonly correlationId: string;
}
