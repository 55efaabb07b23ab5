// Posts GraphQL to a subgraph under test, as the gateway would (application/json, and a forwarded
// identity signed with the tests' forwarding secret and bound to the request: role integration
// unless the caller names another identity, none when the caller sends its own x-c360-identity).
// Subgraphs under test are configured with TEST_FORWARDING_ENV.
import type { Identity } from '../../../lib/identity.js';
import { forwardedIdentityHeaders, testIdentity } from '../../support/identity.js';

export interface GraphQLResponse<T = any> {
  status: number;
  headers: Headers;
  body: {
    data?: T;
    errors?: Array<{ message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }>;
  };
  text: string;
}

export type PostGraphQL = <T = any>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers?: Record<string, string>,
  identity?: Identity,
) => Promise<GraphQLResponse<T>>;

/** A postGraphQL for one subgraph (the forwarded identity's audience is the subgraph's name). */
export function subgraphGraphQL(subgraph: 'salesforce' | 'erp'): PostGraphQL {
  return async (url, query, variables = {}, headers = {}, identity = testIdentity()) => {
    const body = JSON.stringify({ query, variables });
    const forwarded = 'x-c360-identity' in headers ? {} : await forwardedIdentityHeaders({ subgraph, body }, identity);
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...forwarded, ...headers },
      body,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: JSON.parse(text), text };
  };
}
