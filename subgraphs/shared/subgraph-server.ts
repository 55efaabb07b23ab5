// The HTTP side every subgraph shares: Apollo Server on POST /graphql, liveness and readiness,
// Prometheus metrics, JSON errors for everything else. Each subgraph's server.ts supplies its schema,
// context, ping and metrics registry.
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Registry } from 'prom-client';
import type { CallContext } from '../../lib/call-context.js';
import type { Identity } from '../../lib/identity.js';
import { ErrorCode } from '../../lib/error-codes.js';
import { createGraphqlOperationMetrics, graphqlOperationMetricsPlugin } from '../../lib/graphql-operation-metrics.js';
import { listen, type RunningServer } from '../../lib/http-server.js';
import { readPublishedOperationNames } from '../../lib/published-operations.js';
import type { Logger } from '../../lib/logger.js';
import { metricsHandler } from '../../lib/metrics-registry.js';
import type { ResiliencePolicy } from '../../shield/index.js';
import { subgraphAccessPlugin } from './access-plugin.js';
import { backendReadiness } from './backend-readiness.js';
import { CORRELATION_ID_HEADER, correlationIdFrom } from './correlation-id.js';
import { errorLoggingPlugin, formatSubgraphError } from './errors.js';
import {
  identityBindingErrorHandler,
  identityBodyCheck,
  identityMiddleware,
  requireCheckedBody,
} from './identity-middleware.js';

export interface SubgraphServerOptions<TContext extends { logger: Logger; identity: Identity }> {
  /** The backend this subgraph fronts, reported by /readyz. */
  backend: string;
  schema: GraphQLSchema;
  host: string;
  port: number;
  logger: Logger;
  /** Builds the per-request context (loaders included): never shared between requests. */
  context(req: Request, res: Response): TContext;
  /**
   * A cheap authenticated backend call, through the shield's circuit breaker: what /readyz checks
   * with when no backend call was seen for `readinessIntervalMs` (backend-readiness.ts).
   */
  ping(call: CallContext): Promise<void>;
  /** The shield's policy for the backend: /readyz reads every call's outcome from it. */
  backendPolicy: Pick<ResiliencePolicy, 'subscribe'>;
  /** READINESS_CHECK_INTERVAL_S, in milliseconds. */
  readinessIntervalMs: number;
  /** The process's registry (shield metrics already in it), served at GET /metrics. */
  metrics: Registry;
  /** Verifies the x-c360-identity headers the gateway signs (lib/forwarding-key.ts). */
  forwardingKey: Uint8Array;
}

/**
 * Representations for a few hundred entities fit easily; the cap only stops a runaway body from
 * being buffered.
 */
const MAX_BODY = '1mb';

export async function startSubgraphServer<TContext extends { logger: Logger; identity: Identity }>(
  options: SubgraphServerOptions<TContext>,
): Promise<RunningServer> {
  const apollo = new ApolloServer<TContext>({
    schema: options.schema,
    plugins: [
      // federation-anchors.md: inline tracing (ftv1) is on by default in subgraphs and costs per request.
      ApolloServerPluginInlineTraceDisabled(),
      // The default landing page loads Apollo Sandbox from a CDN; subgraphs are not browsed.
      ApolloServerPluginLandingPageDisabled(),
      errorLoggingPlugin(),
      // Labelled by the first-party operations' names (the planner names subgraph fetches after them).
      graphqlOperationMetricsPlugin(createGraphqlOperationMetrics(options.metrics, readPublishedOperationNames())),
      // @requiresScopes, checked again here (defense in depth behind the gateway's check).
      subgraphAccessPlugin(options.schema),
    ],
    formatError: formatSubgraphError,
    includeStacktraceInErrorResponses: false,
    // csrfPrevention stays on (the default): the gateway posts application/json, which passes.
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const readiness = backendReadiness({
    backend: options.backend,
    policy: options.backendPolicy,
    ping: options.ping,
    intervalMs: options.readinessIntervalMs,
    logger: options.logger,
  });
  app.get('/readyz', (req, res, next) => {
    readiness.report(correlationIdFrom(req.headers[CORRELATION_ID_HEADER])).then(({ httpStatus, body }) => {
      res.status(httpStatus).set('Cache-Control', 'no-store').json(body);
    }, next);
  });
  app.get('/metrics', metricsHandler(options.metrics));
  // Only what the gateway forwards, with the identity it verified for this subgraph and bound to
  // this very request (401 otherwise): the identity before the body is read, the binding with it.
  const forwarding = { subgraph: options.backend, forwardingKey: options.forwardingKey, logger: options.logger };
  app.post(
    '/graphql',
    identityMiddleware(forwarding),
    express.json({ limit: MAX_BODY, verify: identityBodyCheck(forwarding) }),
    requireCheckedBody(forwarding),
    expressMiddleware(apollo, { context: async ({ req, res }) => options.context(req, res) }),
  );
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use(identityBindingErrorHandler(forwarding));
  // Express's default handler prints stacks outside production; a malformed JSON body is the
  // caller's fault (400), anything else is masked like a GraphQL error.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = httpStatusOf(error);
    if (status >= 500) options.logger.error({ err: error }, 'unhandled HTTP error');
    const code = status < 500 ? 'BAD_REQUEST' : ErrorCode.INTERNAL_SERVER_ERROR;
    const message = status < 500 ? 'Bad request' : 'Internal server error';
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  });

  return listen(app, { host: options.host, port: options.port, onClose: () => apollo.stop() });
}

function httpStatusOf(error: unknown): number {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}
