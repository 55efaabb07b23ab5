// Enforces @requiresScopes (schema/access.ts) on every operation, at the gateway and in each
// subgraph: an Apollo Server plugin (a factory returning hooks, DESIGN.md "Style we follow") that
// refuses, before anything is planned or resolved, an operation selecting a field the caller's role
// may not read. It lives in lib/ because the gateway and the subgraphs both run it and neither may
// import the other; gateway/access-plugin.ts and subgraphs/shared/access-plugin.ts say where each
// gets its rules from.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { forbiddenFields, type AccessPolicy, type SchemaCoordinate } from '../schema/access.js';
import { ErrorCode } from './error-codes.js';
import type { Identity } from './identity.js';

/**
 * One error for the whole operation, naming the role and every field it may not select (in
 * `extensions.fields`, as schema coordinates), with HTTP 403: nothing of the operation runs, so a
 * client learns all it must drop at once rather than one field per attempt.
 */
export function accessDeniedError(role: string | null, fields: readonly SchemaCoordinate[]): GraphQLError {
  const who = role === null ? 'A caller without a verified role' : `The ${role} role`;
  return new GraphQLError(`${who} may not select ${fields.join(', ')} (see "Access:" in the schema documentation).`, {
    extensions: { code: ErrorCode.FORBIDDEN, fields: [...fields], http: { status: 403 } },
  });
}

/**
 * The caller comes from the request's context (`identity`, set from the verified bearer token at
 * the gateway and from the verified forwarded identity in a subgraph). A context without one holds
 * no scopes: every restricted field is refused (fail closed), open ones still run.
 */
export function accessControlPlugin(policy: AccessPolicy): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        // After validation (unknown fields are already refused) and before planning or execution.
        async didResolveOperation({ document, operationName, contextValue }) {
          const identity = (contextValue as { identity?: Identity }).identity ?? null;
          const fields = forbiddenFields(policy, document, operationName, identity?.scopes ?? []);
          if (fields.length > 0) throw accessDeniedError(identity?.role ?? null, fields);
        },
      };
    },
  };
}
