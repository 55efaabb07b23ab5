// The gateway's single wiring module: Apollo Server over @apollo/gateway, behind Express.
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { loadForwardingKey } from '../lib/forwarding-key.js';
import { createGraphqlOperationMetrics, graphqlOperationMetricsPlugin } from '../lib/graphql-operation-metrics.js';
import { graphqlOversizedResponder, listen, type RunningServer } from '../lib/http-server.js';
import { createLogger, type Logger } from '../lib/logger.js';
import { createMetricsRegistry, metricsHandler } from '../lib/metrics-registry.js';
import { gatewayAccessPlugin } from './access-plugin.js';
import { createAuthenticator } from './auth/authenticator.js';
import { createIdentityForwarder } from './auth/identity-forwarder.js';
import { authenticatedIdentityOf, requireAuthentication } from './auth/middleware.js';
import type { GatewayConfig } from './config.js';
import { consoleRouter } from './console.js';
import type { GatewayContext } from './context.js';
import { correlationIdOf, correlationMiddleware } from './correlation.js';
import { demandControlPlugin } from './demand-control/index.js';
import { corsMiddleware, DEFAULT_CORS_ORIGINS } from './cors.js';
import { SubgraphDataSource } from './data-source.js';
import { errorLoggingPlugin } from './error-logging.js';
import { formatError } from './error-masking.js';
import { operationResolutionPlugin } from './operation-resolution.js';
import { variableTextPlugin } from './variable-text.js';
import { persistedOperations, persistedQueryExtensionCheck } from './persisted-operations/index.js';
import { graphiqlRouter } from './graphiql.js';
import { createQueryPlanCache, queryPlannerConfig } from './query-plan-cache.js';
import { healthRouter } from './health.js';
import { odataOversizedResponder } from './odata/errors.js';
import { odataRouter } from './odata/router.js';
import { errorHandler, notFoundHandler } from './http-errors.js';
import { createSubgraphFetchMetrics } from './subgraph-fetch-metrics.js';
import { readSupergraphSdl, subgraphEndpoint } from './supergraph.js';

export const GRAPHQL_PATH = '/graphql';
/** Where the OData bridge (gateway/odata) lives; CORS covers it as it covers GRAPHQL_PATH. */
export const ODATA_PATH = '/odata';

// GraphQL operations are small; a megabyte leaves room for large variable payloads and keeps a
// client from making the gateway buffer arbitrary amounts of JSON.
const BODY_LIMIT = '1mb';

export interface GatewayOptions {
  /** Where the gateway logs (default: pino at LOG_LEVEL); tests pass one that records the lines. */
  readonly logger?: Logger;
}

