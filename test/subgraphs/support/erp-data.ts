// Test data for the ERP subgraph: 60 plain customers (one order, invoice and shipment each) and two
// customers built for exact credit arithmetic.
import type { ErpCustomer, ErpInvoice, ErpOrder, ErpShipment } from '../../../connectors/erp/port.js';
import type { ErpData } from './fake-erp.js';

export const customerNumber = (serial: number) => `C${String(serial).padStart(5, '0')}`;

function customer(serial: number, overrides: Partial<ErpCustomer> = {}): ErpCustomer {
  return {
    number: customerNumber(serial),
    name: `Customer ${serial}`,
    address: {
      line1: `${serial} Main St`,
      line2: null,
      city: 'Springfield',
      state: 'IL',
      postalCode: '62701',
      country: 'US',
    },
    phone: null,
    email: null,
    currency: 'EUR',
    paymentTermsId: 'pt-30',
    blocked: 'none',
    creditLimit: '10000.00',
    balanceDue: '100.00',
    taxLiable: true,
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...overrides,
  };
}

export function order(number: string, customer: string, overrides: Partial<ErpOrder> = {}): ErpOrder {
  return {
    id: `guid-${number}`,
    number,
    externalDocumentNumber: null,
    customerNumber: customer,
    orderDate: '2026-11-01',
    requestedDeliveryDate: null,
    status: 'open',
    fullyShipped: false,
    currency: 'EUR',
    totalExcludingTax: '0.00',
    totalIncludingTax: '0.00',
    lines: [
      {
        sequence: 10000,
        itemNumber: 'I-1',
        description: 'Gear',
        quantity: 3,
        unitOfMeasure: 'PCS',
        unitPrice: '0.10',
        discountPercent: 0,
        amount: '0.30',
        shippedQuantity: 0,
        invoicedQuantity: 0,
        shipmentDate: null,
      },
    ],
    ...overrides,
  };
}

function invoice(number: string, customer: string, overrides: Partial<ErpInvoice> = {}): ErpInvoice {
  return {
    number,
    customerNumber: customer,
    orderNumber: null,
    externalDocumentNumber: null,
    invoiceDate: '2026-09-01',
    dueDate: '2026-10-01',
    status: 'open',
    currency: 'EUR',
    totalExcludingTax: '10.00',
    totalIncludingTax: '11.90',
    remaining: '11.90',
    ...overrides,
  };
}

function shipment(number: string, orderNumber: string, customer: string): ErpShipment {
  return {
    number,
    orderNumber,
    customerNumber: customer,
    shipmentDate: '2026-11-02',
    carrier: 'DHL',
    trackingNumber: null,
    lines: [
      {
        sequence: 10000,
        itemNumber: 'I-2',
        description: 'Shaft',
        quantity: 1,
        unitOfMeasure: 'PCS',
        lotNumbers: ['LOT-1'],
      },
    ],
  };
}

export const QUOTE_ID_15 = '0Q0000000000001';

export function erpDataset(): ErpData {
  const plain = Array.from({ length: 60 }, (_, i) => i + 3);
  return {
    customers: [
      // Exact arithmetic: 0.30 - 0.10 - (0.10 + 0.10) is 0.00, not 5.55e-17.
      customer(1, { creditLimit: '0.30', balanceDue: '0.10' }),
      customer(2, { creditLimit: '100', balanceDue: '99.99', blocked: 'ship', paymentTermsId: null }),
      ...plain.map((serial) => customer(serial)),
    ],
    financials: [
      { customerNumber: customerNumber(1), balance: '0.10', overdueAmount: '0.10', totalSalesExcludingTax: '5.00' },
    ],
    paymentTerms: [{ id: 'pt-30', code: '30D', name: 'Net 30 days', dueDateCalculation: '30D' }],
    invoices: [
      invoice('INV-2', customerNumber(1), { dueDate: '2026-11-23', remaining: '0.20', orderNumber: 'S-1' }),
      invoice('INV-1', customerNumber(1), { dueDate: '2026-10-01', remaining: '0.10' }),
      invoice('INV-3', customerNumber(1), { dueDate: '2026-11-24', remaining: '5.00' }),
      ...plain.map((serial) => invoice(`INV-P${serial}`, customerNumber(serial))),
    ],
    orders: [
      order('S-1', customerNumber(1), {
        status: 'open',
        totalIncludingTax: '0.10',
        orderDate: '2026-11-20',
        externalDocumentNumber: `SFQ-${QUOTE_ID_15}`,
      }),
      order('S-2', customerNumber(1), { status: 'released', totalIncludingTax: '0.10', orderDate: '2026-11-10' }),
      // Not exposure: fully shipped, not yet accepted, or in another currency.
      order('S-3', customerNumber(1), {
        status: 'released',
        fullyShipped: true,
        totalIncludingTax: '50.00',
        orderDate: '2026-11-05',
      }),
      order('S-4', customerNumber(1), { status: 'draft', totalIncludingTax: '70.00', orderDate: '2026-11-04' }),
      order('S-5', customerNumber(1), { status: 'in_review', totalIncludingTax: '80.00', orderDate: '2026-11-03' }),
      order('S-6', customerNumber(1), {
        status: 'open',
        currency: 'USD',
        totalIncludingTax: '90.00',
        orderDate: '2026-11-02',
        externalDocumentNumber: 'PO-778',
      }),
      order('S-7', customerNumber(2), { status: 'open', totalIncludingTax: '0.02' }),
      ...plain.map((serial) => order(`S-P${serial}`, customerNumber(serial))),
    ],
    shipments: [
      shipment('SH-1', 'S-1', customerNumber(1)),
      ...plain.map((serial) => shipment(`SH-P${serial}`, `S-P${serial}`, customerNumber(serial))),
    ],
    items: [
      {
        number: 'I-1',
        name: 'Gear',
        type: 'inventory',
        category: null,
        blocked: false,
        unitOfMeasure: 'PCS',
        unitPrice: '0.10',
        inventory: 12.5,
      },
      {
        number: 'I-2',
        name: 'Shaft',
        type: 'inventory',
        category: null,
        blocked: true,
        unitOfMeasure: 'PCS',
        unitPrice: '19.99',
        inventory: 0,
      },
    ],
  };
}

export const PLAIN_CUSTOMERS = Array.from({ length: 60 }, (_, i) => customerNumber(i + 3));
