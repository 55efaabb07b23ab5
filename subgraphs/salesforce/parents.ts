// Parent types of the Salesforce subgraph's resolvers that are not plain connector records
// (codegen.yml maps the GraphQL types to them, so resolvers receive exactly these).
import type { AccountListFilter, SfAccountRecord, SfQuoteLineRecord } from '../../connectors/salesforce/types.js';

/** One page of Query.accounts; totalCount is resolved lazily from the filter. */
export interface AccountConnectionParent {
  readonly accounts: readonly SfAccountRecord[];
  readonly hasNextPage: boolean;
  readonly filter: AccountListFilter | undefined;
}

/** A quote line with its quote's currency (QuoteLineItem has none of its own). */
export type QuoteLineParent = SfQuoteLineRecord & { readonly currency: string };
