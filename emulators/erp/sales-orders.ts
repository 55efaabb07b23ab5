// Validation of sales order writes (POST with deep-inserted lines, PATCH, DELETE), with Business Central's
// rules and messages: the APIV2 sales order page's own errors ('A "customerNumber" or a
// "customerId" must be provided.' — listed in the API docs' error-code table), the Customer table's
// blocked check, record-not-found for unknown items. The external document number is NOT unique:
// BC does not enforce it, so a client must make its own retries idempotent.
import { BcError, badRequest, dialog } from './errors.js';
import { qualifiedName, salesOrderLineType, salesOrderType, type EntityTypeDef } from './entity-sets.js';
import { BLANK_DATE, type ErpStore, type NewSalesOrder, type SalesOrderChanges } from './store.js';
import type { BcCustomer, BcItem, BcSalesOrder } from '../seed/types.js';

type Json = Record<string, unknown>;

const ORDER_WRITABLE = new Set([
  'externalDocumentNumber',
  'orderDate',
  'requestedDeliveryDate',
  'customerId',
  'customerNumber',
  'currencyCode',
  'salesOrderLines',
]);
const ORDER_PATCHABLE = new Set(['externalDocumentNumber', 'orderDate', 'requestedDeliveryDate']);
const LINE_WRITABLE = new Set([
  'lineType',
  'lineObjectNumber',
  'itemId',
  'quantity',
  'unitPrice',
  'discountPercent',
  'description',
]);
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Field lengths of the underlying tables (Sales Header, Sales Line). */
const MAX_LENGTH: Record<string, number> = {
  externalDocumentNumber: 35,
  customerNumber: 20,
  lineObjectNumber: 20,
  description: 100,
  currencyCode: 10,
};

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Rejects properties the type does not have (ODL's message) and read-only ones. */
export function checkProperties(body: Json, type: EntityTypeDef, writable: ReadonlySet<string>): void {
  for (const name of Object.keys(body)) {
    if (name.startsWith('@odata.')) continue;
    if (!writable.has(name)) {
      if (type.properties[name] !== undefined || type.navigation[name] !== undefined) {
        throw new BcError(400, 'BadRequest_InvalidOperation', `The property '${name}' is read-only.`);
      }
      throw badRequest(
        `The property '${name}' does not exist on type '${qualifiedName(type)}'. Make sure to only use property names that are defined by the type.`,
      );
    }
  }
}

export function conversionError(value: unknown, edm: string): BcError {
  return badRequest(`Cannot convert the literal '${String(value)}' to the expected type '${edm}'.`);
}

export function optionalString(body: Json, name: string, max = MAX_LENGTH[name]): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw conversionError(value, 'Edm.String');
  if (max !== undefined && value.length > max) {
    throw new BcError(
      400,
      'Application_StringExceededLength',
      `The length of the string is ${value.length}, but it must be less than or equal to ${max} characters. Value: ${value}`,
    );
  }
  return value;
}

export function optionalGuid(body: Json, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !GUID.test(value)) throw conversionError(value, 'Edm.Guid');
  return value.toLowerCase();
}

function optionalDate(body: Json, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  if (!match) throw conversionError(value, 'Edm.Date');
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) {
    throw conversionError(value, 'Edm.Date');
  }
  return value as string;
}

export function optionalNumber(
  body: Json,
  name: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw conversionError(value, 'Edm.Decimal');
  if (value < min || value > max) {
    throw new BcError(
      400,
      'Application_FieldValidationException',
      `The value of ${name} must be between ${min} and ${max}; found ${value}.`,
    );
  }
  return value;
}

function resolveCustomer(store: ErpStore, body: Json): BcCustomer {
  const number = optionalString(body, 'customerNumber');
  const id = optionalGuid(body, 'customerId');
  if (number === undefined && id === undefined) throw dialog('A customerNumber or a customerID must be provided.');
  const customers = store.table('customers');
  const byNumber = number === undefined ? undefined : customers.findBy('number', number);
  const byId = id === undefined ? undefined : customers.get(id);
  if ((number !== undefined && !byNumber) || (id !== undefined && !byId))
    throw dialog('The sell-to customer cannot be found.');
  if (byNumber && byId && byNumber !== byId)
    throw dialog('The sell-to customer values do not match to a specific Customer.');
  const customer = (byNumber ?? byId)!;
  // Customer.CheckBlockedCustOnDocs: entering an order (not posting) is refused for every kind of
  // block — All, Invoice and Ship alike.
  if (customer.blocked !== ' ') {
    throw dialog(
      `You cannot create this type of document when Customer ${customer.number} is blocked with type ${customer.blocked}`,
    );
  }
  return customer;
}

