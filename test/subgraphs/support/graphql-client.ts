// Posts GraphQL to a subgraph under test, as the gateway would (application/json, and a forwarded
// identity signed with the tests' forwarding secret: role integration, unless the caller sends its
// own x-c360-identity). Subgraphs under test are configured with TEST_FORWARDING_ENV.
import { forwardedIdentityHeaders } from '../../support/identity.js';

export interface GraphQLResponse<T = any> {
  status: number;
  headers: Headers;
  body: {
    data?: T;
    errors?: Array<{ message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }>;
  };
  text: string;
}

export async function postGraphQL<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const identity = 'x-c360-identity' in headers ? {} : await forwardedIdentityHeaders();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...identity, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text), text };
}
