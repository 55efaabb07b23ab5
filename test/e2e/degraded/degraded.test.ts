// End to end with a backend down (decisions 0006 and 0007): gateway → subgraphs → shield →
// connectors → emulators, all real HTTP, in-process on random ports. Faults come from the emulators'
// own switch (POST /__emulator/faults; `{}` clears). Time is kept short through the subgraphs'
// SHIELD_* settings instead of sleeps: ERP entries go stale 1 ms after they are read, and an open
// circuit lets a probe through after BREAKER_HALF_OPEN_MS. Waiting is polling for a state
// (readiness, a breaker gauge), never a fixed delay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset, type Dataset } from '../../../emulators/seed/index.js';
import { ERP_CACHE_KINDS } from '../../../shield/options.js';
import { startStack, type InProcessStack } from '../../../stack/in-process.js';

const SEED_ACCOUNTS = 60;
/** Long enough to see fail-fast calls while the circuit is open, short enough to wait for a probe. */
const BREAKER_HALF_OPEN_MS = 1_500;

interface GraphQLError {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string };
}
interface GraphQLResponse {
  data?: Record<string, any> | null;
  errors?: GraphQLError[];
}

const CUSTOMER_360 = /* GraphQL */ `
  query Customer360($id: ID!) {
    account(id: $id) {
      id
      name
      asOf
      stale
      contacts {
        id
      }
      credit {
        asOf
        stale
        limit {
          amount
        }
        available {
          amount
        }
        onHold
        paymentTerms {
          code
        }
      }
      openInvoices {
        number
        asOf
        stale
      }
      orders {
        number
        asOf
        stale
      }
      shipments {
        number
        asOf
        stale
      }
    }
  }
`;

/** One development token per stack (sales reads every account). */
const tokens = new WeakMap<InProcessStack, Promise<string>>();
function tokenOf(stack: InProcessStack): Promise<string> {
  if (!tokens.has(stack)) tokens.set(stack, stack.token({ role: 'sales' }));
  return tokens.get(stack)!;
}

