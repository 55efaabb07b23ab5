// validateQuote's judgement on hand-made facts (no I/O): the rules the end-to-end tests cannot pin
// down with seeded data — the submittable statuses, what counts as promised stock, an order already
// created from the quote, several lines of one item, services, and the order of reasons.
import { describe, expect, it } from 'vitest';
import type { ErpCustomer, ErpItem, ErpOrder } from '../../connectors/erp/port.js';
import type { SfQuoteLineRecord, SfQuoteRecord } from '../../connectors/salesforce/types.js';
import { SubmittablePolicy } from '../../subgraphs/erp/quote-to-order/submittable.js';
import { evaluateQuote as evaluateWith, type QuoteFacts } from '../../subgraphs/erp/quote-to-order/validation.js';

const approvedOnly = new SubmittablePolicy();
const evaluateQuote = (f: QuoteFacts) => evaluateWith(f, approvedOnly);

const QUOTE_ID = '0Q08d000000000ACAQ';

const quote: SfQuoteRecord = {
  id: QUOTE_ID,
  number: '00000010',
  name: 'Q',
  accountId: '0018d0000000004AAA',
  opportunityId: null,
  status: 'Approved',
  expirationDate: null,
  currency: 'USD',
  totalPrice: '1000.00',
  grandTotal: '1000.00',
  erpOrderNumber: null,
  erpSyncStatus: 'Not Submitted',
  erpSyncMessage: null,
  erpLastSyncAt: null,
  updatedAt: '2026-01-01T00:00:00Z',
};
const line = (n: number, itemNumber: string | null, quantity: number, unitPrice = '100.00'): SfQuoteLineRecord => ({
  id: `0QL8d00000000${n}AAA`,
  quoteId: QUOTE_ID,
  productId: '01t',
  productCode: itemNumber,
  productName: null,
  lineNumber: `0000000${n}`,
  description: null,
  quantity,
  unitPrice,
  discount: null,
  totalPrice: '0',
});
const customer: ErpCustomer = {
  number: 'C00001',
  name: 'C',
  address: { line1: null, line2: null, city: null, state: null, postalCode: null, country: null },
  phone: null,
  email: null,
  currency: 'USD',
  paymentTermsId: null,
  blocked: 'none',
  creditLimit: '5000.00',
  balanceDue: '1000.00',
  taxLiable: false,
  updatedAt: '2026-01-01T00:00:00Z',
};
const item = (number: string, inventory: number, extra: Partial<ErpItem> = {}): ErpItem => ({
  number,
  name: number,
  type: 'inventory',
  category: null,
  blocked: false,
  unitOfMeasure: 'PCS',
  unitPrice: '100.00',
  inventory,
  ...extra,
});
const order = (
  reference: string,
  status: ErpOrder['status'],
  lines: [string, number, number][],
  total = '500.00',
): ErpOrder => ({
  id: reference,
  number: `SO-${reference}`,
  externalDocumentNumber: reference,
  customerNumber: 'C00001',
  orderDate: '2026-01-01',
  requestedDeliveryDate: null,
  status,
  fullyShipped: false,
  currency: 'USD',
  totalExcludingTax: total,
  totalIncludingTax: total,
  lines: lines.map(([itemNumber, quantity, shippedQuantity], i) => ({
    sequence: i,
    itemNumber,
    description: '',
    quantity,
    unitOfMeasure: 'PCS',
    unitPrice: '1',
    discountPercent: 0,
    amount: '1',
    shippedQuantity,
    invoicedQuantity: 0,
    shipmentDate: null,
  })),
});

function facts(overrides: Partial<QuoteFacts> = {}): QuoteFacts {
  return {
    quoteId: QUOTE_ID,
    quote,
    lines: [line(1, 'A', 5)],
    account: { erpCustomerNumber: 'C00001' } as QuoteFacts['account'],
    customer,
    customerOrders: [],
    items: new Map([['A', item('A', 10)]]),
    existingOrders: [],
    today: '2026-03-01',
    checkedAt: '2026-03-01T12:00:00.000Z',
    ...overrides,
  };
}

