// Opportunity: the record maps field for field except its amount, which is Money.
import type { OpportunityResolvers } from '../__generated__/resolvers-types.js';
import { SALESFORCE_CORPORATE_CURRENCY } from '../config.js';

export const opportunityResolvers: OpportunityResolvers = {
  amount: ({ amount }) => (amount === null ? null : { amount, currency: SALESFORCE_CORPORATE_CURRENCY }),
};
