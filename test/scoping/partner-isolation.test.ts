// PARTNER ISOLATION (decision 0013): a randomized set of queries with partner tokens never
// returns another partner's data. One in-process stack (emulators, subgraphs, gateway); the demo
// dataset is regenerated here from the same seed (emulators/seed) to know which customer numbers,
// account ids, names, order, invoice and shipment numbers belong to whom.
//
// The queries are drawn from a seeded generator: direct (account, accountByErpNumber, order,
// accounts with filters and paging to the end), by entity reference (Order.account, Shipment.order,
// Invoice.order, Order.shipments, and back to Account), nested, and aliased (several aliases mixing
// own, foreign and missing keys in one operation). They run through the gateway with partner tokens,
// and at the subgraph level (`_entities` with forwarded partner identities: what a caller with
// the forwarding key could ask directly); the persisted-operation manifest's operations run by hash
// with own, foreign and missing keys too. Every response is checked: no string of another customer
// anywhere (customer numbers, account ids in both spellings, account names, order, invoice and
// shipment numbers, quote ids); foreign and missing keys null alike with no error, own keys present;
// Query.accounts paging to exactly the partner's matching accounts, with a totalCount to match; the
// manifest's operations partners may not run (credit internals, quotes) refused, never answered.
//
// The seed is printed; rerun one with PARTNER_ISOLATION_SEED=<seed>.
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeSalesforceId } from '../../connectors/salesforce/ids.js';
import { generateDataset, type Dataset } from '../../emulators/seed/index.js';
import { forwardingKeySource, loadForwardingKey } from '../../lib/forwarding-key.js';
import { startStack, type InProcessStack } from '../../stack/in-process.js';
import { forwardedIdentityHeaders, testIdentity } from '../support/identity.js';

const MANIFEST = new URL('../../clients/__generated__/persisted-documents.json', import.meta.url);
const SEED_ACCOUNTS = 40;
const DATA_SEED = 42;
const SEED = Number(process.env['PARTNER_ISOLATION_SEED'] ?? randomInt(1, 2 ** 31 - 1));
/** Generated operations per partner, through the gateway and at the subgraph level each. */
const OPERATIONS_PER_PARTNER = 10;

// mulberry32: small, seedable, good enough to pick test cases.
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const chance = (p: number) => next() < p;
  const sample = <T>(items: readonly T[], n: number): T[] => [...items].sort(() => next() - 0.5).slice(0, n);
  return { int, pick, chance, sample };
}
type Random = ReturnType<typeof generator>;

// ---------------------------------------------------------------- who owns what (the seed data)

interface Customer {
  readonly number: string;
  readonly accountId: string;
  readonly name: string;
  readonly industry: string | null;
  readonly type: string | null;
  readonly orders: string[];
  readonly invoices: string[];
  readonly shipments: string[];
  readonly quotes: string[];
}

function customersOf(dataset: Dataset): Map<string, Customer> {
  const customers = new Map<string, Customer>();
  for (const a of dataset.salesforce.Account) {
    customers.set(a.ERP_Customer_Id__c!, {
      number: a.ERP_Customer_Id__c!,
      accountId: a.Id,
      name: a.Name,
      industry: a.Industry,
      type: a.Type,
      orders: [],
      invoices: [],
      shipments: [],
      quotes: [],
    });
  }
  const of = (number: string) => customers.get(number) ?? fail(`no account for customer ${number}`);
  for (const o of dataset.erp.salesOrders) of(o.customerNumber).orders.push(o.number);
  for (const i of dataset.erp.salesInvoices) of(i.customerNumber).invoices.push(i.number);
  for (const s of dataset.erp.salesShipments) of(s.customerNumber).shipments.push(s.number);
  const byAccountId = new Map([...customers.values()].map((c) => [c.accountId, c] as const));
  for (const q of dataset.salesforce.Quote) if (q.AccountId) byAccountId.get(q.AccountId)?.quotes.push(q.Id);
  return customers;
}

function fail(message: string): never {
  throw new Error(message);
}

