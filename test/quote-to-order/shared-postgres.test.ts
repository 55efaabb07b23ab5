// Two complete sets of subgraphs and gateways — each with its own shield, store connection pool and
// submitQuote instance, as two deployments' processes would have — sharing one PostgreSQL database.
// Concurrent submissions spread over both never create a second ERP order, whatever the keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { acceptableQuotes, newKey, submit } from './support/operations.js';
import { QuoteStack } from './support/stack.js';

let database: TestDatabase;
let stack: QuoteStack;
let quotes: string[];

beforeAll(async () => {
  database = await createTestDatabase();
  stack = await QuoteStack.start({ databaseUrl: database.url, instances: 2 });
  quotes = await acceptableQuotes(stack, 2);
});

afterAll(async () => {
  await stack?.close();
  await database?.drop();
});

type Payload = { status: string; replayed: boolean; reasonCode: string | null; order: { number: string } | null };

async function spread(quoteId: string, keyFor: (i: number) => string) {
  const results = await Promise.all(
    Array.from({ length: 50 }, (_, i) => submit(stack, quoteId, keyFor(i), { instance: i % 2 })),
  );
  return {
    payloads: results.filter((r) => r.body.data).map((r) => r.body.data.submitQuote as Payload),
    errors: results.filter((r) => r.body.errors).map((r) => String(r.body.errors![0]!.extensions?.code)),
  };
}

describe('two instances sharing PostgreSQL', () => {
  it('50 concurrent calls with one key, spread over both, create exactly one ERP order', async () => {
    const quoteId = quotes[0]!;
    const key = newKey('fifty-shared');
    stack.resetTraffic();
    const { payloads, errors } = await spread(quoteId, () => key);
    expect(errors.filter((code) => code !== 'IDEMPOTENCY_KEY_IN_PROGRESS')).toEqual([]);
    expect(payloads.every((p) => p.status === 'ACCEPTED_BY_ERP')).toBe(true);
    expect(payloads.filter((p) => !p.replayed)).toHaveLength(1);
    expect(stack.ordersOf(quoteId)).toHaveLength(1);
    expect(stack.erpRequests('POST salesOrders')).toBe(1);
    // Both instances replay the same result.
    for (const instance of [0, 1]) {
      const { body } = await submit(stack, quoteId, key, { instance });
      expect(body.data.submitQuote).toMatchObject({
        replayed: true,
        order: { number: stack.ordersOf(quoteId)[0]!.number },
      });
    }
  });

  it('50 concurrent calls with 50 different keys for one quote still create one order', async () => {
    const quoteId = quotes[1]!;
    stack.resetTraffic();
    const { payloads, errors } = await spread(quoteId, (i) => newKey(`many-${i}`));
    expect(errors).toEqual([]);
    // Each call either created or confirmed the one order, or was told another submission was running.
    for (const p of payloads) {
      expect(
        p.status === 'ACCEPTED_BY_ERP' || (p.status === 'RETRY_REQUIRED' && p.reasonCode === 'SUBMISSION_IN_PROGRESS'),
      ).toBe(true);
    }
    expect(payloads.some((p) => p.status === 'ACCEPTED_BY_ERP')).toBe(true);
    expect(stack.ordersOf(quoteId)).toHaveLength(1);
    expect(stack.erpRequests('POST salesOrders')).toBe(1);
  });
});
