// The business-central adapter against the real ERP emulator (a Business Central API v2.0 subset):
// every port method returns the dataset's rows for 50 customers in ONE request, pages are followed,
// tokens refresh on 401, faults map to the right BackendError, money is exact.
import { Big } from 'big.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackendError } from '../../lib/backend-error.js';
import { createLogger } from '../../lib/logger.js';
import { createErpConnector, type BusinessCentralOptions, type ErpPort } from '../../connectors/erp/index.js';
import { loadErpEmulatorConfig, startErpEmulator, type RunningErpEmulator } from '../../emulators/erp/index.js';
import { generateDataset, type ErpDataset } from '../../emulators/seed/index.js';

const logger = createLogger('erp-bc-test', 'silent');
const ctx = { correlationId: 'corr-erp-bc-test' };

let dataset: ErpDataset;
let emulator: RunningErpEmulator;
let erp: ErpPort;
let customerNumbers: string[];

function options(running: RunningErpEmulator, overrides: Partial<BusinessCentralOptions> = {}): BusinessCentralOptions {
  return {
    kind: 'business-central',
    baseUrl: running.apiUrl,
    tokenUrl: running.tokenUrl,
    clientId: 'customer360-erp-dev',
    clientSecret: 'customer360-erp-dev-secret',
    scope: 'https://api.businesscentral.dynamics.com/.default',
    timeoutMs: 5000,
    ...overrides,
  };
}

async function start(pageSize: number): Promise<RunningErpEmulator> {
  const config = loadErpEmulatorConfig({ EMULATOR_ERP_PORT: '0', EMULATOR_ERP_PAGE_SIZE: String(pageSize) });
  return startErpEmulator(config, { dataset });
}

interface Stats {
  total: number;
  byRoute: Record<string, number>;
  recent: Array<{ route: string; correlationId: string | null; status: number }>;
}

async function stats(running = emulator): Promise<Stats> {
  return (await fetch(`${running.url}/__emulator/stats`)).json() as Promise<Stats>;
}

async function resetStats(running = emulator): Promise<void> {
  await fetch(`${running.url}/__emulator/stats`, { method: 'DELETE' });
}

