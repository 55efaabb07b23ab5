// Shared setup of the Salesforce emulator tests: a small hand-made org whose values exercise SOQL
// edge cases (nulls, quotes, %, case), a synthetic bulk org for paging and index performance, and
// an in-process emulator on port 0 with jsforce connections pointed at it.
import jsforce from 'jsforce';
import { listen, type EmulatorServer } from '../../emulators/common/listen.js';
import type { TrafficStats } from '../../emulators/common/traffic.js';
import {
  createSalesforceEmulator,
  type SalesforceEmulator,
  type SalesforceEmulatorOptions,
} from '../../emulators/salesforce/app.js';
import { KEY_PREFIXES, makeIdFactory } from '../../emulators/seed/salesforce-id.js';
import type { SalesforceDataset } from '../../emulators/seed/types.js';

// jsforce honours http(s)_proxy and ignores NO_PROXY: loopback must go direct.
for (const name of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY']) delete process.env[name];

export const API_VERSION = '62.0';
/** The emulated "now" of the fixture org: date literals are relative to it. */
export const NOW = new Date('2025-01-15T12:00:00.000Z');

const ids = Object.fromEntries(
  Object.entries(KEY_PREFIXES).map(([name, prefix]) => [name, makeIdFactory(prefix, 'fx0')]),
) as Record<keyof typeof KEY_PREFIXES, ReturnType<typeof makeIdFactory>>;

const stamp = (day: string) => ({ CreatedDate: `${day}T08:00:00.000Z`, LastModifiedDate: `${day}T09:30:00.000Z` });

function user(first: string, last: string, username: string, active = true) {
  return {
    Id: ids.User.next(),
    ...stamp('2023-01-01'),
    Name: `${first} ${last}`,
    FirstName: first,
    LastName: last,
    Username: username,
    Email: username,
    Title: null,
    IsActive: active,
  };
}

/** The hand-made org; ids are fresh per call so each test file owns its copy. */
export function fixtureDataset() {
  const integration = user('Integration', 'User', 'integration@customer360.example');
  const sara = user('Sara', 'Sales', 'sara@customer360.example');
  const retired = user('Old', 'Timer', 'old@customer360.example', false);

  const account = (
    Name: string,
    extra: Partial<Record<string, unknown>> & { OwnerId: string },
    day = '2024-01-10',
  ) => ({
    Id: ids.Account.next(),
    ...stamp(day),
    Name,
    Type: null,
    Industry: null,
    Phone: null,
    Website: null,
    ERP_Customer_Id__c: null,
    BillingStreet: null,
    BillingCity: null,
    BillingState: null,
    BillingPostalCode: null,
    BillingCountry: null,
    AnnualRevenue: null,
    NumberOfEmployees: null,
    Description: null,
    ...extra,
  });
  const acme = account('Acme Corp', {
    Type: 'Customer - Direct',
    Industry: 'Machinery',
    Phone: '555-0100',
    OwnerId: sara.Id,
    ERP_Customer_Id__c: 'C00001',
    AnnualRevenue: 5_000_000,
    NumberOfEmployees: 250,
    BillingCity: 'Springfield',
  });
  const beta = account(
    'Beta Industries',
    {
      Type: 'Customer - Channel',
      Industry: 'Electronics',
      OwnerId: integration.Id,
      ERP_Customer_Id__c: 'C00002',
      AnnualRevenue: 1_200_000,
      NumberOfEmployees: 40,
      BillingCity: 'Shelbyville',
    },
    '2024-03-05',
  );
  const gamma = account('Gamma Gears', { Type: 'Prospect', OwnerId: sara.Id, NumberOfEmployees: 12 }, '2024-12-20');
  const delta = account(
    'delta dynamics',
    {
      Type: 'Customer - Direct',
      Industry: 'Machinery',
      OwnerId: retired.Id,
      ERP_Customer_Id__c: 'C00004',
      AnnualRevenue: 800_000,
    },
    '2025-01-14',
  );
  const obrien = account("O'Brien Tools", {
    Type: 'Other',
    Industry: 'Automotive',
    OwnerId: integration.Id,
    ERP_Customer_Id__c: 'C00005',
    AnnualRevenue: 3_000_000,
    NumberOfEmployees: 75,
  });
  const epsilon = account('Epsilon 100% Steel_Works', {
    Type: 'Customer - Direct',
    Industry: 'Chemicals',
    OwnerId: sara.Id,
    ERP_Customer_Id__c: 'C00006',
    AnnualRevenue: 2_500_000,
    NumberOfEmployees: 500,
  });

  const contact = (acc: { Id: string }, FirstName: string, LastName: string, Email: string | null) => ({
    Id: ids.Contact.next(),
    ...stamp('2024-02-01'),
    AccountId: acc.Id,
    FirstName,
    LastName,
    Name: `${FirstName} ${LastName}`,
    Title: null,
    Email,
    Phone: null,
  });
  const ann = contact(acme, 'Ann', 'Archer', 'ann@acme.example');
  const contacts = [
    ann,
    contact(acme, 'Bob', 'Baker', null),
    contact(acme, 'Cid', 'Carter', 'cid@acme.example'),
    contact(beta, 'Dana', 'Diaz', 'dana@beta.example'),
    contact(delta, 'Eve', 'Evans', 'eve@delta.example'),
    contact(delta, 'Finn', 'Fox', 'finn@delta.example'),
    contact(obrien, 'Gus', "O'Hara", 'gus@obrien.example'),
  ];

  const opportunity = (
    acc: { Id: string; OwnerId: string },
    Name: string,
    StageName: string,
    Amount: number | null,
    CloseDate: string,
  ) => ({
    Id: ids.Opportunity.next(),
    ...stamp('2024-05-01'),
    AccountId: acc.Id,
    Name,
    StageName,
    Amount,
    CloseDate,
    Probability: StageName === 'Closed Won' ? 100 : 10,
    IsClosed: StageName.startsWith('Closed'),
    IsWon: StageName === 'Closed Won',
    OwnerId: acc.OwnerId,
  });
  const acmeDeal = opportunity(acme, 'Acme pumps', 'Closed Won', 50_000, '2025-01-15');
  const opportunities = [
    acmeDeal,
    opportunity(acme, 'Acme retrofit', 'Prospecting', null, '2025-01-10'),
    opportunity(beta, 'Beta bearings', 'Negotiation/Review', 12_500.5, '2024-12-01'),
  ];

  const product = (Name: string, ProductCode: string) => ({
    Id: ids.Product2.next(),
    ...stamp('2023-06-01'),
    Name,
    ProductCode,
    Family: 'Hydraulics',
    IsActive: true,
    QuantityUnitOfMeasure: 'Each',
    Description: null,
  });
  const pump = product('Hydraulic Pump', '1000-A');
  const bearing = product('Bearing', '2000-B');

  const quote = (
    acc: { Id: string },
    opp: { Id: string } | null,
    Name: string,
    number: string,
    erp: string | null,
    totals: [number, number],
  ) => ({
    Id: ids.Quote.next(),
    ...stamp('2024-06-01'),
    Name,
    QuoteNumber: number,
    AccountId: acc.Id,
    OpportunityId: opp?.Id ?? null,
    Status: 'Draft',
    ExpirationDate: '2025-02-01',
    CurrencyIsoCode: 'USD',
    TotalPrice: totals[0],
    GrandTotal: totals[1],
    ERP_Order_Number__c: erp,
    ERP_Sync_Status__c: erp ? 'Accepted' : 'Not Submitted',
    ERP_Sync_Message__c: null,
    ERP_Last_Sync_At__c: erp ? '2024-06-02T10:00:00.000Z' : null,
  });
  const acmeQuote = quote(acme, acmeDeal, 'Acme Q1', '00000001', 'SO-1', [245, 260]);
  const quotes = [
    acmeQuote,
    quote(beta, opportunities[2]!, 'Beta Q1', '00000002', 'SO-2', [0, 0]),
    quote(acme, null, 'Acme Q2', '00000003', null, [0, 0]),
  ];

  const line = (
    q: { Id: string },
    p: { Id: string },
    n: string,
    Quantity: number,
    UnitPrice: number,
    Discount: number | null,
    TotalPrice: number,
  ) => ({
    Id: ids.QuoteLineItem.next(),
    ...stamp('2024-06-01'),
    QuoteId: q.Id,
    Product2Id: p.Id,
    LineNumber: n,
    Description: null,
    Quantity,
    UnitPrice,
    Discount,
    TotalPrice,
  });
  const lines = [
    line(acmeQuote, pump, '00000001', 2, 100, null, 200),
    line(acmeQuote, bearing, '00000002', 10, 5, 10, 45),
  ];

  const kase = (
    acc: { Id: string },
    contactId: string | null,
    n: string,
    Subject: string,
    Status: string,
    Priority: string,
  ) => ({
    Id: ids.Case.next(),
    ...stamp('2024-11-01'),
    AccountId: acc.Id,
    ContactId: contactId,
    CaseNumber: n,
    Subject,
    Description: null,
    Status,
    Priority,
    Origin: 'Email',
    IsClosed: Status === 'Closed',
    ClosedDate: Status === 'Closed' ? '2024-11-05T10:00:00.000Z' : null,
  });
  const cases = [
    kase(acme, ann.Id, '00001001', 'Pump leaking', 'New', 'High'),
    kase(acme, null, '00001002', 'Invoice question', 'Closed', 'Low'),
    kase(beta, null, '00001003', 'Bearing noise', 'Working', 'Medium'),
  ];

  const dataset: SalesforceDataset = {
    organizationId: ids.Organization.next(),
    integrationUserId: integration.Id,
    User: [integration, sara, retired],
    Account: [acme, beta, gamma, delta, obrien, epsilon],
    Contact: contacts,
    Opportunity: opportunities,
    Product2: [pump, bearing],
    Quote: quotes,
    QuoteLineItem: lines,
    Case: cases,
  };
  return {
    dataset,
    users: { integration, sara, retired },
    accounts: { acme, beta, gamma, delta, obrien, epsilon },
    contacts,
    opportunities,
    products: { pump, bearing },
    quotes,
    lines,
    cases,
  };
}

/**
 * A synthetic org of `accounts` accounts with `contactsPerAccount` contacts each, built without the
 * faker-based generator so that 10,000 accounts take milliseconds.
 */
export function bulkDataset(accounts: number, contactsPerAccount: number): SalesforceDataset {
  const f = Object.fromEntries(
    Object.entries(KEY_PREFIXES).map(([name, prefix]) => [name, makeIdFactory(prefix, 'bk0')]),
  ) as typeof ids;
  const owner = user('Bulk', 'Owner', 'bulk@customer360.example');
  owner.Id = f.User.next();
  const accountRows: SalesforceDataset['Account'] = [];
  const contactRows: SalesforceDataset['Contact'] = [];
  for (let i = 1; i <= accounts; i++) {
    const id = f.Account.next();
    accountRows.push({
      Id: id,
      ...stamp('2024-01-01'),
      Name: `Account ${String(i).padStart(6, '0')}`,
      Type: 'Customer - Direct',
      Industry: i % 2 ? 'Machinery' : 'Electronics',
      Phone: null,
      Website: null,
      OwnerId: owner.Id,
      ERP_Customer_Id__c: `C${String(i).padStart(6, '0')}`,
      BillingStreet: null,
      BillingCity: null,
      BillingState: null,
      BillingPostalCode: null,
      BillingCountry: null,
      AnnualRevenue: i * 1000,
      NumberOfEmployees: i,
      Description: null,
    });
    for (let k = 1; k <= contactsPerAccount; k++) {
      contactRows.push({
        Id: f.Contact.next(),
        ...stamp('2024-01-02'),
        AccountId: id,
        FirstName: 'C',
        LastName: `${i}-${k}`,
        Name: `C ${i}-${k}`,
        Title: null,
        Email: null,
        Phone: null,
      });
    }
  }
  return {
    organizationId: f.Organization.next(),
    integrationUserId: owner.Id,
    User: [owner],
    Account: accountRows,
    Contact: contactRows,
    Opportunity: [],
    Product2: [],
    Quote: [],
    QuoteLineItem: [],
    Case: [],
  };
}

export interface RunningFixture {
  readonly url: string;
  readonly emulator: SalesforceEmulator;
  /** Errors the emulator answered with 500 UNKNOWN_EXCEPTION (bugs): tests expect none. */
  readonly unexpected: unknown[];
  /** A jsforce connection with a fresh session (no refresh: a 401 surfaces as an error). */
  connection(): jsforce.Connection;
  stats(): Promise<TrafficStats>;
  close(): Promise<void>;
}

export async function startEmulator(options: SalesforceEmulatorOptions): Promise<RunningFixture> {
  const unexpected: unknown[] = [];
  const emulator = createSalesforceEmulator({ onError: (err) => unexpected.push(err), ...options });
  const server: EmulatorServer = await listen(emulator.app, { host: '127.0.0.1', port: 0 });
  return {
    url: server.url,
    emulator,
    unexpected,
    connection: () => {
      const token = emulator.issueToken(server.url);
      return new jsforce.Connection({
        instanceUrl: token.instance_url,
        accessToken: token.access_token,
        version: API_VERSION,
      });
    },
    stats: async () => (await (await fetch(`${server.url}/__emulator/stats`)).json()) as TrafficStats,
    close: async () => {
      emulator.close();
      await server.close();
    },
  };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(
  promise: PromiseLike<unknown>,
): Promise<{ errorCode?: string; message: string; name?: string; data?: unknown }> {
  try {
    await promise;
  } catch (err) {
    return err as { errorCode?: string; message: string };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
