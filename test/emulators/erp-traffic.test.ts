// Traffic control on the ERP emulator: injected faults (status, outage, latency) in BC's error
// shape, and the per-route request counters tests use to count ERP calls per entity kind.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { customers, requestToken, salesOrders, startFixtureEmulator, type ErpTestClient } from './erp-fixture.js';

let erp: ErpTestClient;

beforeAll(async () => {
  erp = await startFixtureEmulator();
});
afterAll(async () => {
  await erp.running.close();
});

async function setFaults(faults: Record<string, unknown>) {
  const response = await fetch(`${erp.running.url}/__emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  expect(response.status).toBe(200);
}

async function stats(): Promise<{ total: number; byRoute: Record<string, number>; byStatus: Record<string, number> }> {
  return (await fetch(`${erp.running.url}/__emulator/stats`)).json() as never;
}

beforeEach(async () => {
  await setFaults({});
  await fetch(`${erp.running.url}/__emulator/stats`, { method: 'DELETE' });
});

describe('faults', () => {
  it('fails matching requests with the injected status in BC error JSON, others pass', async () => {
    await setFaults({ status: 503, pathPattern: 'salesInvoices' });
    const failed = await erp.call('/salesInvoices');
    expect(failed.status).toBe(503);
    const body = (await failed.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('Internal_ServiceUnavailable');
    expect(body.error.message).toMatch(/Injected fault: HTTP 503/);
    expect((await erp.call('/customers')).status).toBe(200);
    await setFaults({});
    expect((await erp.call('/salesInvoices')).status).toBe(200);
  });

  it('maps 429 to a BC throttling code and clears a counted fault by itself', async () => {
    await setFaults({ status: 429, count: 1 });
    const throttled = await erp.call('/items');
    expect(throttled.status).toBe(429);
    expect(((await throttled.json()) as { error: { code: string } }).error.code).toBe('Application_TooManyRequests');
    expect((await erp.call('/items')).status).toBe(200);
  });

  it('simulates an outage by dropping the connection', async () => {
    await setFaults({ outage: true, count: 1 });
    await expect(erp.call('/customers')).rejects.toThrow();
    expect((await erp.call('/customers')).status).toBe(200);
  });

  it('adds injected latency', async () => {
    await setFaults({ latencyMs: 150, count: 1 });
    const started = performance.now();
    expect((await erp.call('/paymentTerms')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('stats', () => {
  it('counts requests per route key: token, entity set reads, navigation, writes, failures', async () => {
    await requestToken(erp.running);
    await erp.call('/customers');
    await erp.call(`/customers(${customers[0]!.id})`);
    await erp.call('/customers/$count');
    await erp.call('/salesInvoices?$top=1');
    await erp.call(`/salesOrders(${salesOrders[0]!.id})/salesOrderLines`);
    await erp.call('/salesOrders', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerNumber: 'C00001', externalDocumentNumber: 'STATS-1' }),
    });
    await fetch(`${erp.company}/items`); // no token: 401
    await setFaults({ status: 500, pathPattern: 'salesShipments', count: 1 });
    await erp.call('/salesShipments');

    const counted = await stats();
    expect(counted.byRoute).toEqual({
      token: 1,
      'GET customers': 3,
      'GET salesInvoices': 1,
      'GET salesOrders/salesOrderLines': 1,
      'POST salesOrders': 1,
      'GET items': 1,
      'GET salesShipments': 1,
    });
    expect(counted.total).toBe(9);
    expect(counted.byStatus).toMatchObject({ '200': 6, '201': 1, '401': 1, '500': 1 });
  });

  it('does not count /__emulator requests, and DELETE /__emulator/stats resets', async () => {
    await erp.call('/items');
    await stats();
    expect((await stats()).total).toBe(1);
    await fetch(`${erp.running.url}/__emulator/stats`, { method: 'DELETE' });
    expect((await stats()).total).toBe(0);
  });
});
