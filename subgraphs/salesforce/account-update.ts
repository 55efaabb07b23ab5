// updateAccount: writes the Salesforce-owned fields of an account, refusing the whole write when the
// input holds a field another system owns (DESIGN.md "Systems of record": nothing half-applied).
// Order: ownership, then the values, then one PATCH (audited), then a fresh read for the payload and
// the cache entries it makes wrong.
import { GraphQLError } from 'graphql';
import { normalizeSalesforceId } from '../../connectors/salesforce/ids.js';
import type { AccountUpdate, SfAccountRecord } from '../../connectors/salesforce/types.js';
import type { AuditLog } from '../../connectors/store/index.js';
import { isBackendError } from '../../lib/backend-error.js';
import { ErrorCode } from '../../lib/error-codes.js';
import type { Logger } from '../../lib/logger.js';
import type { CacheKind, ShieldedSalesforce } from '../../shield/index.js';
import { auditedWrite } from '../shared/audited-write.js';
import { badUserInput } from '../shared/errors.js';
import type { AccountWriteOwnership, UpdateAccountField } from './account-ownership.js';
import type { UpdateAccountInput } from './__generated__/resolvers-types.js';
import { KEY_PREFIX } from './arguments.js';

export interface AccountUpdateDeps {
  readonly connector: ShieldedSalesforce;
  readonly ownership: AccountWriteOwnership;
  readonly audit: AuditLog;
  readonly invalidate: (kind: CacheKind, keys: readonly string[]) => void;
  readonly clock: () => Date;
  readonly logger: Logger;
}

export interface UpdateAccountResult {
  readonly account: SfAccountRecord;
  readonly updatedFields: string[];
  readonly correlationId: string;
}

/** Salesforce's own limits (Account field lengths), checked before anything is sent. */
const MAX_LENGTH: Partial<Record<keyof AccountUpdate, number>> = {
  name: 255,
  phone: 40,
  website: 255,
  description: 32_000,
};

function checkValues(update: AccountUpdate): void {
  if ('name' in update && (update.name === null || update.name?.trim() === '')) {
    throw badUserInput('input.name', 'Argument "input.name" cannot be empty: Salesforce requires an account name.');
  }
  for (const [field, max] of Object.entries(MAX_LENGTH) as [keyof AccountUpdate, number][]) {
    const value = update[field];
    if (typeof value === 'string' && value.length > max) {
      throw badUserInput(`input.${field}`, `Argument "input.${field}" must be at most ${max} characters.`);
    }
  }
  const employees = update.numberOfEmployees;
  if (employees !== undefined && employees !== null && employees < 0) {
    throw badUserInput('input.numberOfEmployees', 'Argument "input.numberOfEmployees" cannot be negative.');
  }
}

export function fieldOwnedByOtherSystem(fields: readonly { field: string; owner: string }[]): GraphQLError {
  const list = fields.map(({ field, owner }) => `${field} (${owner})`).join(', ');
  return new GraphQLError(
    `Nothing was written: the input holds fields another system owns: ${list}. Change them in their system of record.`,
    {
      extensions: { code: ErrorCode.FIELD_OWNED_BY_OTHER_SYSTEM, fields },
    },
  );
}

export async function updateAccount(
  input: UpdateAccountInput,
  scope: { caller: string; correlationId: string },
  deps: AccountUpdateDeps,
): Promise<UpdateAccountResult> {
  const id = normalizeSalesforceId(input.id, KEY_PREFIX.account);
  if (id === null) {
    throw badUserInput(
      'input.id',
      `Argument "input.id" is not a valid Salesforce account id (15 or 18 characters, starting with ${KEY_PREFIX.account}).`,
    );
  }
  const { id: _id, ...fields } = input;
  const foreign = deps.ownership.foreignFields(fields);
  if (foreign.length > 0) throw fieldOwnedByOtherSystem(foreign);

  // Only Salesforce-owned fields are left (ownership checked above; account-ownership.ts checks at
  // start-up that the connector writes every one of them).
  const update = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as AccountUpdate;
  const updatedFields = Object.keys(update) as UpdateAccountField[];
  if (updatedFields.length === 0) throw badUserInput('input', 'The input holds no field to update.');
  checkValues(update);

  try {
    await auditedWrite(
      deps,
      {
        system: 'salesforce',
        operation: 'updateAccount',
        target: id,
        request: update,
        caller: scope.caller,
        correlationId: scope.correlationId,
        idempotencyKey: null,
      },
      (call) => deps.connector.updateAccount(id, update, call),
    );
  } catch (error) {
    if (isBackendError(error) && error.failure === 'rejected') {
      if (error.details.status === 404)
        throw new GraphQLError(`There is no account ${id}.`, { extensions: { code: ErrorCode.NOT_FOUND } });
      // Salesforce's own validation (a picklist value, a field rule): its code, never its payload.
      throw badUserInput(
        'input',
        `Salesforce refused the update${error.details.backendCode ? ` (${error.details.backendCode})` : ''}.`,
      );
    }
    throw error;
  }
  const account = (await deps.connector.uncached.accountsByIds([id], { correlationId: scope.correlationId })).get(id);
  if (account === undefined)
    throw new GraphQLError(`There is no account ${id}.`, { extensions: { code: ErrorCode.NOT_FOUND } });
  // The shielded write dropped sf.account; the entry keyed by ERP number is this caller's to drop.
  if (account.erpCustomerNumber !== null) deps.invalidate('sf.accountByErpNumber', [account.erpCustomerNumber]);
  deps.logger.info({ accountId: id, updatedFields }, 'updateAccount: written');
  return { account, updatedFields, correlationId: scope.correlationId };
}
