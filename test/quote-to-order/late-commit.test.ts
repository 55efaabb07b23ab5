// The last duplicate: a real HTTP proxy between the ERP subgraph and the Business Central emulator
// holds a create past the settle window, while the connector gives up on it, and lets the ERP commit
// it late — the tester's "40 s" and "3 min" with the window scaled down (timeout 0.8 s, window 2 s,
// commits after 4 s and 8 s) so the test stays fast. The client keeps retrying with its key, as it
// is told to, and after the window the retry sends the order again: two orders carry the quote. The
// duplicate detector (every replay, every sweep) must leave exactly one live order per quote, or a
// quote flagged for a person — never two silent orders. And the other ends of the scale: an ERP that
// refuses the connection got nothing, so that is "retry now", not "outcome unknown"; and an ERP
// subgraph whose answer is lost after it did the work makes the gateway say MUTATION_OUTCOME_UNKNOWN
// (retry with the same key), not ERP_UNAVAILABLE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BcSalesOrder } from '../../emulators/seed/types.js';
import { acceptableQuotes, newKey, submit, submitted, type Submission } from './support/operations.js';
import { QuoteStack } from './support/stack.js';

const ERP_TIMEOUT_MS = 800;
const SETTLE_MS = 2_000;
/** "40 s" against a 30 s window: the commit lands after the window, right after the resend. */
const COMMIT_AFTER_40S = 4_000;
/** "3 min": long enough for people to release orders in between. */
const COMMIT_AFTER_3MIN = 8_000;

let stack: QuoteStack;
let quotes: string[];
let next = 0;

