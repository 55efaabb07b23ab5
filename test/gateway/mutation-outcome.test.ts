// A mutation whose subgraph request was sent but never answered (the subgraph died mid-request, or
// the gateway's deadline passed) may have taken effect: the gateway says MUTATION_OUTCOME_UNKNOWN
// ("retry with the same idempotency key"), never the "nothing happened, try later" of ERP_UNAVAILABLE.
// ERP_UNAVAILABLE stays for what certainly never reached the subgraph, and for queries.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { unknownMutationOutcome } from '../../gateway/mutation-outcome.js';
import { startHarness, type Harness } from './support/gateway-harness.js';

const SUBMIT = /* GraphQL */ `
  mutation Submit($quoteId: ID!, $key: String!) {
    submitQuote(input: { quoteId: $quoteId, idempotencyKey: $key }) {
      status
      reasonCode
      message
    }
  }
`;
const variables = { quoteId: '0Q08d0000000019CAA', key: 'gateway-outcome-0001' };

interface Body {
  data?: unknown;
  errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
}

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});
afterEach(() => {
  harness.erp.mode = 'ok';
});

async function run(query: string, vars: Record<string, unknown> = variables): Promise<Body> {
  return (await (await harness.graphql({ query, variables: vars })).json()) as Body;
}

describe('a mutation the subgraph received but never answered', () => {
  it.each(['drop', 'hang', 'bad-gateway'] as const)(
    '%s → MUTATION_OUTCOME_UNKNOWN: retry with the same key',
    async (mode) => {
      harness.erp.mode = mode;
      const body = await run(SUBMIT);
      expect(body.data ?? null).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]).toMatchObject({
        path: ['submitQuote'],
        extensions: { code: 'MUTATION_OUTCOME_UNKNOWN' },
      });
      expect(body.errors![0]!.message).toMatch(/may or may not have taken effect.*same idempotency key/);
      // It did reach the subgraph.
      expect(harness.erp.correlationIds.length).toBeGreaterThan(0);
    },
  );

  it('a query in the same situation is still ERP_UNAVAILABLE (nothing to be unsure about)', async () => {
    harness.erp.mode = 'drop';
    const body = await run('{ accountByErpNumber(erpCustomerNumber: "C00001") { name credit { onHold } } }', {});
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['ERP_UNAVAILABLE']);
  });
});

describe('classification', () => {
  const mutation = 'mutation { submitQuote(input: { quoteId: "x", idempotencyKey: "y" }) { status } }';
  const connectError = Object.assign(new TypeError('fetch failed'), {
    cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
  });
  const resetError = Object.assign(new TypeError('fetch failed'), {
    cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
  });
  const answered = (status: number) => Object.assign(new Error(`${status}`), { extensions: { response: { status } } });

  it('never sent (connection refused, unresolvable host) → null: ERP_UNAVAILABLE applies', () => {
    expect(unknownMutationOutcome('erp', mutation, connectError)).toBeNull();
    expect(unknownMutationOutcome('erp', mutation, { cause: { code: 'ENOTFOUND' } })).toBeNull();
  });

  it('a 4xx answer refused the request before it ran → null; a 5xx, a reset or a timeout → unknown', () => {
    expect(unknownMutationOutcome('erp', mutation, answered(400))).toBeNull();
    expect(unknownMutationOutcome('erp', mutation, answered(401))).toBeNull();
    expect(unknownMutationOutcome('erp', mutation, answered(502))?.extensions).toEqual({
      code: 'MUTATION_OUTCOME_UNKNOWN',
    });
    expect(unknownMutationOutcome('erp', mutation, resetError)?.extensions).toEqual({
      code: 'MUTATION_OUTCOME_UNKNOWN',
    });
    expect(
      unknownMutationOutcome('salesforce', mutation, Object.assign(new Error('timeout'), { name: 'TimeoutError' }))
        ?.message,
    ).toMatch(/Salesforce service/);
  });

  it('queries are never unknown', () => {
    expect(unknownMutationOutcome('erp', '{ __typename }', resetError)).toBeNull();
    expect(unknownMutationOutcome('erp', undefined, resetError)).toBeNull();
  });
});

describe('a mutation to a subgraph nobody listens on', () => {
  it('is ERP_UNAVAILABLE: nothing was sent', async () => {
    await harness.erp.close();
    const body = await run(SUBMIT);
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['ERP_UNAVAILABLE']);
  });
});
