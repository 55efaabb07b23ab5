// How the gateway talks to one subgraph: what each request carries, how long it may take, what the
// client sees when the subgraph cannot answer, and what /metrics counts of it.
import { randomUUID } from 'node:crypto';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Kind, parse, type FragmentDefinitionNode, type GraphQLFormattedError, type SelectionSetNode } from 'graphql';
import { ErrorCode } from '../lib/error-codes.js';
import { IDENTITY_BINDING_HEADER, IDENTITY_HEADER } from '../lib/identity-forwarding.js';
import type { Logger } from '../lib/logger.js';
import type { IdentityForwarder } from './auth/identity-forwarder.js';
import { unknownMutationOutcome } from './mutation-outcome.js';
import type { SubgraphName } from './config.js';
import type { GatewayContext } from './context.js';
import { CORRELATION_HEADER } from './correlation.js';
import type { SubgraphFetchMetrics } from './subgraph-fetch-metrics.js';

type Fetcher = RemoteGraphQLDataSource['fetcher'];

// Same wording as the subgraphs use for a backend outage (subgraphs/shared/errors.ts): one code, one message.
const UNAVAILABLE: Record<SubgraphName, Omit<GraphQLFormattedError, 'path'>> = {
  salesforce: {
    message: 'Salesforce is unavailable; try again later.',
    extensions: { code: ErrorCode.SALESFORCE_UNAVAILABLE },
  },
  erp: { message: 'The ERP is unavailable; try again later.', extensions: { code: ErrorCode.ERP_UNAVAILABLE } },
};

export interface SubgraphDataSourceOptions {
  readonly name: SubgraphName;
  readonly url: string;
  readonly timeoutMs: number;
  readonly logger: Logger;
  readonly metrics: SubgraphFetchMetrics;
  /** Signs the request's verified identity into the x-c360-identity header, and binds it to each fetch. */
  readonly identityForwarder: IdentityForwarder;
}

export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly subgraph: SubgraphName;
  private readonly logger: Logger;
  private readonly metrics: SubgraphFetchMetrics;
  private readonly identityForwarder: IdentityForwarder;

  constructor(options: SubgraphDataSourceOptions) {
    super({
      url: options.url,
      fetcher: fetcherWithTimeout(options.timeoutMs, bindIdentity(options.name, options.identityForwarder)),
    });
    this.subgraph = options.name;
    this.logger = options.logger;
    this.metrics = options.metrics;
    this.identityForwarder = options.identityForwarder;
  }

  // Runs for every subgraph request, including the gateway's own (health checks, schema loading),
  // which come with an empty context: those get a fresh correlation id of their own.
  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const headers = options.request.http?.headers;
    if (!headers) return;
    const context = 'incomingRequestContext' in options ? options.incomingRequestContext.context : undefined;
    headers.set(CORRELATION_HEADER, context?.correlationId ?? randomUUID());
    // The verified caller, signed once per request and subgraph (gateway/auth/identity-forwarder.ts);
    // the fetcher binds it to the fetch's body. The gateway's own requests carry none, and subgraphs
    // refuse GraphQL without it.
    if (context?.identity)
      headers.set(IDENTITY_HEADER, await this.identityForwarder.headerFor(context.identity, this.subgraph));
  }

  /**
   * A subgraph that times out, cannot be reached or answers something other than a GraphQL
   * response (non-2xx, non-JSON) costs only the fields it owns: they come back null, each with an
   * error coded SALESFORCE_UNAVAILABLE or ERP_UNAVAILABLE, and the other subgraph's fields still
   * come back (README, "Errors clients can rely on"). A mutation that was sent but never answered is
   * MUTATION_OUTCOME_UNKNOWN instead (mutation-outcome.ts). Errors the subgraph itself reports pass
   * through unchanged.
   */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const end = this.metrics.startTimer(this.subgraph);
    try {
      const response = await super.process(options);
      end(response.errors?.length ? 'errors' : 'success');
      return response;
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      end(timedOut ? 'timeout' : 'failed');
      if (!('incomingRequestContext' in options)) throw error;
      this.logger.warn(
        {
          subgraph: this.subgraph,
          correlationId: options.incomingRequestContext.context.correlationId,
          timedOut,
          err: error,
        },
        'subgraph request failed',
      );
      const failure = unknownMutationOutcome(this.subgraph, options.request.query, error) ?? UNAVAILABLE[this.subgraph];
      return { errors: unavailableErrors(options.request, failure) };
    }
  }
}

