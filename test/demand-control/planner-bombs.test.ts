// Small documents that cost the query planner exponential work, against the real gateway.
//
// Fragment fan-out: each fragment spreads the next one twice, so a document of n fragments expands
// to 2^n selections while it stays shallow, alias-free, within the root-field limit and cheap
// (scalars cost nothing). The planner's work grows with the expanded operation (over a second at 13
// levels when the spreads carry @include/@skip), so demand control must refuse such a document on
// its expanded size, before planning, in a few milliseconds whatever its depth; and /healthz must
// keep answering while bombs arrive.
//
// Nested literals: an argument value written in the document with n nested lists costs the planner
// 2^n (24 levels of RowFilter and/or took 20 s), so it is refused on its nesting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../gateway/support/gateway-harness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

/** n fragments on Account, each spreading the next twice; the spreads carry @include/@skip when `conditioned`. */
function bomb(levels: number, conditioned: boolean): string {
  const spreads = (name: string) =>
    conditioned ? `...${name} @include(if: true) ...${name} @skip(if: false)` : `...${name} ...${name}`;
  const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Account { ${spreads(`F${i + 1}`)} }`);
  return [
    'query Bomb { accountByErpNumber(erpCustomerNumber: "C00001") { ...F0 } }',
    ...fragments,
    `fragment F${levels} on Account { id name erpCustomerNumber }`,
  ].join('\n');
}

/** Selections as the gateway counts them: the root field, its spread, 2 + 4 + … + 2^n spreads, 3 fields 2^n times. */
const expanded = (levels: number) => 2 + (2 ** (levels + 1) - 2) + 3 * 2 ** levels;

async function post(query: string) {
  const started = performance.now();
  const response = await harness.graphql({ query });
  const body = (await response.json()) as {
    data?: unknown;
    errors?: { message: string; extensions: Record<string, unknown> }[];
  };
  return { status: response.status, body, ms: performance.now() - started };
}

async function planCacheEntries(): Promise<number> {
  const text = await (await fetch(`${harness.gateway.url}/metrics`)).text();
  return Number(/^gateway_query_plan_cache_entries (\d+)$/m.exec(text)?.[1]);
}

describe('fragment fan-out', () => {
  it('runs a small fan-out within the limit', async () => {
    const { status, body } = await post(bomb(5, true));
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      accountByErpNumber: { id: '001000000000001AAA', name: 'Acme Gears', erpCustomerNumber: 'C00001' },
    });
  });

  for (const levels of [20, 30, 60]) {
    it(`refuses ${levels} levels with 400 SELECTION_LIMIT_EXCEEDED, before planning, in milliseconds`, async () => {
      const before = await planCacheEntries();
      for (const conditioned of [false, true]) {
        const { status, body, ms } = await post(bomb(levels, conditioned));
        expect(status).toBe(400);
        expect(body.data).toBeUndefined();
        expect(body.errors).toEqual([
          {
            message: expect.stringMatching(/^Selection limit exceeded: the operation expands to \d+ selections/),
            extensions: { code: 'SELECTION_LIMIT_EXCEEDED', limit: 'selections', max: 500, actual: expanded(levels) },
          },
        ]);
        // The whole HTTP round trip, token check, parse and validation included; the planner's work
        // on 20 levels would be tens of seconds.
        expect(ms).toBeLessThan(250);
      }
      // Refused operations are never planned, so they take no place in the plan cache.
      expect(await planCacheEntries()).toBe(before);
    });
  }

  it('keeps /healthz answering while bombs arrive concurrently', async () => {
    let sending = true;
    const senders = Array.from({ length: 4 }, async (_, sender) => {
      let sent = 0;
      // Different documents each time (a fresh fragment name), so no plan cache can help.
      while (sending) {
        await post(bomb(13, true).replaceAll('F13', `Leaf${sender}x${sent}`));
        sent += 1;
      }
      return sent;
    });
    const latencies: number[] = [];
    const until = performance.now() + 2_000;
    while (performance.now() < until) {
      const started = performance.now();
      const response = await fetch(`${harness.gateway.url}/healthz`);
      expect(response.status).toBe(200);
      await response.body?.cancel();
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    sending = false;
    const sent = (await Promise.all(senders)).reduce((sum, count) => sum + count, 0);
    // One 13-level bomb held the event loop for over a second before it was refused on its size.
    expect(Math.max(...latencies)).toBeLessThan(1_000);
    expect(sent).toBeGreaterThan(8);
  });

  it("answers the query planner's own size refusal as 400 SELECTION_LIMIT_EXCEEDED when the limit is raised", async () => {
    const raised = await startHarness({ DEMAND_MAX_SELECTIONS: '10000000' });
    try {
      const response = await raised.graphql({ query: bomb(15, true) });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        errors: [
          {
            message: 'Number of non-local selections exceeds limit of 100000',
            extensions: { code: 'SELECTION_LIMIT_EXCEEDED', limit: 'selections' },
          },
        ],
      });
    } finally {
      await raised.close();
    }
  });

  it('refuses an argument literal nested deeper than DEMAND_MAX_INPUT_DEPTH before planning it', async () => {
    const nested = (levels: number): string =>
      levels === 0 ? '{ field: "number", op: IS_NULL }' : `{ and: [${nested(levels - 1)}] }`;
    const { status, body, ms } = await post(`{ customers(first: 1, where: ${nested(24)}) { totalCount } }`);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toEqual({
      code: 'DEPTH_LIMIT_EXCEEDED',
      limit: 'inputDepth',
      max: 20,
      actual: 49,
    });
    expect(ms).toBeLessThan(250);
    // Within the limit it is planned and sent on (the stub subgraph has no rows to give).
    expect(
      (await post(`{ customers(first: 1, where: ${nested(9)}) { totalCount } }`)).body.errors?.[0]?.extensions?.code,
    ).not.toBe('DEPTH_LIMIT_EXCEEDED');
  });
});
