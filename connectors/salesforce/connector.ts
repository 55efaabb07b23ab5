// The Salesforce system API client: batch reads by key (one SOQL statement per call, chunked only
// above 200 keys), keyset-paged account lists, two writes, readiness ping and API usage. Every call
// runs under one deadline (deadline.ts) and through call.ts (no jsforce retries, correlation id,
// guarded re-authorization); every failure leaves as a BackendError.
import { BackendError } from '../../lib/backend-error.js';
import type { CallContext } from '../../lib/call-context.js';
import type { Logger } from '../../lib/logger.js';
import { requestAccessToken } from './auth.js';
import { SalesforceApiClient, type CallScope, type SfRecord } from './call.js';
import { Deadline } from './deadline.js';
import { toBackendError } from './errors.js';
import { normalizeSalesforceId } from './ids.js';
import { toAccount, toCase, toContact, toOpportunity, toQuote, toQuoteLine, toUser } from './mappers.js';
import type { SalesforceConnectorOptions } from './options.js';
import * as soql from './queries.js';
import { createSession } from './session.js';
import type {
  AccountListFilter,
  AccountUpdate,
  QuoteErpSyncUpdate,
  SalesforceConnector,
  SfAccountRecord,
} from './types.js';

/**
 * Keys per statement. IN lists of 200 18-character ids keep the GET URL near 5 KB, well below the
 * 16 KB URL limit of the REST API; above that, the call issues several statements in parallel.
 */
const MAX_KEYS_PER_STATEMENT = 200;
/** sObject Collections accept at most 200 records per call (reference note). */
const MAX_COLLECTION_RECORDS = 200;
const MAX_PAGE_SIZE = 200;
/**
 * Salesforce text fields (Name, external ids, picklists) hold at most 255 characters: a longer value
 * cannot match, and would only make the query URL longer.
 */
const MAX_TEXT_LENGTH = 255;

/** Domain field → Account API name: the only fields updateAccount can write. */
const ACCOUNT_UPDATE_FIELDS: Record<keyof AccountUpdate, string> = {
  name: 'Name',
  type: 'Type',
  industry: 'Industry',
  phone: 'Phone',
  website: 'Website',
  description: 'Description',
  numberOfEmployees: 'NumberOfEmployees',
};

const KEY_PREFIX = { account: '001', quote: '0Q0' } as const;

function invalidArgument(operation: string, message: string): BackendError {
  return new BackendError('salesforce', 'rejected', `Salesforce ${operation}: ${message}`, {
    operation,
    backendCode: 'INVALID_ARGUMENT',
  });
}

function checkFilter(filter: AccountListFilter | undefined, operation: string): void {
  const { erpCustomerNumbers, ...text } = filter ?? {};
  for (const [name, value] of Object.entries(text)) {
    if (value !== undefined && (typeof value !== 'string' || value.length > MAX_TEXT_LENGTH)) {
      throw invalidArgument(operation, `filter.${name} must be a string of at most ${MAX_TEXT_LENGTH} characters`);
    }
  }
  if (
    erpCustomerNumbers !== undefined &&
    !erpCustomerNumbers.every((n) => typeof n === 'string' && n !== '' && n.length <= MAX_TEXT_LENGTH)
  ) {
    throw invalidArgument(
      operation,
      `filter.erpCustomerNumbers must hold non-empty strings of at most ${MAX_TEXT_LENGTH} characters`,
    );
  }
}

/**
 * The filter once per statement: a customer-number list longer than one statement takes is split
 * (after dropping numbers equal but for case: Salesforce compares text case-insensitively, so they
 * match the same accounts and would be counted twice). null when the list is empty: no rows, no call.
 */
function filterPerStatement(filter: AccountListFilter | undefined): Array<AccountListFilter | undefined> | null {
  const numbers = filter?.erpCustomerNumbers;
  if (numbers === undefined) return [filter];
  if (numbers.length === 0) return null;
  const distinct = [...new Map(numbers.map((n) => [n.toLowerCase(), n] as const)).values()];
  return chunk(distinct, MAX_KEYS_PER_STATEMENT).map((part) => ({ ...filter, erpCustomerNumbers: part }));
}

