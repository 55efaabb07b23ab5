// Change Data Capture events of a committed transaction, in the JSON shape CometD subscribers receive
// (Change Data Capture Developer Guide, "Change Event Message Structure", "Change Event Body Fields",
// "Get Compound Fields in Change Events", "Overflow Events"):
// - a ChangeEventHeader (entityName, recordIds, changeType, changedFields, nulledFields, diffFields,
//   changeOrigin, transactionKey, sequenceNumber 1..n within the transaction, commitTimestamp,
//   commitNumber, commitUser);
// - CREATE and UNDELETE carry every non-empty field, UPDATE only the fields that changed (null when
//   set to null) plus LastModifiedDate, DELETE none; IsDeleted is never sent;
// - compound fields nest (Account BillingStreet → BillingAddress.Street, Contact FirstName →
//   Name.FirstName) and are listed as "Compound.Component" in changedFields;
// - the same change to several records of one object in one transaction is merged into one event
//   whose recordIds lists them all (a cascade delete of 30 contacts is one DELETE event);
// - past the overflow threshold (100,000 changes; an update counts one per changed field) the rest
//   of the transaction is one GAP_OVERFLOW event per object, header only, without record ids.
import { createHash, randomUUID } from 'node:crypto';
import type { FieldMeta, ObjectMeta, Schema } from '../schema.js';
import type { CommittedTransaction, RecordChange } from '../store.js';
import type { SfRecord } from '../store-types.js';

export const CHANGE_TYPES = [
  'CREATE',
  'UPDATE',
  'DELETE',
  'UNDELETE',
  'GAP_CREATE',
  'GAP_UPDATE',
  'GAP_DELETE',
  'GAP_UNDELETE',
  'GAP_OVERFLOW',
] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];
export const GAP_CHANGE_TYPES = ['GAP_CREATE', 'GAP_UPDATE', 'GAP_DELETE', 'GAP_UNDELETE'] as const;

export interface ChangeEventHeader {
  entityName: string;
  recordIds: string[];
  changeType: ChangeType;
  changeOrigin: string;
  transactionKey: string;
  sequenceNumber: number;
  commitTimestamp: number;
  commitNumber: number;
  commitUser: string;
  nulledFields: string[];
  diffFields: string[];
  changedFields: string[];
}

export type ChangeEventPayload = { ChangeEventHeader: ChangeEventHeader } & Record<string, unknown>;

/** An event before the event log gives it a replay id. */
export interface ChangeEvent {
  readonly entityName: string;
  readonly schema: string;
  readonly payload: ChangeEventPayload;
}

/** The commit a set of events belongs to (shared by every event of one transaction). */
export interface CommitInfo {
  readonly transactionKey: string;
  readonly commitTimestamp: number;
  readonly commitNumber: number;
  readonly commitUser: string;
  readonly changeOrigin: string;
}

/** Components of compound fields: API field → [compound field, component] (per object). */
const COMPOUND_FIELDS: Readonly<Record<string, Readonly<Record<string, readonly [string, string]>>>> = {
  Account: {
    BillingStreet: ['BillingAddress', 'Street'],
    BillingCity: ['BillingAddress', 'City'],
    BillingState: ['BillingAddress', 'State'],
    BillingPostalCode: ['BillingAddress', 'PostalCode'],
    BillingCountry: ['BillingAddress', 'Country'],
  },
  Contact: { FirstName: ['Name', 'FirstName'], LastName: ['Name', 'LastName'] },
  User: { FirstName: ['Name', 'FirstName'], LastName: ['Name', 'LastName'] },
};

/** Fields a change event never carries: IsDeleted, and flat names a compound field replaces. */
function isOmitted(meta: ObjectMeta, field: FieldMeta): boolean {
  if (field.name === 'Id' || field.name === 'IsDeleted') return true;
  const compounds = COMPOUND_FIELDS[meta.name];
  // Contact.Name / User.Name: the compound Name field (FirstName, LastName) stands for it.
  return (
    compounds !== undefined &&
    field.name === 'Name' &&
    Object.values(compounds).some(([compound]) => compound === 'Name')
  );
}

/** Date-times leave in the change events' format, second precision in UTC ("2021-02-09T23:17:59Z"). */
function eventValue(field: FieldMeta, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (field.type === 'datetime' && typeof value === 'string') {
    const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    return Number.isFinite(ms) ? new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') : value;
  }
  return value;
}

/** Puts `field`'s value into the body (nested when it is a compound's component); returns the changedFields name. */
function assign(body: Record<string, unknown>, meta: ObjectMeta, field: FieldMeta, value: unknown): string {
  const component = COMPOUND_FIELDS[meta.name]?.[field.name];
  if (!component) {
    body[field.name] = eventValue(field, value);
    return field.name;
  }
  const [compound, part] = component;
  const nested = (body[compound] ??= {}) as Record<string, unknown>;
  nested[part] = eventValue(field, value);
  return `${compound}.${part}`;
}

/** The fields of a CREATE or UNDELETE: every non-empty one. */
function fullBody(meta: ObjectMeta, record: SfRecord): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of meta.fields) {
    if (isOmitted(meta, field)) continue;
    const value = record[field.name];
    if (value === null || value === undefined) continue;
    assign(body, meta, field, value);
  }
  return body;
}

function sameValue(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null);
}

/** The fields of an UPDATE: the changed ones (and LastModifiedDate), with changedFields and nulledFields. */
function updateBody(meta: ObjectMeta, before: SfRecord, after: SfRecord) {
  const body: Record<string, unknown> = {};
  const changedFields: string[] = [];
  const nulledFields: string[] = [];
  for (const field of meta.fields) {
    if (isOmitted(meta, field)) continue;
    const value = after[field.name];
    if (sameValue(before[field.name], value) && field.name !== 'LastModifiedDate') continue;
    const name = assign(body, meta, field, value);
    changedFields.push(name);
    if (value === null || value === undefined) nulledFields.push(name);
  }
  return { body, changedFields, nulledFields };
}

