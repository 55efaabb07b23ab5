// Mutations of the Salesforce subgraph (the work is in ../account-update.ts).
import { updateAccount } from '../account-update.js';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';

export const mutationResolvers: MutationResolvers = {
  updateAccount: (_root, { input }, { accountUpdates, caller, correlationId }) => updateAccount(input, { caller, correlationId }, accountUpdates),
};