async function graphql(
  stack: InProcessStack,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse> {
  const res = await fetch(`${stack.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenOf(stack)}` },
    body: JSON.stringify({ query, variables }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as GraphQLResponse;
}

async function setFaults(emulatorUrl: string, faults: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${emulatorUrl}/__emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  expect(res.status).toBe(200);
}

async function requestsServed(emulatorUrl: string): Promise<number> {
  const stats = (await (await fetch(`${emulatorUrl}/__emulator/stats`)).json()) as { total: number };
  return stats.total;
}

async function resetStats(emulatorUrl: string): Promise<void> {
  await fetch(`${emulatorUrl}/__emulator/stats`, { method: 'DELETE' });
}

/** A subgraph's /readyz: its HTTP status and its own status (ready, degraded, unavailable). */
async function readiness(subgraphUrl: string): Promise<{ http: number; status: string }> {
  const res = await fetch(`${subgraphUrl}/readyz`);
  return { http: res.status, status: ((await res.json()) as { status: string }).status };
}

const isReady = async (subgraphUrl: string) => (await readiness(subgraphUrl)).status === 'ready';

/** Polls `probe` until it returns true (a state change, not a timed wait); fails after `timeoutMs`. */
async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Clears every fault and waits until both subgraphs' breakers let calls through again. */
async function recover(stack: InProcessStack): Promise<void> {
  await setFaults(stack.erpEmulatorUrl, {});
  await setFaults(stack.salesforceEmulatorUrl, {});
  await until(
    'both subgraphs are ready',
    async () => (await isReady(stack.erpSubgraphUrl)) && (await isReady(stack.salesforceSubgraphUrl)),
  );
}

async function scrape(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
}

/** Sum of the samples of `name` whose labels include `labels` (Prometheus text format). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) sum += Number(match[3]);
  }
  return sum;
}

function codesOf(response: GraphQLResponse): string[] {
  return [...new Set((response.errors ?? []).map((error) => error.extensions?.code ?? '(none)'))];
}

/** Salesforce accounts whose ERP customer has open invoices, orders and shipments. */
function accountsWithErpHistory(dataset: Dataset) {
  return dataset.salesforce.Account.filter((account) => {
    const number = account.ERP_Customer_Id__c;
    return (
      number &&
      dataset.erp.salesInvoices.some((i) => i.customerNumber === number && i.status === 'Open') &&
      dataset.erp.salesOrders.some((o) => o.customerNumber === number) &&
      dataset.erp.salesShipments.some((s) => s.customerNumber === number)
    );
  });
}

const dataset = generateDataset({ accounts: SEED_ACCOUNTS });
const candidates = accountsWithErpHistory(dataset);

describe('a backend down (short TTLs)', () => {
  let stack: InProcessStack;

  beforeAll(async () => {
    expect(candidates.length).toBeGreaterThanOrEqual(4);
    stack = await startStack({
      seedAccounts: SEED_ACCOUNTS,
      subgraphEnv: {
        // Every ERP entry is stale 1 ms after it is read: a warm cache with stale entries, at once.
        SHIELD_CACHE_TTLS_MS: JSON.stringify(Object.fromEntries(ERP_CACHE_KINDS.map((kind) => [kind, 1]))),
        SHIELD_BREAKER_FAILURES: '3',
        SHIELD_BREAKER_HALF_OPEN_MS: String(BREAKER_HALF_OPEN_MS),
        // /readyz checks the backend at most once a second when no call was seen (default 30 s).
        READINESS_CHECK_INTERVAL_S: '1',
        SHIELD_READ_TIMEOUT_MS: '2000',
      },
    });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('(a) ERP down after a warm-up: Salesforce fields come back, ERP fields come stale from the cache, no errors', async () => {
    const account = candidates[0]!;
    const warm = await graphql(stack, CUSTOMER_360, { id: account.Id });
    expect(warm.errors).toBeUndefined();
    const before = warm.data!.account;
    expect(before.orders.length).toBeGreaterThan(0);
    expect(before.openInvoices.length).toBeGreaterThan(0);
    expect(before.shipments.length).toBeGreaterThan(0);

    await setFaults(stack.erpEmulatorUrl, { outage: true });
    const askedAt = Date.now();
    const degraded = await graphql(stack, CUSTOMER_360, { id: account.Id });

    expect(degraded.errors).toBeUndefined();
    const after = degraded.data!.account;
    // Salesforce: as before, and fresh.
    expect(after.name).toBe(account.Name);
    expect(after.contacts).toEqual(before.contacts);
    expect(after.stale).toBe(false);
    // ERP: the cached values, marked stale, with the time they were read.
    const erpParts = [after.credit, ...after.openInvoices, ...after.orders, ...after.shipments];
    for (const part of erpParts) {
      expect(part.stale).toBe(true);
      expect(Date.parse(part.asOf)).toBeLessThan(askedAt);
    }
    expect(after.credit.asOf).toBe(before.credit.asOf);
    expect(after.credit.limit).toEqual(before.credit.limit);
    expect(after.credit.available).toEqual(before.credit.available);
    expect(after.orders.map((o: { number: string }) => o.number)).toEqual(
      before.orders.map((o: { number: string }) => o.number),
    );
    expect(after.openInvoices.map((i: { number: string }) => i.number)).toEqual(
      before.openInvoices.map((i: { number: string }) => i.number),
    );
  });

  it('(b) ERP down with a cold cache: ERP fields null with ERP_UNAVAILABLE on their paths only, Salesforce fields present', async () => {
    await setFaults(stack.erpEmulatorUrl, { outage: true });
    const account = candidates[1]!;
    const response = await graphql(stack, CUSTOMER_360, { id: account.Id });

    const result = response.data!.account;
    expect(result.name).toBe(account.Name);
    expect(result.id).toBe(account.Id);
    expect(result.contacts.length).toBeGreaterThan(0);
    expect(result).toMatchObject({ credit: null, openInvoices: null, orders: null, shipments: null });

    expect(codesOf(response)).toEqual(['ERP_UNAVAILABLE']);
    const paths = response.errors!.map((error) => error.path!.join('.')).sort();
    expect(paths).toEqual(['account.credit', 'account.openInvoices', 'account.orders', 'account.shipments']);
    expect(JSON.stringify(response)).not.toMatch(/ECONN|socket|odata|\$filter/i);

    await recover(stack);
  });

  it('(c) Salesforce down for an account reached from the ERP side: SALESFORCE_UNAVAILABLE on that path only, ERP fields present', async () => {
    await recover(stack);
    const account = candidates[2]!;
    const order = dataset.erp.salesOrders.find((o) => o.customerNumber === account.ERP_Customer_Id__c)!;
    await setFaults(stack.salesforceEmulatorUrl, { outage: true });

    const response = await graphql(
      stack,
      `
        query ($n: String!) {
          order(number: $n) {
            number
            status
            total {
              amount
            }
            asOf
            stale
            account {
              name
            }
          }
        }
      `,
      {
        n: order.number,
      },
    );

    expect(response.data!.order).toMatchObject({
      number: order.number,
      total: { amount: order.totalAmountIncludingTax.toFixed(2) },
      stale: false,
      account: null,
    });
    expect(codesOf(response)).toEqual(['SALESFORCE_UNAVAILABLE']);
    for (const error of response.errors!) expect(error.path?.slice(0, 2)).toEqual(['order', 'account']);

    await recover(stack);
  });

  it('(e) the ERP breaker opens under an outage (calls fail fast, /readyz degraded but 200) and closes once the ERP is back', async () => {
    await recover(stack);
    await setFaults(stack.erpEmulatorUrl, { outage: true });
    // Orders nobody asked for yet: nothing cached, every query needs the ERP.
    const orders = dataset.erp.salesOrders.filter(
      (o) => !candidates.slice(0, 3).some((a) => a.ERP_Customer_Id__c === o.customerNumber),
    );
    let next = 0;
    const askForAnOrder = () =>
      graphql(
        stack,
        `
          query ($n: String!) {
            order(number: $n) {
              number
            }
          }
        `,
        { n: orders[next++ % orders.length]!.number },
      );

    // The circuit opened after the last check that found it closed: no probe is due before then + half-open.
    let closedAt = Date.now();
    await until('the ERP circuit is open', async () => {
      const response = await askForAnOrder();
      expect(codesOf(response)).toEqual(['ERP_UNAVAILABLE']);
      const checkedAt = Date.now();
      const open = sample(await scrape(stack.erpSubgraphUrl), 'circuit_breaker_state', { backend: 'erp' }) === 2;
      if (!open) closedAt = checkedAt;
      return open;
    });

    // Open: refused by the shield without asking the ERP.
    const seenByErp = await requestsServed(stack.erpEmulatorUrl);
    for (let i = 0; i < 5; i++) expect(codesOf(await askForAnOrder())).toEqual(['ERP_UNAVAILABLE']);
    // Degraded, not unready: every replica sees the same outage, and this one still serves its cache.
    expect(await readiness(stack.erpSubgraphUrl)).toEqual({ http: 200, status: 'degraded' });
    // Only meaningful while no half-open probe can have been let through (the loop takes milliseconds).
    expect(Date.now() - closedAt).toBeLessThan(BREAKER_HALF_OPEN_MS);
    expect(await requestsServed(stack.erpEmulatorUrl)).toBe(seenByErp);
    const metrics = await scrape(stack.erpSubgraphUrl);
    expect(sample(metrics, 'backend_calls_total', { backend: 'erp', outcome: 'circuit_open' })).toBeGreaterThanOrEqual(
      5,
    );

    // The ERP is back: after the half-open time one probe passes, succeeds and closes the circuit.
    await setFaults(stack.erpEmulatorUrl, {});
    await until('the ERP subgraph is ready again', () => isReady(stack.erpSubgraphUrl));
    expect(sample(await scrape(stack.erpSubgraphUrl), 'circuit_breaker_state', { backend: 'erp' })).toBe(0);
    const answered = await askForAnOrder();
    expect(answered.errors).toBeUndefined();
    expect(answered.data!.order.number).toEqual(expect.any(String));
    expect(await requestsServed(stack.erpEmulatorUrl)).toBeGreaterThan(seenByErp);
  });
});

describe('a healthy ERP (default TTLs)', () => {
  let stack: InProcessStack;

  beforeAll(async () => {
    stack = await startStack({ seedAccounts: SEED_ACCOUNTS });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('(d) answers repeated customer-360 queries from the cache: the ERP sees them once, /metrics counts it', async () => {
    const account = candidates[3]!;
    const metricsBefore = await scrape(stack.erpSubgraphUrl);

    const first = await graphql(stack, CUSTOMER_360, { id: account.Id });
    expect(first.errors).toBeUndefined();
    const afterFirst = await requestsServed(stack.erpEmulatorUrl);
    expect(afterFirst).toBeGreaterThan(0);
    const metricsAfterFirst = await scrape(stack.erpSubgraphUrl);

    await resetStats(stack.erpEmulatorUrl);
    for (let i = 0; i < 5; i++) {
      const again = await graphql(stack, CUSTOMER_360, { id: account.Id });
      expect(again.errors).toBeUndefined();
      expect(again.data).toEqual(first.data);
    }
    expect(await requestsServed(stack.erpEmulatorUrl)).toBe(0);
    const metricsAfterRepeats = await scrape(stack.erpSubgraphUrl);

    const customer = { kind: 'erp.customer' };
    // The first query missed and called the ERP; the repeats hit.
    expect(sample(metricsAfterFirst, 'cache_requests_total', { ...customer, result: 'miss' })).toBeGreaterThan(
      sample(metricsBefore, 'cache_requests_total', { ...customer, result: 'miss' }),
    );
    expect(
      sample(metricsAfterFirst, 'backend_calls_total', {
        backend: 'erp',
        operation: 'customersByNumbers',
        outcome: 'success',
      }),
    ).toBeGreaterThan(
      sample(metricsBefore, 'backend_calls_total', {
        backend: 'erp',
        operation: 'customersByNumbers',
        outcome: 'success',
      }),
    );
    expect(sample(metricsAfterRepeats, 'cache_requests_total', { ...customer, result: 'hit' })).toBeGreaterThanOrEqual(
      sample(metricsAfterFirst, 'cache_requests_total', { ...customer, result: 'hit' }) + 5,
    );
    expect(sample(metricsAfterRepeats, 'backend_calls_total', { backend: 'erp' })).toBe(
      sample(metricsAfterFirst, 'backend_calls_total', { backend: 'erp' }),
    );
    expect(sample(metricsAfterRepeats, 'cache_entries', customer)).toBeGreaterThan(0);
    expect(sample(metricsAfterRepeats, 'circuit_breaker_state', { backend: 'erp' })).toBe(0);
    expect(
      sample(metricsAfterRepeats, 'graphql_operation_duration_seconds_count', {
        operation_type: 'query',
        outcome: 'success',
      }),
    ).toBeGreaterThanOrEqual(6);
    // Default Node metrics come along.
    expect(metricsAfterRepeats).toContain('process_cpu_seconds_total');
  });

  it('serves gateway metrics: operation latency by name and subgraph fetches by outcome', async () => {
    const response = await graphql(stack, CUSTOMER_360, { id: candidates[0]!.Id });
    expect(response.errors).toBeUndefined();
    const text = await scrape(stack.gatewayUrl);
    expect(
      sample(text, 'graphql_operation_duration_seconds_count', {
        operation_name: 'Customer360',
        operation_type: 'query',
        outcome: 'success',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'subgraph_fetches_total', { subgraph: 'salesforce', outcome: 'success' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'subgraph_fetches_total', { subgraph: 'erp', outcome: 'success' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'subgraph_fetch_duration_seconds_count', { subgraph: 'erp' })).toBeGreaterThanOrEqual(1);
    const salesforceSubgraph = await scrape(stack.salesforceSubgraphUrl);
    expect(sample(salesforceSubgraph, 'cache_requests_total', { kind: 'sf.account' })).toBeGreaterThan(0);
    expect(sample(salesforceSubgraph, 'circuit_breaker_state', { backend: 'salesforce' })).toBe(0);
  });
});
