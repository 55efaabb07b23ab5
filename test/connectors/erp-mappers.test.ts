// Business Central wire values → port values: money as exact 2-decimal strings, BC's "empty"
// values as null, enum captions (and their OData XML-encoded names) as the port's values.
import { describe, expect, it } from 'vitest';
import { BackendError } from '../../lib/backend-error.js';
import { decodeRows, money, toCustomer, toItem, toOrder } from '../../connectors/erp/business-central/mappers.js';
import * as Wire from '../../connectors/erp/business-central/wire.js';

const customer: Wire.Customer = {
  number: 'C00001',
  displayName: "O'Brien Tooling",
  addressLine1: '1 Main St',
  addressLine2: '',
  city: 'Springfield',
  state: 'IL',
  country: 'US',
  postalCode: '62701',
  phoneNumber: '',
  email: 'ap@obrien.example',
  currencyCode: 'USD',
  paymentTermsId: '00000000-0000-0000-0000-000000000000',
  blocked: '_x0020_',
  creditLimit: 250000,
  balanceDue: 0.1 + 0.2,
  taxLiable: true,
  lastModifiedDateTime: '2024-05-01T10:00:00Z',
};

describe('mappers', () => {
  it('money: 2-decimal strings, exact for cents, from numbers or decimal strings', () => {
    expect(money(0)).toBe('0.00');
    expect(money(1234.5)).toBe('1234.50');
    expect(money(0.1 + 0.2)).toBe('0.30');
    expect(money(-99.99)).toBe('-99.99');
    expect(money('12345678901234.56')).toBe('12345678901234.56');
    expect(money(1e-7)).toBe('0.00');
  });

  it('customer: empty text, the empty GUID and blank blocked map to null / none', () => {
    const c = toCustomer(customer);
    expect(c.address.line2).toBeNull();
    expect(c.phone).toBeNull();
    expect(c.paymentTermsId).toBeNull();
    expect(c.blocked).toBe('none');
    expect(c.balanceDue).toBe('0.30');
    expect(c.creditLimit).toBe('250000.00');
    expect(toCustomer({ ...customer, blocked: ' ' }).blocked).toBe('none');
    expect(toCustomer({ ...customer, blocked: 'Ship' }).blocked).toBe('ship');
    expect(toCustomer({ ...customer, blocked: 'All' }).blocked).toBe('all');
  });

  it('enum names decode the OData XML encoding (In_x0020_Review, Non_x002D_Inventory)', () => {
    const item = {
      number: 'I',
      displayName: 'x',
      type: 'Non_x002D_Inventory',
      itemCategoryCode: '',
      blocked: false,
      baseUnitOfMeasureCode: 'PCS',
      unitPrice: 10,
      inventory: 0,
    };
    expect(toItem(item).type).toBe('non_inventory');
    expect(toItem(item).category).toBeNull();
    const order = {
      id: 'a',
      number: 'SO-1',
      externalDocumentNumber: '',
      customerNumber: 'C',
      orderDate: '2024-01-01',
      requestedDeliveryDate: '0001-01-01',
      status: 'In_x0020_Review',
      fullyShipped: false,
      currencyCode: 'USD',
      totalAmountExcludingTax: 10,
      totalAmountIncludingTax: 11.9,
    };
    const mapped = toOrder(order, []);
    expect(mapped.status).toBe('in_review');
    expect(mapped.requestedDeliveryDate).toBeNull();
    expect(mapped.externalDocumentNumber).toBeNull();
    expect(mapped.totalIncludingTax).toBe('11.90');
  });

  it('an unknown enum member fails the call as invalid_response', () => {
    const run = () =>
      decodeRows(Wire.Customer, [{ ...customer, blocked: 'Everything' }], toCustomer, 'customersByNumbers');
    expect(run).toThrow(BackendError);
    expect(run).toThrow(/unknown blocked/);
  });

  it('order lines come back in sequence order', () => {
    const line = (sequence: number) => ({
      sequence,
      lineObjectNumber: `I${sequence}`,
      description: '',
      quantity: 1,
      unitOfMeasureCode: 'PCS',
      unitPrice: 1,
      discountPercent: 0,
      netAmount: 1,
      shippedQuantity: 0,
      invoicedQuantity: 0,
      shipmentDate: '0001-01-01',
    });
    const order = {
      id: 'a',
      number: 'SO-1',
      externalDocumentNumber: 'Q',
      customerNumber: 'C',
      orderDate: '2024-01-01',
      requestedDeliveryDate: '2024-02-01',
      status: 'Open',
      fullyShipped: false,
      currencyCode: 'USD',
      totalAmountExcludingTax: 3,
      totalAmountIncludingTax: 3,
    };
    const mapped = toOrder(order, [line(30000), line(10000), line(20000)]);
    expect(mapped.lines.map((l) => l.sequence)).toEqual([10000, 20000, 30000]);
    expect(mapped.lines[0]!.shipmentDate).toBeNull();
  });
});
