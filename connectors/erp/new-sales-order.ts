// What every adapter refuses in a NewSalesOrder before sending anything, alike for every ERP (the
// contract suite holds them to it): a 'rejected' BackendError with backend code
// Connector_InvalidInput, naming the field.
import { Big } from 'big.js';
import { BackendError } from '../../lib/backend-error.js';
import type { NewSalesOrder } from './port.js';

/**
 * The longest external document number any adapter takes: Business Central's External Document No.
 * is Code/Text[35] (Tryton's sale reference has no limit), so an order that one ERP takes, every
 * ERP takes.
 */
export const MAX_EXTERNAL_DOCUMENT_NUMBER = 35;

/** Throws for an order no ERP should be asked to create. `erp` names the backend in the message. */
export function checkNewSalesOrder(order: NewSalesOrder, erp: string, operation: string): void {
  const refuse = (why: string) =>
    new BackendError('erp', 'rejected', `${erp} ${operation}: ${why}`, {
      operation,
      backendCode: 'Connector_InvalidInput',
    });
  if (!order.customerNumber) throw refuse('customerNumber is required');
  if (!order.externalDocumentNumber) throw refuse('externalDocumentNumber is required');
  if (order.externalDocumentNumber.length > MAX_EXTERNAL_DOCUMENT_NUMBER) {
    throw refuse(`externalDocumentNumber is longer than ${MAX_EXTERNAL_DOCUMENT_NUMBER} characters`);
  }
  if (order.lines.length === 0) throw refuse('an order needs at least one line');
  order.lines.forEach((line, index) => {
    if (!line.itemNumber) throw refuse(`line ${index + 1}: itemNumber is required`);
    if (!Number.isFinite(line.quantity) || line.quantity <= 0)
      throw refuse(`line ${index + 1}: quantity must be positive`);
    const discount = line.discountPercent;
    if (discount !== undefined && !(Number.isFinite(discount) && discount >= 0 && discount <= 100)) {
      throw refuse(`line ${index + 1}: discountPercent must be between 0 and 100`);
    }
    if (line.unitPrice !== undefined && !isNonNegativeDecimal(line.unitPrice))
      throw refuse(`line ${index + 1}: unitPrice is not a decimal`);
  });
}

function isNonNegativeDecimal(value: string): boolean {
  try {
    return new Big(value).gte(0);
  } catch {
    return false;
  }
}
