// Single GraphQL requests outside the load runs (priming, the cold page, introspection), with the
// time each took.

export interface GraphqlAnswer<T> {
  readonly status: number;
  readonly data: T | null;
  readonly errors: readonly { message: string; path?: readonly (string | number)[]; extensions?: { code?: string } }[];
  readonly elapsedMs: number;
}

/** `headers`: the bench stack's authHeaders (the gateway takes no request without a bearer token). */
export async function postGraphql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Readonly<Record<string, string>> = {},
): Promise<GraphqlAnswer<T>> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  const elapsedMs = performance.now() - started;
  let body: { data?: T | null; errors?: GraphqlAnswer<T>['errors'] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`${url} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: response.status, data: body.data ?? null, errors: body.errors ?? [], elapsedMs };
}
