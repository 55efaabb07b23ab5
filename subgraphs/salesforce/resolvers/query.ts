// Query fields of the Salesforce subgraph. Lookups by key go through the request's loaders, so a
// query asking for the same account twice costs one Salesforce call.
import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { erpKeyArgument } from '../../shared/erp-keys.js';
import { accountFilterArgument, cursorArgument, pageSizeArgument, salesforceIdArgument } from '../arguments.js';

export const queryResolvers: QueryResolvers = {
  account: (_root, { id }, { loaders }) => loaders.accountById.load(salesforceIdArgument('id', id, 'account')),

  accountByErpNumber: (_root, { erpCustomerNumber }, { loaders }) =>
    loaders.accountByErpNumber.load(erpKeyArgument('erpCustomerNumber', erpCustomerNumber)),

  accounts: async (_root, args, { connector, call }) => {
    const first = pageSizeArgument(args.first);
    const after = cursorArgument(args.after);
    const filter = accountFilterArgument(args.filter);
    const page = await connector.listAccounts(
      { first, ...(after !== undefined && { after }), ...(filter !== undefined && { filter }) },
      call,
    );
    return { accounts: page.accounts, hasNextPage: page.hasNextPage, filter };
  },

  quote: (_root, { id }, { loaders }) => loaders.quoteById.load(salesforceIdArgument('id', id, 'quote')),
};
