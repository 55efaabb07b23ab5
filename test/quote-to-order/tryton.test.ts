// submitQuote on an ERP subgraph running on Tryton alone (ERP_ADAPTER=tryton, a one-ERP deployment
// on Tryton), end to end through the gateway against a real Tryton server: the quote becomes exactly
// one Tryton sale (its reference the quote's), the order number is written back to Salesforce, a
// retry with the same key replays without touching Tryton, and concurrent submissions of one quote
// still make one sale. The same shield and idempotency code as with Business Central.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrytonClient } from '../../connectors/erp/tryton/client.js';
import { generateDataset, type Dataset } from '../../emulators/seed/index.js';
import { createLogger } from '../../lib/logger.js';
import { startStack, type InProcessStack } from '../../stack/in-process.js';
import {
  startTestTryton,
  TEST_TRYTON_ACCOUNTS,
  TEST_TRYTON_SEED,
  TRYTON_SETUP_TIMEOUT_MS,
  type TestTryton,
} from '../contract/support/tryton.js';
import { newKey, SUBMIT_QUOTE, VALIDATE_QUOTE, type Submission } from './support/operations.js';

const ctx = { correlationId: 'corr-q2o-tryton' };
let tryton: TestTryton;
let stack: InProcessStack;
let token: string;
let rpc: TrytonClient;
let dataset: Dataset;
let company: number;
const quotes: string[] = [];

async function gql(query: string, variables: Record<string, unknown>) {
  const response = await fetch(`${stack.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: unknown[] };
}

async function submitted(quoteId: string, key: string): Promise<Submission> {
  const body = await gql(SUBMIT_QUOTE, { quoteId, key });
  if (body.errors || !body.data) throw new Error(`submitQuote failed: ${JSON.stringify(body.errors)}`);
  return body.data.submitQuote as Submission;
}

/** Tryton sales carrying the quote's reference, asked of Tryton itself. */
async function salesOf(quoteId: string): Promise<Array<Record<string, unknown>>> {
  return rpc.searchRead(rpc.begin(ctx, 'test'), 'sale.sale', {
    domain: [['reference', '=', `SFQ-${quoteId}`]],
    fields: ['number', 'state'],
    context: { company },
  });
}

beforeAll(async () => {
  tryton = await startTestTryton();
  const { tryton: server, proxy } = tryton;
  // Salesforce holds the Tryton company's accounts (and a few of the first company's, served by nothing here).
  dataset = generateDataset({ accounts: 5, seed: TEST_TRYTON_SEED, secondCompanyAccounts: TEST_TRYTON_ACCOUNTS });
  stack = await startStack({
    seedAccounts: 5,
    seed: TEST_TRYTON_SEED,
    seedTrytonAccounts: TEST_TRYTON_ACCOUNTS,
    subgraphEnv: {
      ERP_ADAPTER: 'tryton',
      ERP_TRYTON_URL: proxy.url,
      ERP_TRYTON_DATABASE: server.database,
      ERP_TRYTON_USERNAME: server.username,
      ERP_TRYTON_PASSWORD: server.password,
      ERP_TIMEOUT_MS: '20000',
      // The Tryton company's dozen accounts have few quotes, and the only one within its customer's
      // credit is Presented, not Approved.
      QUOTE_SUBMITTABLE_STATUSES: 'Approved,Presented',
    },
    subgraphTimeoutMs: 60_000,
  });
  token = await stack.token({ role: 'sales' });
  rpc = new TrytonClient(
    {
      url: server.url,
      database: server.database,
      username: server.username,
      password: server.password,
      timeoutMs: 20_000,
    },
    createLogger('q2o-tryton', 'silent'),
  );
  company = (await rpc.preferences(rpc.begin(ctx, 'test')))['company'] as number;
  const trytonAccounts = new Set(
    dataset.salesforce.Account.filter((a) => a.ERP_System__c === 'tryton').map((a) => a.Id),
  );
  for (const quote of dataset.salesforce.Quote.filter(
    (q) => trytonAccounts.has(q.AccountId) && q.ERP_Sync_Status__c === 'Not Submitted',
  )) {
    if (quotes.length === 1) break;
    const body = await gql(VALIDATE_QUOTE, { quoteId: quote.Id });
    if (body.data?.validateQuote?.verdict === 'ACCEPTABLE') quotes.push(quote.Id);
  }
  // Most of the few demo quotes go over their customer's credit limit: one acceptable is enough.
  expect(quotes).toHaveLength(1);
}, TRYTON_SETUP_TIMEOUT_MS);

afterAll(async () => {
  await stack?.close();
  await tryton?.close();
});

describe('submitQuote on Tryton', () => {
  const keys = [newKey('tryton-a'), newKey('tryton-b'), newKey('tryton-c')];
  let first: Submission;

  it('concurrent submissions of the quote (different keys) make exactly one Tryton sale, its number written back', async () => {
    const quoteId = quotes[0]!;
    const answers = await Promise.all(keys.map((key) => gql(SUBMIT_QUOTE, { quoteId, key })));
    const payloads = answers.map((a) => a.data?.submitQuote as Submission | undefined);
    first = payloads.find((p) => p?.status === 'ACCEPTED_BY_ERP')!;
    expect(first).toMatchObject({
      order: { externalDocumentNumber: `SFQ-${quoteId}`, status: 'DRAFT', quote: { id: quoteId } },
      quote: { id: quoteId, erpSync: { status: 'Accepted' } },
    });
    expect(first.order!.number).toMatch(/^TSO-\d+$/);
    expect(first.quote!.erpSync.orderNumber).toBe(first.order!.number);
    const sales = await salesOf(quoteId);
    expect(sales).toEqual([expect.objectContaining({ number: first.order!.number, state: 'quotation' })]);
    // Whoever got an answer got that one order (the others may be told to retry while the first runs).
    for (const payload of payloads) if (payload?.order) expect(payload.order.number).toBe(first.order!.number);
  });

  it('retries (one at a time) replay or find that order, without creating anything in Tryton', async () => {
    const quoteId = quotes[0]!;
    tryton.proxy.reset();
    const replay = await submitted(quoteId, first.idempotencyKey);
    expect(replay).toMatchObject({ status: 'ACCEPTED_BY_ERP', replayed: true, order: { number: first.order!.number } });
    for (const key of keys.filter((k) => k !== first.idempotencyKey)) {
      expect(await submitted(quoteId, key)).toMatchObject({
        status: 'ACCEPTED_BY_ERP',
        order: { number: first.order!.number },
      });
    }
    expect(tryton.proxy.stats().byMethod['model.sale.sale.create']).toBeUndefined();
    expect(await salesOf(quoteId)).toHaveLength(1);
  });
});