interface Partner {
  readonly id: string;
  readonly scope: ReadonlySet<string>;
  /** Token claims: dev partners take their customers from DEV_PARTNERS. */
  readonly claims: { role: 'partner'; partnerId: string; customers?: string[] };
}

/** Every string that would give away a customer outside the scope. */
function foreignStrings(customers: Map<string, Customer>, scope: ReadonlySet<string>): Set<string> {
  const foreign = new Set<string>();
  for (const c of customers.values()) {
    if (scope.has(c.number)) continue;
    for (const value of [
      c.number,
      c.accountId,
      c.accountId.slice(0, 15),
      c.name,
      ...c.orders,
      ...c.invoices,
      ...c.shipments,
      ...c.quotes,
    ])
      foreign.add(value);
  }
  return foreign;
}

function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) (out.push(k), stringsIn(v, out));
  return out;
}

// ---------------------------------------------------------------- the generated operations

/** Selections a partner may make (no credit internals, no Salesforce-only types). */
const SF_ACCOUNT = ['id', 'name', 'erpCustomerNumber', 'industry', 'type', 'asOf'];
const ERP_ACCOUNT = [
  'credit { onHold currency paymentTerms { code } }',
  'billingAddress { city country }',
  'openInvoices { number customerNumber orderNumber order { number customerNumber account { id name } } }',
  'orders { number customerNumber status shipments { number customerNumber trackingNumber order { number } } account { id erpCustomerNumber } }',
  'shipments { number customerNumber orderNumber order { number customerNumber shipments { number } account { name } } }',
];
const ORDER = [
  'number',
  'customerNumber',
  'status total { amount currency }',
  'lines { itemNumber product { number name } }',
  'shipments { number customerNumber order { number account { id name erpCustomerNumber } } }',
  `account { ${SF_ACCOUNT.join(' ')} openInvoices { number order { number } } orders { number } }`,
];

function accountSelection(random: Random): string {
  const fields = [
    'id',
    'erpCustomerNumber',
    ...random.sample(SF_ACCOUNT, random.int(1, SF_ACCOUNT.length)),
    ...random.sample(ERP_ACCOUNT, random.int(0, 3)),
  ];
  return [...new Set(fields)].join(' ');
}
function orderSelection(random: Random): string {
  return [...new Set(['number', 'customerNumber', ...random.sample(ORDER, random.int(1, 4))])].join(' ');
}

/** Keys nobody has (C99999, in P-RANDOM's scope, is a number in scope that nobody has either). */
const MISSING_ACCOUNT_ID = normalizeSalesforceId('001zz0000000999') ?? fail('bad test id');
const MISSING_CUSTOMER = 'C99998';
const MISSING_QUOTE_ID = normalizeSalesforceId('0Q0zz0000000999') ?? fail('bad test id');

/** A key the partner owns, one it does not, or one nobody has. */
type Ownership = 'own' | 'foreign' | 'missing';

interface Probe {
  readonly alias: string;
  /** null expected unless own. */
  readonly ownership: Ownership;
}

interface Operation {
  readonly label: string;
  readonly query: string;
  readonly probes: Probe[];
}

class Keys {
  constructor(
    private readonly customers: Map<string, Customer>,
    private readonly partner: Partner,
    private readonly random: Random,
  ) {}
  private customer(ownership: 'own' | 'foreign'): Customer {
    const candidates = [...this.customers.values()].filter(
      (c) => this.partner.scope.has(c.number) === (ownership === 'own'),
    );
    return this.random.pick(candidates);
  }
  ownership(): Ownership {
    const r = this.random.int(0, 9);
    return r < 4 ? 'own' : r < 9 ? 'foreign' : 'missing';
  }
  accountId(ownership: Ownership): string {
    if (ownership === 'missing') return MISSING_ACCOUNT_ID;
    const id = this.customer(ownership).accountId;
    return this.random.chance(0.25) ? id.slice(0, 15) : id;
  }
  customerNumber(ownership: Ownership): string {
    return ownership === 'missing' ? MISSING_CUSTOMER : this.customer(ownership).number;
  }
  quoteId(ownership: Exclude<Ownership, 'own'>): string {
    if (ownership === 'missing') return MISSING_QUOTE_ID;
    for (;;) {
      const quotes = this.customer(ownership).quotes;
      if (quotes.length > 0) return this.random.pick(quotes);
    }
  }
  orderNumber(ownership: Ownership): string {
    if (ownership === 'missing') return 'SO-999999';
    for (;;) {
      const orders = this.customer(ownership).orders;
      if (orders.length > 0) return this.random.pick(orders);
    }
  }
}