/** Changes counted toward the overflow threshold: one per created/deleted/undeleted record, one per changed field. */
function weight(change: RecordChange, changedFieldCount: number): number {
  return change.kind === 'update' ? Math.max(1, changedFieldCount) : 1;
}

const CHANGE_TYPE_OF: Record<RecordChange['kind'], ChangeType> = {
  create: 'CREATE',
  update: 'UPDATE',
  delete: 'DELETE',
  undelete: 'UNDELETE',
};

/** A stable schema id per object, like the event schema ids Salesforce sends (22 base64url characters). */
const schemaIds = new Map<string, string>();
export function schemaIdOf(meta: ObjectMeta): string {
  let id = schemaIds.get(meta.name);
  if (id === undefined) {
    const fields = meta.fields.map((f) => `${f.name}:${f.type}`).join(',');
    id = createHash('sha256').update(`${meta.name}ChangeEvent|${fields}`).digest('base64url').slice(0, 22);
    schemaIds.set(meta.name, id);
  }
  return id;
}

function header(
  entityName: string,
  changeType: ChangeType,
  commit: CommitInfo,
  extra: Partial<ChangeEventHeader> = {},
): ChangeEventHeader {
  return {
    entityName,
    recordIds: [],
    changeType,
    changeOrigin: commit.changeOrigin,
    transactionKey: commit.transactionKey,
    sequenceNumber: 0,
    commitTimestamp: commit.commitTimestamp,
    commitNumber: commit.commitNumber,
    commitUser: commit.commitUser,
    nulledFields: [],
    diffFields: [],
    changedFields: [],
    ...extra,
  };
}

export interface ChangeEventOptions {
  /** Only these objects publish change events (the entities selected for Change Data Capture). */
  readonly entities: ReadonlySet<string>;
  /** Changes of one transaction that generate change events; the rest overflow (default 100,000). */
  readonly overflowThreshold: number;
}

/** Change events for one committed transaction, in commit order, sequence numbers 1..n. */
export function changeEventsOf(
  transaction: CommittedTransaction,
  schema: Schema,
  commit: CommitInfo,
  options: ChangeEventOptions,
): ChangeEvent[] {
  const events: ChangeEvent[] = [];
  const merged = new Map<string, ChangeEvent>();
  const overflowed: string[] = [];
  let counted = 0;
  for (const change of transaction.changes) {
    if (!options.entities.has(change.objectName)) continue;
    const meta = schema.object(change.objectName)!;
    let fields: Record<string, unknown>;
    let changedFields: string[] = [];
    let nulledFields: string[] = [];
    if (change.kind === 'update') {
      ({ body: fields, changedFields, nulledFields } = updateBody(meta, change.before!, change.after));
      // A save that changed nothing but LastModifiedDate is still a change in Salesforce.
    } else if (change.kind === 'delete') {
      fields = {};
    } else {
      fields = fullBody(meta, change.after);
    }
    counted += weight(change, changedFields.length);
    if (counted > options.overflowThreshold) {
      if (!overflowed.includes(meta.name)) overflowed.push(meta.name);
      continue;
    }
    const changeType = CHANGE_TYPE_OF[change.kind];
    // Identical changes to several records of one object in one transaction are one event.
    const mergeKey = JSON.stringify([meta.name, changeType, changedFields, withoutStamp(fields)]);
    const same = merged.get(mergeKey);
    if (same) {
      same.payload.ChangeEventHeader.recordIds.push(change.after.Id);
      continue;
    }
    const event: ChangeEvent = {
      entityName: meta.name,
      schema: schemaIdOf(meta),
      payload: {
        ChangeEventHeader: header(meta.name, changeType, commit, {
          recordIds: [change.after.Id],
          changedFields,
          nulledFields,
        }),
        ...fields,
      },
    };
    merged.set(mergeKey, event);
    events.push(event);
  }
  for (const entityName of overflowed) {
    events.push({
      entityName,
      schema: schemaIdOf(schema.object(entityName)!),
      payload: { ChangeEventHeader: header(entityName, 'GAP_OVERFLOW', commit) },
    });
  }
  events.forEach((event, i) => {
    event.payload.ChangeEventHeader.sequenceNumber = i + 1;
  });
  return events;
}

/** LastModifiedDate differs by milliseconds between the records of one save: it does not split a merge. */
function withoutStamp(fields: Record<string, unknown>): Record<string, unknown> {
  const { LastModifiedDate: _stamp, CreatedDate: _created, ...rest } = fields;
  return rest;
}

/** A gap or overflow event (emulator fault: Salesforce sends these when it cannot send change events). */
export function gapEvent(
  meta: ObjectMeta,
  changeType: ChangeType,
  recordIds: readonly string[],
  commit: CommitInfo,
): ChangeEvent {
  return {
    entityName: meta.name,
    schema: schemaIdOf(meta),
    payload: {
      ChangeEventHeader: header(meta.name, changeType, commit, {
        recordIds: changeType === 'GAP_OVERFLOW' ? [] : [...recordIds],
        sequenceNumber: 1,
      }),
    },
  };
}

/** A fresh commit: the transaction key and commit number every event of one transaction shares. */
export function newCommit(at: Date, commitNumber: number, commitUser: string, changeOrigin: string): CommitInfo {
  return { transactionKey: randomUUID(), commitTimestamp: at.getTime(), commitNumber, commitUser, changeOrigin };
}
