// The Salesforce system API as the subgraph sees it: domain records (camelCase, decimals as strings)
// read and written in batches by key. Nothing GraphQL here; jsforce and SOQL stay behind it.
import type { CallContext } from '../../lib/call-context.js';

/** A decimal amount as a string ("1234.50"): money is never a float past the connector. */
export type Decimal = string;

export interface Address {
  street: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
}

export interface SfAccountRecord {
  /** 18-character id. */
  id: string;
  name: string;
  type: string | null;
  industry: string | null;
  phone: string | null;
  website: string | null;
  ownerId: string | null;
  /** Account.ERP_Customer_Id__c: the ERP customer number (external id, mirrored from the ERP). */
  erpCustomerNumber: string | null;
  /** Read-only mirror of the ERP's billing address. */
  billingAddress: Address | null;
  annualRevenue: Decimal | null;
  numberOfEmployees: number | null;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SfUserRecord {
  id: string;
  name: string;
  email: string | null;
  title: string | null;
}

export interface SfContactRecord {
  id: string;
  accountId: string;
  firstName: string | null;
  lastName: string;
  name: string;
  title: string | null;
  email: string | null;
  phone: string | null;
}

export interface SfOpportunityRecord {
  id: string;
  accountId: string;
  name: string;
  stage: string;
  amount: Decimal | null;
  closeDate: string;
  probability: number | null;
  isClosed: boolean;
  isWon: boolean;
  ownerId: string | null;
}

export interface SfQuoteRecord {
  id: string;
  number: string;
  name: string;
  accountId: string | null;
  opportunityId: string | null;
  status: string;
  expirationDate: string | null;
  currency: string;
  totalPrice: Decimal;
  grandTotal: Decimal;
  erpOrderNumber: string | null;
  erpSyncStatus: string | null;
  erpSyncMessage: string | null;
  erpLastSyncAt: string | null;
  updatedAt: string;
}

export interface SfQuoteLineRecord {
  id: string;
  quoteId: string;
  productId: string;
  /** Product2.ProductCode: the ERP item number. */
  productCode: string | null;
  productName: string | null;
  lineNumber: string;
  description: string | null;
  quantity: number;
  unitPrice: Decimal;
  /** Percent, e.g. 5 for 5 %. */
  discount: number | null;
  totalPrice: Decimal;
}

export interface SfCaseRecord {
  id: string;
  accountId: string;
  contactId: string | null;
  number: string;
  subject: string;
  status: string;
  priority: string;
  origin: string | null;
  isClosed: boolean;
  createdAt: string;
  closedAt: string | null;
}

export interface AccountListFilter {
  /** Case-insensitive substring of the account name. */
  nameContains?: string;
  industry?: string;
  type?: string;
  /**
   * Only accounts whose ERP customer number (ERP_Customer_Id__c) is one of these: a partner's row
   * scope (subgraphs/shared/partner-scope.ts), pushed into the query so paging and counts see only
   * those rows. Empty: no account at all, answered without a call.
   */
  erpCustomerNumbers?: readonly string[];
}

/** Keyset position for paging accounts in (Name, Id) order. */
export interface AccountPosition {
  name: string;
  id: string;
}

export interface AccountPage {
  accounts: SfAccountRecord[];
  hasNextPage: boolean;
}

/** Salesforce-owned account fields the graph may write (DESIGN.md ownership matrix). */
export interface AccountUpdate {
  name?: string;
  type?: string | null;
  industry?: string | null;
  phone?: string | null;
  website?: string | null;
  description?: string | null;
  numberOfEmployees?: number | null;
}

/** The ERP write-back on a quote (quote-to-order issue). */
export interface QuoteErpSyncUpdate {
  quoteId: string;
  erpOrderNumber: string | null;
  erpSyncStatus: string;
  erpSyncMessage: string | null;
  erpLastSyncAt: string;
}

export interface ApiUsage {
  used: number;
  limit: number;
}

/**
 * Every read is batch-shaped: many keys in, one SOQL statement (or one collections call) out, a map
 * keyed by the 18-character id (or the given key) back. Keys with no record are absent from the map.
 * Ids passed in must already be valid (see ids.ts); the connector still re-validates before they
 * reach SOQL. Failures are thrown as BackendError (lib/backend-error.ts).
 */
export interface SalesforceConnector {
  accountsByIds(ids: readonly string[], ctx: CallContext): Promise<Map<string, SfAccountRecord>>;
  accountsByErpNumbers(erpNumbers: readonly string[], ctx: CallContext): Promise<Map<string, SfAccountRecord>>;
  /** Accounts in (Name, Id) order after `after`, at most `first` (1..200). */
  listAccounts(
    args: { first: number; after?: AccountPosition; filter?: AccountListFilter },
    ctx: CallContext,
  ): Promise<AccountPage>;
  countAccounts(filter: AccountListFilter | undefined, ctx: CallContext): Promise<number>;
  usersByIds(ids: readonly string[], ctx: CallContext): Promise<Map<string, SfUserRecord>>;
  contactsByAccountIds(accountIds: readonly string[], ctx: CallContext): Promise<Map<string, SfContactRecord[]>>;
  opportunitiesByAccountIds(
    accountIds: readonly string[],
    ctx: CallContext,
  ): Promise<Map<string, SfOpportunityRecord[]>>;
  quotesByAccountIds(accountIds: readonly string[], ctx: CallContext): Promise<Map<string, SfQuoteRecord[]>>;
  quotesByIds(ids: readonly string[], ctx: CallContext): Promise<Map<string, SfQuoteRecord>>;
  quoteLinesByQuoteIds(quoteIds: readonly string[], ctx: CallContext): Promise<Map<string, SfQuoteLineRecord[]>>;
  casesByAccountIds(accountIds: readonly string[], ctx: CallContext): Promise<Map<string, SfCaseRecord[]>>;
  /** Writes only the given Salesforce-owned fields; ownership is checked by the caller. */
  updateAccount(id: string, update: AccountUpdate, ctx: CallContext): Promise<void>;
  /** One collections call (allOrNone) for every quote given. */
  updateQuotesErpSync(updates: readonly QuoteErpSyncUpdate[], ctx: CallContext): Promise<void>;
  /** Cheap authenticated call for readiness checks. */
  ping(ctx: CallContext): Promise<void>;
  /** The last Sforce-Limit-Info seen, if any. */
  apiUsage(): ApiUsage | null;
}
