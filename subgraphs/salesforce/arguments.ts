// Validation of the Salesforce subgraph's query arguments: a bad value is BAD_USER_INPUT naming the
// argument, and never reaches SOQL.
import type { AccountListFilter } from '../../connectors/salesforce/types.js';
import { normalizeSalesforceId } from '../../connectors/salesforce/ids.js';
import { badUserInput } from '../shared/errors.js';
import type { CustomerScope } from '../shared/partner-scope.js';
import type { AccountFilter, InputMaybe } from './__generated__/resolvers-types.js';
import { decodeAccountCursor } from './cursor.js';

/** Salesforce key prefixes (the first 3 characters of an id name the object type). */
export const KEY_PREFIX = { account: '001', quote: '0Q0' } as const;

const MAX_FILTER_LENGTH = 255;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 200;

export function salesforceIdArgument(argumentName: string, value: string, object: keyof typeof KEY_PREFIX): string {
  const id = normalizeSalesforceId(value, KEY_PREFIX[object]);
  if (id === null) {
    throw badUserInput(
      argumentName,
      `Argument "${argumentName}" is not a valid Salesforce ${object} id (15 or 18 characters, starting with ${KEY_PREFIX[object]}).`,
    );
  }
  return id;
}

export function pageSizeArgument(value: number | null | undefined): number {
  const first = value ?? DEFAULT_PAGE_SIZE;
  if (first < 1 || first > MAX_PAGE_SIZE) {
    throw badUserInput('first', `Argument "first" must be between 1 and ${MAX_PAGE_SIZE}.`);
  }
  return first;
}

export function cursorArgument(value: string | null | undefined) {
  if (value === null || value === undefined) return undefined;
  const position = decodeAccountCursor(value);
  if (position === null) throw badUserInput('after', 'Argument "after" is not a cursor returned by Query.accounts.');
  return position;
}

/**
 * The search text is trimmed (a search box's stray spaces, or a line separator pasted with the
 * text, are never part of a name a user means), and a blank search is no search: every account,
 * as with nameContains left out. Matching `Name LIKE '% %'` instead would return nearly every
 * account by accident (most names hold a space). Industry and type match exactly, as given.
 */
export function accountFilterArgument(filter: InputMaybe<AccountFilter> | undefined): AccountListFilter | undefined {
  if (!filter) return undefined;
  const result: AccountListFilter = {};
  for (const key of ['nameContains', 'industry', 'type'] as const) {
    const given = filter[key];
    if (given === null || given === undefined) continue;
    const value = key === 'nameContains' ? given.trim() : given;
    if (key === 'nameContains' && value === '') continue;
    if (value.length > MAX_FILTER_LENGTH) {
      throw badUserInput('filter', `Argument "filter.${key}" must be at most ${MAX_FILTER_LENGTH} characters.`);
    }
    result[key] = value;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

/** The accounts filter narrowed to a partner's customers (unchanged for every other role). */
export function scopedAccountFilter(
  filter: AccountListFilter | undefined,
  scope: CustomerScope,
): AccountListFilter | undefined {
  if (scope.kind === 'all') return filter;
  return { ...filter, erpCustomerNumbers: scope.customers };
}