describe('evaluateQuote', () => {
  it.each(['Draft', 'Needs Review', 'In Review', 'Rejected', 'Presented', 'Accepted', 'Denied'])(
    'a %s quote is QUOTE_NOT_APPROVED (default: only Approved), its status in the message, the other checks still shown',
    (status) => {
      const result = evaluateQuote(facts({ quote: { ...quote, status }, lines: [line(1, 'A', 5, '90.00')] }));
      expect(result.verdict).toBe('REJECTED');
      expect(result.reasonCodes).toEqual(['QUOTE_NOT_APPROVED', 'PRICE_MISMATCH']);
      expect(result.reasons[0]!.message).toBe(
        `Quote 00000010 is ${status}: only quotes in status Approved can become ERP orders.`,
      );
      expect(result.lines).toHaveLength(1);
    },
  );

  it('the submittable statuses are configurable; the status must match exactly', () => {
    const policy = new SubmittablePolicy(['Approved', 'Accepted']);
    expect(evaluateWith(facts({ quote: { ...quote, status: 'Accepted' } }), policy).verdict).toBe('ACCEPTABLE');
    const draft = evaluateWith(facts({ quote: { ...quote, status: 'Draft' } }), policy);
    expect(draft.reasons[0]!.message).toMatch(/only quotes in status Approved or Accepted/);
    expect(evaluateWith(facts({ quote: { ...quote, status: 'approved' } }), policy).reasonCodes).toEqual([
      'QUOTE_NOT_APPROVED',
    ]);
    expect(() => new SubmittablePolicy([])).toThrow(/at least one/);
  });

  it('counts the unshipped rest of the customer’s orders, released or not, as promised stock', () => {
    const result = evaluateQuote(
      facts({ customerOrders: [order('PO-1', 'draft', [['A', 4, 0]]), order('PO-2', 'released', [['A', 6, 5]])] }),
    );
    expect(result.lines[0]!.availability).toMatchObject({
      onHand: 10,
      committed: 5,
      availableToPromise: 5,
      sufficient: true,
    });
    const short = evaluateQuote(facts({ customerOrders: [order('PO-1', 'open', [['A', 6, 0]])] }));
    expect(short.reasonCodes).toEqual(['ITEM_UNAVAILABLE']);
    expect(short.lines[0]!.availability).toMatchObject({
      availableToPromise: 4,
      sufficient: false,
      nextAvailableDate: '2026-03-15',
    });
  });

  it('leaves an order already created from this quote out of stock and credit', () => {
    const own = order(`SFQ-${QUOTE_ID}`, 'open', [['A', 10, 0]], '4500.00');
    const result = evaluateQuote(facts({ customerOrders: [own], existingOrders: [own] }));
    expect(result.verdict).toBe('ACCEPTABLE');
    expect(result.existingOrderNumber).toBe(own.number);
    expect(result.credit).toMatchObject({ openOrderExposure: '0.00', available: '4000.00' });
  });

  it('lets later lines of the same item see the earlier ones as promised', () => {
    const result = evaluateQuote(facts({ lines: [line(1, 'A', 6), line(2, 'A', 6)] }));
    expect(result.lines.map((l) => l.availability?.sufficient)).toEqual([true, false]);
    expect(result.reasons).toEqual([expect.objectContaining({ code: 'ITEM_UNAVAILABLE', lineNumber: '00000002' })]);
  });

  it('does not check stock of services, and flags a price above the ERP’s too', () => {
    const result = evaluateQuote(
      facts({ lines: [line(1, 'S', 99, '120.00')], items: new Map([['S', item('S', 0, { type: 'service' })]]) }),
    );
    expect(result.lines[0]!.availability).toBeNull();
    expect(result.reasonCodes).toEqual(['PRICE_MISMATCH']);
    expect(result.reasons[0]!.message).toMatch(/above the ERP price/);
  });

  it('orders reasons most severe first, line reasons in line order', () => {
    const result = evaluateQuote(
      facts({
        customer: { ...customer, blocked: 'invoice' },
        lines: [line(1, 'A', 50, '90.00'), line(2, 'B', 1), line(3, 'A', 1)],
        items: new Map([
          ['A', item('A', 10)],
          ['B', item('B', 10, { blocked: true })],
        ]),
      }),
    );
    expect(result.reasonCodes).toEqual(['CREDIT_HOLD', 'ITEM_BLOCKED', 'ITEM_UNAVAILABLE', 'PRICE_MISMATCH']);
    expect(result.reasons.filter((r) => r.code === 'ITEM_UNAVAILABLE').map((r) => r.lineNumber)).toEqual([
      '00000001',
      '00000003',
    ]);
  });
});