type Headers = Record<string, string>;

/**
 * Adds x-c360-identity-binding to a fetch carrying x-c360-identity: an HMAC over the identity, the
 * subgraph and the exact body about to be sent, so a captured header pair replays only this request
 * (lib/identity-forwarding.ts). The body is final only here, after RemoteGraphQLDataSource has
 * serialized it, which is why the fetcher does it.
 */
function bindIdentity(subgraph: SubgraphName, forwarder: IdentityForwarder) {
  return (headers: Headers, body: string): Headers => {
    const identity = headers[IDENTITY_HEADER];
    return identity === undefined
      ? headers
      : { ...headers, [IDENTITY_BINDING_HEADER]: forwarder.bindingFor(identity, { subgraph, body }) };
  };
}

// @apollo/gateway has no per-subgraph timeout of its own (a RemoteGraphQLDataSource fetch waits as
// long as the fetcher does). The signal also bounds reading the body, so a subgraph that stalls
// mid-response is cut off too.
function fetcherWithTimeout(timeoutMs: number, bind: (headers: Headers, body: string) => Headers): Fetcher {
  return async (url, init) => {
    // RemoteGraphQLDataSource always sends a JSON string, with its headers as a plain object.
    const body = init?.body?.toString() ?? '';
    const response = await fetch(url, {
      method: init?.method,
      headers: bind({ ...(init?.headers as Headers | undefined) }, body),
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Node's Headers are iterable as FetcherResponse requires; the DOM lib typings (no DOM.Iterable) do not say so.
    return response as unknown as Awaited<ReturnType<Fetcher>>;
  };
}

/**
 * One error per field the failed subgraph operation selected, with the path the gateway maps into
 * the client's response: `[field]` for a root fetch, `['_entities', i, field]` for an entity fetch
 * (the gateway rewrites the latter to the entity's place in the response, e.g.
 * `['accountByErpNumber', 'credit']`).
 */
function unavailableErrors(
  request: GraphQLDataSourceProcessOptions['request'],
  failure: Omit<GraphQLFormattedError, 'path'>,
): GraphQLFormattedError[] {
  const error = (path?: (string | number)[]): GraphQLFormattedError => ({ ...failure, ...(path && { path }) });
  const errors = fieldPaths(request).map(error);
  // A fetch that selected nothing but __typename still failed: say so, without a path.
  return errors.length > 0 ? errors : [error()];
}

function fieldPaths(request: GraphQLDataSourceProcessOptions['request']): (string | number)[][] {
  const document = parse(request.query ?? '{__typename}');
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (!operation) return [];
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const representations: unknown = request.variables?.representations;
  const entities = operation.selectionSet.selections.find(
    (selection) => selection.kind === Kind.FIELD && selection.name.value === '_entities',
  );
  if (!Array.isArray(representations) || entities?.kind !== Kind.FIELD || !entities.selectionSet) {
    return responseKeys(operation.selectionSet, fragments).map((key) => [key]);
  }
  const selectionSet = entities.selectionSet;
  return representations.flatMap((representation: { __typename?: unknown }, index) =>
    responseKeys(
      selectionSet,
      fragments,
      typeof representation?.__typename === 'string' ? representation.__typename : undefined,
    ).map((key) => ['_entities', index, key]),
  );
}

/** The response keys a selection set yields for an object of `typename` (any type when unknown). */
function responseKeys(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  typename?: string,
): string[] {
  const keys = new Set<string>();
  const appliesTo = (typeCondition: string | undefined) =>
    typename === undefined || typeCondition === undefined || typeCondition === typename;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      if (key !== '__typename') keys.add(key);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (appliesTo(selection.typeCondition?.name.value)) {
        for (const key of responseKeys(selection.selectionSet, fragments, typename)) keys.add(key);
      }
    } else {
      const fragment = fragments.get(selection.name.value);
      if (fragment && appliesTo(fragment.typeCondition.name.value)) {
        for (const key of responseKeys(fragment.selectionSet, fragments, typename)) keys.add(key);
      }
    }
  }
  return [...keys];
}
