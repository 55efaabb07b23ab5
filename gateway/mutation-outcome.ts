// Whether a subgraph request that failed without an answer may still have taken effect. A query that
// gets no answer changed nothing: its fields are simply missing (SALESFORCE_UNAVAILABLE,
// ERP_UNAVAILABLE). A mutation is different once it was sent: the subgraph may have run it (an ERP
// order created) and died, or timed out, before answering. Telling that caller "unavailable, try again
// later" invites a retry with a NEW idempotency key, so such a mutation is answered
// MUTATION_OUTCOME_UNKNOWN instead: retry with the same key, which returns the outcome without doing
// anything twice. Nothing was sent only when the connection was never established; a subgraph's 4xx
// answer (refused before running: identity, parsing) is an answer too.
import { Kind, parse, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../lib/error-codes.js';
import { requestNeverSent } from '../lib/transport-errors.js';
import type { SubgraphName } from './config.js';

const SERVICE: Record<SubgraphName, string> = { salesforce: 'Salesforce service', erp: 'ERP service' };

/** True when `query` (a subgraph request's document) is a mutation. */
function isMutation(query: string | undefined): boolean {
  if (!query) return false;
  try {
    return parse(query).definitions.some(
      (definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.operation === 'mutation',
    );
  } catch {
    return false;
  }
}

/** The HTTP status of a non-2xx subgraph answer (RemoteGraphQLDataSource's errorFromResponse). */
function answeredStatus(error: unknown): number | undefined {
  const status = (error as { extensions?: { response?: { status?: unknown } } } | null)?.extensions?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

/** For a failed subgraph request: the error to answer when its outcome is unknown, else null. */
export function unknownMutationOutcome(
  subgraph: SubgraphName,
  query: string | undefined,
  error: unknown,
): Omit<GraphQLFormattedError, 'path'> | null {
  if (!isMutation(query) || requestNeverSent(error)) return null;
  const status = answeredStatus(error);
  if (status !== undefined && status >= 400 && status < 500) return null;
  return {
    message: `The ${SERVICE[subgraph]} received this mutation but its answer was lost: it may or may not have taken effect. Retry with the same idempotency key to get its outcome; nothing is done twice.`,
    extensions: { code: ErrorCode.MUTATION_OUTCOME_UNKNOWN },
  };
}
