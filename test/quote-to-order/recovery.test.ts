// Crash recovery on PostgreSQL: the process "dies" at each step of a submission (the step probe
// throws: nothing after it runs, its leases are left to expire), then a retry with the same key — or
// the sweeper of a restarted ERP subgraph — finishes it: one ERP order, the quote updated, every
// write in the audit log. Also the ERP's lost answers: a create that timed out (the order shows up
// later) and one that never reached the ERP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErpConnector, type NewSalesOrder } from '../../connectors/erp/index.js';
import { createLogger } from '../../lib/logger.js';
import type { SubmitStep } from '../../subgraphs/erp/quote-to-order/index.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { acceptableQuotes, newKey, submit, submitted } from './support/operations.js';
import { QuoteStack } from './support/stack.js';

const LEASE_MS = 30_000;
const SETTLE_MS = 30_000;

let database: TestDatabase;
let stack: QuoteStack;
let quotes: string[];
let next = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  stack = await QuoteStack.start({ databaseUrl: database.url, erpTimeoutMs: 2_000, leaseMs: LEASE_MS, settleMs: SETTLE_MS });
  quotes = await acceptableQuotes(stack, 9);
});

afterAll(async () => {
  await stack?.close();
  await database?.drop();
});

async function createOrderAsTheErpWould(order: NewSalesOrder) {
  const erp = createErpConnector(
    {
      adapter: 'business-central',
      baseUrl: stack.erp.apiUrl,
      tokenUrl: stack.erp.tokenUrl,
      clientId: 'customer360-erp-dev',
      clientSecret: 'customer360-erp-dev-secret',
      scope: 'https://api.businesscentral.dynamics.com/.default',
      timeoutMs: 10_000,
    },
    createLogger('test-erp', 'silent'),
  );
  await erp.createSalesOrder(order, { correlationId: 'test-late-erp' });
}

async function auditOf(key: string) {
  return (await stack.erpStore.audit.list({ idempotencyKey: key })).map((entry) => `${entry.operation}:${entry.status}`);
}

function expectQuoteAccepted(quoteId: string) {
  const [order] = stack.ordersOf(quoteId);
  expect(stack.ordersOf(quoteId)).toHaveLength(1);
  expect(stack.quoteRecord(quoteId)).toMatchObject({ ERP_Sync_Status__c: 'Accepted', ERP_Order_Number__c: order!.number });
  return order!;
}

