// Query.accounts' connection. totalCount is a separate Salesforce call (COUNT()), made only when the
// field is selected.
import type { AccountConnectionResolvers } from '../__generated__/resolvers-types.js';
import { encodeAccountCursor } from '../cursor.js';

export const accountConnectionResolvers: AccountConnectionResolvers = {
  edges: ({ accounts }) => accounts.map((account) => ({ cursor: encodeAccountCursor(account), node: account })),
  nodes: ({ accounts }) => [...accounts],
  pageInfo: ({ accounts, hasNextPage }) => {
    const last = accounts.at(-1);
    return { hasNextPage, endCursor: last === undefined ? null : encodeAccountCursor(last) };
  },
  // An empty partner scope counts nothing, without a call.
  totalCount: ({ filter }, _args, { connector, call }) =>
    filter?.erpCustomerNumbers?.length === 0 ? 0 : connector.countAccounts(filter, call),
};
