// Which UpdateAccountInput fields Salesforce may write, derived from the ownership declared once in
// the schema (@owner, schema/ownership.ts) as composed into schema/supergraph.graphql — the ERP's
// fields (Credit, Account.billingAddress) are declared in the ERP subgraph's SDL, so only the
// composed graph knows them all. Each input field names the graph field it writes; the owner of that
// field decides. Checked once at start-up: an input field whose target has no owner, or a
// Salesforce-owned one the connector cannot write, is a programming error and stops the service.
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import type { AccountUpdate } from '../../connectors/salesforce/types.js';
import {
  ownershipOf,
  type FieldCoordinate,
  type OwnershipMatrix,
  type OwnershipSystem,
} from '../../schema/ownership.js';
import type { UpdateAccountInput } from './__generated__/resolvers-types.js';

const SUPERGRAPH_FILE = new URL('../../schema/supergraph.graphql', import.meta.url);

export type UpdateAccountField = Exclude<keyof UpdateAccountInput, 'id'>;

/** Input field → the graph field it writes (exhaustive: a new input field fails the typecheck here). */
export const UPDATE_ACCOUNT_TARGETS = {
  name: 'Account.name',
  type: 'Account.type',
  industry: 'Account.industry',
  phone: 'Account.phone',
  website: 'Account.website',
  description: 'Account.description',
  numberOfEmployees: 'Account.numberOfEmployees',
  erpCustomerNumber: 'Account.erpCustomerNumber',
  billingAddress: 'Account.billingAddress',
  paymentTerms: 'Credit.paymentTerms',
  creditLimit: 'Credit.limit',
  currency: 'Credit.currency',
} as const satisfies Record<UpdateAccountField, FieldCoordinate>;

/** The input fields the Salesforce connector can write (connectors/salesforce AccountUpdate). */
const CONNECTOR_WRITABLE: ReadonlySet<string> = new Set<keyof AccountUpdate>([
  'name',
  'type',
  'industry',
  'phone',
  'website',
  'description',
  'numberOfEmployees',
]);

export interface ForeignField {
  readonly field: UpdateAccountField;
  readonly owner: OwnershipSystem;
}

export interface AccountWriteOwnership {
  /** The fields of `input` (present, even as null) that Salesforce does not own. */
  foreignFields(input: Partial<Record<UpdateAccountField, unknown>>): ForeignField[];
}

export class OwnershipConfigurationError extends Error {
  override readonly name = 'OwnershipConfigurationError';
}

export function accountWriteOwnership(matrix: OwnershipMatrix): AccountWriteOwnership {
  const owners = new Map<UpdateAccountField, OwnershipSystem>();
  for (const [field, target] of Object.entries(UPDATE_ACCOUNT_TARGETS) as [UpdateAccountField, FieldCoordinate][]) {
    const owner = matrix.ownerOf(target);
    if (owner === null)
      throw new OwnershipConfigurationError(`UpdateAccountInput.${field} writes ${target}, which has no @owner`);
    if (owner.system === 'SALESFORCE' && !CONNECTOR_WRITABLE.has(field)) {
      throw new OwnershipConfigurationError(
        `UpdateAccountInput.${field}: ${target} is owned by Salesforce but the connector cannot write it`,
      );
    }
    owners.set(field, owner.system);
  }
  return {
    foreignFields: (input) =>
      [...owners]
        .filter(([field, owner]) => owner !== 'SALESFORCE' && input[field] !== undefined)
        .map(([field, owner]) => ({ field, owner })),
  };
}

/** The ownership of the committed supergraph (the gateway serves the same file). */
export function loadAccountWriteOwnership(): AccountWriteOwnership {
  return accountWriteOwnership(ownershipOf(parse(readFileSync(SUPERGRAPH_FILE, 'utf8'))));
}
