// Mutations of the Salesforce subgraph (the work is in ../account-update.ts).
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../../lib/error-codes.js';
import { updateAccount } from '../account-update.js';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { salesforceIdArgument } from '../arguments.js';

export const mutationResolvers: MutationResolvers = {
  updateAccount: async (_root, { input }, { accountUpdates, caller, correlationId, identity, loaders }) => {
    // Partners may not call updateAccount at all (@requiresScopes, enforced by the access plugins).
    // Behind that, the row scope holds here too: a partner's write to an account outside its scope
    // is refused exactly like a write to an account that does not exist, before anything is written.
    if (identity.partner !== null) {
      const id = salesforceIdArgument('input.id', input.id, 'account');
      if ((await loaders.accountById.load(id)) === null) {
        throw new GraphQLError(`There is no account ${id}.`, { extensions: { code: ErrorCode.NOT_FOUND } });
      }
    }
    return updateAccount(input, { caller, correlationId }, accountUpdates);
  },
};
