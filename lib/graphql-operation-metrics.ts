// graphql_operation_duration_seconds, for the gateway and both subgraphs: a histogram by operation
// name, type and outcome, fed by an Apollo Server plugin (a factory returning hooks). It lives in
// lib/ because the gateway and the subgraphs both serve it and neither may import the other.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Histogram, type Registry } from 'prom-client';

/**
 * Seconds; shared with the shield's backend-call histogram. The ERP emulator answers in ~50 ms, a
 * healthy ERP in tens to hundreds of ms, the timeouts sit at 4-15 s.
 */
export const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15];

export type GraphqlOperationType = 'query' | 'mutation' | 'subscription';

export interface GraphqlOperationLabels {
  /** The document's operation name; null or undefined for anonymous operations. */
  operationName?: string | null;
  operationType?: GraphqlOperationType | null;
  outcome: 'success' | 'error';
}

export interface GraphqlOperationMetrics {
  /** Starts timing one GraphQL operation; call the result when the response is sent. */
  startTimer(): (labels: GraphqlOperationLabels) => void;
  observe(labels: GraphqlOperationLabels, seconds: number): void;
}

/** The label of every operation whose name is not published. */
export const UNPUBLISHED_OPERATION = '(other)';

/**
 * The query planner names the operation it sends a subgraph `<client operation>__<subgraph>__<n>`
 * (@apollo/query-planner buildPlan.ts); a subgraph labels it by the client operation's name.
 */
const SUBGRAPH_FETCH_SUFFIX = /__[_A-Za-z][_0-9A-Za-z]*__\d+$/;

/**
 * Operation names are chosen by clients, so only the published ones (lib/published-operations.ts)
 * get their own series: a first-party operation always keeps its label however many other names
 * are sent, and the metric cannot grow without bound. Every other name is "(other)".
 */
export function createGraphqlOperationMetrics(
  registry: Registry,
  publishedNames: ReadonlySet<string>,
): GraphqlOperationMetrics {
  const histogram = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'Duration of GraphQL operations by operation name, type and outcome, in seconds.',
    labelNames: ['operation_name', 'operation_type', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const nameLabel = (name: string | null | undefined): string => {
    if (!name) return '(anonymous)';
    const clientName = name.replace(SUBGRAPH_FETCH_SUFFIX, '');
    return publishedNames.has(clientName) ? clientName : UNPUBLISHED_OPERATION;
  };
  const observe = (labels: GraphqlOperationLabels, seconds: number) =>
    histogram.observe(
      {
        operation_name: nameLabel(labels.operationName),
        operation_type: labels.operationType ?? 'unknown',
        outcome: labels.outcome,
      },
      seconds,
    );
  return {
    observe,
    startTimer: () => {
      const started = process.hrtime.bigint();
      return (labels) => observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    },
  };
}

/**
 * Times every operation from the request's arrival to its response. The outcome is "error" when
 * the response carries any error, a partial result included (a field whose backend was down): the
 * metric then shows degraded answers, not only failed requests.
 */
export function graphqlOperationMetricsPlugin(metrics: GraphqlOperationMetrics): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      const end = metrics.startTimer();
      return {
        async willSendResponse({ operationName, operation, errors, response }) {
          const body = response.body;
          const failed =
            (errors?.length ?? 0) > 0 ||
            (body.kind === 'single'
              ? (body.singleResult.errors?.length ?? 0) > 0
              : (body.initialResult.errors?.length ?? 0) > 0);
          end({
            operationName: operationName ?? null,
            operationType: operation?.operation ?? null,
            outcome: failed ? 'error' : 'success',
          });
        },
      };
    },
  };
}
