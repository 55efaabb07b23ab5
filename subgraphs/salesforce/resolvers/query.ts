// Query fields of the Salesforce subgraph. Lookups by key go through the request's loaders, so a
// query asking for the same account twice costs one Salesforce call; the loaders apply a partner's
// row scope (../loaders.ts), Query.accounts pushes it into its query.
import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { erpKeyArgument } from '../../shared/erp-keys.js';
import { customerScopeOf, visibleOnly } from '../../shared/partner-scope.js';
import {
  accountFilterArgument,
  cursorArgument,
  pageSizeArgument,
  salesforceIdArgument,
  scopedAccountFilter,
} from '../arguments.js';

export const queryResolvers: QueryResolvers = {
  account: (_root, { id }, { loaders }) => loaders.accountById.load(salesforceIdArgument('id', id, 'account')),

  accountByErpNumber: (_root, { erpCustomerNumber }, { loaders }) =>
    loaders.accountByErpNumber.load(erpKeyArgument('erpCustomerNumber', erpCustomerNumber)),

  accounts: async (_root, args, { connector, call, identity }) => {
    const first = pageSizeArgument(args.first);
    const after = cursorArgument(args.after);
    // A partner's scope is part of the filter, so the page, the cursor and totalCount see only its
    // accounts (an empty scope: no rows and no Salesforce call, here or in totalCount).
    const filter = scopedAccountFilter(accountFilterArgument(args.filter), customerScopeOf(identity));
    if (filter?.erpCustomerNumbers?.length === 0) return { accounts: [], hasNextPage: false, filter };
    const page = await connector.listAccounts(
      { first, ...(after !== undefined && { after }), ...(filter !== undefined && { filter }) },
      call,
    );
    // Salesforce matches the numbers case-insensitively; the scope is exact.
    return {
      accounts: visibleOnly(identity, page.accounts, (account) => account.erpCustomerNumber),
      hasNextPage: page.hasNextPage,
      filter,
    };
  },

  quote: (_root, { id }, { loaders }) => loaders.quoteById.load(salesforceIdArgument('id', id, 'quote')),
};
