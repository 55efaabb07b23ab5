// Masked errors (error-masking.ts) reach the client as INTERNAL_SERVER_ERROR without detail; the
// detail goes to the log instead, with the correlation id the client got, so support can find it.
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '../lib/logger.js';
import type { GatewayContext } from './context.js';
import { isPublicError } from './error-masking.js';

export function errorLoggingPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (isPublicError(error)) continue;
            logger.error(
              {
                correlationId: contextValue.correlationId,
                path: error.path,
                extensions: error.extensions,
                err: error.originalError ?? error,
              },
              `masked error: ${error.message}`,
            );
          }
        },
      };
    },
  };
}
