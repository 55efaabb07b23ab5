// What the Tryton adapter does beyond the shared contract (test/contract/), against a real Tryton
// server whose sessions end 2 seconds after sign-in: signing in again when the session expired, taking
// up the draft an interrupted create left behind instead of making a second sale, removing the
// draft when Tryton refuses to quote it, and reporting a deactivated customer as blocked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErpConnector, type ErpPort, type TrytonOptions } from '../../connectors/erp/index.js';
import { TrytonClient } from '../../connectors/erp/tryton/client.js';
import { BackendError } from '../../lib/backend-error.js';
import { createLogger } from '../../lib/logger.js';
import { startTestTryton, TRYTON_SETUP_TIMEOUT_MS, type TestTryton } from '../contract/support/tryton.js';

const logger = createLogger('erp-tryton-test', 'silent');
const ctx = { correlationId: 'corr-erp-tryton' };

let server: TestTryton;
let erp: ErpPort;
/** JSON-RPC as the integration user, straight to the server (what another Tryton user would do). */
let rpc: TrytonClient;
let company: number;

const context = () => ({ company });

beforeAll(async () => {
  server = await startTestTryton({ sessionMaxAgeS: 2 });
  const { tryton, proxy } = server;
  const options: TrytonOptions = {
    kind: 'tryton',
    url: proxy.url,
    database: tryton.database,
    username: tryton.username,
    password: tryton.password,
    timeoutMs: 20_000,
  };
  erp = createErpConnector(options, logger);
  rpc = new TrytonClient({ ...options, url: tryton.url }, logger);
  const call = rpc.begin(ctx, 'test');
  company = (await rpc.preferences(call))['company'] as number;
}, TRYTON_SETUP_TIMEOUT_MS);

afterAll(() => server?.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const customer = () => server.tryton.prepared.seedData.erp.customers[1]!;
const item = () => server.tryton.prepared.seedData.erp.items.find((i) => !i.blocked)!;

describe('sessions', () => {
  it('an expired session (Tryton answers 401) → one new sign-in and the call repeated, transparently', async () => {
    const number = customer().number;
    expect((await erp.customersByNumbers([number], ctx)).has(number)).toBe(true);
    await sleep(3_500); // past [session] max_age = 2
    server.proxy.reset();
    expect((await erp.customersByNumbers([number], ctx)).has(number)).toBe(true);
    expect(server.proxy.stats().byMethod).toEqual({ 'model.party.party.search_read': 2, 'common.db.login': 1 });
  });
});

describe('createSalesOrder: exactly one sale per reference', () => {
  it('takes up the draft an interrupted attempt left (created, never quoted) instead of making a second sale', async () => {
    const ref = `SFQ-DRAFT-${Date.now().toString(36)}`;
    const call = rpc.begin(ctx, 'test');
    const [party] = await rpc.searchRead(call, 'party.party', {
      domain: [['code', '=', customer().number]],
      fields: ['id', 'addresses'],
      context: context(),
    });
    // What a create cut off before its quote leaves: a draft sale with the reference and no number.
    const [draftId] = (await rpc.execute(
      call,
      'sale.sale',
      'create',
      [[{ party: party!['id'], reference: ref, company }]],
      context(),
    )) as number[];
    expect((await erp.ordersByExternalDocumentNumbers([ref], ctx)).get(ref)).toEqual([]);

    const order = await erp.createSalesOrder(
      {
        customerNumber: customer().number,
        externalDocumentNumber: ref,
        lines: [{ itemNumber: item().number, quantity: 2 }],
      },
      ctx,
    );
    expect(order.id).toBe(String(draftId));
    expect(order).toMatchObject({ status: 'draft', externalDocumentNumber: ref });
    expect(order.lines.map((l) => [l.itemNumber, l.quantity])).toEqual([[item().number, 2]]);
    expect(await rpc.searchCount(rpc.begin(ctx, 'test'), 'sale.sale', [['reference', '=', ref]], context())).toBe(1);
  });

  it('when Tryton refuses to quote (a customer without an address) → rejected UserError, and no sale is left', async () => {
    const call = rpc.begin(ctx, 'test');
    const code = `TNOADDR${Date.now().toString(36).slice(-5)}`.toUpperCase();
    await rpc.execute(call, 'party.party', 'create', [[{ name: 'No Address Ltd', code }]], context());
    const ref = `SFQ-NOADDR-${code}`;
    const error = await erp
      .createSalesOrder(
        { customerNumber: code, externalDocumentNumber: ref, lines: [{ itemNumber: item().number, quantity: 1 }] },
        ctx,
      )
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ failure: 'rejected', details: { backendCode: 'UserError' } });
    expect(await rpc.searchCount(rpc.begin(ctx, 'test'), 'sale.sale', [['reference', '=', ref]], context())).toBe(0);
  });
});

describe('what Tryton models otherwise', () => {
  it('a deactivated party is a customer blocked for everything (Tryton has no credit hold)', async () => {
    const number = server.tryton.prepared.seedData.erp.customers[2]!.number;
    const call = rpc.begin(ctx, 'test');
    const [party] = await rpc.searchRead(call, 'party.party', {
      domain: [['code', '=', number]],
      fields: ['id'],
      context: context(),
    });
    await rpc.execute(call, 'party.party', 'write', [[party!['id']], { active: false }], context());
    expect((await erp.customersByNumbers([number], ctx)).get(number)?.blocked).toBe('all');
    await rpc.execute(call, 'party.party', 'write', [[party!['id']], { active: true }], context());
    expect((await erp.customersByNumbers([number], ctx)).get(number)?.blocked).toBe('none');
  });

  it('declares what it cannot answer the way the port asks', () => {
    expect(erp.capabilities).toMatchObject({
      customerBlock: 'inactive',
      shipmentCarrier: false,
      totalSales: false,
      financialsForEveryCustomer: false,
      negatedTextFunctions: true,
    });
    expect(erp.capabilities?.rowFields?.salesInvoices.filter).not.toContain('dueDate');
    expect(erp.capabilities?.rowFields?.salesOrderLines.order).toContain('sequence');
  });
});