function generateOperation(random: Random, keys: Keys, index: number): Operation {
  const probes: Probe[] = [];
  const fields: string[] = [];
  const kinds = random.pick([
    ['account'],
    ['accountByErpNumber'],
    ['order'],
    ['account', 'accountByErpNumber', 'order'],
  ] as const);
  const aliases = random.int(1, 6);
  for (let i = 0; i < aliases; i++) {
    const kind = random.pick(kinds);
    const ownership = keys.ownership();
    const alias = `${kind}${i}`;
    probes.push({ alias, ownership });
    if (kind === 'account')
      fields.push(`${alias}: account(id: "${keys.accountId(ownership)}") { ${accountSelection(random)} }`);
    if (kind === 'accountByErpNumber') {
      fields.push(
        `${alias}: accountByErpNumber(erpCustomerNumber: "${keys.customerNumber(ownership)}") { ${accountSelection(random)} }`,
      );
    }
    if (kind === 'order')
      fields.push(`${alias}: order(number: "${keys.orderNumber(ownership)}") { ${orderSelection(random)} }`);
  }
  return {
    label: `op ${index} (${kinds.join('+')}, ${aliases} aliases)`,
    query: `query PartnerIsolation${index} {\n  ${fields.join('\n  ')}\n}`,
    probes,
  };
}

// ---------------------------------------------------------------- the checks

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

function checkIsolation(body: GraphQLBody, foreign: ReadonlySet<string>, context: string): void {
  const leaked = stringsIn(body).filter((s) => foreign.has(s));
  expect(leaked, `${context}: another customer's data in the response (seed ${SEED})`).toEqual([]);
}

// ---------------------------------------------------------------- the run

let stack: InProcessStack;
let customers: Map<string, Customer>;
let partners: Partner[];
let forwardingKey: Uint8Array;

beforeAll(async () => {
  console.log(`partner isolation: PARTNER_ISOLATION_SEED=${SEED}`);
  const random = generator(SEED);
  // Partners may run only the persisted-operation manifest's operations (gateway/persisted-
  // operations); the generated operations are not in it, so this stack lets every role send any
  // operation. What is under test is the row scope, behind that restriction; the manifest's own
  // operations are run by hash below as well.
  stack = await startStack({
    seedAccounts: SEED_ACCOUNTS,
    seed: DATA_SEED,
    gatewayEnv: { PERSISTED_OPERATIONS_REQUIRED_ROLES: 'none' },
  });
  customers = customersOf(generateDataset({ accounts: SEED_ACCOUNTS, seed: DATA_SEED }));
  forwardingKey = await loadForwardingKey(forwardingKeySource(undefined, stack.dataDir));
  const numbers = [...customers.keys()];
  const range = (from: number, to: number) => numbers.slice(from - 1, to);
  const randomScope = random.sample(numbers, random.int(1, 6));
  partners = [
    // The demo partners (gateway/auth/dev-partners.ts): their tokens carry DEV_PARTNERS' customers.
    { id: 'P-NORTHWIND', scope: new Set(range(1, 10)), claims: { role: 'partner', partnerId: 'P-NORTHWIND' } },
    { id: 'P-CONTOSO', scope: new Set(range(11, 20)), claims: { role: 'partner', partnerId: 'P-CONTOSO' } },
    // A partner of the generator's choosing, with a customer number nobody has.
    {
      id: 'P-RANDOM',
      scope: new Set([...randomScope, 'C99999']),
      claims: { role: 'partner', partnerId: 'P-RANDOM', customers: [...randomScope, 'C99999'] },
    },
  ];
}, 120_000);
afterAll(() => stack?.close());