export async function startGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger('gateway', config.logLevel);
  const isProduction = config.nodeEnv === 'production';
  // This gateway's own registry (served at /metrics), never prom-client's global one.
  const metrics = createMetricsRegistry();
  const subgraphFetches = createSubgraphFetchMetrics(metrics);
  // Who may call (bearer JWTs; the development issuer's key is created here when missing), and the
  // key the verified identity is forwarded to the subgraphs with (created when missing, too).
  const authenticator = await createAuthenticator(config.auth, { dataDir: config.dataDir });
  if (config.auth.devIssuer) {
    // Anyone who reaches this gateway can mint tokens from GraphiQL or the console: fine on a
    // developer's loopback, never on a shared host. Said at every start (NODE_ENV=staging included).
    logger.warn(
      { dataDir: config.dataDir },
      'development token issuer is ON (AUTH_ISSUERS unset): GraphiQL and /app hand out tokens; set AUTH_ISSUERS for any shared deployment',
    );
  }
  if (isProduction && config.corsOrigins === DEFAULT_CORS_ORIGINS) {
    // Harmless while authentication is bearer-only (a page can send only a token it already holds),
    // but every Salesforce org's pages may call, and anyone can create an org or a *.my.site.com site.
    logger.warn(
      { corsOrigins: config.corsOrigins },
      "CORS_ORIGINS unset: browsers on any Salesforce org's pages may call /graphql and /odata; set CORS_ORIGINS to your org's own domains",
    );
  }
  const identityForwarder = createIdentityForwarder(await loadForwardingKey(config.identityForwardingKey));

  const supergraphSdl = readSupergraphSdl(config.supergraphPath);
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) =>
      new SubgraphDataSource({
        ...subgraphEndpoint(name, config),
        timeoutMs: config.subgraphTimeoutMs,
        logger,
        metrics: subgraphFetches,
        identityForwarder,
      }),
    logger,
    // A bounded plan store (shown on /metrics) and a bounded plan search: gateway/query-plan-cache.ts.
    queryPlannerConfig: queryPlannerConfig(createQueryPlanCache(metrics)),
    // Otherwise on outside production: any client sending an `Apollo-Query-Plan-Experimental`
    // header would get the subgraph operations back in the response.
    __exposeQueryPlanExperimental: false,
  });

  // The first-party operation manifest, read now: an unusable one stops the start.
  const persisted = persistedOperations(config.persistedOperations);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // Manifest hashes run without their text; other hashes follow Apollo's APQ protocol.
    persistedQueries: persisted.persistedQueries,
    // A pathological document (a megabyte of aliases) is refused by the parser, before validation.
    parseOptions: { maxTokens: config.demandControl.maxTokens },
    csrfPrevention: true,
    // GRAPHQL_INTROSPECTION; off by default in production (gateway/config.ts).
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    formatError,
    logger,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // An operationName naming no operation is the client's mistake: 400 before any other check.
      operationResolutionPlugin(),
      // Strings in variables must be Unicode text (a lone surrogate cannot reach a backend URL).
      variableTextPlugin(),
      // Labelled by the manifest's operation names only: clients cannot blind the first-party series.
      graphqlOperationMetricsPlugin(createGraphqlOperationMetrics(metrics, persisted.manifest.operationNames)),
      // Partner callers run only manifest operations; first, so an ad-hoc one gets that answer.
      persisted.plugin,
      // Depth, alias, root-field and cost limits, before the operation is planned.
      demandControlPlugin(config.demandControl),
      // @requiresScopes: @apollo/gateway does not enforce it, this does (always on: gateway/supergraph.ts).
      gatewayAccessPlugin(supergraphSdl),
      // Last: the plugins above give the client's mistakes their codes in didEncounterErrors, and
      // Apollo Server calls the hooks in this order, so only what is still unclassified is logged.
      errorLoggingPlugin(logger),
    ],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.use(correlationMiddleware());
  // GraphiQL's page answers browsers at GET /graphql and, with the development issuer, holds fresh
  // dev tokens: it is mounted before CORS so no other origin (the default Lightning patterns include
  // hosts anyone can register, e.g. *.my.site.com) may read it with a simple cross-origin GET.
  // Only GET/HEAD reach it: an Express router answers OPTIONS for its own paths by itself, which
  // would swallow the CORS preflights of POST /graphql.
  if (!isProduction) {
    const graphiql = graphiqlRouter(GRAPHQL_PATH, config);
    app.use((req, res, next) => (req.method === 'GET' || req.method === 'HEAD' ? graphiql(req, res, next) : next()));
  }
  // Before every route it covers: preflights are answered here, before authentication.
  app.use([GRAPHQL_PATH, ODATA_PATH], corsMiddleware(config.corsOrigins));
  app.use(healthRouter(config));
  app.get('/metrics', metricsHandler(metrics));
  // The Customer 360 console (LWC) at /app; its dev-token route only with the development issuer.
  app.use(consoleRouter(GRAPHQL_PATH, config));
  app.use(
    GRAPHQL_PATH,
    // No verified bearer token, no GraphQL: 401 UNAUTHENTICATED before the body is even read.
    requireAuthentication(authenticator, logger),
    express.json({ limit: BODY_LIMIT }),
    persistedQueryExtensionCheck(),
    expressMiddleware(apollo, {
      context: async ({ res }): Promise<GatewayContext> => {
        const identity = authenticatedIdentityOf(res);
        // Signed once per request and subgraph, when the first fetch to it is sent (data-source.ts).
        return { correlationId: correlationIdOf(res), identity, origin: 'graphql' };
      },
    }),
  );
  // The OData 4.0 bridge for Salesforce Connect (decision 0016): each request authenticates like /graphql
  // and runs as one operation on `apollo` with origin 'odata' (gateway/odata/router.ts).
  app.use(
    `${ODATA_PATH}/v4`,
    odataRouter({
      apollo,
      authenticator,
      supergraphSdl,
      ...(config.odataPublicUrl && { publicUrl: config.odataPublicUrl }),
      logger,
    }),
  );
  app.use(notFoundHandler());
  app.use(errorHandler(logger));

  try {
    return await listen(app, {
      host: config.host,
      port: config.port,
      onClose: () => apollo.stop(),
      // A URL or header over the limit gets the error shape of the route it was meant for.
      oversized: (req, res) =>
        (req.url?.startsWith(`${ODATA_PATH}/`) ? odataOversizedResponder : graphqlOversizedResponder)(req, res),
    });
  } catch (error) {
    await apollo.stop();
    throw error;
  }
}
