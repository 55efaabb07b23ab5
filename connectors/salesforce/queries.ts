// Every SOQL statement the connector sends. Field lists are constants; values enter only through
// soql.ts. Child lists are ordered deterministically (ties broken by Id) so the graph is stable.
import type { AccountListFilter, AccountPosition } from './types.js';
import { soqlId, soqlIdList, soqlLikeContains, soqlLimit, soqlString, soqlStringList } from './soql.js';

export const ACCOUNT_FIELDS = [
  'Id',
  'Name',
  'Type',
  'Industry',
  'Phone',
  'Website',
  'OwnerId',
  'ERP_Customer_Id__c',
  'BillingStreet',
  'BillingCity',
  'BillingState',
  'BillingPostalCode',
  'BillingCountry',
  'AnnualRevenue',
  'NumberOfEmployees',
  'Description',
  'CreatedDate',
  'LastModifiedDate',
] as const;

export const USER_FIELDS = ['Id', 'Name', 'Email', 'Title'] as const;

export const CONTACT_FIELDS = ['Id', 'AccountId', 'FirstName', 'LastName', 'Name', 'Title', 'Email', 'Phone'] as const;

export const OPPORTUNITY_FIELDS = [
  'Id',
  'AccountId',
  'Name',
  'StageName',
  'Amount',
  'CloseDate',
  'Probability',
  'IsClosed',
  'IsWon',
  'OwnerId',
] as const;

export const QUOTE_FIELDS = [
  'Id',
  'QuoteNumber',
  'Name',
  'AccountId',
  'OpportunityId',
  'Status',
  'ExpirationDate',
  'CurrencyIsoCode',
  'TotalPrice',
  'GrandTotal',
  'ERP_Order_Number__c',
  'ERP_Sync_Status__c',
  'ERP_Sync_Message__c',
  'ERP_Last_Sync_At__c',
  'LastModifiedDate',
] as const;

/** Product2.* are parent-relationship fields: the ERP item number comes with the line. */
export const QUOTE_LINE_FIELDS = [
  'Id',
  'QuoteId',
  'Product2Id',
  'Product2.ProductCode',
  'Product2.Name',
  'LineNumber',
  'Description',
  'Quantity',
  'UnitPrice',
  'Discount',
  'TotalPrice',
] as const;

export const CASE_FIELDS = [
  'Id',
  'AccountId',
  'ContactId',
  'CaseNumber',
  'Subject',
  'Status',
  'Priority',
  'Origin',
  'IsClosed',
  'CreatedDate',
  'ClosedDate',
] as const;

const select = (fields: readonly string[], from: string) => `SELECT ${fields.join(', ')} FROM ${from}`;

export const accountsByIdsSoql = (ids: readonly string[]) =>
  `${select(ACCOUNT_FIELDS, 'Account')} WHERE Id IN ${soqlIdList(ids)}`;

export const accountsByErpNumbersSoql = (erpNumbers: readonly string[]) =>
  `${select(ACCOUNT_FIELDS, 'Account')} WHERE ERP_Customer_Id__c IN ${soqlStringList(erpNumbers)}`;

export const usersByIdsSoql = (ids: readonly string[]) =>
  `${select(USER_FIELDS, 'User')} WHERE Id IN ${soqlIdList(ids)}`;

export const contactsByAccountIdsSoql = (accountIds: readonly string[]) =>
  `${select(CONTACT_FIELDS, 'Contact')} WHERE AccountId IN ${soqlIdList(accountIds)} ORDER BY LastName, FirstName, Id`;

export const opportunitiesByAccountIdsSoql = (accountIds: readonly string[]) =>
  `${select(OPPORTUNITY_FIELDS, 'Opportunity')} WHERE AccountId IN ${soqlIdList(accountIds)} ORDER BY CloseDate DESC, Id`;

export const quotesByAccountIdsSoql = (accountIds: readonly string[]) =>
  `${select(QUOTE_FIELDS, 'Quote')} WHERE AccountId IN ${soqlIdList(accountIds)} ORDER BY QuoteNumber DESC, Id`;

export const quotesByIdsSoql = (ids: readonly string[]) =>
  `${select(QUOTE_FIELDS, 'Quote')} WHERE Id IN ${soqlIdList(ids)}`;

export const quoteLinesByQuoteIdsSoql = (quoteIds: readonly string[]) =>
  `${select(QUOTE_LINE_FIELDS, 'QuoteLineItem')} WHERE QuoteId IN ${soqlIdList(quoteIds)} ORDER BY LineNumber, Id`;

export const casesByAccountIdsSoql = (accountIds: readonly string[]) =>
  `${select(CASE_FIELDS, 'Case')} WHERE AccountId IN ${soqlIdList(accountIds)} ORDER BY CreatedDate DESC, Id`;

/** The filter's conditions (AND-ed), empty when there is no filter. */
function accountFilterConditions(filter: AccountListFilter | undefined): string[] {
  const conditions: string[] = [];
  if (filter?.nameContains !== undefined && filter.nameContains !== '') {
    conditions.push(`Name LIKE ${soqlLikeContains(filter.nameContains)}`);
  }
  if (filter?.industry !== undefined) conditions.push(`Industry = ${soqlString(filter.industry)}`);
  if (filter?.type !== undefined) conditions.push(`Type = ${soqlString(filter.type)}`);
  // An empty list matches nothing; the connector answers it without a statement (IN () is invalid).
  if (filter?.erpCustomerNumbers !== undefined)
    conditions.push(`ERP_Customer_Id__c IN ${soqlStringList(filter.erpCustomerNumbers)}`);
  return conditions;
}

const where = (conditions: readonly string[]) => (conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '');

/**
 * Keyset paging in (Name, Id) order: rows strictly after `after`, one more than asked so the caller
 * knows whether a next page exists without a second query. `after.id` must be a valid id.
 */
export function listAccountsSoql(args: { first: number; after?: AccountPosition; filter?: AccountListFilter }): string {
  const conditions = accountFilterConditions(args.filter);
  if (args.after) {
    const name = soqlString(args.after.name);
    const id = soqlId(args.after.id);
    conditions.push(`(Name > ${name} OR (Name = ${name} AND Id > ${id}))`);
  }
  return `${select(ACCOUNT_FIELDS, 'Account')}${where(conditions)} ORDER BY Name, Id LIMIT ${soqlLimit(args.first + 1)}`;
}

export const countAccountsSoql = (filter: AccountListFilter | undefined) =>
  `SELECT COUNT() FROM Account${where(accountFilterConditions(filter))}`;