/**
 * ORDER BY Name, Id as Salesforce sorts (case-insensitively; ids on their 18-character form), to
 * merge the pages of a split list. Exact for names whose case-insensitive order is their code-point
 * order; Salesforce's collation may order some accented names differently.
 */
function byNameThenId(a: SfAccountRecord, b: SfAccountRecord): number {
  const nameA = a.name.toLowerCase();
  const nameB = b.name.toLowerCase();
  if (nameA !== nameB) return nameA < nameB ? -1 : 1;
  return a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function byKey<T>(items: readonly T[], key: (item: T) => string | null): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    if (k !== null) map.set(k, item);
  }
  return map;
}

export function createSalesforceConnector(options: SalesforceConnectorOptions, logger: Logger): SalesforceConnector {
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) {
    throw new RangeError(`SalesforceConnectorOptions.timeoutMs must be a positive number, got ${options.timeoutMs}`);
  }
  const log = logger.child({ component: 'salesforce-connector' });
  const session = createSession({
    obtain: (correlationId) =>
      requestAccessToken({
        loginUrl: options.loginUrl,
        auth: options.auth,
        timeoutMs: options.timeoutMs,
        correlationId,
      }),
    onToken: (token) => client.useToken(token),
    logger: log,
  });
  const client = new SalesforceApiClient({ apiVersion: options.apiVersion, session, logger: log });

  async function run<T>(operation: string, ctx: CallContext, work: (scope: CallScope) => Promise<T>): Promise<T> {
    const deadline = new Deadline(options.timeoutMs, operation, ctx.signal);
    try {
      return await work({ operation, correlationId: ctx.correlationId, deadline });
    } catch (error) {
      throw toBackendError(error, undefined, operation);
    } finally {
      deadline.dispose();
    }
  }

  /** Valid, de-duplicated 18-character ids. A malformed id has no record: it never reaches SOQL. */
  function validIds(ids: readonly string[], operation: string): string[] {
    const unique = new Set<string>();
    let malformed = 0;
    for (const id of ids) {
      const id18 = typeof id === 'string' ? normalizeSalesforceId(id) : null;
      if (id18 === null) malformed += 1;
      else unique.add(id18);
    }
    if (malformed > 0) log.warn({ operation, malformed }, 'Malformed Salesforce ids ignored');
    return [...unique];
  }

  /** One statement per ≤200 keys, run in parallel under the call's deadline. */
  async function queryByKeys(
    keys: readonly string[],
    statement: (keys: readonly string[]) => string,
    scope: CallScope,
  ): Promise<SfRecord[]> {
    if (keys.length === 0) return [];
    const pages = await Promise.all(
      chunk(keys, MAX_KEYS_PER_STATEMENT).map((part) => client.query(statement(part), scope)),
    );
    return pages.flat();
  }

  function childrenByParent<T extends { accountId: string | null }>(
    operation: string,
    statement: (keys: readonly string[]) => string,
    map: (record: SfRecord) => T,
  ) {
    return (accountIds: readonly string[], ctx: CallContext) =>
      run(operation, ctx, async (scope) => {
        const records = (await queryByKeys(validIds(accountIds, operation), statement, scope)).map(map);
        return groupBy(records, (record) => record.accountId ?? '');
      });
  }

  return {
    accountsByIds: (ids, ctx) =>
      run('accountsByIds', ctx, async (scope) => {
        const records = await queryByKeys(validIds(ids, scope.operation), soql.accountsByIdsSoql, scope);
        return byKey(records.map(toAccount), (account) => account.id);
      }),

    accountsByErpNumbers: (erpNumbers, ctx) =>
      run('accountsByErpNumbers', ctx, async (scope) => {
        const keys = [
          ...new Set(erpNumbers.filter((n) => typeof n === 'string' && n !== '' && n.length <= MAX_TEXT_LENGTH)),
        ];
        const accounts = (await queryByKeys(keys, soql.accountsByErpNumbersSoql, scope)).map(toAccount);
        // Salesforce compares text case-insensitively: answer under the key as the caller gave it.
        const byNumber = byKey(accounts, (account) => account.erpCustomerNumber?.toLowerCase() ?? null);
        const found = new Map<string, SfAccountRecord>();
        for (const key of keys) {
          const account = byNumber.get(key.toLowerCase());
          if (account) found.set(key, account);
        }
        return found;
      }),

    listAccounts: (args, ctx) =>
      run('listAccounts', ctx, async (scope) => {
        if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_PAGE_SIZE) {
          throw invalidArgument(scope.operation, `first must be an integer in 1..${MAX_PAGE_SIZE}, got ${args.first}`);
        }
        checkFilter(args.filter, scope.operation);
        const filters = filterPerStatement(args.filter);
        if (filters === null) return { accounts: [], hasNextPage: false };
        // One statement, or (a long customer-number list) one per part, each the first first+1 rows
        // after the cursor: the first first+1 of their union are among them.
        const pages = await Promise.all(
          filters.map((filter) => client.query(soql.listAccountsSoql({ ...args, ...(filter && { filter }) }), scope)),
        );
        const records = pages.length === 1 ? pages[0]!.map(toAccount) : pages.flat().map(toAccount).sort(byNameThenId);
        return { accounts: records.slice(0, args.first), hasNextPage: records.length > args.first };
      }),

    countAccounts: (filter, ctx) =>
      run('countAccounts', ctx, async (scope) => {
        checkFilter(filter, scope.operation);
        const filters = filterPerStatement(filter);
        if (filters === null) return 0;
        // The parts hold distinct customer numbers: no account is counted twice.
        const counts = await Promise.all(filters.map((part) => client.count(soql.countAccountsSoql(part), scope)));
        return counts.reduce((sum, count) => sum + count, 0);
      }),

    usersByIds: (ids, ctx) =>
      run('usersByIds', ctx, async (scope) => {
        const records = await queryByKeys(validIds(ids, scope.operation), soql.usersByIdsSoql, scope);
        return byKey(records.map(toUser), (user) => user.id);
      }),

    contactsByAccountIds: childrenByParent('contactsByAccountIds', soql.contactsByAccountIdsSoql, toContact),
    opportunitiesByAccountIds: childrenByParent(
      'opportunitiesByAccountIds',
      soql.opportunitiesByAccountIdsSoql,
      toOpportunity,
    ),
    quotesByAccountIds: childrenByParent('quotesByAccountIds', soql.quotesByAccountIdsSoql, toQuote),
    casesByAccountIds: childrenByParent('casesByAccountIds', soql.casesByAccountIdsSoql, toCase),

    quotesByIds: (ids, ctx) =>
      run('quotesByIds', ctx, async (scope) => {
        const records = await queryByKeys(validIds(ids, scope.operation), soql.quotesByIdsSoql, scope);
        return byKey(records.map(toQuote), (quote) => quote.id);
      }),

    quoteLinesByQuoteIds: (quoteIds, ctx) =>
      run('quoteLinesByQuoteIds', ctx, async (scope) => {
        const records = await queryByKeys(validIds(quoteIds, scope.operation), soql.quoteLinesByQuoteIdsSoql, scope);
        return groupBy(records.map(toQuoteLine), (line) => line.quoteId);
      }),

    updateAccount: (id, update, ctx) =>
      run('updateAccount', ctx, async (scope) => {
        const id18 = normalizeSalesforceId(id, KEY_PREFIX.account);
        if (id18 === null) throw invalidArgument(scope.operation, 'not an Account id');
        const body: Record<string, unknown> = {};
        for (const [field, value] of Object.entries(update)) {
          const apiName = ACCOUNT_UPDATE_FIELDS[field as keyof AccountUpdate];
          if (apiName === undefined) throw invalidArgument(scope.operation, `field ${field} is not writable`);
          if (value !== undefined) body[apiName] = value;
        }
        if (Object.keys(body).length === 0) return;
        // A write: sent once. Only a 401 (refused before it ran) is retried, after re-authorizing.
        await client.send(
          {
            method: 'PATCH',
            url: `${client.versionPath}/sobjects/Account/${id18}`,
            body: JSON.stringify(body),
            headers: { 'Content-Type': 'application/json' },
          },
          scope,
        );
      }),

    updateQuotesErpSync: (updates: readonly QuoteErpSyncUpdate[], ctx) =>
      run('updateQuotesErpSync', ctx, async (scope) => {
        if (updates.length === 0) return;
        if (updates.length > MAX_COLLECTION_RECORDS) {
          throw invalidArgument(scope.operation, `at most ${MAX_COLLECTION_RECORDS} quotes per call`);
        }
        const seen = new Set<string>();
        const records = updates.map((update) => {
          const id = normalizeSalesforceId(update.quoteId, KEY_PREFIX.quote);
          if (id === null) throw invalidArgument(scope.operation, 'not a Quote id');
          if (seen.has(id)) throw invalidArgument(scope.operation, `quote ${id} given twice`);
          seen.add(id);
          return {
            attributes: { type: 'Quote' },
            id,
            ERP_Order_Number__c: update.erpOrderNumber,
            ERP_Sync_Status__c: update.erpSyncStatus,
            ERP_Sync_Message__c: update.erpSyncMessage,
            ERP_Last_Sync_At__c: update.erpLastSyncAt,
          };
        });
        // allOrNone: either every quote carries the ERP outcome or none does. Sent once, never retried
        // (except after a 401, which Salesforce answers before running anything).
        const results = await client.send<unknown>(
          {
            method: 'PATCH',
            url: `${client.versionPath}/composite/sobjects`,
            body: JSON.stringify({ allOrNone: true, records }),
            headers: { 'Content-Type': 'application/json' },
          },
          scope,
        );
        checkSaveResults(results, records.length, scope.operation);
      }),

    ping: (ctx) =>
      run('ping', ctx, async (scope) => {
        await client.send({ method: 'GET', url: `${client.versionPath}/limits` }, scope);
      }),

    apiUsage: () => client.apiUsage(),
  };
}

