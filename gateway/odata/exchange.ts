// What the router hands a resource handler (collection.ts, entity.ts) and what it gets back: plain
// values, no Express, so the handlers say only what OData means.
import type { Identity } from '../../lib/identity.js';
import type { GatewayContext } from '../context.js';
import type { GraphqlExecutor } from './execute.js';
import type { EntitySet } from './model.js';

export interface OdataRequest {
  readonly set: EntitySet;
  /** Decoded system query options (query-string.ts). */
  readonly options: ReadonlyMap<string, string>;
  readonly identity: Identity;
  /** The context the GraphQL operation runs with (origin 'odata'). */
  readonly context: GatewayContext;
  /** Absolute URL of the service root, ending in `/`: the base of @odata.context and @odata.nextLink. */
  readonly serviceRoot: string;
  /** Rows per page: the service's maximum, or less when the client asked (Prefer: odata.maxpagesize). */
  readonly maxPageSize: number;
  /** Decimal and Int64 values as strings (IEEE754Compatible=true). */
  readonly ieee754Compatible: boolean;
  readonly execute: GraphqlExecutor;
}

export interface OdataResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export function jsonResponse(
  body: unknown,
  ieee754Compatible: boolean,
  headers?: Record<string, string>,
): OdataResponse {
  return {
    status: 200,
    contentType: `application/json;odata.metadata=minimal;IEEE754Compatible=${ieee754Compatible}`,
    body: JSON.stringify(body),
    ...(headers && { headers }),
  };
}
