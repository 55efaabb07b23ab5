// What C360AccountGraphController answers, in the shapes the graph gives (SalesforceAccount360,
// SalesforceValidateQuote, SalesforceSubmitQuote): test/salesforce/lwc-fixtures.test.ts checks
// these against the operations and the supergraph, so they cannot drift from what the graph sends.

export const ACCOUNT_ID = '001000000000001AAA';
export const QUOTE_ID = '0Q0000000000001AAA';

export function account360(overrides = {}) {
  return {
    id: ACCOUNT_ID,
    name: 'Acme Manufacturing',
    erpCustomerNumber: 'C00001',
    asOf: '2026-03-02T09:15:00.000Z',
    stale: false,
    credit: credit(),
    openInvoices: [
      invoice({
        number: 'SI-100001',
        dueDate: '2026-02-01',
        isOverdue: true,
        daysOverdue: 29,
        remaining: money('1250.00'),
      }),
      invoice({
        number: 'SI-100002',
        dueDate: '2026-04-01',
        isOverdue: false,
        daysOverdue: 0,
        remaining: money('300.50'),
      }),
    ],
    orders: [
      order({
        number: 'SO-100001',
        fullyShipped: true,
        shipments: [
          { number: 'SH-100001', shipmentDate: '2026-02-10', carrier: 'DHL', trackingNumber: 'JD014600006281230001' },
        ],
      }),
      order({
        number: 'SO-100002',
        fullyShipped: false,
        externalDocumentNumber: 'SFQ-0Q0000000000002AAA',
        shipments: [],
      }),
    ],
    quotes: [quote()],
    ...overrides,
  };
}

export function credit(overrides = {}) {
  return {
    asOf: '2026-03-02T09:15:00.000Z',
    stale: false,
    currency: 'EUR',
    onHold: false,
    holdReason: null,
    limit: money('50000.00'),
    balance: money('12000.00'),
    openOrderExposure: money('8000.00'),
    available: money('30000.00'),
    overdue: money('1250.00'),
    paymentTerms: { code: '30D', name: 'Net 30 days' },
    ...overrides,
  };
}

export function invoice(overrides = {}) {
  return {
    number: 'SI-100001',
    asOf: '2026-03-02T09:15:00.000Z',
    stale: false,
    invoiceDate: '2026-01-02',
    dueDate: '2026-02-01',
    isOverdue: false,
    daysOverdue: 0,
    total: money('1250.00'),
    remaining: money('1250.00'),
    ...overrides,
  };
}

export function order(overrides = {}) {
  return {
    number: 'SO-100001',
    asOf: '2026-03-02T09:15:00.000Z',
    stale: false,
    status: 'OPEN',
    orderDate: '2026-02-01',
    requestedDeliveryDate: null,
    fullyShipped: false,
    externalDocumentNumber: null,
    total: money('4200.00'),
    shipments: [],
    ...overrides,
  };
}

export function quote(overrides = {}) {
  return {
    id: QUOTE_ID,
    number: '00000123',
    name: 'Spring refill',
    status: 'Approved',
    expirationDate: '2026-04-30',
    grandTotal: money('2400.00'),
    erpSync: { orderNumber: null, status: 'Not Submitted', message: null, lastSyncAt: null },
    ...overrides,
  };
}

export function money(amount, currency = 'EUR') {
  return { amount, currency };
}

export function validation(overrides = {}) {
  return {
    quoteId: QUOTE_ID,
    verdict: 'ACCEPTABLE',
    reasonCodes: [],
    reasons: [],
    externalDocumentNumber: `SFQ-${QUOTE_ID}`,
    currency: 'EUR',
    quotedTotal: money('2400.00'),
    credit: {
      verdict: 'OK',
      unlimited: false,
      onHold: false,
      available: money('30000.00'),
      required: money('2400.00'),
    },
    lines: [
      {
        lineNumber: '00001',
        itemNumber: '1000',
        quantity: 4,
        quotedUnitPrice: money('600.00'),
        erpUnitPrice: money('600.00'),
        availability: { availableToPromise: 40, sufficient: true, nextAvailableDate: '2026-03-02' },
        reasonCodes: [],
      },
    ],
    existingOrder: null,
    checkedAt: '2026-03-02T09:16:00.000Z',
    ...overrides,
  };
}

export function submission(overrides = {}) {
  return {
    status: 'ACCEPTED_BY_ERP',
    reasonCode: null,
    reasonCodes: [],
    message: 'Sales order SO-100003 created in the ERP.',
    replayed: false,
    correlationId: 'sf-005000000000001AAA-0123456789abcdef',
    order: { number: 'SO-100003', status: 'DRAFT', externalDocumentNumber: `SFQ-${QUOTE_ID}`, total: money('2400.00') },
    quote: {
      id: QUOTE_ID,
      erpSync: {
        orderNumber: 'SO-100003',
        status: 'Accepted',
        message: 'Order SO-100003',
        lastSyncAt: '2026-03-02T09:17:00.000Z',
      },
    },
    ...overrides,
  };
}

/** A GraphAnswer of C360AccountGraphController. */
export function answer(
  result,
  { viewer = SALES, problems = [], correlationId = 'sf-005000000000001AAA-0123456789abcdef' } = {},
) {
  return { json: JSON.stringify(result), problems, correlationId, viewer };
}

export const SALES = { role: 'sales', canValidateQuotes: true, canSubmitQuotes: true };
export const FINANCE = { role: 'finance', canValidateQuotes: true, canSubmitQuotes: false };
export const SERVICE = { role: 'service', canValidateQuotes: false, canSubmitQuotes: false };

/** How an imperative Apex call rejects with an AuraHandledException of C360Failures. */
export function auraFailure(
  code,
  {
    message = `${code} message`,
    detail = '',
    fields = [],
    correlationId = 'sf-005000000000001AAA-0123456789abcdef',
  } = {},
) {
  return { status: 500, body: { message: JSON.stringify({ code, message, detail, fields, correlationId }) } };
}

/** Lets pending promises (Apex calls, re-renders) settle. */
export function flushPromises() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
