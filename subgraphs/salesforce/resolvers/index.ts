// All resolvers of the Salesforce subgraph, typed with the generated Resolvers so a parent or return
// type that drifts from the SDL or the connector records fails the typecheck.
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { accountConnectionResolvers } from './account-connection.js';
import { accountResolvers } from './account.js';
import { mutationResolvers } from './mutation.js';
import { opportunityResolvers } from './opportunity.js';
import { queryResolvers } from './query.js';
import { quoteLineResolvers, quoteResolvers } from './quote.js';

export const resolvers: Resolvers = {
  Query: queryResolvers,
  Mutation: mutationResolvers,
  Account: accountResolvers,
  AccountConnection: accountConnectionResolvers,
  Opportunity: opportunityResolvers,
  Quote: quoteResolvers,
  QuoteLine: quoteLineResolvers,
};
