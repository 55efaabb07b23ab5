// The ERP port's contract, written once and run against every adapter (business-central.test.ts on
// the Business Central emulator, tryton.test.ts on a real Tryton server): an adapter is done when it
// passes. Expected values come from the seed records the ERP holds (the same Business Central API
// shapes for both ERPs: emulators/seed/), adjusted only where the adapter declares it differs
// (ErpPort.capabilities) and by a money tolerance for an ERP that rounds tax half to even.
//
// What every adapter must do: right rows for every port read, ONE request per call for a batch
// (split only above the adapter's keys per request; no keys, no request), lists in the port's order,
// money exact (within the tolerance), bad orders refused before any request, created orders found by
// their external document number, failures mapped to the same BackendError kinds, and row queries
// answering exactly what the port's semantics (row-evaluate.ts) say, or refusing with
// ErpRowQueryError('unsupported') what the adapter declares it cannot evaluate.
import { Big } from 'big.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackendError } from '../../lib/backend-error.js';
import type { CallContext } from '../../lib/call-context.js';
import { applyRowQuery } from '../../connectors/erp/row-evaluate.js';
import {
  ErpRowQueryError,
  ROW_SETS,
  type ErpCapabilities,
  type ErpPort,
  type ErpRow,
  type RowFilter,
  type RowQuery,
  type RowSet,
} from '../../connectors/erp/port.js';
import type { BcCustomer, BcSalesOrder, ErpDataset } from '../../emulators/seed/index.js';

export type ContractFault = 'outage' | 'server-error' | 'rate-limited' | 'slow';

export interface ContractTarget {
  readonly port: ErpPort;
  /** What the ERP holds, as seed records. */
  readonly expected: ErpDataset;
  /** Keys one request carries at most (a batch above it is split). */
  readonly maxKeysPerRequest: number;
  /** |ERP amount − seed amount| allowed for amounts with tax (0 for an ERP that rounds like the seed). */
  readonly moneyTolerance: string;
  /** Entity requests (sign-in and company discovery left out) since the last reset, by route. */
  requests(): Promise<Record<string, number>>;
  resetRequests(): Promise<void>;
  /** Makes every entity request fail this way until cleared (null). `slow`: answers after 3 s. */
  fault(fault: ContractFault | null): Promise<void>;
  /** The same adapter with other credentials or deadline. */
  adapterWith(overrides: { readonly wrongPassword?: boolean; readonly timeoutMs?: number }): ErpPort;
  close(): Promise<void>;
}

const ctx: CallContext = { correlationId: 'corr-erp-contract' };

const money = (n: number | string) => new Big(n).toFixed(2);

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

const BLOCK: Record<string, string> = { ' ': 'none', Ship: 'ship', Invoice: 'invoice', All: 'all' };
const ORDER_STATUS: Record<string, string> = {
  Draft: 'draft',
  'In Review': 'in_review',
  Open: 'open',
  Released: 'released',
};