const tokens = new Map<string, Promise<string>>();
function tokenOf(partner: Partner): Promise<string> {
  if (!tokens.has(partner.id)) tokens.set(partner.id, stack.token(partner.claims));
  return tokens.get(partner.id)!;
}

async function gateway(
  partner: Partner,
  query: string | { sha256: string },
  variables: Record<string, unknown> = {},
  { refusalAllowed = false } = {},
): Promise<GraphQLBody> {
  const token = await tokenOf(partner);
  const operation =
    typeof query === 'string'
      ? { query }
      : { extensions: { persistedQuery: { version: 1, sha256Hash: query.sha256 } } };
  const response = await fetch(`${stack.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ ...operation, variables }),
  });
  const body = (await response.json()) as GraphQLBody;
  // A refused operation (access rules: 403 FORBIDDEN) is an answer too, where the caller expects one.
  if (!(refusalAllowed && response.status === 403)) {
    expect(
      response.status,
      `${JSON.stringify(body.errors)} for ${JSON.stringify({ query, variables })} (seed ${SEED})`,
    ).toBe(200);
  }
  return body;
}

async function subgraph(
  url: string,
  partner: Partner,
  query: string,
  variables: Record<string, unknown>,
): Promise<GraphQLBody> {
  const identity = testIdentity('partner', { id: partner.id, customers: [...partner.scope] });
  const payload = JSON.stringify({ query, variables });
  const request = {
    subgraph: url === stack.erpSubgraphUrl ? ('erp' as const) : ('salesforce' as const),
    body: payload,
  };
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(await forwardedIdentityHeaders(request, identity, forwardingKey)),
    },
    body: payload,
  });
  const body = (await response.json()) as GraphQLBody;
  expect(
    response.status,
    `${JSON.stringify(body.errors)} for ${JSON.stringify({ query, variables })} (seed ${SEED})`,
  ).toBe(200);
  return body;
}

describe('partner isolation through the gateway', () => {
  it('direct, nested, aliased and by-reference queries never return another partner’s data', async () => {
    let ownSeen = 0;
    for (const [p, partner] of partners.entries()) {
      const random = generator(SEED + 1 + p);
      const keys = new Keys(customers, partner, random);
      const foreign = foreignStrings(customers, partner.scope);
      for (let i = 0; i < OPERATIONS_PER_PARTNER; i++) {
        const operation = generateOperation(random, keys, i);
        const context = `${partner.id} ${operation.label}\n${operation.query}`;
        const body = await gateway(partner, operation.query);
        checkIsolation(body, foreign, context);
        expect(body.errors, `${context} (seed ${SEED})`).toBeUndefined();
        for (const probe of operation.probes) {
          const value = body.data?.[probe.alias];
          if (probe.ownership === 'own') {
            expect(value, `${context}: ${probe.alias} is the partner's own (seed ${SEED})`).not.toBeNull();
            ownSeen++;
          } else {
            // Foreign and missing alike: nothing to tell them apart by.
            expect(value, `${context}: ${probe.alias} (${probe.ownership}) (seed ${SEED})`).toBeNull();
          }
        }
      }
    }
    expect(ownSeen).toBeGreaterThan(0);
  });

  it('Query.accounts pages to exactly the partner’s matching accounts, totalCount included', async () => {
    const accountsQuery = (
      selection: string,
    ) => `query PartnerAccounts($first: Int, $after: String, $filter: AccountFilter) {
      accounts(first: $first, after: $after, filter: $filter) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { ${selection} } }
      }
    }`;
    const all = [...customers.values()];
    for (const [p, partner] of partners.entries()) {
      const random = generator(SEED + 100 + p);
      const foreign = foreignStrings(customers, partner.scope);
      for (let round = 0; round < 4; round++) {
        const some = random.pick(all);
        const filter = random.pick([
          undefined,
          { nameContains: some.name.slice(random.int(0, 2), random.int(3, 5)).toLowerCase() },
          { industry: some.industry },
          { type: some.type },
          { nameContains: 'e', type: some.type },
        ]);
        const expected = all
          .filter((c) => partner.scope.has(c.number))
          .filter((c) => !filter?.nameContains || c.name.toLowerCase().includes(filter.nameContains))
          .filter((c) => !filter?.industry || c.industry?.toLowerCase() === filter.industry.toLowerCase())
          .filter((c) => !filter?.type || c.type?.toLowerCase() === filter.type.toLowerCase())
          .sort((a, b) =>
            a.name.toLowerCase() < b.name.toLowerCase()
              ? -1
              : a.name.toLowerCase() > b.name.toLowerCase()
                ? 1
                : a.accountId < b.accountId
                  ? -1
                  : 1,
          )
          .map((c) => c.accountId);
        const first = random.int(1, 7);
        const query = accountsQuery(accountSelection(random));
        const context = `${partner.id} accounts(first: ${first}, filter: ${JSON.stringify(filter)})`;
        const seen: string[] = [];
        let after: string | null = null;
        for (let page = 0; page < 50; page++) {
          const body = await gateway(partner, query, { first, after, filter });
          checkIsolation(body, foreign, context);
          expect(body.errors, `${context} (seed ${SEED})`).toBeUndefined();
          const connection = body.data!['accounts'] as {
            totalCount: number;
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
            edges: Array<{ node: { id: string } }>;
          };
          expect(connection.totalCount, `${context} (seed ${SEED})`).toBe(expected.length);
          seen.push(...connection.edges.map((e) => e.node.id));
          if (!connection.pageInfo.hasNextPage) break;
          after = connection.pageInfo.endCursor;
        }
        expect(seen, `${context} (seed ${SEED})`).toEqual(expected);
      }
    }
  });

  it('the persisted-operation manifest’s operations, by hash, with own, foreign and missing keys', async () => {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;
    // Partners may read these; the others hold fields partners may not (access errors expected) or
    // are the quote mutations, sent here with foreign and missing quotes only.
    const PARTNER_OPERATIONS = new Set(['ConsolePartnerAccount360', 'PartnerView', 'ConsoleSearchAccounts']);
    let runs = 0;
    for (const [p, partner] of partners.entries()) {
      const random = generator(SEED + 300 + p);
      const keys = new Keys(customers, partner, random);
      const foreign = foreignStrings(customers, partner.scope);
      for (const [hash, document] of Object.entries(manifest)) {
        const name = /^(?:query|mutation) (\w+)/.exec(document)?.[1] ?? fail(`no operation name in ${hash}`);
        const declared = /^[^{]*\(([^)]*)\)/.exec(document)?.[1] ?? '';
        for (let round = 0; round < 3; round++) {
          const ownership = name.includes('Quote') ? random.pick(['foreign', 'missing'] as const) : keys.ownership();
          const variables: Record<string, unknown> = {};
          if (declared.includes('$id:')) variables['id'] = keys.accountId(ownership);
          if (declared.includes('$erp:')) variables['erp'] = keys.customerNumber(ownership);
          if (declared.includes('$quoteId:'))
            variables['quoteId'] = keys.quoteId(ownership === 'own' ? 'foreign' : ownership);
          if (declared.includes('$idempotencyKey:')) variables['idempotencyKey'] = `isolation-${SEED}-${p}-${runs}`;
          if (declared.includes('$nameContains:'))
            variables['nameContains'] = random.pick([...customers.values()]).name.slice(0, random.int(1, 3));
          if (declared.includes('$first:')) variables['first'] = random.int(1, 50);
          const context = `${partner.id} ${name} ${JSON.stringify(variables)}`;
          const body = await gateway(partner, { sha256: hash.replace(/^sha256:/, '') }, variables, {
            refusalAllowed: !PARTNER_OPERATIONS.has(name),
          });
          runs++;
          checkIsolation(body, foreign, context);
          if (name === 'ConsolePartnerAccount360' || name === 'PartnerView') {
            expect(body.errors, `${context} (seed ${SEED})`).toBeUndefined();
            const account = body.data?.[name === 'PartnerView' ? 'accountByErpNumber' : 'account'];
            expect(account === null, `${context} (seed ${SEED})`).toBe(ownership !== 'own');
          } else if (PARTNER_OPERATIONS.has(name)) {
            expect(body.errors, `${context} (seed ${SEED})`).toBeUndefined();
          } else if (name.includes('Quote')) {
            // Refused (FORBIDDEN by the access rules, NOT_FOUND by the row scope): never data.
            expect(
              body.errors?.map((e) => e.extensions?.['code']),
              `${context} (seed ${SEED})`,
            ).not.toEqual([]);
            expect(
              Object.values(body.data ?? {}).filter((v) => v !== null),
              `${context} (seed ${SEED})`,
            ).toEqual([]);
          }
        }
      }
    }
    expect(runs).toBeGreaterThan(0);
  });
});

