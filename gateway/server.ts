// The gateway's single wiring module: Apollo Server over @apollo/gateway, behind Express.
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { createGraphqlOperationMetrics, graphqlOperationMetricsPlugin } from '../lib/graphql-operation-metrics.js';
import { listen, type RunningServer } from '../lib/http-server.js';
import { createLogger } from '../lib/logger.js';
import { createMetricsRegistry, metricsHandler } from '../lib/metrics-registry.js';
import type { GatewayConfig } from './config.js';
import type { GatewayContext } from './context.js';
import { correlationIdOf, correlationMiddleware } from './correlation.js';
import { SubgraphDataSource } from './data-source.js';
import { errorLoggingPlugin } from './error-logging.js';
import { formatError } from './error-masking.js';
import { graphiqlRouter } from './graphiql.js';
import { healthRouter } from './health.js';
import { errorHandler, notFoundHandler } from './http-errors.js';
import { createSubgraphFetchMetrics } from './subgraph-fetch-metrics.js';
import { readSupergraphSdl, subgraphEndpoint } from './supergraph.js';

export const GRAPHQL_PATH = '/graphql';

// GraphQL operations are small; a megabyte leaves room for large variable payloads and keeps a
// client from making the gateway buffer arbitrary amounts of JSON.
const BODY_LIMIT = '1mb';

export async function startGateway(config: GatewayConfig): Promise<RunningServer> {
  const logger = createLogger('gateway', config.logLevel);
  const isProduction = config.nodeEnv === 'production';
  // This gateway's own registry (DESIGN.md: /metrics on the gateway), never prom-client's global one.
  const metrics = createMetricsRegistry();
  const subgraphFetches = createSubgraphFetchMetrics(metrics);

  const gateway = new ApolloGateway({
    supergraphSdl: readSupergraphSdl(config.supergraphPath),
    buildService: ({ name }) =>
      new SubgraphDataSource({ ...subgraphEndpoint(name, config), timeoutMs: config.subgraphTimeoutMs, logger, metrics: subgraphFetches }),
    logger,
    // Otherwise on outside production: any client sending an `Apollo-Query-Plan-Experimental`
    // header would get the subgraph operations back in the response.
    __exposeQueryPlanExperimental: false,
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    csrfPrevention: true,
    // GraphiQL's docs and autocompletion need introspection; production turns both off.
    introspection: !isProduction,
    includeStacktraceInErrorResponses: false,
    formatError,
    logger,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      errorLoggingPlugin(logger),
      graphqlOperationMetricsPlugin(createGraphqlOperationMetrics(metrics)),
    ],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.use(correlationMiddleware());
  app.use(healthRouter(config));
  app.get('/metrics', metricsHandler(metrics));
  if (!isProduction) app.use(graphiqlRouter({ endpoint: GRAPHQL_PATH }));
  app.use(
    GRAPHQL_PATH,
    express.json({ limit: BODY_LIMIT }),
    expressMiddleware(apollo, { context: async ({ res }) => ({ correlationId: correlationIdOf(res) }) }),
  );
  app.use(notFoundHandler());
  app.use(errorHandler(logger));

  try {
    return await listen(app, { host: config.host, port: config.port, onClose: () => apollo.stop() });
  } catch (error) {
    await apollo.stop();
    throw error;
  }
}