function resolveItem(store: ErpStore, line: Json): BcItem {
  const number = optionalString(line, 'lineObjectNumber');
  const id = optionalGuid(line, 'itemId');
  if (number === undefined && id === undefined)
    throw dialog('A lineObjectNumber or an itemId must be provided for an Item line.');
  const items = store.table('items');
  const byNumber = number === undefined ? undefined : items.findBy('number', number);
  if (number !== undefined && !byNumber) {
    throw new BcError(
      400,
      'Internal_RecordNotFound',
      `The Item does not exist. Identification fields and values: No.='${number}'`,
    );
  }
  const byId = id === undefined ? undefined : items.get(id);
  if (id !== undefined && !byId) {
    throw new BcError(
      400,
      'Internal_RecordNotFound',
      `The Item does not exist. Identification fields and values: Id='${id}'`,
    );
  }
  if (byNumber && byId && byNumber !== byId) throw dialog('The item values do not match to a specific Item.');
  const item = (byNumber ?? byId)!;
  if (item.blocked) {
    throw new BcError(
      400,
      'Application_FieldValidationException',
      `Blocked must be equal to 'No'  in Item: No.=${item.number}. Current value is 'Yes'.`,
    );
  }
  return item;
}

export function parseNewSalesOrder(store: ErpStore, body: unknown, today: string): NewSalesOrder {
  if (!isObject(body)) throw badRequest('Invalid Request Body: a JSON object is expected.');
  checkProperties(body, salesOrderType, ORDER_WRITABLE);
  const customer = resolveCustomer(store, body);
  const currencyCode = optionalString(body, 'currencyCode') ?? customer.currencyCode;
  if (!store.knownCurrency(currencyCode)) {
    throw new BcError(
      400,
      'Internal_RecordNotFound',
      `The Currency does not exist. Identification fields and values: Code='${currencyCode}'`,
    );
  }
  const rawLines = body.salesOrderLines ?? [];
  if (!Array.isArray(rawLines)) throw badRequest("Invalid Request Body: 'salesOrderLines' must be an array.");
  const lines = rawLines.map((raw: unknown) => {
    if (!isObject(raw)) throw badRequest('Invalid Request Body: each of salesOrderLines must be a JSON object.');
    checkProperties(raw, salesOrderLineType, LINE_WRITABLE);
    const lineType = optionalString(raw, 'lineType') ?? 'Item';
    if (lineType !== 'Item')
      throw badRequest(`The lineType '${lineType}' is not supported by this emulator; only 'Item' lines are.`);
    const item = resolveItem(store, raw);
    return {
      item,
      quantity: optionalNumber(raw, 'quantity', 0) ?? 0,
      unitPrice: optionalNumber(raw, 'unitPrice', 0) ?? item.unitPrice,
      discountPercent: optionalNumber(raw, 'discountPercent', 0, 100) ?? 0,
      description: optionalString(raw, 'description') ?? item.displayName,
    };
  });
  return {
    customer,
    externalDocumentNumber: optionalString(body, 'externalDocumentNumber') ?? '',
    orderDate: optionalDate(body, 'orderDate') ?? today,
    requestedDeliveryDate: optionalDate(body, 'requestedDeliveryDate') ?? BLANK_DATE,
    currencyCode,
    lines,
  };
}

export function parseSalesOrderChanges(body: unknown): SalesOrderChanges {
  if (!isObject(body)) throw badRequest('Invalid Request Body: a JSON object is expected.');
  checkProperties(body, salesOrderType, ORDER_PATCHABLE);
  const changes: SalesOrderChanges = {};
  const externalDocumentNumber = optionalString(body, 'externalDocumentNumber');
  if (externalDocumentNumber !== undefined) changes.externalDocumentNumber = externalDocumentNumber;
  const orderDate = optionalDate(body, 'orderDate');
  if (orderDate !== undefined) changes.orderDate = orderDate;
  const requestedDeliveryDate = optionalDate(body, 'requestedDeliveryDate');
  if (requestedDeliveryDate !== undefined) changes.requestedDeliveryDate = requestedDeliveryDate;
  return changes;
}

/**
 * The Sales Header status behind the API's salesOrder status: "Draft" is a header still Open (not
 * released), "In Review" one Pending Approval, "Open" (and the seed's "Released") a Released one.
 */
const HEADER_STATUS: Record<string, string> = {
  Draft: 'Open',
  'In Review': 'Pending Approval',
  Open: 'Released',
  Released: 'Released',
};

/**
 * DELETE salesOrders({id}) (API v2.0 "Delete salesOrders": If-Match required, 204 No Content): only
 * an order not yet released can go. The API page deletes the Sales Header with its triggers, and a
 * released or pending-approval document fails Business Central's status test on the way (the
 * TestField message "Status must be equal to 'Open' in Sales Header: ..."); an order with anything
 * shipped is released by then too.
 */
export function checkSalesOrderDeletable(order: BcSalesOrder): void {
  const status = HEADER_STATUS[order.status] ?? order.status;
  if (status !== 'Open') {
    throw new BcError(
      400,
      'Application_FieldValidationException',
      `Status must be equal to 'Open'  in Sales Header: Document Type=Order, No.=${order.number}. Current value is '${status}'.`,
    );
  }
}