export function erpPortContract(name: string, setup: () => Promise<ContractTarget>, setupTimeoutMs = 60_000): void {
  describe(`ERP port contract: ${name}`, () => {
    let t: ContractTarget;
    let erp: ErpPort;
    let data: ErpDataset;
    let caps: ErpCapabilities;
    let customers: BcCustomer[];
    let numbers: string[];

    /** Within the target's tolerance of the seed's amount. */
    const near = (actual: string, expected: number | string, label: string) => {
      const diff = new Big(actual).minus(new Big(expected)).abs();
      expect(diff.lte(t.moneyTolerance), `${label}: ${actual} vs ${money(expected)}`).toBe(true);
    };

    /** Runs a port call and asserts it cost exactly `count` entity requests (one unless told). */
    async function requests<T>(call: () => Promise<T>, count = 1): Promise<T> {
      await t.resetRequests();
      const result = await call();
      const counted = await t.requests();
      expect(
        Object.values(counted).reduce((a, b) => a + b, 0),
        JSON.stringify(counted),
      ).toBe(count);
      return result;
    }

    beforeAll(async () => {
      t = await setup();
      erp = t.port;
      data = t.expected;
      caps = erp.capabilities ?? {
        customerBlock: 'flag',
        shipmentCarrier: true,
        totalSales: true,
        financialsForEveryCustomer: true,
      };
      customers = data.customers.slice(0, 12);
      numbers = customers.map((c) => c.number);
      // Sign-in and company discovery first: every test below counts its own entity requests only.
      await erp.ping(ctx);
    }, setupTimeoutMs);
    afterAll(() => t?.close());
    beforeEach(() => t.fault(null));

    describe('reads: right rows, one request per batch', () => {
      it('customersByNumbers', async () => {
        const asked = [...numbers, ...numbers, 'NO-SUCH-1', "C0' or '1'='1", ''];
        const result = await requests(() => erp.customersByNumbers(asked, ctx));
        expect([...result.keys()].sort()).toEqual([...numbers].sort());
        for (const c of customers) {
          const got = result.get(c.number)!;
          expect(got).toMatchObject({
            number: c.number,
            name: c.displayName,
            currency: c.currencyCode,
            creditLimit: money(c.creditLimit),
            taxLiable: c.taxLiable,
          });
          near(got.balanceDue, c.balanceDue, `${c.number} balance`);
          expect(got.address).toMatchObject({
            line1: c.addressLine1 || null,
            line2: c.addressLine2 || null,
            city: c.city || null,
            state: c.state || null,
            postalCode: c.postalCode || null,
            country: c.country || null,
          });
          expect(got.blocked).toBe(caps.customerBlock === 'flag' ? BLOCK[c.blocked] : 'none');
          // An ERP may reformat a phone number, or keep none it cannot validate.
          if (got.phone !== null)
            expect(got.phone.replace(/\D/g, '')).toContain(c.phoneNumber.replace(/\D/g, '').slice(-7));
          expect(Number.isNaN(Date.parse(got.updatedAt))).toBe(false);
        }
      });

      it("paymentTermsByIds: the customers' terms; malformed ids are absent", async () => {
        const byCustomer = await erp.customersByNumbers(numbers, ctx);
        const ids = [
          ...new Set([...byCustomer.values()].map((c) => c.paymentTermsId).filter((id): id is string => id !== null)),
        ];
        expect(ids.length).toBeGreaterThan(0);
        const terms = await requests(() => erp.paymentTermsByIds([...ids, 'nope', "1' or '1'='1"], ctx));
        expect([...terms.keys()].sort()).toEqual([...ids].sort());
        for (const c of customers) {
          const seeded = data.paymentTerms.find((p) => p.id === c.paymentTermsId)!;
          const got = terms.get(byCustomer.get(c.number)!.paymentTermsId!)!;
          expect(got).toMatchObject({
            code: seeded.code,
            name: seeded.displayName,
            dueDateCalculation: seeded.dueDateCalculation,
          });
        }
      });

      it('financialsByCustomers', async () => {
        const result = await requests(() => erp.financialsByCustomers(numbers, ctx));
        for (const f of data.customerFinancialDetails.filter((d) => numbers.includes(d.number))) {
          const got = result.get(f.number);
          if (!got) {
            // Declared: no financial details without an open invoice, read as zero.
            expect(caps.financialsForEveryCustomer).toBe(false);
            expect(f.balance).toBe(0);
            continue;
          }
          near(got.balance, f.balance, `${f.number} balance`);
          near(got.overdueAmount, f.overdueAmount, `${f.number} overdue`);
          expect(got.totalSalesExcludingTax).toBe(caps.totalSales ? money(f.totalSalesExcludingTax) : null);
        }
      });

      it('openInvoicesByCustomers: open ones (remaining > 0), due first', async () => {
        const result = await requests(() => erp.openInvoicesByCustomers(numbers, ctx));
        for (const n of numbers) {
          const expected = data.salesInvoices
            .filter((i) => i.customerNumber === n && i.status === 'Open' && i.remainingAmount > 0)
            .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.number.localeCompare(b.number));
          const got = result.get(n)!;
          expect(got.map((i) => i.number)).toEqual(expected.map((i) => i.number));
          got.forEach((i, k) => {
            const e = expected[k]!;
            expect(i).toMatchObject({
              status: 'open',
              invoiceDate: e.invoiceDate,
              dueDate: e.dueDate,
              orderNumber: e.orderNumber || null,
              currency: e.currencyCode,
            });
            expect(i.externalDocumentNumber).toBe(e.externalDocumentNumber || null);
            near(i.totalIncludingTax, e.totalAmountIncludingTax, `${e.number} total`);
            near(i.remaining, e.remainingAmount, `${e.number} remaining`);
          });
        }
      });

      const expectOrder = (got: ErpRow<'salesOrders'>, e: BcSalesOrder) => {
        expect(got).toMatchObject({
          number: e.number,
          customerNumber: e.customerNumber,
          orderDate: e.orderDate,
          status: ORDER_STATUS[e.status],
          fullyShipped: e.fullyShipped,
          currency: e.currencyCode,
        });
        expect(got.externalDocumentNumber).toBe(e.externalDocumentNumber || null);
        near(got.totalExcludingTax, e.totalAmountExcludingTax, `${e.number} net`);
        near(got.totalIncludingTax, e.totalAmountIncludingTax, `${e.number} total`);
        expect(
          got.lines.map((l) => [
            l.sequence,
            l.itemNumber,
            l.quantity,
            l.unitPrice,
            l.discountPercent,
            l.shippedQuantity,
            l.invoicedQuantity,
          ]),
        ).toEqual(
          e.salesOrderLines.map((l) => [
            l.sequence,
            l.lineObjectNumber,
            l.quantity,
            money(l.unitPrice),
            l.discountPercent,
            l.shippedQuantity,
            l.invoicedQuantity,
          ]),
        );
        got.lines.forEach((l, k) => near(l.amount, e.salesOrderLines[k]!.netAmount, `${e.number} line ${k + 1}`));
      };
      const newestFirst = (a: BcSalesOrder, b: BcSalesOrder) =>
        b.orderDate.localeCompare(a.orderDate) || b.number.localeCompare(a.number);

      it('ordersByCustomers: every order with its lines, newest first', async () => {
        const result = await requests(() => erp.ordersByCustomers(numbers, ctx));
        for (const n of numbers) {
          const expected = data.salesOrders.filter((o) => o.customerNumber === n).sort(newestFirst);
          const got = result.get(n)!;
          expect(got.map((o) => o.number)).toEqual(expected.map((o) => o.number));
          got.forEach((o, k) => expectOrder(o, expected[k]!));
        }
      });

      it('ordersByNumbers and ordersByExternalDocumentNumbers', async () => {
        const orders = data.salesOrders.filter((o) => numbers.includes(o.customerNumber)).slice(0, 8);
        const byNumber = await requests(() =>
          erp.ordersByNumbers([...orders.map((o) => o.number), 'NO-SUCH-ORDER'], ctx),
        );
        expect([...byNumber.keys()].sort()).toEqual(orders.map((o) => o.number).sort());
        for (const o of orders) expectOrder(byNumber.get(o.number)!, o);

        const refs = [
          ...new Set(data.salesOrders.map((o) => o.externalDocumentNumber).filter((r) => r.startsWith('SFQ-'))),
        ].slice(0, 5);
        expect(refs.length).toBeGreaterThan(0);
        const byRef = await requests(() => erp.ordersByExternalDocumentNumbers([...refs, 'SFQ-NONE'], ctx));
        expect(byRef.get('SFQ-NONE')).toEqual([]);
        for (const ref of refs)
          expect(byRef.get(ref)!.map((o) => o.number)).toEqual(
            data.salesOrders.filter((o) => o.externalDocumentNumber === ref).map((o) => o.number),
          );
      });

      it('shipmentsByCustomers and shipmentsByOrderNumbers: posted shipments with their lines and lots, newest first', async () => {
        const newest = (a: { shipmentDate: string; number: string }, b: { shipmentDate: string; number: string }) =>
          b.shipmentDate.localeCompare(a.shipmentDate) || b.number.localeCompare(a.number);
        const byCustomer = await requests(() => erp.shipmentsByCustomers(numbers, ctx));
        for (const n of numbers) {
          const expected = data.salesShipments.filter((s) => s.customerNumber === n).sort(newest);
          const got = byCustomer.get(n)!;
          expect(got.map((s) => s.number)).toEqual(expected.map((s) => s.number));
          got.forEach((s, k) => {
            const e = expected[k]!;
            expect(s).toMatchObject({
              orderNumber: e.orderNumber,
              shipmentDate: e.shipmentDate,
              trackingNumber: e.packageTrackingNo,
            });
            expect(s.carrier).toBe(caps.shipmentCarrier ? e.shippingAgentCode : null);
            const lines = (ls: Array<{ itemNumber: string; quantity: number; lotNumbers: string[] }>) =>
              ls
                .map((l) => [l.itemNumber, l.quantity, [...l.lotNumbers].sort()])
                .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
            expect(lines(s.lines)).toEqual(
              lines(
                e.salesShipmentLines.map((l) => ({
                  itemNumber: l.lineObjectNumber,
                  quantity: l.quantity,
                  lotNumbers: l.lotNumbers,
                })),
              ),
            );
          });
        }
        const orderNumbers = [
          ...new Set(data.salesShipments.filter((s) => numbers.includes(s.customerNumber)).map((s) => s.orderNumber)),
        ].slice(0, 6);
        const byOrder = await requests(() => erp.shipmentsByOrderNumbers(orderNumbers, ctx));
        for (const o of orderNumbers) {
          expect(byOrder.get(o)!.map((s) => s.number)).toEqual(
            data.salesShipments
              .filter((s) => s.orderNumber === o)
              .sort(newest)
              .map((s) => s.number),
          );
        }
      });

      it('itemsByNumbers: price, stock, blocked items included', async () => {
        const items = data.items.slice(0, 20);
        expect(data.items.some((i) => i.blocked)).toBe(true);
        const withBlocked = [...items, ...data.items.filter((i) => i.blocked)];
        const result = await requests(() =>
          erp.itemsByNumbers([...withBlocked.map((i) => i.number), 'NO-SUCH-ITEM'], ctx),
        );
        expect([...result.keys()].sort()).toEqual([...new Set(withBlocked.map((i) => i.number))].sort());
        for (const i of withBlocked) {
          expect(result.get(i.number)).toEqual({
            number: i.number,
            name: i.displayName,
            type: 'inventory',
            category: i.itemCategoryCode || null,
            blocked: i.blocked,
            unitOfMeasure: i.baseUnitOfMeasureCode,
            unitPrice: money(i.unitPrice),
            inventory: i.inventory,
          });
        }
      });

      it('no keys, no request', async () => {
        await requests(async () => {
          expect((await erp.customersByNumbers([], ctx)).size).toBe(0);
          expect((await erp.ordersByCustomers(['', ''], ctx)).size).toBe(0);
          expect((await erp.itemsByNumbers([], ctx)).size).toBe(0);
        }, 0);
      });

      it("a batch above the adapter's keys per request is split, and nothing is lost", async () => {
        const fillers = Array.from({ length: 2 * t.maxKeysPerRequest }, (_, i) => `NONE-${i}`);
        const result = await requests(() => erp.customersByNumbers([...fillers, ...numbers], ctx), 3);
        expect([...result.keys()].sort()).toEqual([...numbers].sort());
      });
    });

    describe('createSalesOrder and finding it again', () => {
      const run = Date.now().toString(36).toUpperCase();

      it('refuses a bad order before any request, the same way for every ERP', async () => {
        const c = customers[0]!.number;
        const item = data.items.find((i) => !i.blocked)!.number;
        const bad = [
          { customerNumber: '', externalDocumentNumber: 'SFQ-X', lines: [{ itemNumber: item, quantity: 1 }] },
          { customerNumber: c, externalDocumentNumber: '', lines: [{ itemNumber: item, quantity: 1 }] },
          { customerNumber: c, externalDocumentNumber: 'X'.repeat(36), lines: [{ itemNumber: item, quantity: 1 }] },
          { customerNumber: c, externalDocumentNumber: 'SFQ-X', lines: [] },
          { customerNumber: c, externalDocumentNumber: 'SFQ-X', lines: [{ itemNumber: item, quantity: 0 }] },
          {
            customerNumber: c,
            externalDocumentNumber: 'SFQ-X',
            lines: [{ itemNumber: item, quantity: 1, discountPercent: 101 }],
          },
          {
            customerNumber: c,
            externalDocumentNumber: 'SFQ-X',
            lines: [{ itemNumber: item, quantity: 1, unitPrice: 'ten' }],
          },
        ];
        await requests(async () => {
          for (const order of bad) {
            const error = await failure(erp.createSalesOrder(order, ctx));
            expect(error.failure).toBe('rejected');
            expect(error.details.backendCode).toBe('Connector_InvalidInput');
          }
        }, 0);
      });

      it("creates one draft order with the quote's lines, found by its external document number", async () => {
        const customer = customers.find((c) => c.blocked === ' ')!;
        const [first, second] = data.items.filter((i) => !i.blocked);
        const ref = `SFQ-CONTRACT-${run}`;
        expect((await erp.ordersByExternalDocumentNumbers([ref], ctx)).get(ref)).toEqual([]);
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
        expect(created).toMatchObject({
          customerNumber: customer.number,
          externalDocumentNumber: ref,
          status: 'draft',
          fullyShipped: false,
          currency: customer.currencyCode,
        });
        expect(created.number).toMatch(/^[A-Za-z0-9._-]{1,20}$/);
        expect(
          created.lines.map((l) => [
            l.sequence,
            l.itemNumber,
            l.quantity,
            l.unitPrice,
            l.discountPercent,
            l.shippedQuantity,
          ]),
        ).toEqual([
          [10000, first!.number, 3, '12.34', 10, 0],
          [20000, second!.number, 2, money(second!.unitPrice), 0, 0],
        ]);
        // 3 × 12.34 × 0.9 = 33.318 → 33.32
        expect(created.lines[0]!.amount).toBe('33.32');
        expect(created.lines.reduce((acc, l) => acc.plus(l.amount), new Big(0)).toFixed(2)).toBe(
          created.totalExcludingTax,
        );

        // What a retried submission does first: look it up. Exactly the one order.
        const found = await requests(() => erp.ordersByExternalDocumentNumbers([ref], ctx));
        expect(found.get(ref)).toEqual([created]);
        expect((await erp.ordersByNumbers([created.number], ctx)).get(created.number)).toEqual(created);
        expect(
          (await erp.ordersByCustomers([customer.number], ctx))
            .get(customer.number)!
            .filter((o) => o.externalDocumentNumber === ref),
        ).toHaveLength(1);
      });

      it('deleteSalesOrder withdraws a draft order: gone for every read, then not_found', async () => {
        if (!erp.deleteSalesOrder) return;
        const customer = customers.find((c) => c.blocked === ' ')!;
        const ref = `SFQ-DELETE-${run}`;
        const created = await erp.createSalesOrder(
          {
            customerNumber: customer.number,
            externalDocumentNumber: ref,
            lines: [{ itemNumber: data.items.find((i) => !i.blocked)!.number, quantity: 1 }],
          },
          ctx,
        );
        expect(await erp.deleteSalesOrder(created, ctx)).toBe('deleted');
        expect((await erp.ordersByExternalDocumentNumbers([ref], ctx)).get(ref)).toEqual([]);
        expect((await erp.ordersByNumbers([created.number], ctx)).has(created.number)).toBe(false);
        expect(await erp.deleteSalesOrder(created, ctx)).toBe('not_found');
      });

      it('deleteSalesOrder refuses an order past its draft (released, shipped), as the ERP does', async () => {
        if (!erp.deleteSalesOrder) return;
        const released = data.salesOrders.find((o) => o.status === 'Released' && numbers.includes(o.customerNumber))!;
        const [order] = (await erp.ordersByCustomers([released.customerNumber], ctx))
          .get(released.customerNumber)!
          .filter((o) => o.number === released.number);
        const error = await failure(erp.deleteSalesOrder(order!, ctx));
        expect(error.failure).toBe('rejected');
        expect((await erp.ordersByNumbers([released.number], ctx)).has(released.number)).toBe(true);
      });

      it('an order the ERP refuses (unknown item, unknown customer) → rejected, not an outage', async () => {
        const customer = customers[0]!.number;
        for (const order of [
          {
            customerNumber: customer,
            externalDocumentNumber: `SFQ-BAD-${run}`,
            lines: [{ itemNumber: 'NO-SUCH-ITEM', quantity: 1 }],
          },
          {
            customerNumber: 'NO-SUCH-CUST',
            externalDocumentNumber: `SFQ-BAD2-${run}`,
            lines: [{ itemNumber: data.items[0]!.number, quantity: 1 }],
          },
        ]) {
          const error = await failure(erp.createSalesOrder(order, ctx));
          expect(error.failure).toBe('rejected');
          expect(error.isOutage).toBe(false);
          expect(error.details.backendCode).toBeTruthy();
          expect(
            (await erp.ordersByExternalDocumentNumbers([order.externalDocumentNumber], ctx)).get(
              order.externalDocumentNumber,
            ),
          ).toEqual([]);
        }
      });
    });

    describe('failures map to the same kinds', () => {
      it.each<[ContractFault, string]>([
        ['outage', 'unavailable'],
        ['server-error', 'unavailable'],
        ['rate-limited', 'rate_limited'],
      ])('%s → %s', async (fault, kind) => {
        await t.fault(fault);
        const error = await failure(erp.ordersByCustomers(numbers, ctx));
        expect(error.failure).toBe(kind);
        expect(error.backend).toBe('erp');
        await t.fault(null);
        expect((await erp.ordersByCustomers(numbers, ctx)).size).toBe(numbers.length);
      });

      it('a deadline passed → timeout, about on time', async () => {
        const fast = t.adapterWith({ timeoutMs: 1500 });
        // Sign-in and discovery first, without the fault (a busy machine may need a second try).
        await fast.ping(ctx).catch(() => fast.ping(ctx));
        await t.fault('slow');
        const started = Date.now();
        const error = await failure(fast.customersByNumbers([numbers[0]!], ctx));
        expect(error.failure).toBe('timeout');
        expect(Date.now() - started).toBeLessThan(2900);
      });

      it('wrong credentials → unauthorized', async () => {
        const error = await failure(t.adapterWith({ wrongPassword: true }).customersByNumbers([numbers[0]!], ctx));
        expect(error.failure).toBe('unauthorized');
      });
    });

    describe("row queries: what the port's semantics say, or a declared refusal", () => {
      const all = new Map<RowSet, unknown[]>();
      const rowsOf = async <S extends RowSet>(set: S): Promise<Array<ErpRow<S>>> => {
        if (!all.has(set)) all.set(set, (await erp.queryRows!(set, { top: 2000 }, ctx)).rows);
        return all.get(set) as Array<ErpRow<S>>;
      };
      const support = (set: RowSet) =>
        caps.rowFields?.[set] ?? {
          filter: Object.keys(ROW_SETS[set].fields),
          order: Object.keys(ROW_SETS[set].fields),
        };

      const same = async <S extends RowSet>(set: S, query: RowQuery) => {
        const expected = applyRowQuery(set, await rowsOf(set), query);
        const actual = await erp.queryRows!(set, query, ctx);
        expect(actual.rows).toEqual(expected.rows);
        expect(actual.totalCount).toBe(expected.totalCount);
      };

      const eq = (field: string, value: string | number | boolean): RowFilter => ({
        kind: 'compare',
        field,
        op: 'eq',
        value,
      });
      const not = (filter: RowFilter): RowFilter => ({ kind: 'not', filter });

      it("every set: a page of everything holds the seed's rows (and the orders created above)", async () => {
        const orders = new Set((await rowsOf('salesOrders')).map((o) => o.number));
        expect(data.salesOrders.filter((o) => !orders.has(o.number))).toEqual([]);
        const invoices = new Set((await rowsOf('salesInvoices')).map((i) => i.number));
        expect(data.salesInvoices.filter((i) => !invoices.has(i.number))).toEqual([]);
        expect((await rowsOf('customers')).map((c) => c.number).sort()).toEqual(
          data.customers.map((c) => c.number).sort(),
        );
        expect((await rowsOf('salesShipments')).map((s) => s.number).sort()).toEqual(
          data.salesShipments.map((s) => s.number).sort(),
        );
        expect((await rowsOf('items')).length).toBe(data.items.length);
      });

      it.each<[string, RowSet, () => RowQuery]>([
        [
          'customers by number, ordered by name',
          'customers',
          () => ({
            filter: { kind: 'in', field: 'number', values: numbers.slice(0, 6) },
            orderBy: [{ field: 'name' }],
            top: 4,
            skip: 1,
            count: true,
          }),
        ],
        [
          'customers not blocked, by number desc',
          'customers',
          () => ({
            filter: eq('blocked', 'none'),
            orderBy: [{ field: 'number', descending: true }],
            top: 5,
            count: true,
          }),
        ],
        [
          'orders of a customer, not released',
          'salesOrders',
          () => ({
            filter: { kind: 'and', filters: [eq('customerNumber', numbers[1]!), not(eq('status', 'released'))] },
            top: 20,
            count: true,
          }),
        ],
        [
          'orders: a cross-field or',
          'salesOrders',
          () => ({
            filter: { kind: 'or', filters: [eq('customerNumber', numbers[0]!), eq('status', 'draft')] },
            orderBy: [{ field: 'orderDate', descending: true }],
            top: 10,
            count: true,
          }),
        ],
        [
          'orders without an external document number',
          'salesOrders',
          () => ({ filter: { kind: 'null', field: 'externalDocumentNumber', isNull: true }, top: 10, count: true }),
        ],
        [
          'orders whose reference is not one value (nulls pass)',
          'salesOrders',
          () => ({
            filter: {
              kind: 'compare',
              field: 'externalDocumentNumber',
              op: 'ne',
              value: data.salesOrders.find((o) => o.externalDocumentNumber)!.externalDocumentNumber,
            },
            top: 2000,
            count: true,
          }),
        ],
        [
          'orders not starting with a reference prefix (nulls pass)',
          'salesOrders',
          () => ({
            filter: not({ kind: 'text', field: 'externalDocumentNumber', op: 'startsWith', value: 'po-' }),
            top: 2000,
          }),
        ],
        [
          'invoices open, by invoice date',
          'salesInvoices',
          () => ({ filter: eq('status', 'open'), orderBy: [{ field: 'invoiceDate' }], top: 15, count: true }),
        ],
        [
          'invoices after a date',
          'salesInvoices',
          () => ({
            filter: { kind: 'compare', field: 'invoiceDate', op: 'gt', value: data.salesInvoices[0]!.invoiceDate },
            top: 2000,
            count: true,
          }),
        ],
        [
          'lines of two orders',
          'salesOrderLines',
          () => ({
            filter: { kind: 'in', field: 'orderNumber', values: data.salesOrders.slice(0, 2).map((o) => o.number) },
            top: 50,
            count: true,
          }),
        ],
        [
          'lines of an item, by order number desc',
          'salesOrderLines',
          () => ({
            filter: eq('itemNumber', data.salesOrders[0]!.salesOrderLines[0]!.lineObjectNumber),
            orderBy: [{ field: 'orderNumber', descending: true }],
            top: 20,
          }),
        ],
        [
          'shipments of a customer',
          'salesShipments',
          () => ({ filter: eq('customerNumber', data.salesShipments[0]!.customerNumber), top: 20, count: true }),
        ],
        [
          'items containing text, case-insensitive',
          'items',
          () => ({
            filter: { kind: 'text', field: 'name', op: 'contains', value: 'PUMP' },
            orderBy: [{ field: 'number' }],
            top: 50,
            count: true,
          }),
        ],
        ['blocked items', 'items', () => ({ filter: eq('blocked', true), top: 50, count: true })],
      ])('%s', async (_label, set, query) => {
        const q = query();
        const fields = new Set<string>();
        const collect = (f: RowFilter): void => {
          if (f.kind === 'and' || f.kind === 'or') f.filters.forEach(collect);
          else if (f.kind === 'not') collect(f.filter);
          else fields.add(f.field);
        };
        if (q.filter) collect(q.filter);
        const declared = support(set);
        const negatesText = (f: RowFilter, negated = false): boolean =>
          f.kind === 'not'
            ? negatesText(f.filter, !negated)
            : f.kind === 'and' || f.kind === 'or'
              ? f.filters.some((g) => negatesText(g, negated))
              : f.kind === 'text' && negated;
        if (
          [...fields].some((f) => !declared.filter.includes(f)) ||
          (q.orderBy ?? []).some((o) => !declared.order.includes(o.field)) ||
          (q.filter && negatesText(q.filter) && caps.negatedTextFunctions === false)
        ) {
          const error = await erp.queryRows!(set, q, ctx).then(
            () => null,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(ErpRowQueryError);
          expect((error as ErpRowQueryError).reason).toBe('unsupported');
          return;
        }
        await same(set, q);
      });

      it('pages: skip + top walk the whole ordered set without repeats or gaps', async () => {
        const query: RowQuery = { orderBy: [{ field: 'orderDate', descending: true }], top: 7 };
        const expected = applyRowQuery('salesOrders', await rowsOf('salesOrders'), { ...query, top: 2000 }).rows.map(
          (o) => o.number,
        );
        const walked: string[] = [];
        for (let skip = 0; skip < expected.length; skip += 7) {
          walked.push(...(await erp.queryRows!('salesOrders', { ...query, skip }, ctx)).rows.map((o) => o.number));
        }
        expect(walked).toEqual(expected);
      });

      it('a field the adapter declares it cannot filter or order on is refused as unsupported, with the shared code', async () => {
        for (const set of Object.keys(ROW_SETS) as RowSet[]) {
          const fields = Object.entries(ROW_SETS[set].fields);
          for (const [fieldName, def] of fields) {
            const declared = support(set);
            if (!declared.filter.includes(fieldName)) {
              const filter: RowFilter =
                def.type === 'enum'
                  ? eq(fieldName, def.values![0]!)
                  : { kind: 'null', field: fieldName, isNull: false };
              const error = await erp.queryRows!(set, { filter, top: 1 }, ctx).then(
                () => null,
                (e: unknown) => e,
              );
              expect(error, `${set}.${fieldName}`).toBeInstanceOf(ErpRowQueryError);
              expect((error as ErpRowQueryError).details.backendCode).toBe('Connector_RowQueryNotSupported');
            }
            if (!declared.order.includes(fieldName)) {
              const error = await erp.queryRows!(set, { orderBy: [{ field: fieldName }], top: 1 }, ctx).then(
                () => null,
                (e: unknown) => e,
              );
              expect(error, `${set} order ${fieldName}`).toBeInstanceOf(ErpRowQueryError);
            }
          }
        }
      });

      it('malformed queries are invalid, before any request', async () => {
        await requests(async () => {
          for (const query of [
            { filter: eq('noSuchField', 'x'), top: 1 },
            { filter: eq('orderDate', 'not a date'), top: 1 },
            { top: 0 },
            { top: 2001 },
          ] as RowQuery[]) {
            const error = await erp.queryRows!('salesOrders', query, ctx).then(
              () => null,
              (e: unknown) => e,
            );
            expect(error).toBeInstanceOf(ErpRowQueryError);
            expect((error as ErpRowQueryError).reason).toBe('invalid');
          }
        }, 0);
      });
    });
  });
}
