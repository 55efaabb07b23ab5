// What a client may learn from an error. Subgraph errors pass through @apollo/gateway unmasked
// (shared/reference/federation-anchors.md), with a `serviceName` and whatever extensions the
// subgraph added; DESIGN.md ("Errors") allows a small set of codes and no stack, SOQL or ERP payload.
import { ApolloServerErrorCode } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode, isPublicErrorCode } from '../lib/error-codes.js';

export const MASKED_MESSAGE = 'Internal server error';

// Codes Apollo Server gives a malformed *client request* (parse, validation, variables, CSRF,
// persisted queries). They describe the client's own document, so the gateway's versions are safe
// to show; a subgraph answering one of them means the gateway built a bad subgraph request, which
// is our fault and masked like any other internal error.
const REQUEST_ERROR_CODES = new Set<string>([
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_USER_INPUT,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
]);

// Extensions a public error may carry besides `code`; everything else (stacktrace, exception,
// serviceName, response bodies, backend detail) is dropped. `fields` lists the offending fields of
// FIELD_OWNED_BY_OTHER_SYSTEM (DESIGN.md "Systems of record"); `limit`, `max` and `actual` say which
// demand-control limit an operation hit (gateway/demand-control); `unsupported` marks a valid row
// query the ERP cannot run (subgraphs/erp/resolvers/rows.ts), which the OData bridge answers with 501.
const SAFE_EXTENSIONS = ['fields', 'limit', 'max', 'actual', 'unsupported'] as const;

/** Apollo Server `formatError`: keeps public errors (message, path, code, safe extensions), masks the rest. */
export function formatError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const extensions = formatted.extensions ?? {};
  const fromSubgraph = typeof extensions.serviceName === 'string';
  if (!isPublicError(formatted)) {
    return {
      message: MASKED_MESSAGE,
      ...(formatted.path && { path: formatted.path }),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  }
  const safe = Object.fromEntries(
    SAFE_EXTENSIONS.filter((key) => key in extensions).map((key) => [key, extensions[key]]),
  );
  return {
    message: formatted.message,
    // Locations of a subgraph error point into the gateway's subgraph operation, not the client's document.
    ...(!fromSubgraph && formatted.locations && { locations: formatted.locations }),
    ...(formatted.path && { path: formatted.path }),
    extensions: { code: extensions.code, ...safe },
  };
}

/** Whether a client may see this error's message and code; the rest is masked (and worth a log line). */
export function isPublicError(error: Pick<GraphQLFormattedError, 'extensions'>): boolean {
  const code = error.extensions?.code;
  const fromSubgraph = typeof error.extensions?.serviceName === 'string';
  if (code === ErrorCode.INTERNAL_SERVER_ERROR) return false;
  if (fromSubgraph && code === ErrorCode.BAD_USER_INPUT) return isSubgraphArgumentError(error.extensions!);
  return isPublicErrorCode(code) || (!fromSubgraph && typeof code === 'string' && REQUEST_ERROR_CODES.has(code));
}

/**
 * A subgraph's BAD_USER_INPUT is the client's only when the subgraph raised it about an argument
 * (subgraphs/shared/errors.ts badUserInput, the only way our subgraphs emit the code, sets
 * `argumentName`). Without it, it is Apollo Server's variable coercion failing on the operation the
 * gateway built for the subgraph (e.g. `$representations`): our fault, and its message can quote
 * internal values, so it is masked.
 */
function isSubgraphArgumentError(extensions: Record<string, unknown>): boolean {
  return typeof extensions.argumentName === 'string';
}
