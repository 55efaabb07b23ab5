// @ts-check
// Calling the customer360 graph from a Lightning Web Component: the console's whole data access,
// kept small so it can be copied into a Salesforce project as it is (force-app/main/default/lwc/
// graphqlClient/graphqlClient.js, with a graphqlClient.js-meta.xml beside it) and used the same way.
//
// In Salesforce: add the gateway's origin to CSP Trusted Sites (connect-src), list your Lightning
// origin in the gateway's CORS_ORIGINS, and get the user's bearer token from your identity provider
// (the gateway verifies it against its configured issuers). Then:
//
//   import { createClient, errorCodes } from 'c/graphqlClient';
//   const client = createClient({ endpoint: 'https://graph.example.com/graphql', getToken: () => token });
//   const result = await client.execute(ConsoleAccount360Document, { id: recordId });
//   if (result.data?.account) ...; else if (errorCodes(result).has('NOT_FOUND')) ...
//
// Why it looks like this:
// - Persisted operations only. The document is one graphql-codegen generated from a .graphql file
//   (clients/operations/*, codegen.yml), carrying its sha256 in `__meta__.hash`; only that hash goes
//   on the wire (Apollo's persisted-query extension), never the query text. The gateway runs what
//   its manifest (clients/__generated__/persisted-documents.json) holds under that hash, and partner
//   tokens may run nothing else. Generated documents are typed, so `data` has the operation's shape.
// - It never throws for an answer the gateway gave: GraphQL errors, HTTP 401/403 and partial data
//   (one backend down: data AND errors) all come back as a result, so a component can render what it
//   has and say what is missing. Only a request that got no GraphQL answer at all (network down,
//   a proxy's HTML error page) is reported with the client-side code NETWORK_ERROR.
// - Every error carries `extensions.code` from a small fixed set (README, "Errors clients can rely
//   on"); branch on those codes, never on messages. The response's x-correlation-id is returned so
//   a screen can show it: support finds the request in both backends' logs with it.

/**
 * @typedef {{ readonly __meta__?: { readonly hash?: string }, readonly definitions?: ReadonlyArray<{ readonly kind: string, readonly name?: { readonly value: string } }> }} PersistedDocument
 * The shape this module reads from a graphql-codegen document (client preset, persistedDocuments).
 */

/**
 * @typedef {object} GraphqlError
 * @property {string} message
 * @property {ReadonlyArray<string | number>} [path]
 * @property {{ code?: string, [key: string]: unknown }} [extensions]
 */

/**
 * @template TData
 * @typedef {object} GraphqlResult
 * @property {TData | null} data Null when nothing could be read; may be partial when errors are present.
 * @property {GraphqlError[]} errors Empty when the operation succeeded completely.
 * @property {number} status HTTP status (0 when no response arrived).
 * @property {string | null} correlationId The gateway's x-correlation-id for this request.
 */

/**
 * @template TData, TVariables
 * @typedef {import('@graphql-typed-document-node/core').TypedDocumentNode<TData, TVariables> & PersistedDocument} TypedPersistedDocument
 */

/** Client-side code for "no GraphQL answer at all"; the gateway's codes are in lib/error-codes.ts. */
export const NETWORK_ERROR = 'NETWORK_ERROR';

/**
 * @param {object} options
 * @param {string} options.endpoint The gateway's GraphQL URL.
 * @param {() => string | null | undefined} options.getToken The current user's bearer token, read for every request.
 * @param {typeof fetch} [options.fetch]
 */
export function createClient({ endpoint, getToken, fetch: fetchImpl = (input, init) => fetch(input, init) }) {
  return {
    /**
     * Runs one persisted operation.
     * @template TData, TVariables
     * @param {TypedPersistedDocument<TData, TVariables>} document
     * @param {NoInfer<TVariables>} variables The operation's variables (checked against the document's, not inferred from them).
     * @param {{ signal?: AbortSignal }} [options]
     * @returns {Promise<GraphqlResult<TData>>}
     */
    async execute(document, variables, options = {}) {
      const sha256Hash = document.__meta__?.hash;
      if (!sha256Hash)
        throw new Error('not a persisted document: generate it with graphql-codegen (persistedDocuments)');
      const token = getToken();
      /** @type {Record<string, string>} */
      const headers = {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
      };
      if (token) headers.authorization = `Bearer ${token}`;
      const body = JSON.stringify({
        operationName: operationNameOf(document),
        variables,
        extensions: { persistedQuery: { version: 1, sha256Hash } },
      });

      let response;
      try {
        response = await fetchImpl(endpoint, { method: 'POST', headers, body, signal: options.signal });
      } catch (error) {
        if (options.signal?.aborted) throw error;
        return failure(0, null, 'The gateway could not be reached.');
      }
      const correlationId = response.headers.get('x-correlation-id');
      let payload;
      try {
        payload = await response.json();
      } catch {
        return failure(
          response.status,
          correlationId,
          `The gateway answered HTTP ${response.status} without a GraphQL response.`,
        );
      }
      if (payload === null || typeof payload !== 'object' || (!('data' in payload) && !Array.isArray(payload.errors))) {
        return failure(
          response.status,
          correlationId,
          `The gateway answered HTTP ${response.status} without a GraphQL response.`,
        );
      }
      return {
        data: payload.data ?? null,
        errors: Array.isArray(payload.errors) ? payload.errors : [],
        status: response.status,
        correlationId,
      };
    },
  };
}

/**
 * The codes of a result's errors (`extensions.code`), to branch on.
 * @param {{ errors: ReadonlyArray<GraphqlError> }} result
 * @returns {Set<string>}
 */
export function errorCodes(result) {
  return new Set(result.errors.map((error) => error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
}

/**
 * @param {PersistedDocument} document
 * @returns {string | undefined}
 */
function operationNameOf(document) {
  // Only the operation name; sent for the gateway's metrics and logs, not needed to run.
  const definition = document.definitions?.find((node) => node.kind === 'OperationDefinition');
  return definition?.name?.value;
}

/**
 * @param {number} status
 * @param {string | null} correlationId
 * @param {string} message
 * @returns {GraphqlResult<never>}
 */
function failure(status, correlationId, message) {
  return { data: null, errors: [{ message, extensions: { code: NETWORK_ERROR } }], status, correlationId };
}
