// The subgraphs' error taxonomy (DESIGN.md "Errors"): what a client may see, and what is masked.
// - A backend outage (BackendError.isOutage) becomes SALESFORCE_UNAVAILABLE / ERP_UNAVAILABLE on the
//   path of the field that needed it; graphql-js nulls only that field, so the rest still resolves.
//   A call the shield refused (ShieldRejectedError: circuit open, bulkhead full) is an outage too:
//   to a client, a backend we will not call right now is as unavailable as one that is down.
// - Errors we raise on purpose (GraphQLError with a public code) and Apollo's request-level errors
//   (parse, validation, variable coercion) pass through.
// - Everything else is INTERNAL_SERVER_ERROR with a fixed message: no stack, SOQL or ERP payload
//   reaches a client. The detail is logged with the request's correlation id instead.
// federation-anchors.md: errors from subgraphs pass through @apollo/gateway unmasked, so masking
// has to happen here as well as in the gateway.
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerErrorCode, ApolloServerValidationErrorCode, unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isBackendError, type BackendName } from '../../lib/backend-error.js';
import { ErrorCode } from '../../lib/error-codes.js';
import type { Logger } from '../../lib/logger.js';
import { ShieldRejectedError } from '../../shield/index.js';

const UNAVAILABLE: Record<BackendName, { code: ErrorCode; message: string }> = {
  salesforce: { code: ErrorCode.SALESFORCE_UNAVAILABLE, message: 'Salesforce is unavailable; try again later.' },
  erp: { code: ErrorCode.ERP_UNAVAILABLE, message: 'The ERP is unavailable; try again later.' },
  carrier: { code: ErrorCode.TRACKING_UNAVAILABLE, message: 'Carrier tracking is unavailable; try again later.' },
};

const PASS_THROUGH_CODES = new Set<string>([
  ...Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
  ApolloServerValidationErrorCode.INTROSPECTION_DISABLED,
  ApolloServerValidationErrorCode.MAX_RECURSIVE_SELECTIONS_EXCEEDED,
]);

const MASKED_MESSAGE = 'Internal server error';

type Verdict = { kind: 'outage'; backend: BackendName } | { kind: 'public' } | { kind: 'unexpected' };

function classify(error: unknown, code: unknown): Verdict {
  const original = unwrapResolverError(error);
  if (isBackendError(original) && original.isOutage) return { kind: 'outage', backend: original.backend };
  if (original instanceof GraphQLError && typeof code === 'string' && PASS_THROUGH_CODES.has(code))
    return { kind: 'public' };
  return { kind: 'unexpected' };
}

/** An invalid argument, named in the message and in `extensions.argumentName`. */
export function badUserInput(argumentName: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, argumentName } });
}

/** Apollo Server `formatError`: the only shape errors leave a subgraph in. */
export function formatSubgraphError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
  const where = { locations: formatted.locations, path: formatted.path };
  const verdict = classify(error, extensions.code);
  switch (verdict.kind) {
    case 'outage': {
      const { code, message } = UNAVAILABLE[verdict.backend];
      return { message, ...where, extensions: { code } };
    }
    case 'public':
      return { message: formatted.message, ...where, extensions };
    case 'unexpected':
      return { message: MASKED_MESSAGE, ...where, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  }
}

/** Logs what formatSubgraphError hides, with the request's logger (so with its correlation id). */
export function errorLoggingPlugin(): ApolloServerPlugin<{ logger: Logger }> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const verdict = classify(error, error.extensions['code']);
            const original = unwrapResolverError(error);
            if (original instanceof ShieldRejectedError) {
              // Expected while a circuit is open: its opening was logged once (shield-log.ts), and
              // every refused field of every request would otherwise be a warning of its own.
              contextValue.logger.debug(
                { backend: original.backend, reason: original.reason, path: error.path },
                original.message,
              );
            } else if (verdict.kind === 'outage' && isBackendError(original)) {
              contextValue.logger.warn(
                { backend: original.backend, failure: original.failure, details: original.details, path: error.path },
                `backend unavailable: ${original.message}`,
              );
            } else if (verdict.kind === 'unexpected') {
              contextValue.logger.error(
                { err: original, path: error.path },
                'unexpected error (masked in the response)',
              );
            }
          }
        },
      };
    },
  };
}
