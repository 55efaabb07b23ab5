// An in-memory SalesforceConnector that records every call (tests only).
import type {
  AccountListFilter,
  AccountPage,
  AccountPosition,
  ApiUsage,
  SalesforceConnector,
  SfAccountRecord,
  SfCaseRecord,
  SfContactRecord,
  SfOpportunityRecord,
  SfQuoteLineRecord,
  SfQuoteRecord,
  SfUserRecord,
} from '../../../connectors/salesforce/types.js';
import { normalizeSalesforceId } from '../../../connectors/salesforce/ids.js';
import type { CallContext } from '../../../lib/call-context.js';
import { CallRecorder, groupBy, pick } from './recorder.js';

export interface SalesforceData {
  accounts: SfAccountRecord[];
  users: SfUserRecord[];
  contacts: SfContactRecord[];
  opportunities: SfOpportunityRecord[];
  quotes: SfQuoteRecord[];
  quoteLines: SfQuoteLineRecord[];
  cases: SfCaseRecord[];
}

/** A valid 18-character Salesforce id with the given key prefix and serial number. */
export function sfId(prefix: string, serial: number): string {
  const id = normalizeSalesforceId(`${prefix}${'0'.repeat(12 - String(serial).length)}${serial}`);
  if (id === null) throw new Error(`bad test id ${prefix}/${serial}`);
  return id;
}

export function account(serial: number, overrides: Partial<SfAccountRecord> = {}): SfAccountRecord {
  return {
    id: sfId('001', serial),
    name: `Account ${String(serial).padStart(3, '0')}`,
    type: 'Customer',
    industry: 'Manufacturing',
    phone: null,
    website: null,
    ownerId: sfId('005', 1),
    erpCustomerNumber: `C${String(serial).padStart(5, '0')}`,
    billingAddress: null,
    annualRevenue: null,
    numberOfEmployees: 10,
    description: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.000Z',
    ...overrides,
  };
}

type Method = Exclude<keyof SalesforceConnector, 'apiUsage'>;

function matches(account: SfAccountRecord, filter: AccountListFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.nameContains !== undefined && !account.name.toLowerCase().includes(filter.nameContains.toLowerCase()))
    return false;
  if (filter.industry !== undefined && account.industry !== filter.industry) return false;
  if (filter.type !== undefined && account.type !== filter.type) return false;
  if (filter.erpCustomerNumbers !== undefined && !filter.erpCustomerNumbers.includes(account.erpCustomerNumber ?? ''))
    return false;
  return true;
}

function after(account: SfAccountRecord, position: AccountPosition | undefined): boolean {
  if (!position) return true;
  return account.name > position.name || (account.name === position.name && account.id > position.id);
}

export class FakeSalesforceConnector implements SalesforceConnector {
  readonly recorder = new CallRecorder<Method>();

  constructor(readonly data: SalesforceData) {}

  accountsByIds(ids: readonly string[], ctx: CallContext) {
    return this.recorder.record('accountsByIds', ids, ctx, () =>
      pick(ids, (id) => this.data.accounts.find((a) => a.id === id)),
    );
  }
  accountsByErpNumbers(numbers: readonly string[], ctx: CallContext) {
    return this.recorder.record('accountsByErpNumbers', numbers, ctx, () =>
      pick(numbers, (n) => this.data.accounts.find((a) => a.erpCustomerNumber === n)),
    );
  }
  listAccounts(args: { first: number; after?: AccountPosition; filter?: AccountListFilter }, ctx: CallContext) {
    return this.recorder.record('listAccounts', args, ctx, (): AccountPage => {
      const sorted = this.data.accounts
        .filter((a) => matches(a, args.filter) && after(a, args.after))
        .sort((a, b) => (a.name === b.name ? (a.id < b.id ? -1 : 1) : a.name < b.name ? -1 : 1));
      return { accounts: sorted.slice(0, args.first), hasNextPage: sorted.length > args.first };
    });
  }
  countAccounts(filter: AccountListFilter | undefined, ctx: CallContext) {
    return this.recorder.record(
      'countAccounts',
      filter,
      ctx,
      () => this.data.accounts.filter((a) => matches(a, filter)).length,
    );
  }
  usersByIds(ids: readonly string[], ctx: CallContext) {
    return this.recorder.record('usersByIds', ids, ctx, () =>
      pick(ids, (id) => this.data.users.find((u) => u.id === id)),
    );
  }
  contactsByAccountIds(ids: readonly string[], ctx: CallContext) {
    return this.recorder.record('contactsByAccountIds', ids, ctx, () =>
      groupBy(ids, this.data.contacts, (c) => c.accountId),
    );
  }
  opportunitiesByAccountIds(ids: readonly string[], ctx: CallContext) {
    return this.recorder.record('opportunitiesByAccountIds', ids, ctx, () =>
      groupBy(ids, this.data.opportunities, (o) => o.accountId),
    );
  }
  quotesByAccountIds(ids: readonly string[], ctx: CallContext) {
    return this.recorder.record('quotesByAccountIds', ids, ctx, () =>
      groupBy(ids, this.data.quotes, (q) => q.accountId),
    );
  }
  quotesByIds(ids: readonly string[], ctx: CallContext) {
    return this.recorder.record('quotesByIds', ids, ctx, () =>
      pick(ids, (id) => this.data.quotes.find((q) => q.id === id)),
    );
  }
  quoteLinesByQuoteIds(ids: readonly string[], ctx: CallContext) {
    return this.recorder.record('quoteLinesByQuoteIds', ids, ctx, () =>
      groupBy(ids, this.data.quoteLines, (l) => l.quoteId),
    );
  }
  casesByAccountIds(ids: readonly string[], ctx: CallContext) {
    return this.recorder.record('casesByAccountIds', ids, ctx, () => groupBy(ids, this.data.cases, (c) => c.accountId));
  }
  updateAccount(id: string, update: object, ctx: CallContext) {
    return this.recorder.record('updateAccount', { id, update }, ctx, () => undefined);
  }
  updateQuotesErpSync(updates: readonly object[], ctx: CallContext) {
    return this.recorder.record('updateQuotesErpSync', updates, ctx, () => undefined);
  }
  ping(ctx: CallContext) {
    return this.recorder.record('ping', null, ctx, () => undefined);
  }
  apiUsage(): ApiUsage | null {
    return null;
  }
}