describe('partner isolation at the subgraph level (entity references, as a caller with the forwarding key)', () => {
  it('Account and Order representations mixing own, foreign and missing keys resolve only the partner’s', async () => {
    for (const [p, partner] of partners.entries()) {
      const random = generator(SEED + 200 + p);
      const keys = new Keys(customers, partner, random);
      const foreign = foreignStrings(customers, partner.scope);
      for (let i = 0; i < OPERATIONS_PER_PARTNER; i++) {
        const sf = Array.from({ length: random.int(1, 8) }, () => {
          const ownership = keys.ownership();
          return random.chance(0.5)
            ? { ownership, representation: { __typename: 'Account', id: keys.accountId(ownership) } }
            : {
                ownership,
                representation: { __typename: 'Account', erpCustomerNumber: keys.customerNumber(ownership) },
              };
        });
        const erp = Array.from({ length: random.int(1, 8) }, () => {
          const ownership = keys.ownership();
          return random.chance(0.5)
            ? {
                ownership,
                representation: { __typename: 'Account', erpCustomerNumber: keys.customerNumber(ownership) },
              }
            : { ownership, representation: { __typename: 'Order', number: keys.orderNumber(ownership) } };
        });
        // The ERP subgraph's own fields only: Account's Salesforce fields (id, name) are not in it.
        const erpOnly = (selection: string) =>
          selection.replace(/account \{ [^{}]* \}/g, 'account { erpCustomerNumber }');
        const erpAccount = random.sample(ERP_ACCOUNT, random.int(1, ERP_ACCOUNT.length)).map(erpOnly).join(' ');
        const erpOrder = random
          .sample(
            ORDER.filter((f) => !f.startsWith('account')),
            random.int(1, 4),
          )
          .map(erpOnly)
          .join(' ');
        const runs = [
          {
            url: stack.salesforceSubgraphUrl,
            cases: sf,
            query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Account { id erpCustomerNumber name industry } } }`,
          },
          {
            url: stack.erpSubgraphUrl,
            cases: erp,
            query: `query ($r: [_Any!]!) { _entities(representations: $r) {
              ... on Account { erpCustomerNumber ${erpAccount} }
              ... on Order { number customerNumber ${erpOrder} account { erpCustomerNumber orders { number } } }
            } }`,
          },
        ];
        for (const run of runs) {
          const context = `${partner.id} subgraph ${run.url} ${JSON.stringify(run.cases)}`;
          const body = await subgraph(run.url, partner, run.query, { r: run.cases.map((c) => c.representation) });
          checkIsolation(body, foreign, context);
          expect(body.errors, `${context} (seed ${SEED})`).toBeUndefined();
          const entities = body.data!['_entities'] as unknown[];
          expect(
            entities.map((e) => e !== null),
            `${context} (seed ${SEED})`,
          ).toEqual(run.cases.map((c) => c.ownership === 'own'));
        }
      }
    }
  });
});
