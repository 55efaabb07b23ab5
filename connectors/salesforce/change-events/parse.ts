// Change Data Capture events as CometD delivers them (Change Data Capture Developer Guide, "Change
// Event Message Structure": { schema, payload: { ChangeEventHeader, ...fields }, event: { replayId } })
// read into the connector's ChangeEvent: the header checked, record ids in their 18-character form,
// and whether the change came from this integration (changeOrigin names the client of the
// Sforce-Call-Options header every connector call sends).
import { z } from 'zod';
import { BackendError } from '../../../lib/backend-error.js';
import { CALL_OPTIONS } from '../call.js';
import { normalizeSalesforceId } from '../ids.js';

/** Salesforce's change types (the emulator keeps its own list: emulators import nothing of the product). */
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

export interface ChangeEvent {
  /** The channel it arrived on, e.g. /data/ChangeEvents or /data/AccountChangeEvent. */
  readonly channel: string;
  /** Its position in the event stream: what to store, once processed, to resume after it. */
  readonly replayId: number;
  readonly schema: string;
  /** The object, e.g. 'Account', 'Quote'. */
  readonly entityName: string;
  readonly changeType: ChangeType;
  /** 18-character ids; several when one change was made to many records in one transaction; none for GAP_OVERFLOW. */
  readonly recordIds: readonly string[];
  /** UPDATE: the fields that changed, compound components as 'BillingAddress.City'. */
  readonly changedFields: readonly string[];
  readonly nulledFields: readonly string[];
  readonly diffFields: readonly string[];
  readonly commitTimestamp: number;
  readonly commitNumber: number;
  readonly commitUser: string;
  /** Shared by every event of one transaction; sequenceNumber orders them within it. */
  readonly transactionKey: string;
  readonly sequenceNumber: number;
  readonly changeOrigin: string;
  /** Made through this integration (its own writes): changeOrigin names its client id. */
  readonly fromThisIntegration: boolean;
  /** A gap or overflow event: the records changed, but the event carries no field values. */
  readonly isGap: boolean;
  /** The body: the changed fields (UPDATE), all non-empty fields (CREATE, UNDELETE), none (DELETE, gaps). */
  readonly fields: Readonly<Record<string, unknown>>;
}

const Header = z.object({
  entityName: z.string().min(1),
  recordIds: z.array(z.string()),
  changeType: z.enum(CHANGE_TYPES),
  changedFields: z.array(z.string()).default([]),
  nulledFields: z.array(z.string()).default([]),
  diffFields: z.array(z.string()).default([]),
  changeOrigin: z.string().default(''),
  transactionKey: z.string().min(1),
  sequenceNumber: z.number().int(),
  commitTimestamp: z.number(),
  commitNumber: z.number().default(0),
  commitUser: z.string().default(''),
});

const Message = z.object({
  schema: z.string().default(''),
  payload: z.looseObject({ ChangeEventHeader: Header }),
  event: z.looseObject({ replayId: z.number().int() }),
});

const OWN_CLIENT = new RegExp(`(^|;)client=${CALL_OPTIONS.client.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[;,])`);

/** A CometD change event message's data, or a BackendError (invalid_response) saying what is wrong. */
export function parseChangeEvent(channel: string, data: unknown): ChangeEvent {
  const parsed = Message.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BackendError(
      'salesforce',
      'invalid_response',
      `Salesforce change event on ${channel} is malformed: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
      {
        operation: 'changeEvents',
      },
    );
  }
  const { payload, event, schema } = parsed.data;
  const { ChangeEventHeader: header, ...fields } = payload;
  const recordIds = header.recordIds.map((id) => normalizeSalesforceId(id));
  if (recordIds.some((id) => id === null)) {
    throw new BackendError(
      'salesforce',
      'invalid_response',
      `Salesforce change event ${event.replayId} has a malformed record id`,
      { operation: 'changeEvents' },
    );
  }
  return {
    channel,
    replayId: event.replayId,
    schema,
    entityName: header.entityName,
    changeType: header.changeType,
    recordIds: recordIds as string[],
    changedFields: header.changedFields,
    nulledFields: header.nulledFields,
    diffFields: header.diffFields,
    commitTimestamp: header.commitTimestamp,
    commitNumber: header.commitNumber,
    commitUser: header.commitUser,
    transactionKey: header.transactionKey,
    sequenceNumber: header.sequenceNumber,
    changeOrigin: header.changeOrigin,
    fromThisIntegration: OWN_CLIENT.test(header.changeOrigin),
    isGap: header.changeType.startsWith('GAP_'),
    fields,
  };
}
