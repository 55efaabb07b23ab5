// Crash recovery on PostgreSQL: the process "dies" at each step of a submission (the step probe
// throws: nothing after it runs, its leases are left to expire), also in the middle of a write (its
// audit entry left pending), then a retry with the same key — or the sweeper of a restarted ERP
// subgraph — finishes it: one ERP order, the quote updated once, every write in the audit log and
// none left pending. Also the ERP's lost answers: a create that timed out (the order shows up later)
// and one that never reached the ERP; one order per quote across keys while an outcome is unknown;
// ERP errors after the order was stored; a store failing mid-run; a quote that already names its
// order; a rejection whose write-back failed.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createErpConnector, type NewSalesOrder } from '../../connectors/erp/index.js';
import { createLogger } from '../../lib/logger.js';
import type { SubmitStep } from '../../subgraphs/erp/quote-to-order/index.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { acceptableQuotes, newKey, submit, submitted, validate } from './support/operations.js';
import { QuoteStack } from './support/stack.js';

const LEASE_MS = 30_000;
const SETTLE_MS = 30_000;

let database: TestDatabase;
let stack: QuoteStack;
let quotes: string[];
let next = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  stack = await QuoteStack.start({
    databaseUrl: database.url,
    erpTimeoutMs: 2_000,
    leaseMs: LEASE_MS,
    settleMs: SETTLE_MS,
  });
  quotes = await acceptableQuotes(stack, 22);
});

afterAll(async () => {
  await stack?.close();
  await database?.drop();
});

async function createOrderAsTheErpWould(order: NewSalesOrder): Promise<string> {
  const erp = createErpConnector(
    {
      kind: 'business-central',
      baseUrl: stack.erp.apiUrl,
      tokenUrl: stack.erp.tokenUrl,
      clientId: 'customer360-erp-dev',
      clientSecret: 'customer360-erp-dev-secret',
      scope: 'https://api.businesscentral.dynamics.com/.default',
      timeoutMs: 10_000,
    },
    createLogger('test-erp', 'silent'),
  );
  return (await erp.createSalesOrder(order, { correlationId: 'test-late-erp' })).number;
}

/** The order submitQuote would send for the quote (as validateQuote sees it), under `reference`. */
async function orderFor(quoteId: string, reference: string): Promise<NewSalesOrder> {
  const checked = await validate(stack, quoteId);
  return {
    customerNumber: checked.erpCustomerNumber as string,
    externalDocumentNumber: reference,
    lines: checked.lines.map((line) => ({
      itemNumber: line.itemNumber!,
      quantity: (line as unknown as { quantity: number }).quantity,
    })),
  };
}

/** The next create is held past the connector's 2 s deadline: we give up on its answer. */
async function submitTimingOut(quoteId: string, key: string) {
  stack.probe.on((step) => {
    if (step === 'before-erp-call') stack.erp.emulator.traffic.setFaults({ latencyMs: 3_000, count: 1 });
  });
  try {
    return await submitted(stack, quoteId, key);
  } finally {
    stack.probe.on(null);
  }
}

async function auditOf(key: string) {
  return (await stack.erpStore.audit.list({ idempotencyKey: key })).map(
    (entry) => `${entry.operation}:${entry.status}`,
  );
}

