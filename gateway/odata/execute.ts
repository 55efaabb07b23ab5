// Running the row query through the gateway's own Apollo Server (issue 6: "each OData request becomes
// a GraphQL operation executed by the gateway, with the caller's identity"), so access rules, demand
// control, the subgraphs' row scoping, caching and ERP shielding apply exactly as for /graphql; and
// the graph's error codes as OData statuses. The errors have been through the gateway's formatError
// already (masked, public codes only).
import type { ApolloServer } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../../lib/error-codes.js';
import type { GatewayContext } from '../context.js';
import { OdataError, OdataErrorCode } from './errors.js';
import type { RowQueryRequest } from './row-query.js';

export interface GraphqlResult {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly GraphQLFormattedError[];
}

/** Executes one operation for one caller; a fake in unit tests, Apollo Server in the gateway. */
export type GraphqlExecutor = (request: RowQueryRequest, context: GatewayContext) => Promise<GraphqlResult>;

export function apolloExecutor(apollo: ApolloServer<GatewayContext>): GraphqlExecutor {
  return async (request, contextValue) => {
    const response = await apollo.executeOperation(request, { contextValue });
    if (response.body.kind !== 'single')
      throw new Error('the OData bridge sent an operation that answered incrementally');
    return response.body.singleResult;
  };
}

export interface RowPage {
  readonly totalCount: number | null;
  readonly nodes: readonly unknown[];
}

// Codes of operations the graph refused before running them, with the status each means here. The
// demand-control limits can only be hit by a large $top or a deep $skip / $skiptoken (a row query
// costs 1 per skipped row; the bridge builds small, flat operations).
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.COST_LIMIT_EXCEEDED]: 400,
  [ErrorCode.DEPTH_LIMIT_EXCEEDED]: 400,
  [ErrorCode.ERP_UNAVAILABLE]: 503,
  [ErrorCode.SALESFORCE_UNAVAILABLE]: 503,
};
// Most telling first, when several errors come back.
const PRECEDENCE = [
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.FORBIDDEN,
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.COST_LIMIT_EXCEEDED,
  ErrorCode.DEPTH_LIMIT_EXCEEDED,
  ErrorCode.NOT_FOUND,
  ErrorCode.ERP_UNAVAILABLE,
  ErrorCode.SALESFORCE_UNAVAILABLE,
];

/**
 * A FORBIDDEN on one field below a row (a property the graph hides from this caller that the bridge's
 * own view did not leave out) leaves that value null and the rest of the page good: the same answer
 * as a property left out. Every other error fails the request: a page with silently missing values
 * would be shown in Salesforce as if complete.
 */
function isFieldLevelForbidden(error: GraphQLFormattedError): boolean {
  return error.extensions?.code === ErrorCode.FORBIDDEN && (error.path?.length ?? 0) > 3 && error.path?.[1] === 'nodes';
}

/** The page of a row query, or the OData error its GraphQL errors mean. */
export function pageOf(
  result: GraphqlResult,
  correlationId: string,
): { page: RowPage; ignored: readonly GraphQLFormattedError[] } {
  const errors = result.errors ?? [];
  const blocking = errors.filter((error) => !isFieldLevelForbidden(error));
  const rows = result.data?.rows as { totalCount?: number | null; nodes?: unknown[] | null } | null | undefined;
  if (blocking.length > 0 || !rows) throw errorFor(blocking, correlationId);
  return { page: { totalCount: rows.totalCount ?? null, nodes: rows.nodes ?? [] }, ignored: errors };
}

export function errorFor(errors: readonly GraphQLFormattedError[], correlationId: string): OdataError {
  const codes = errors.map((error) => String(error.extensions?.code ?? ''));
  const code = PRECEDENCE.find((candidate) => codes.includes(candidate));
  if (code) {
    const error = errors.find((candidate) => candidate.extensions?.code === code)!;
    // Valid OData the ERP cannot run (subgraphs/erp/resolvers/rows.ts marks it): 501, not 400.
    if (code === ErrorCode.BAD_USER_INPUT && error.extensions?.unsupported === true) {
      return new OdataError(501, OdataErrorCode.NOT_IMPLEMENTED, error.message);
    }
    const status = STATUS_BY_CODE[code]!;
    const message = error.message;
    return new OdataError(
      status,
      code,
      status >= 500 ? `${message} (correlation id ${correlationId})` : message,
      undefined,
      status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {},
    );
  }
  // Anything else is the bridge's own fault (an operation the graph refused: validation, a persisted
  // operation rule) or an unexpected failure, already masked by the gateway; logged by the router.
  return new OdataError(
    500,
    OdataErrorCode.INTERNAL_SERVER_ERROR,
    `Internal server error (correlation id ${correlationId}).`,
  );
}
