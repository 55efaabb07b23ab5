// Strings in a request's variables must be Unicode text. GraphQL's String is a sequence of Unicode
// scalar values, and graphql-js's lexer refuses a lone UTF-16 surrogate written in a document; JSON
// variables, though, may carry one ("\ud800"), and graphql-js's coercion lets it through. A
// connector then cannot percent-encode it into a backend URL (encodeURIComponent throws): the ERP
// answered ERP_UNAVAILABLE and the failure counted towards its circuit breaker, so a few such
// requests could open the breaker for everyone. It is the client's mistake: 400 BAD_USER_INPUT,
// naming the variable, before anything is planned.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../lib/error-codes.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The first variable holding a string that is not well-formed UTF-16, or null. Iterative: variables may nest deep. */
function variableWithLoneSurrogate(variables: Readonly<Record<string, unknown>>): string | null {
  for (const [name, root] of Object.entries(variables)) {
    const pending: unknown[] = [root];
    while (pending.length > 0) {
      const value = pending.pop();
      if (typeof value === 'string') {
        if (LONE_SURROGATE.test(value)) return name;
      } else if (Array.isArray(value)) {
        // Not pending.push(...value): a spread of a few hundred thousand items overflows the stack.
        for (const item of value) pending.push(item);
      } else if (typeof value === 'object' && value !== null) {
        for (const [key, item] of Object.entries(value)) {
          if (LONE_SURROGATE.test(key)) return name;
          pending.push(item);
        }
      }
    }
  }
  return null;
}

export function variableTextPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request }) {
          const name = variableWithLoneSurrogate(request.variables ?? {});
          if (name === null) return;
          throw new GraphQLError(
            `Variable "$${name}" holds a string that is not Unicode text (a lone UTF-16 surrogate).`,
            {
              extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
            },
          );
        },
      };
    },
  };
}