function expectQuoteAccepted(quoteId: string) {
  const [order] = stack.ordersOf(quoteId);
  expect(stack.ordersOf(quoteId)).toHaveLength(1);
  expect(stack.quoteRecord(quoteId)).toMatchObject({
    ERP_Sync_Status__c: 'Accepted',
    ERP_Order_Number__c: order!.number,
  });
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
  // The write-back happened before the crash; the retry reads the quote, sees it says so, writes nothing.
  { step: 'before-complete' as const, audit: ['createSalesOrder:succeeded', 'updateQuotesErpSync:succeeded'] },
  // Mid-write: the entry of the write under way stays pending until recovery learns its outcome.
  { step: 'erp-create-answered' as const, audit: ['createSalesOrder:succeeded', 'updateQuotesErpSync:succeeded'] },
  {
    step: 'salesforce-update-answered' as const,
    audit: ['createSalesOrder:succeeded', 'updateQuotesErpSync:succeeded'],
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

describe('the process dies in the middle of a write: no audit entry stays pending once its outcome is known', () => {
  it('create sent, ERP answered, process gone: the retry finds the order and marks the entry succeeded (settled by recovery)', async () => {
    const quoteId = quotes[next++]!;
    const key = newKey('mid-create');
    await crashAt('erp-create-answered', quoteId, key);
    expect(await auditOf(key)).toEqual(['createSalesOrder:pending']);
    stack.clock.advance(LEASE_MS + 1);
    expect(await submitted(stack, quoteId, key)).toMatchObject({ status: 'ACCEPTED_BY_ERP' });
    const [create] = await stack.erpStore.audit.list({ idempotencyKey: key });
    expect(create).toMatchObject({
      status: 'succeeded',
      response: { settledBy: 'recovery', observed: { number: expectQuoteAccepted(quoteId).number } },
    });
    expect(create!.finishedAt).not.toBeNull();
  });

  it('create entry written, request never sent: after the settle window it is marked failed (not created), and the order is sent once', async () => {
    const quoteId = quotes[next++]!;
    const key = newKey('mid-create-unsent');
    await crashAt('erp-create-sending', quoteId, key);
    expect(await auditOf(key)).toEqual(['createSalesOrder:pending']);
    expect(stack.ordersOf(quoteId)).toHaveLength(0);
    // The lease (30 s) outlasts the settle window counted from the send (30 s): the retry finds no
    // order and a window that is over, so that create is settled as not made, and sent again once.
    stack.clock.advance(Math.max(LEASE_MS, SETTLE_MS) + 1);
    stack.resetTraffic();
    expect(await submitted(stack, quoteId, key)).toMatchObject({ status: 'ACCEPTED_BY_ERP' });
    expect(stack.erpRequests('POST salesOrders')).toBe(1);
    expectQuoteAccepted(quoteId);
    const entries = await stack.erpStore.audit.list({ idempotencyKey: key });
    expect(entries.map((e) => `${e.operation}:${e.status}`)).toEqual([
      'createSalesOrder:failed',
      'createSalesOrder:succeeded',
      'updateQuotesErpSync:succeeded',
    ]);
    expect(entries[0]!.error).toMatchObject({ settledBy: 'recovery' });
  });

  it('the sweeper of a restarted subgraph settles a write-back left pending: the quote carries it, so it succeeded, and it is not written again', async () => {
    const quoteId = quotes[next++]!;
    const key = newKey('mid-writeback-sweeper');
    await crashAt('salesforce-update-answered', quoteId, key);
    expect(await auditOf(key)).toEqual(['createSalesOrder:succeeded', 'updateQuotesErpSync:pending']);
    stack.clock.advance(LEASE_MS + 1);
    stack.resetTraffic();
    await stack.restartErpSubgraph();
    const ref = { scope: stack.caller, operation: 'submitQuote', key };
    await expect
      .poll(async () => (await stack.erpStore.idempotency.get(ref))?.state, { timeout: 10_000 })
      .toBe('completed');
    expectQuoteAccepted(quoteId);
    expect(await auditOf(key)).toEqual(['createSalesOrder:succeeded', 'updateQuotesErpSync:succeeded']);
    expect(stack.sfRequests('collections update')).toBe(0);
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
    const ref = { scope: stack.caller, operation: 'submitQuote', key };
    await expect
      .poll(async () => (await stack.erpStore.idempotency.get(ref))?.state, { timeout: 10_000 })
      .toBe('completed');
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
    const ref = { scope: stack.caller, operation: 'submitQuote', key };
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
      expect(await submitted(stack, quoteId, key)).toMatchObject({
        status: 'PENDING_ERP',
        reasonCode: 'ERP_OUTCOME_UNKNOWN',
      });
    } finally {
      stack.probe.on(null);
    }
    stack.resetTraffic();
    expect(await submitted(stack, quoteId, key)).toMatchObject({
      status: 'PENDING_ERP',
      reasonCode: 'ERP_OUTCOME_UNKNOWN',
    });
    expect(stack.erpRequests('POST salesOrders')).toBe(0);
    stack.clock.advance(SETTLE_MS + 1);
    expect(await submitted(stack, quoteId, key)).toMatchObject({ status: 'ACCEPTED_BY_ERP' });
    expect(stack.erpRequests('POST salesOrders')).toBe(1);
    expectQuoteAccepted(quoteId);
  });
});

describe('outcome unknown means "retry with the same key"', () => {
  it('a create that timed out, then the ERP cannot be asked: PENDING_ERP with ERP_OUTCOME_UNKNOWN, never ERP_UNAVAILABLE', async () => {
    const quoteId = quotes[next++]!;
    const key = newKey('unknown-then-down');
    expect(await submitTimingOut(quoteId, key)).toMatchObject({
      status: 'PENDING_ERP',
      reasonCode: 'ERP_OUTCOME_UNKNOWN',
    });
    stack.erp.emulator.traffic.setFaults({ outage: true });
    let retry;
    try {
      retry = await submitted(stack, quoteId, key);
    } finally {
      stack.erp.emulator.traffic.setFaults(null);
    }
    expect(retry).toMatchObject({
      status: 'PENDING_ERP',
      reasonCode: 'ERP_OUTCOME_UNKNOWN',
      reasonCodes: ['ERP_OUTCOME_UNKNOWN'],
    });
    expect(retry.message).toMatch(/Retry with the same key/);
    stack.clock.advance(SETTLE_MS + 1);
    expect(await submitted(stack, quoteId, key)).toMatchObject({ status: 'ACCEPTED_BY_ERP' });
    expectQuoteAccepted(quoteId);
  });
});

describe('one order per quote while an attempt’s outcome is unknown', () => {
  it('another key for the quote waits out the settle window, then finds the order instead of sending a second', async () => {
    const quoteId = quotes[next++]!;
    const keyA = newKey('unknown-a');
    expect(await submitTimingOut(quoteId, keyA)).toMatchObject({
      status: 'PENDING_ERP',
      reasonCode: 'ERP_OUTCOME_UNKNOWN',
    });
    const [attempt] = await stack.erpStore.audit.list({ idempotencyKey: keyA });
    stack.resetTraffic();
    // The ERP is still working on A's request: a new key must not look, miss and send another.
    const keyB = newKey('unknown-b');
    expect(await submitted(stack, quoteId, keyB)).toMatchObject({
      status: 'RETRY_REQUIRED',
      reasonCode: 'SUBMISSION_IN_PROGRESS',
    });
    stack.clock.advance(SETTLE_MS - 5_000);
    expect(await submitted(stack, quoteId, keyB)).toMatchObject({
      status: 'RETRY_REQUIRED',
      reasonCode: 'SUBMISSION_IN_PROGRESS',
    });
    expect(stack.erpRequests('POST salesOrders')).toBe(0);
    // A's request commits late; once the window has passed, B looks first and finds it.
    await createOrderAsTheErpWould(attempt!.request as NewSalesOrder);
    stack.resetTraffic();
    stack.clock.advance(5_001);
    expect(await submitted(stack, quoteId, keyB)).toMatchObject({ status: 'ACCEPTED_BY_ERP' });
    expect(stack.erpRequests('POST salesOrders')).toBe(0);
    expectQuoteAccepted(quoteId);
    // A's retry finds the same order.
    expect(await submitted(stack, quoteId, keyA)).toMatchObject({
      status: 'ACCEPTED_BY_ERP',
      order: { number: stack.ordersOf(quoteId)[0]!.number },
    });
    expect(stack.ordersOf(quoteId)).toHaveLength(1);
  });

  it('the settle window counts from when the failure was seen, not from when the create was sent', async () => {
    const quoteId = quotes[next++]!;
    const key = newKey('settle-from-failure');
    expect(await submitTimingOut(quoteId, key)).toMatchObject({
      status: 'PENDING_ERP',
      reasonCode: 'ERP_OUTCOME_UNKNOWN',
    });
    stack.resetTraffic();
    // Past submittedAt + settle (the create waited 2 s for its deadline), not yet past failure + settle.
    stack.clock.advance(SETTLE_MS - 1_000);
    expect(await submitted(stack, quoteId, key)).toMatchObject({
      status: 'PENDING_ERP',
      reasonCode: 'ERP_OUTCOME_UNKNOWN',
    });
    expect(stack.erpRequests('POST salesOrders')).toBe(0);
    stack.clock.advance(1_001);
    expect(await submitted(stack, quoteId, key)).toMatchObject({ status: 'ACCEPTED_BY_ERP' });
    expect(stack.erpRequests('POST salesOrders')).toBe(1);
    expectQuoteAccepted(quoteId);
  });
});

describe('the ERP answers the create with an error although it stored the order', () => {
  it('a 4xx is not final before the order is looked up: found, it is ACCEPTED_BY_ERP, the quote Accepted', async () => {
    const quoteId = quotes[next++]!;
    const key = newKey('rejected-but-created');
    const order = await orderFor(quoteId, `SFQ-${quoteId}`);
    stack.probe.on(async (step) => {
      if (step !== 'before-erp-call') return;
      // The ERP stores the order, then its answer is an error (a read-back 404, a proxy's 4xx).
      await createOrderAsTheErpWould(order);
      stack.erp.emulator.traffic.setFaults({ status: 400, count: 1 });
    });
    let result;
    try {
      result = await submitted(stack, quoteId, key);
    } finally {
      stack.probe.on(null);
      stack.erp.emulator.traffic.setFaults(null);
    }
    expect(result).toMatchObject({ status: 'ACCEPTED_BY_ERP', order: { number: stack.ordersOf(quoteId)[0]!.number } });
    expectQuoteAccepted(quoteId);
  });
});

describe('the store fails mid-run', () => {
  it('after the create: PENDING_ERP; a record that cannot be read is not released, its recovery marker (stage) survives for the retry', async () => {
    const quoteId = quotes[next++]!;
    const key = newKey('store-fails');
    const ref = { scope: stack.caller, operation: 'submitQuote', key };
    const records = stack.erpStore.idempotency;
    const complete = vi.spyOn(records, 'complete').mockRejectedValueOnce(new Error('test: store connection lost'));
    const get = vi.spyOn(records, 'get').mockRejectedValueOnce(new Error('test: store connection lost'));
    try {
      // The order exists by then: the caller hears "outcome unknown, retry with the same key", not a bare failure.
      const answer = await submitted(stack, quoteId, key);
      expect(answer).toMatchObject({
        status: 'PENDING_ERP',
        reasonCode: 'ERP_OUTCOME_UNKNOWN',
        order: { number: stack.ordersOf(quoteId)[0]!.number },
      });
      expect(answer.message).toMatch(/Retry with the same key/);
    } finally {
      complete.mockRestore();
      get.mockRestore();
    }
    expect(await records.get(ref)).toMatchObject({ state: 'in_progress', stage: 'order_created' });
    stack.clock.advance(LEASE_MS + 1);
    expect(await submitted(stack, quoteId, key)).toMatchObject({ status: 'ACCEPTED_BY_ERP' });
    expectQuoteAccepted(quoteId);
  });
});

describe('a quote that already names its ERP order', () => {
  it('is confirmed with that order, with any key, even when no order carries its reference: never a second order', async () => {
    const quoteId = quotes[next++]!;
    // Ordered earlier under another reference (by hand, or before the reference scheme): the quote
    // says so; its idempotency keys are long purged.
    const number = await createOrderAsTheErpWould(await orderFor(quoteId, `MANUAL-${quoteId.slice(-8)}`));
    stack.sf.emulator.store.update('Quote', quoteId, { ERP_Order_Number__c: number, ERP_Sync_Status__c: 'Accepted' });
    stack.resetTraffic();
    const result = await submitted(stack, quoteId, newKey('already-ordered'));
    expect(result).toMatchObject({ status: 'ACCEPTED_BY_ERP', order: { number } });
    expect(stack.erpRequests('POST salesOrders')).toBe(0);
    expect(stack.ordersOf(quoteId)).toHaveLength(0);
    expect(stack.quoteRecord(quoteId)).toMatchObject({ ERP_Order_Number__c: number, ERP_Sync_Status__c: 'Accepted' });
  });
});

describe('a rejection whose Salesforce write-back failed', () => {
  it('keeps a stage, and the sweeper marks the quote Rejected', async () => {
    const quoteId = quotes[next++]!;
    const key = newKey('rejection-pending');
    const ref = { scope: stack.caller, operation: 'submitQuote', key };
    const [line] = [...stack.sf.emulator.store.records('QuoteLineItem')].filter((l) => l.QuoteId === quoteId);
    stack.sf.emulator.store.update('QuoteLineItem', line!.Id, { UnitPrice: Number(line!.UnitPrice) / 2 });
    stack.sf.emulator.traffic.setFaults({ status: 503, count: 1, pathPattern: 'composite/sobjects' });
    try {
      expect(await submitted(stack, quoteId, key)).toMatchObject({
        status: 'RETRY_REQUIRED',
        reasonCode: 'SALESFORCE_UNAVAILABLE',
      });
    } finally {
      stack.sf.emulator.traffic.setFaults(null);
    }
    expect(await stack.erpStore.idempotency.get(ref)).toMatchObject({ state: 'open', stage: 'rejection_pending' });
    expect(stack.quoteRecord(quoteId).ERP_Sync_Status__c).toBe('Not Submitted');
    await stack.restartErpSubgraph();
    await expect
      .poll(async () => (await stack.erpStore.idempotency.get(ref))?.state, { timeout: 10_000 })
      .toBe('completed');
    expect(stack.quoteRecord(quoteId).ERP_Sync_Status__c).toBe('Rejected');
    expect(await submitted(stack, quoteId, key)).toMatchObject({
      status: 'REJECTED_BY_ERP',
      reasonCode: 'PRICE_MISMATCH',
      replayed: true,
    });
    expect(stack.ordersOf(quoteId)).toHaveLength(0);
  });
});
