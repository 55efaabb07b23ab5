// Account (entity, keys `id` and `erpCustomerNumber`). The gateway sends one representation per
// account and @apollo/subgraph calls __resolveReference for each: the loaders turn N representations
// into one Salesforce call per key kind. Child lists are loaded by account id, also batched.
import { normalizeSalesforceId } from '../../../connectors/salesforce/ids.js';
import type { AccountResolvers } from '../__generated__/resolvers-types.js';
import { isErpKey } from '../../shared/erp-keys.js';
import { freshnessResolvers } from '../../shared/freshness.js';
import { KEY_PREFIX } from '../arguments.js';

export const accountResolvers: AccountResolvers = {
  ...freshnessResolvers,
  __resolveReference: (reference, { loaders }) => {
    if ('id' in reference && typeof reference.id === 'string') {
      // Ids come from this subgraph (18 characters) but are re-checked: a representation is input.
      const id = normalizeSalesforceId(reference.id, KEY_PREFIX.account);
      return id === null ? null : loaders.accountById.load(id);
    }
    if ('erpCustomerNumber' in reference && isErpKey(reference.erpCustomerNumber)) {
      return loaders.accountByErpNumber.load(reference.erpCustomerNumber);
    }
    return null;
  },
  owner: (account, _args, { loaders }) => (account.ownerId === null ? null : loaders.userById.load(account.ownerId)),
  contacts: (account, _args, { loaders }) => loaders.contactsByAccountId.load(account.id),
  opportunities: (account, _args, { loaders }) => loaders.opportunitiesByAccountId.load(account.id),
  quotes: (account, _args, { loaders }) => loaders.quotesByAccountId.load(account.id),
  cases: (account, _args, { loaders }) => loaders.casesByAccountId.load(account.id),
};