async function setFaults(faults: Record<string, unknown> | null): Promise<void> {
  const response = await fetch(`${emulator.url}/__emulator/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(faults ?? {}),
  });
  expect(response.ok).toBe(true);
}

async function failure(promise: Promise<unknown>): Promise<BackendError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a BackendError');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackendError);
  return error as BackendError;
}

const m = (n: number) => new Big(n).toFixed(2);
const byDateDescNumberDesc =
  <T extends { number: string }>(date: (r: T) => string) =>
  (a: T, b: T) =>
    date(b).localeCompare(date(a)) || b.number.localeCompare(a.number);

beforeAll(async () => {
  dataset = generateDataset({ accounts: 60, seed: 7 }).erp;
  emulator = await start(1000);
  erp = createErpConnector(options(emulator), logger);
  customerNumbers = dataset.customers.slice(0, 50).map((c) => c.number);
  await erp.ping(ctx); // token + company discovery, so each test below counts only its own requests
});

afterAll(async () => {
  await emulator?.close();
});

beforeEach(async () => {
  await setFaults(null);
  await resetStats();
});

/** Runs a port call and asserts it cost exactly one API request, on the given route. */
async function oneRequest<T>(route: string, call: () => Promise<T>): Promise<T> {
  const result = await call();
  const { byRoute, total } = await stats();
  expect(byRoute).toEqual({ [route]: 1 });
  expect(total).toBe(1);
  return result;
}

describe('every port method: right rows, ONE request for 50 customers', () => {
  it('customersByNumbers', async () => {
    const unknown = "C00001' or number ne '";
    const result = await oneRequest('GET customers', () =>
      erp.customersByNumbers([...customerNumbers, ...customerNumbers, unknown, "O'Brien"], ctx),
    );
    expect([...result.keys()].sort()).toEqual([...customerNumbers].sort());
    for (const c of dataset.customers.slice(0, 50)) {
      const got = result.get(c.number)!;
      expect(got).toMatchObject({
        number: c.number,
        name: c.displayName,
        currency: c.currencyCode,
        paymentTermsId: c.paymentTermsId,
        creditLimit: m(c.creditLimit),
        balanceDue: m(c.balanceDue),
        taxLiable: c.taxLiable,
        updatedAt: c.lastModifiedDateTime,
      });
      expect(got.address.line1).toBe(c.addressLine1 || null);
      expect(got.blocked).toBe({ ' ': 'none', Ship: 'ship', Invoice: 'invoice', All: 'all' }[c.blocked]);
    }
  });

  it('financialsByCustomers', async () => {
    const result = await oneRequest('GET customerFinancialDetails', () =>
      erp.financialsByCustomers(customerNumbers, ctx),
    );
    expect(result.size).toBe(50);
    for (const f of dataset.customerFinancialDetails.filter((d) => customerNumbers.includes(d.number))) {
      expect(result.get(f.number)).toEqual({
        customerNumber: f.number,
        balance: m(f.balance),
        overdueAmount: m(f.overdueAmount),
        totalSalesExcludingTax: m(f.totalSalesExcludingTax),
      });
    }
  });

  it('paymentTermsByIds (GUID literals; any case; malformed ids absent)', async () => {
    const ids = [...new Set(dataset.customers.map((c) => c.paymentTermsId))];
    const upper = ids[0]!.toUpperCase();
    const result = await oneRequest('GET paymentTerms', () =>
      erp.paymentTermsByIds([...ids, upper, 'nope', "x' or id ne '"], ctx),
    );
    expect(result.size).toBe(ids.length + 1);
    for (const t of dataset.paymentTerms.filter((p) => ids.includes(p.id))) {
      expect(result.get(t.id)).toEqual({
        id: t.id,
        code: t.code,
        name: t.displayName,
        dueDateCalculation: t.dueDateCalculation,
      });
    }
    expect(result.get(upper)?.id).toBe(ids[0]);
  });

  it('openInvoicesByCustomers: open only, by due date; remaining adds up to balanceDue to the cent', async () => {
    const result = await oneRequest('GET salesInvoices', () => erp.openInvoicesByCustomers(customerNumbers, ctx));
    expect(result.size).toBe(50);
    let openCount = 0;
    for (const c of dataset.customers.slice(0, 50)) {
      const expected = dataset.salesInvoices
        .filter((i) => i.customerNumber === c.number && i.status === 'Open')
        .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.number.localeCompare(b.number));
      const got = result.get(c.number)!;
      openCount += got.length;
      expect(got.map((i) => i.number)).toEqual(expected.map((i) => i.number));
      expect(got.every((i) => i.status === 'open')).toBe(true);
      got.forEach((i, k) => {
        expect(i.remaining).toBe(m(expected[k]!.remainingAmount));
        expect(i.totalIncludingTax).toBe(m(expected[k]!.totalAmountIncludingTax));
        expect(i.totalExcludingTax).toBe(m(expected[k]!.totalAmountExcludingTax));
      });
      const sum = got.reduce((acc, i) => acc.plus(i.remaining), new Big(0));
      expect(sum.toFixed(2)).toBe(m(c.balanceDue));
    }
    expect(openCount).toBeGreaterThan(0);
  });

  it('ordersByCustomers: with lines, newest first; line amounts add up to the order total', async () => {
    const result = await oneRequest('GET salesOrders', () => erp.ordersByCustomers(customerNumbers, ctx));
    expect(result.size).toBe(50);
    let orders = 0;
    for (const number of customerNumbers) {
      const expected = dataset.salesOrders
        .filter((o) => o.customerNumber === number)
        .sort(byDateDescNumberDesc((o) => o.orderDate));
      const got = result.get(number)!;
      orders += got.length;
      expect(got.map((o) => o.number)).toEqual(expected.map((o) => o.number));
      got.forEach((o, k) => {
        const e = expected[k]!;
        expect(o).toMatchObject({
          id: e.id,
          status: e.status.toLowerCase().replace(' ', '_'),
          totalIncludingTax: m(e.totalAmountIncludingTax),
        });
        expect(o.lines.map((l) => [l.itemNumber, l.quantity, l.unitPrice, l.amount])).toEqual(
          [...e.salesOrderLines]
            .sort((a, b) => a.sequence - b.sequence)
            .map((l) => [l.lineObjectNumber, l.quantity, m(l.unitPrice), m(l.netAmount)]),
        );
        expect(o.lines.reduce((acc, l) => acc.plus(l.amount), new Big(0)).toFixed(2)).toBe(o.totalExcludingTax);
      });
    }
    expect(orders).toBeGreaterThan(50);
  });

  it('ordersByNumbers', async () => {
    const numbers = dataset.salesOrders.slice(0, 50).map((o) => o.number);
    const result = await oneRequest('GET salesOrders', () => erp.ordersByNumbers([...numbers, 'SO-0'], ctx));
    expect([...result.keys()].sort()).toEqual([...numbers].sort());
    expect(result.get(numbers[0]!)!.lines.length).toBe(dataset.salesOrders[0]!.salesOrderLines.length);
  });

  it('ordersByExternalDocumentNumbers', async () => {
    const refs = [...new Set(dataset.salesOrders.map((o) => o.externalDocumentNumber).filter(Boolean))].slice(0, 50);
    expect(refs.length).toBeGreaterThan(0);
    const result = await oneRequest('GET salesOrders', () =>
      erp.ordersByExternalDocumentNumbers([...refs, 'SFQ-none'], ctx),
    );
    for (const ref of refs) {
      expect(
        result
          .get(ref)!
          .map((o) => o.number)
          .sort(),
      ).toEqual(
        dataset.salesOrders
          .filter((o) => o.externalDocumentNumber === ref)
          .map((o) => o.number)
          .sort(),
      );
    }
    expect(result.get('SFQ-none')).toEqual([]);
  });

  it('shipmentsByCustomers and shipmentsByOrderNumbers: lines, lots, carrier, tracking', async () => {
    const byCustomer = await oneRequest('GET salesShipments', () => erp.shipmentsByCustomers(customerNumbers, ctx));
    let count = 0;
    for (const number of customerNumbers) {
      const expected = dataset.salesShipments
        .filter((s) => s.customerNumber === number)
        .sort(byDateDescNumberDesc((s) => s.shipmentDate));
      const got = byCustomer.get(number)!;
      count += got.length;
      expect(got.map((s) => s.number)).toEqual(expected.map((s) => s.number));
      got.forEach((s, k) => {
        const e = expected[k]!;
        expect(s.carrier).toBe(e.shippingAgentCode || null);
        expect(s.trackingNumber).toBe(e.packageTrackingNo || null);
        expect(s.lines.map((l) => [l.itemNumber, l.quantity, l.lotNumbers])).toEqual(
          [...e.salesShipmentLines]
            .sort((a, b) => a.sequence - b.sequence)
            .map((l) => [l.lineObjectNumber, l.quantity, l.lotNumbers]),
        );
      });
    }
    expect(count).toBeGreaterThan(0);

    await resetStats();
    const orderNumbers = [...new Set(dataset.salesShipments.slice(0, 50).map((s) => s.orderNumber))];
    const byOrder = await oneRequest('GET salesShipments', () => erp.shipmentsByOrderNumbers(orderNumbers, ctx));
    for (const orderNumber of orderNumbers) {
      expect(
        byOrder
          .get(orderNumber)!
          .map((s) => s.number)
          .sort(),
      ).toEqual(
        dataset.salesShipments
          .filter((s) => s.orderNumber === orderNumber)
          .map((s) => s.number)
          .sort(),
      );
    }
  });

  it('itemsByNumbers', async () => {
    const numbers = dataset.items.map((i) => i.number);
    const result = await oneRequest('GET items', () => erp.itemsByNumbers(numbers, ctx));
    expect(result.size).toBe(numbers.length);
    for (const i of dataset.items) {
      expect(result.get(i.number)).toEqual({
        number: i.number,
        name: i.displayName,
        type: 'inventory',
        category: i.itemCategoryCode || null,
        blocked: i.blocked,
        unitOfMeasure: i.baseUnitOfMeasureCode,
        unitPrice: m(i.unitPrice),
        inventory: i.inventory,
      });
    }
  });

  it('ping', async () => {
    await oneRequest('GET companies', () => erp.ping(ctx));
  });
});

describe('wire behaviour', () => {
  it('records the correlation id on every request', async () => {
    await erp.customersByNumbers(customerNumbers.slice(0, 3), { correlationId: 'corr-abc-123' });
    const { recent } = await stats();
    expect(recent.filter((r) => r.route === 'GET customers').map((r) => r.correlationId)).toEqual(['corr-abc-123']);
  });

  it('reuses the token; on 401 (tokens revoked) refreshes once and repeats once', async () => {
    await erp.itemsByNumbers(['1000-A'], ctx);
    expect((await stats()).byRoute.token).toBeUndefined();
    await fetch(`${emulator.url}/__emulator/tokens`, { method: 'DELETE' });
    await resetStats();
    const result = await erp.customersByNumbers(customerNumbers.slice(0, 2), ctx);
    expect(result.size).toBe(2);
    expect((await stats()).byRoute).toEqual({ 'GET customers': 2, token: 1 });
  });

  it('follows @odata.nextLink: every row exactly once', async () => {
    const small = await start(7);
    try {
      const paged = createErpConnector(options(small, { companyId: small.emulator.companyId }), logger);
      const result = await paged.ordersByCustomers(customerNumbers, ctx);
      const numbers = [...result.values()].flat().map((o) => o.number);
      const expected = dataset.salesOrders.filter((o) => customerNumbers.includes(o.customerNumber));
      expect(numbers.length).toBe(expected.length);
      expect(new Set(numbers).size).toBe(numbers.length);
      expect(numbers.sort()).toEqual(expected.map((o) => o.number).sort());
      const { byRoute } = await stats(small);
      expect(byRoute['GET salesOrders']).toBe(Math.ceil(expected.length / 7));
      expect(byRoute['GET salesOrders']).toBeGreaterThan(1);
    } finally {
      await small.close();
    }
  });
});

describe('failures', () => {
  it('deadline: latency above timeoutMs → timeout, within about timeoutMs', async () => {
    const fast = createErpConnector(
      options(emulator, { companyId: emulator.emulator.companyId, timeoutMs: 300 }),
      logger,
    );
    await fast.ping(ctx); // token first, so only the API call is slowed
    await setFaults({ latencyMs: 3000, pathPattern: '/api/v2\\.0/companies\\(' });
    const started = Date.now();
    const error = await failure(fast.customersByNumbers(['C00001'], ctx));
    const elapsed = Date.now() - started;
    expect(error.failure).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(1500);
  });

  it.each([
    [{ status: 503 }, 'unavailable'],
    [{ status: 500 }, 'unavailable'],
    [{ status: 429 }, 'rate_limited'],
    [{ outage: true }, 'unavailable'],
  ] as const)('fault %o → %s', async (fault, expected) => {
    await setFaults({ ...fault, pathPattern: '/api/v2\\.0/companies\\(' });
    const error = await failure(erp.ordersByCustomers(customerNumbers, ctx));
    expect(error.failure).toBe(expected);
    expect(error.backend).toBe('erp');
    // The connection was up: whether the ERP acted on the request is not known.
    expect(error.details.neverSent).toBeUndefined();
  });

  it('an ERP nobody listens on → unavailable, marked neverSent (nothing can have been created)', async () => {
    const closed = await start(1000);
    const { companyId } = closed.emulator;
    await closed.close();
    const gone = createErpConnector(options(closed, { companyId }), logger);
    const error = await failure(
      gone.createSalesOrder(
        {
          customerNumber: 'C00001',
          externalDocumentNumber: 'SFQ-NEVER',
          lines: [{ itemNumber: 'ITEM-1', quantity: 1 }],
        },
        ctx,
      ),
    );
    expect(error.failure).toBe('unavailable');
    expect(error.details.neverSent).toBe(true);
  });

  it('wrong client secret → unauthorized', async () => {
    const bad = createErpConnector(options(emulator, { clientSecret: 'wrong' }), logger);
    const error = await failure(bad.ping(ctx));
    expect(error.failure).toBe('unauthorized');
    expect(error.details.backendCode).toBe('invalid_client');
  });
});

describe('createSalesOrder', () => {
  it('creates the order with its lines in one request; found again by externalDocumentNumber', async () => {
    const customer = dataset.customers.find((c) => c.blocked === ' ')!;
    const [first, second] = dataset.items.filter((i) => !i.blocked);
    const ref = 'SFQ-TEST-0001';
    const created = await erp.createSalesOrder(
      {
        customerNumber: customer.number,
        externalDocumentNumber: ref,
        lines: [
          { itemNumber: first!.number, quantity: 3, unitPrice: '12.34', discountPercent: 10 },
          { itemNumber: second!.number, quantity: 2 },
        ],
      },
      ctx,
    );
    expect((await stats()).byRoute).toEqual({ 'POST salesOrders': 1 });
    expect(created).toMatchObject({
      customerNumber: customer.number,
      externalDocumentNumber: ref,
      currency: customer.currencyCode,
    });
    expect(created.lines.map((l) => [l.itemNumber, l.quantity, l.unitPrice, l.discountPercent])).toEqual([
      [first!.number, 3, '12.34', 10],
      [second!.number, 2, m(second!.unitPrice), 0],
    ]);
    // 3 × 12.34 × 0.9 = 33.318 → 33.32 (BC rounds line amounts to the cent)
    expect(created.lines[0]!.amount).toBe('33.32');
    expect(created.lines.reduce((acc, l) => acc.plus(l.amount), new Big(0)).toFixed(2)).toBe(created.totalExcludingTax);

    const found = await erp.ordersByExternalDocumentNumbers([ref], ctx);
    expect(found.get(ref)).toEqual([created]);
  });

  it('an order BC refuses (unknown item) → rejected, with the BC error code', async () => {
    const customer = dataset.customers.find((c) => c.blocked === ' ')!;
    const error = await failure(
      erp.createSalesOrder(
        {
          customerNumber: customer.number,
          externalDocumentNumber: 'SFQ-TEST-0002',
          lines: [{ itemNumber: 'NO-SUCH-ITEM', quantity: 1 }],
        },
        ctx,
      ),
    );
    expect(error.failure).toBe('rejected');
    expect(error.details.status).toBe(400);
    expect(error.details.backendCode).toBeTruthy();
  });
});

describe('deleteSalesOrder', () => {
  const newOrder = (ref: string) => {
    const customer = dataset.customers.find((c) => c.blocked === ' ')!;
    const item = dataset.items.find((i) => !i.blocked)!;
    return erp.createSalesOrder(
      {
        customerNumber: customer.number,
        externalDocumentNumber: ref,
        lines: [{ itemNumber: item.number, quantity: 1 }],
      },
      ctx,
    );
  };

  it('deletes a draft order in one DELETE with If-Match; deleting it again is not_found', async () => {
    const created = await newOrder('SFQ-TEST-DEL1');
    await resetStats();
    expect(await erp.deleteSalesOrder!(created, ctx)).toBe('deleted');
    expect((await stats()).byRoute).toEqual({ 'DELETE salesOrders': 1 });
    expect((await erp.ordersByExternalDocumentNumbers(['SFQ-TEST-DEL1'], ctx)).get('SFQ-TEST-DEL1')).toEqual([]);
    expect(await erp.deleteSalesOrder!(created, ctx)).toBe('not_found');
  });

  it('a released order is refused by the ERP: rejected, with its status-test error code', async () => {
    const created = await newOrder('SFQ-TEST-DEL2');
    const table = emulator.emulator.store.table('salesOrders');
    table.update(table.get(created.id)!, { status: 'Open' });
    const error = await failure(erp.deleteSalesOrder!(created, ctx));
    expect(error.failure).toBe('rejected');
    expect(error.details).toMatchObject({ status: 400, backendCode: 'Application_FieldValidationException' });
    expect((await erp.ordersByExternalDocumentNumbers(['SFQ-TEST-DEL2'], ctx)).get('SFQ-TEST-DEL2')).toHaveLength(1);
  });
});
