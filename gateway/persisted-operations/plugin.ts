// Persisted operations at the gateway (issue 5, item 4). Apollo Server runs the protocol itself
// (`persistedQueries` with operation-cache.ts behind it); this plugin adds the policy:
//
// - Callers of the roles in PERSISTED_OPERATIONS_REQUIRED_ROLES (partner by default) may run only
//   the manifest's operations: sent by hash, or as text equal to a manifest document once both are
//   canonicalized (canonical.ts). Anything else is PERSISTED_QUERY_REQUIRED with HTTP 403: the
//   request is well formed and the same document runs for other roles, so it is not a 400; the
//   caller is known (a 401 is for the unauthenticated) but not allowed to run ad-hoc operations,
//   which is what 403 says. Checked once the operation is resolved, before anything runs.
// - The OData bridge's operations (contextValue.origin 'odata', gateway/odata) are built by the
//   gateway itself from a validated OData request, not sent by the caller: exempt.
// - So is introspection (only __schema, __type, __typename at the root): the gateway answers it
//   from its own schema without calling a subgraph, and GRAPHQL_INTROSPECTION decides who gets it
//   (GraphiQL loads its docs with whatever token the tab carries, a partner's included).
// - Apollo Server answers a hash that is not its query's sha256 with a code-less error that the
//   gateway's error masking would turn into INTERNAL_SERVER_ERROR; it is the client's mistake, so
//   it gets BAD_REQUEST (still HTTP 400).
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError, Kind, type OperationDefinitionNode } from 'graphql';
import { ErrorCode } from '../../lib/error-codes.js';
import type { Role } from '../../lib/identity.js';
import type { GatewayContext } from '../context.js';
import type { PersistedManifest } from './manifest.js';

export interface PersistedOperationsPolicy {
  readonly manifest: PersistedManifest;
  /** Roles that may run only manifest operations. */
  readonly requiredRoles: readonly Role[];
}

/** Apollo Server's message when an APQ hash is not the sha256 of the query sent with it (requestPipeline.ts). */
const HASH_MISMATCH_MESSAGE = 'provided sha does not match query';

export function persistedOperationsPlugin(policy: PersistedOperationsPolicy): ApolloServerPlugin<GatewayContext> {
  const requiredRoles = new Set<Role>(policy.requiredRoles);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, queryHash, document, operation }) {
          if (contextValue.origin === 'odata' || isIntrospectionOnly(operation)) return;
          // The identity is verified before any operation runs (gateway/auth); a context without one
          // is held to the manifest too (fail closed).
          const role = contextValue.identity?.role;
          if (role !== undefined && !requiredRoles.has(role)) return;
          // queryHash is the hash the client sent (its text came from the manifest, or was checked
          // against it), or the sha256 of the text it sent.
          if (policy.manifest.has(queryHash)) return;
          if (policy.manifest.containsDocument(document)) return;
          throw new GraphQLError(
            `${role === undefined ? 'A caller without a verified role' : `The ${role} role`} may run only the published operations ` +
              '(the persisted-operation manifest): send one by its sha256 hash.',
            { extensions: { code: ErrorCode.PERSISTED_QUERY_REQUIRED, http: { status: 403 } } },
          );
        },

        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (error.message === HASH_MISMATCH_MESSAGE && error.extensions.code === undefined) {
              error.extensions.code = ApolloServerErrorCode.BAD_REQUEST;
            }
          }
        },
      };
    },
  };
}

function isIntrospectionOnly(operation: OperationDefinitionNode | undefined): boolean {
  return (
    operation !== undefined &&
    operation.operation === 'query' &&
    operation.selectionSet.selections.every(
      (selection) => selection.kind === Kind.FIELD && selection.name.value.startsWith('__'),
    )
  );
}
