// The port's lowercase statuses as the GraphQL enums. Records, not string tricks: a status added to
// the port without a GraphQL value fails the typecheck here.
import type {
  CustomerBlock,
  InvoiceStatus as PortInvoiceStatus,
  OrderStatus as PortOrderStatus,
} from '../../connectors/erp/port.js';
import type { InvoiceStatus, OrderStatus } from './__generated__/resolvers-types.js';

export const INVOICE_STATUS: Record<PortInvoiceStatus, InvoiceStatus> = {
  draft: 'DRAFT',
  in_review: 'IN_REVIEW',
  open: 'OPEN',
  paid: 'PAID',
  canceled: 'CANCELED',
  corrective: 'CORRECTIVE',
};

export const ORDER_STATUS: Record<PortOrderStatus, OrderStatus> = {
  draft: 'DRAFT',
  in_review: 'IN_REVIEW',
  open: 'OPEN',
  released: 'RELEASED',
};

/** Credit.holdReason per Business Central customer block (Customer."Blocked"). */
export const HOLD_REASON: Record<CustomerBlock, string | null> = {
  none: null,
  ship: 'Blocked for shipping',
  invoice: 'Blocked for invoicing',
  all: 'Blocked for all transactions',
};
