// Smoke test of the whole embedded stack in one process (stack/in-process.ts): real emulators,
// real subgraphs, the real gateway and the composed supergraph.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type InProcessStack } from '../../stack/in-process.js';

let stack: InProcessStack;
beforeAll(async () => {
  stack = await startStack({ seedAccounts: 10 });
});
afterAll(async () => {
  await stack?.close();
});

interface Stats {
  total: number;
  recent: { correlationId?: string }[];
}

describe('in-process stack', () => {
  it('answers a customer-360 query by ERP number with Salesforce and ERP fields', async () => {
    const response = await fetch(`${stack.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-correlation-id': 'stack-smoke-1',
        authorization: `Bearer ${await stack.token({ role: 'sales' })}`,
      },
      body: JSON.stringify({
        query: `query Customer360($erp: String!) {
          accountByErpNumber(erpCustomerNumber: $erp) {
            id
            name
            erpCustomerNumber
            credit { limit { amount currency } available { amount currency } onHold paymentTerms { code } }
          }
        }`,
        variables: { erp: 'C00001' },
      }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      data?: {
        accountByErpNumber: {
          id: string;
          name: string;
          erpCustomerNumber: string;
          credit: { limit: { amount: string; currency: string } };
        };
      };
      errors?: unknown;
    };
    expect(body.errors).toBeUndefined();
    const account = body.data!.accountByErpNumber;
    expect(account.erpCustomerNumber).toBe('C00001');
    expect(account.id).toMatch(/^[A-Za-z0-9]{18}$/);
    expect(account.name.length).toBeGreaterThan(0);
    expect(account.credit.limit).toEqual({
      amount: expect.stringMatching(/^-?\d+\.\d{2}$/),
      currency: expect.stringMatching(/^[A-Z]{3}$/),
    });

    // The client's correlation id reached both backends.
    for (const emulatorUrl of [stack.salesforceEmulatorUrl, stack.erpEmulatorUrl]) {
      const stats = (await (await fetch(`${emulatorUrl}/__emulator/stats`)).json()) as Stats;
      expect(
        stats.recent.map((request) => request.correlationId),
        emulatorUrl,
      ).toContain('stack-smoke-1');
    }
  });

  it('is ready', async () => {
    const response = await fetch(`${stack.gatewayUrl}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', subgraphs: { salesforce: 'ready', erp: 'ready' } });
  });

  it('answers 50 probes of every /readyz without spending a backend call on each', async () => {
    const emulators = [stack.salesforceEmulatorUrl, stack.erpEmulatorUrl];
    await Promise.all(emulators.map((url) => fetch(`${url}/__emulator/stats`, { method: 'DELETE' })));
    for (let i = 0; i < 50; i += 1) {
      for (const url of [stack.gatewayUrl, stack.salesforceSubgraphUrl, stack.erpSubgraphUrl]) {
        const response = await fetch(`${url}/readyz`);
        expect(response.status, url).toBe(200);
        await response.body?.cancel();
      }
    }
    // The backends were just seen answering (the query above): no check is due for 30 s. At most one
    // check per subgraph per READINESS_CHECK_INTERVAL_S, whatever the number of probes.
    for (const url of emulators) {
      const stats = (await (await fetch(`${url}/__emulator/stats`)).json()) as Stats;
      expect(stats.total, url).toBeLessThanOrEqual(1);
    }
  });
});
