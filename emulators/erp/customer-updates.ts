// Validation of PATCH customers({id}) (api-reference/v2.0 "Update customers"): the properties a
// client may change with Business Central's field lengths (the Customer table's), the blocked enum
// (" ", Ship, Invoice, All), a credit limit that is not negative and payment terms that exist.
// Read-only properties (number, balanceDue, lastModifiedDateTime...) are refused as BC refuses
// them; currencyCode too, which BC only lets change while the customer has no ledger entries.
import { BcError, badRequest } from './errors.js';
import { ENTITY_SETS } from './entity-sets.js';
import { checkProperties, isObject, optionalGuid, optionalNumber, optionalString } from './sales-orders.js';
import type { CustomerChanges, ErpStore } from './store.js';
import type { BcBlocked } from '../seed/types.js';

/** Customer table field lengths. */
const TEXT_FIELDS = {
  displayName: 100,
  addressLine1: 100,
  addressLine2: 50,
  city: 30,
  state: 30,
  country: 10,
  postalCode: 20,
  phoneNumber: 30,
  email: 80,
  website: 80,
} as const;

const BLOCKED: readonly BcBlocked[] = [' ', 'Ship', 'Invoice', 'All'];
const PATCHABLE = new Set([...Object.keys(TEXT_FIELDS), 'taxLiable', 'paymentTermsId', 'blocked', 'creditLimit']);

export function parseCustomerChanges(store: ErpStore, body: unknown): CustomerChanges {
  if (!isObject(body)) throw badRequest('Invalid Request Body: a JSON object is expected.');
  checkProperties(body, ENTITY_SETS.get('customers')!.type, PATCHABLE);
  const changes: CustomerChanges = {};
  for (const [name, max] of Object.entries(TEXT_FIELDS) as [keyof typeof TEXT_FIELDS, number][]) {
    const value = optionalString(body, name, max);
    if (value !== undefined) changes[name] = value;
  }
  if (body.taxLiable !== undefined && body.taxLiable !== null) {
    if (typeof body.taxLiable !== 'boolean')
      throw badRequest(`Cannot convert the literal '${String(body.taxLiable)}' to the expected type 'Edm.Boolean'.`);
    changes.taxLiable = body.taxLiable;
  }
  if (body.blocked !== undefined && body.blocked !== null) {
    if (!BLOCKED.includes(body.blocked as BcBlocked)) {
      throw badRequest(
        `Cannot convert the literal '${String(body.blocked)}' to the expected type 'Microsoft.NAV.customerBlocked'.`,
      );
    }
    changes.blocked = body.blocked as BcBlocked;
  }
  const creditLimit = optionalNumber(body, 'creditLimit', 0);
  if (creditLimit !== undefined) changes.creditLimit = creditLimit;
  const paymentTermsId = optionalGuid(body, 'paymentTermsId');
  if (paymentTermsId !== undefined) {
    if (!store.table('paymentTerms').get(paymentTermsId)) {
      throw new BcError(
        400,
        'Internal_RecordNotFound',
        `The Payment Terms does not exist. Identification fields and values: Id='${paymentTermsId}'`,
      );
    }
    changes.paymentTermsId = paymentTermsId;
  }
  return changes;
}