beforeAll(async () => {
  stack = await QuoteStack.start({
    erpProxy: true,
    erpSubgraphProxy: true,
    erpTimeoutMs: ERP_TIMEOUT_MS,
    settleMs: SETTLE_MS,
  });
  quotes = await acceptableQuotes(stack, 7);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries with the same key, as PENDING_ERP asks, until a final status. */
async function retryUntilFinal(quoteId: string, key: string): Promise<{ final: Submission; pending: Submission[] }> {
  const pending: Submission[] = [];
  for (let attempt = 0; attempt < 100; attempt++) {
    const answer = await submitted(stack, quoteId, key);
    if (answer.status === 'ACCEPTED_BY_ERP' || answer.status === 'REJECTED_BY_ERP') return { final: answer, pending };
    pending.push(answer);
    await sleep(150);
  }
  throw new Error(`no final status for ${quoteId}`);
}

/**
 * The tester's run: the first create is held by the proxy for `holdMs` and committed then; the client
 * retries through the settle window, the retry after it sends the order again. Returns once the held
 * create has committed too: two orders carry the quote.
 */
async function lateCommit(quoteId: string, key: string, holdMs: number, meanwhile?: (accepted: Submission) => void) {
  stack.erpProxy!.add({ method: 'POST', path: /\/salesOrders$/, action: { kind: 'hold', ms: holdMs } });
  const { final, pending } = await retryUntilFinal(quoteId, key);
  expect(pending.length).toBeGreaterThan(0);
  for (const answer of pending) {
    expect(answer).toMatchObject({ status: 'PENDING_ERP', reasonCode: 'ERP_OUTCOME_UNKNOWN' });
    expect(answer.message).toMatch(/Retry with the same key/);
  }
  expect(final).toMatchObject({ status: 'ACCEPTED_BY_ERP', replayed: false });
  meanwhile?.(final);
  await stack.erpProxy!.settled();
  // The situation the detector is for: the ERP committed the abandoned create after the resend.
  expect(stack.ordersOf(quoteId)).toHaveLength(2);
  return final;
}

function release(order: BcSalesOrder): void {
  const table = stack.erp.emulator.store.table('salesOrders');
  table.update(table.get(order.id)!, { status: 'Open' });
}

async function duplicateMetric(action: 'deleted' | 'flagged'): Promise<number> {
  const text = await (await fetch(`${stack.erpSubgraphUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`quote_duplicate_orders_total{action="${action}"}`));
  return Number(line?.split(' ').at(-1) ?? NaN);
}

/** The promise of the issue: one live order, or a quote flagged for a person; never two silent orders. */
function expectNoSilentDuplicate(quoteId: string) {
  const orders = stack.ordersOf(quoteId);
  const quote = stack.quoteRecord(quoteId);
  if (orders.length === 1) {
    expect(quote).toMatchObject({ ERP_Order_Number__c: orders[0]!.number });
  } else {
    expect(quote.ERP_Sync_Status__c).toBe('Error');
    expect(String(quote.ERP_Sync_Message__c)).toMatch(/^\[ERP_DUPLICATE_ORDER\]/);
  }
}

describe('the ERP commits a held create 40 s later (past the settle window)', () => {
  it('the next replay finds both orders, keeps the one the quote names and deletes the other while it is a Draft: audited and counted', async () => {
    const quoteId = quotes[next++]!;
    const key = newKey('late-40s');
    const deletedBefore = await duplicateMetric('deleted');
    const accepted = await lateCommit(quoteId, key, COMMIT_AFTER_40S);
    const kept = accepted.order!.number;
    const late = stack.ordersOf(quoteId).find((order) => order.number !== kept)!;
    expect(late.status).toBe('Draft');

    const replay = await submitted(stack, quoteId, key);
    expect(replay).toEqual({ ...accepted, replayed: true });
    expect(stack.ordersOf(quoteId).map((order) => order.number)).toEqual([kept]);
    expect(stack.quoteRecord(quoteId)).toMatchObject({ ERP_Sync_Status__c: 'Accepted', ERP_Order_Number__c: kept });
    const deletes = (await stack.erpStore.audit.list({ target: `SFQ-${quoteId}` })).filter(
      (entry) => entry.operation === 'deleteSalesOrder',
    );
    expect(deletes).toEqual([
      expect.objectContaining({
        status: 'succeeded',
        idempotencyKey: key,
        request: expect.objectContaining({ number: late.number, keptOrderNumber: kept }),
      }),
    ]);
    expect(await duplicateMetric('deleted')).toBe(deletedBefore + 1);
    // And it stays that way.
    expect((await submitted(stack, quoteId, key)).replayed).toBe(true);
    expect(stack.ordersOf(quoteId)).toHaveLength(1);
    expectNoSilentDuplicate(quoteId);
  });

  it('with no client asking again, the sweeper finds it (it watches submissions that lost a create’s answer)', async () => {
    const quoteId = quotes[next++]!;
    const key = newKey('late-40s-sweeper');
    const accepted = await lateCommit(quoteId, key, COMMIT_AFTER_40S);
    // A new process: its start-up sweep runs at once (then every minute).
    await stack.restartErpSubgraph();
    await expect.poll(() => stack.ordersOf(quoteId).length, { timeout: 10_000 }).toBe(1);
    expect(stack.ordersOf(quoteId)[0]!.number).toBe(accepted.order!.number);
    expect(await duplicateMetric('deleted')).toBe(1);
    expectNoSilentDuplicate(quoteId);
  });
});

describe('the ERP commits a held create 3 min later', () => {
  it('the accepted order was released meanwhile: it stays, the late Draft goes', async () => {
    const quoteId = quotes[next++]!;
    const key = newKey('late-3min');
    const accepted = await lateCommit(quoteId, key, COMMIT_AFTER_3MIN, (final) => {
      // The warehouse releases the order the quote names while the abandoned create is still held.
      release(stack.ordersOf(quoteId).find((order) => order.number === final.order!.number)!);
    });
    await submitted(stack, quoteId, key);
    expect(stack.ordersOf(quoteId).map((order) => [order.number, order.status])).toEqual([
      [accepted.order!.number, 'Open'],
    ]);
    expectNoSilentDuplicate(quoteId);
  });

  it('both orders released before anyone looked: neither can be deleted, so the quote is flagged for a person, counted, and stays flagged', async () => {
    const quoteId = quotes[next++]!;
    const key = newKey('late-3min-flag');
    const flaggedBefore = await duplicateMetric('flagged');
    const accepted = await lateCommit(quoteId, key, COMMIT_AFTER_3MIN);
    for (const order of stack.ordersOf(quoteId)) release(order);
    stack.resetTraffic();

    const replay = await submitted(stack, quoteId, key);
    expect(replay).toMatchObject({
      status: 'ACCEPTED_BY_ERP',
      replayed: true,
      order: { number: accepted.order!.number },
    });
    expect(stack.ordersOf(quoteId)).toHaveLength(2);
    expect(stack.erpRequests('DELETE salesOrders')).toBe(0);
    const late = stack.ordersOf(quoteId).find((order) => order.number !== accepted.order!.number)!;
    const quote = stack.quoteRecord(quoteId);
    expect(quote).toMatchObject({ ERP_Sync_Status__c: 'Error', ERP_Order_Number__c: accepted.order!.number });
    expect(String(quote.ERP_Sync_Message__c)).toMatch(
      new RegExp(`^\\[ERP_DUPLICATE_ORDER\\] .*${late.number}.*cannot be deleted`),
    );
    expect(await duplicateMetric('flagged')).toBe(flaggedBefore + 1);
    expectNoSilentDuplicate(quoteId);

    // Asked again, nothing changes and nothing is written again (the quote already says so).
    stack.resetTraffic();
    await submitted(stack, quoteId, key);
    expect(stack.sfRequests('collections update')).toBe(0);
    expect(await duplicateMetric('flagged')).toBe(flaggedBefore + 1);
    // A new key for the quote confirms the order and keeps the flag (never a third order).
    const other = await submitted(stack, quoteId, newKey('late-3min-flag-other'));
    expect(other).toMatchObject({
      status: 'ACCEPTED_BY_ERP',
      reasonCode: 'ERP_DUPLICATE_ORDER',
      order: { number: accepted.order!.number },
    });
    expect(stack.ordersOf(quoteId)).toHaveLength(2);
    expect(stack.quoteRecord(quoteId).ERP_Sync_Status__c).toBe('Error');
  });
});

describe('an ERP that refuses the connection at the create', () => {
  it('nothing was sent: RETRY_REQUIRED (ERP_UNAVAILABLE) at once, and the retry sends the order without waiting out a settle window', async () => {
    const quoteId = quotes[next++]!;
    const key = newKey('refused');
    stack.probe.on(async (step) => {
      if (step === 'before-erp-call') await stack.erpProxy!.refuse();
    });
    let first: Submission;
    try {
      first = await submitted(stack, quoteId, key);
    } finally {
      stack.probe.on(null);
      await stack.erpProxy!.resume();
    }
    expect(first).toMatchObject({ status: 'RETRY_REQUIRED', reasonCode: 'ERP_UNAVAILABLE', order: null });
    expect(first.message).toMatch(/nothing was created/);
    expect(stack.ordersOf(quoteId)).toHaveLength(0);
    const [attempt] = await stack.erpStore.audit.list({ idempotencyKey: key });
    expect(attempt).toMatchObject({ operation: 'createSalesOrder', status: 'failed', error: { neverSent: true } });
    // Well within the (2 s) window: no wait, one order.
    expect(await submitted(stack, quoteId, key)).toMatchObject({ status: 'ACCEPTED_BY_ERP' });
    expect(stack.ordersOf(quoteId)).toHaveLength(1);
  });
});

describe('the ERP subgraph’s answer is lost after it created the order (it died mid-submit, as seen from the gateway)', () => {
  it('the gateway answers MUTATION_OUTCOME_UNKNOWN, not ERP_UNAVAILABLE; the retry with the same key returns the order', async () => {
    const quoteId = quotes[next++]!;
    const key = newKey('subgraph-answer-lost');
    // The first request to the ERP subgraph (the mutation) runs, its answer never reaches the gateway.
    stack.erpSubgraphProxy!.add({ method: 'POST', path: /^\/graphql$/, action: { kind: 'drop-answer' } });
    const { body } = await submit(stack, quoteId, key);
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['MUTATION_OUTCOME_UNKNOWN']);
    expect(body.errors![0]!.message).toMatch(/same idempotency key/);
    // It did create the order.
    expect(stack.ordersOf(quoteId)).toHaveLength(1);
    const retry = await submitted(stack, quoteId, key);
    expect(retry).toMatchObject({
      status: 'ACCEPTED_BY_ERP',
      replayed: true,
      order: { number: stack.ordersOf(quoteId)[0]!.number },
    });
    expect(stack.ordersOf(quoteId)).toHaveLength(1);
  });
});
