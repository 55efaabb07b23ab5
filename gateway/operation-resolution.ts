// A document and operationName that name no single operation: an unknown name, or several
// operations without a name. Apollo Server leaves such a request to the executor, and
// @apollo/gateway's executor throws on it (an internal error, HTTP 500). It is the client's
// request that is wrong, so it is answered here, first among the plugins, with Apollo Server's own
// code for it and HTTP 400, in graphql-js's words.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError, Kind } from 'graphql';

export function operationResolutionPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (operation) return;
          const operations = document.definitions.filter(
            (definition) => definition.kind === Kind.OPERATION_DEFINITION,
          ).length;
          const message =
            typeof request.operationName === 'string'
              ? `Unknown operation named "${request.operationName}".`
              : operations > 1
                ? 'Must provide operation name if query contains multiple operations.'
                : 'Must provide an operation.';
          throw new GraphQLError(message, {
            extensions: { code: ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE, http: { status: 400 } },
          });
        },
      };
    },
  };
}