/** A submission that dies at `step`: the client gets a masked error, the key stays leased. */
async function crashAt(step: SubmitStep, quoteId: string, key: string) {
  stack.probe.crashAt(step);
  const { body } = await submit(stack, quoteId, key);
  expect(body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  // Its lease is still running: a retry now is told to wait, and creates nothing.
  const early = await submit(stack, quoteId, key);
  expect(early.body.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
}

describe.each([
  { step: 'before-erp-call' as const, audit: ['createSalesOrder:succeeded', 'updateQuotesErpSync:succeeded'] },
  { step: 'after-erp-accepted' as const, audit: ['createSalesOrder:succeeded', 'updateQuotesErpSync:succeeded'] },
  { step: 'before-salesforce-update' as const, audit: ['createSalesOrder:succeeded', 'updateQuotesErpSync:succeeded'] },
  {
    step: 'before-complete' as const,
    // The write-back happened before the crash; the retry cannot know and repeats it (same values).
    audit: ['createSalesOrder:succeeded', 'updateQuotesErpSync:succeeded', 'updateQuotesErpSync:succeeded'],
  },
])('the process dies at $step', ({ step, audit }) => {
  it('a retry with the same key after the lease ran out finishes it: one order, quote updated, audit complete', async () => {
    const quoteId = quotes[next++]!;
    const key = newKey(step);
    await crashAt(step, quoteId, key);
    stack.clock.advance(LEASE_MS + 1);
    const retry = await submitted(stack, quoteId, key);
    expect(retry).toMatchObject({ status: 'ACCEPTED_BY_ERP', replayed: false });
    const order = expectQuoteAccepted(quoteId);
    expect(retry.order!.number).toBe(order.number);
    expect(await auditOf(key)).toEqual(audit);
    expect((await submitted(stack, quoteId, key)).replayed).toBe(true);
  });
});

describe('the sweeper of a restarted ERP subgraph', () => {
  it('finishes a submission whose process died after the ERP accepted: no retry needed', async () => {
    const quoteId = quotes[next++]!;
    const key = newKey('sweeper');
    await crashAt('after-erp-accepted', quoteId, key);
    expect(stack.quoteRecord(quoteId).ERP_Sync_Status__c).toBe('Not Submitted');
    stack.clock.advance(LEASE_MS + 1);
    await stack.restartErpSubgraph();
    const ref = { scope: 'anonymous', operation: 'submitQuote', key };
    await expect.poll(async () => (await stack.erpStore.idempotency.get(ref))?.state, { timeout: 10_000 }).toBe('completed');
    expectQuoteAccepted(quoteId);
    expect(await auditOf(key)).toEqual(['createSalesOrder:succeeded', 'updateQuotesErpSync:succeeded']);
    const replay = await submitted(stack, quoteId, key);
    expect(replay).toMatchObject({ status: 'ACCEPTED_BY_ERP', replayed: true });
  });

  it('releases one that died before reaching the ERP, for the client to retry; nothing is ordered on its own', async () => {
    const quoteId = quotes[next++]!;
    const key = newKey('sweeper-early');
    await crashAt('before-erp-call', quoteId, key);
    stack.clock.advance(LEASE_MS + 1);
    await stack.restartErpSubgraph();
    const ref = { scope: 'anonymous', operation: 'submitQuote', key };
    await expect.poll(async () => (await stack.erpStore.idempotency.get(ref))?.state, { timeout: 10_000 }).toBe('open');
    expect(stack.ordersOf(quoteId)).toHaveLength(0);
    expect(await submitted(stack, quoteId, key)).toMatchObject({ status: 'ACCEPTED_BY_ERP', replayed: false });
    expectQuoteAccepted(quoteId);
  });
});

describe('the ERP loses its answer', () => {
  it('a create that timed out is PENDING_ERP; once the ERP has the order, the retry finds it and sends nothing', async () => {
    const quoteId = quotes[next++]!;
    const key = newKey('timeout');
    // The create is held past the connector's 2 s deadline: we give up on the answer.
    stack.probe.on((step) => {
      if (step === 'before-erp-call') stack.erp.emulator.traffic.setFaults({ latencyMs: 3_000, count: 1 });
    });
    let pending;
    try {
      pending = await submitted(stack, quoteId, key);
    } finally {
      stack.probe.on(null);
    }
    expect(pending).toMatchObject({ status: 'PENDING_ERP', reasonCode: 'ERP_OUTCOME_UNKNOWN', order: null });
    const [attempt] = await stack.erpStore.audit.list({ idempotencyKey: key });
    expect(attempt).toMatchObject({ operation: 'createSalesOrder', status: 'failed', error: { failure: 'timeout' } });
    // The ERP finishes the request it was sent after all (the emulator drops requests whose client
    // left, so the test replays that very request on the ERP's behalf).
    await createOrderAsTheErpWould(attempt!.request as NewSalesOrder);
    stack.resetTraffic();
    const done = await submitted(stack, quoteId, key);
    expect(done).toMatchObject({ status: 'ACCEPTED_BY_ERP', order: { number: stack.ordersOf(quoteId)[0]!.number } });
    expect(stack.erpRequests('POST salesOrders')).toBe(0);
    expectQuoteAccepted(quoteId);
    expect(await auditOf(key)).toEqual(['createSalesOrder:failed', 'updateQuotesErpSync:succeeded']);
  });

  it('a create that never reached the ERP is sent again only once the settle time has passed', async () => {
    const quoteId = quotes[next++]!;
    const key = newKey('lost');
    stack.probe.on((step) => {
      if (step === 'before-erp-call') stack.erp.emulator.traffic.setFaults({ outage: true, count: 1 });
    });
    try {
      expect(await submitted(stack, quoteId, key)).toMatchObject({ status: 'PENDING_ERP', reasonCode: 'ERP_OUTCOME_UNKNOWN' });
    } finally {
      stack.probe.on(null);
    }
    stack.resetTraffic();
    expect(await submitted(stack, quoteId, key)).toMatchObject({ status: 'PENDING_ERP', reasonCode: 'ERP_OUTCOME_UNKNOWN' });
    expect(stack.erpRequests('POST salesOrders')).toBe(0);
    stack.clock.advance(SETTLE_MS + 1);
    expect(await submitted(stack, quoteId, key)).toMatchObject({ status: 'ACCEPTED_BY_ERP' });
    expect(stack.erpRequests('POST salesOrders')).toBe(1);
    expectQuoteAccepted(quoteId);
  });
});