interface SaveResult {
  id?: string | null;
  success: boolean;
  errors: { statusCode?: string; message?: string; fields?: string[] }[];
}

/** sObject Collections answer 200 with one SaveResult per record, in request order. */
function checkSaveResults(results: unknown, expected: number, operation: string): void {
  if (!Array.isArray(results) || results.length !== expected || !results.every(isSaveResult)) {
    throw new BackendError(
      'salesforce',
      'invalid_response',
      `Salesforce ${operation}: unexpected collection response`,
      {
        operation,
      },
    );
  }
  const failed = results.filter((result) => !result.success);
  if (failed.length === 0) return;
  const errors = failed.flatMap((result) => result.errors);
  // With allOrNone the records that were fine report ALL_OR_NONE_OPERATION_ROLLED_BACK: name the cause.
  const cause = errors.find((e) => e.statusCode !== 'ALL_OR_NONE_OPERATION_ROLLED_BACK') ?? errors[0];
  const summary = failed
    .map((r) => `${r.id ?? '?'}: ${r.errors.map((e) => `${e.statusCode ?? '?'} ${e.message ?? ''}`).join('; ')}`)
    .join(' | ');
  throw new BackendError('salesforce', 'rejected', `Salesforce ${operation} rolled back: ${summary}`, {
    operation,
    ...(cause?.statusCode ? { backendCode: cause.statusCode } : {}),
  });
}

function isSaveResult(value: unknown): value is SaveResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SaveResult).success === 'boolean' &&
    (Array.isArray((value as SaveResult).errors) || (value as SaveResult).success)
  );
}
