// Change Data Capture for the emulated org: every committed transaction of the store becomes change
// events (change-events.ts), retained with replay ids (event-log.ts) and delivered over CometD
// (cometd.ts); plus the streaming faults tests and benchmarks inject through POST /__emulator/faults
// ({"streaming": {...}}: sever connections, forget clients, emit gap and overflow events).
import { FaultInputError } from '../../common/traffic.js';
import { normalizeId } from '../ids.js';
import type { Session } from '../oauth.js';
import type { Schema } from '../schema.js';
import type { SalesforceStore } from '../store.js';
import {
  GAP_CHANGE_TYPES,
  changeEventsOf,
  gapEvent,
  newCommit,
  type ChangeEvent,
  type ChangeType,
} from './change-events.js';
import { createCometdServer, type CometdServer } from './cometd.js';
import { EventLog, type StoredEvent } from './event-log.js';

export interface ChangeDataCaptureOptions {
  readonly store: SalesforceStore;
  readonly schema: Schema;
  /** Objects selected for Change Data Capture (default: every object the org has). */
  readonly entities?: readonly string[];
  /** Changes per transaction before the rest overflows (default 100,000, Salesforce's). */
  readonly overflowThreshold?: number;
  /** Retention window (default 72 hours). */
  readonly retentionMs?: number;
  /** Retained events at most (default 50,000). */
  readonly maxRetainedEvents?: number;
  /** Long-poll timeout in seconds (default 110, Salesforce's). */
  readonly timeoutSeconds?: number;
  readonly now: () => Date;
  verify(accessToken: string): Session | null;
}

export interface ChangeDataCapture {
  readonly cometd: CometdServer;
  readonly log: EventLog;
  /** Publishes events as one transaction of their own (gap and overflow faults). */
  publish(events: readonly ChangeEvent[]): StoredEvent[];
  /** Runs a streaming fault; throws FaultInputError for a malformed one. */
  fault(input: unknown): StreamingFaultResult;
  close(): void;
}

export interface StreamingFaultResult {
  droppedConnections?: number;
  forgottenClients?: number;
  /** Replay ids of the gap and overflow events published. */
  publishedReplayIds?: number[];
}

export const DEFAULT_RETENTION_MS = 72 * 60 * 60 * 1000;
export const DEFAULT_MAX_RETAINED_EVENTS = 50_000;
export const DEFAULT_OVERFLOW_THRESHOLD = 100_000;
export const DEFAULT_TIMEOUT_SECONDS = 110;

/** Commit numbers are large and increasing, like Salesforce's system change numbers. */
const COMMIT_NUMBER_BASE = 10_000_000_000_000;

export function createChangeDataCapture(options: ChangeDataCaptureOptions): ChangeDataCapture {
  const { store, schema, now } = options;
  const entityNames = options.entities ?? schema.objects.map((o) => o.name);
  for (const name of entityNames) {
    if (!schema.object(name)) throw new Error(`Change Data Capture entity ${name} is not an object of the org`);
  }
  const entities = new Set(entityNames.map((name) => schema.object(name)!.name));
  const log = new EventLog({
    retentionMs: options.retentionMs ?? DEFAULT_RETENTION_MS,
    maxEvents: options.maxRetainedEvents ?? DEFAULT_MAX_RETAINED_EVENTS,
    now,
  });
  const cometd = createCometdServer({
    log,
    entities,
    timeoutSeconds: options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    verify: options.verify,
  });
  let commitNumber = COMMIT_NUMBER_BASE + (now().getTime() % 1_000_000_000);
  const overflowThreshold = options.overflowThreshold ?? DEFAULT_OVERFLOW_THRESHOLD;

  function publish(events: readonly ChangeEvent[]): StoredEvent[] {
    if (events.length === 0) return [];
    const stored = log.append(events);
    cometd.publish(stored);
    return stored;
  }

  store.onCommit((transaction) => {
    const commit = newCommit(
      transaction.committedAt,
      commitNumber++,
      transaction.context.userId,
      transaction.context.changeOrigin,
    );
    publish(changeEventsOf(transaction, schema, commit, { entities, overflowThreshold }));
  });

  function entityOf(value: unknown, where: string) {
    const meta = typeof value === 'string' ? schema.object(value) : undefined;
    if (!meta || !entities.has(meta.name))
      throw new FaultInputError(`${where}.entityName must name an object selected for Change Data Capture`);
    return meta;
  }

  function list(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [value];
  }

  /** Gap and overflow events of one fault are one transaction, like the database job that caused them. */
  function gapEvents(input: Record<string, unknown>): ChangeEvent[] {
    const commit = newCommit(now(), commitNumber++, '', '');
    const events: ChangeEvent[] = [];
    for (const gap of input.gap === undefined ? [] : list(input.gap)) {
      if (typeof gap !== 'object' || gap === null)
        throw new FaultInputError('streaming.gap must be an object or a list of objects');
      const { entityName, changeType = 'GAP_UPDATE', recordIds } = gap as Record<string, unknown>;
      const meta = entityOf(entityName, 'streaming.gap');
      if (!(GAP_CHANGE_TYPES as readonly unknown[]).includes(changeType)) {
        throw new FaultInputError(`streaming.gap.changeType must be one of ${GAP_CHANGE_TYPES.join(', ')}`);
      }
      const ids = Array.isArray(recordIds) ? recordIds.map((id) => normalizeId(id)) : [];
      if (ids.length === 0 || ids.some((id) => id === null || id.slice(0, 3) !== meta.keyPrefix)) {
        throw new FaultInputError(`streaming.gap.recordIds must be a non-empty list of ${meta.name} ids`);
      }
      events.push(gapEvent(meta, changeType as ChangeType, ids as string[], commit));
    }
    for (const overflow of input.overflow === undefined ? [] : list(input.overflow)) {
      const meta = entityOf((overflow as Record<string, unknown> | null)?.entityName, 'streaming.overflow');
      events.push(gapEvent(meta, 'GAP_OVERFLOW', [], commit));
    }
    events.forEach((event, i) => {
      event.payload.ChangeEventHeader.sequenceNumber = i + 1;
    });
    return events;
  }

  function clientSelector(value: unknown, name: string): string | undefined | null {
    if (value === undefined || value === false) return null;
    if (value === true) return undefined;
    if (typeof value === 'string' && value !== '') return value;
    throw new FaultInputError(`streaming.${name} must be true (every client) or a client id`);
  }

  return {
    cometd,
    log,
    publish,
    fault(input) {
      if (typeof input !== 'object' || input === null || Array.isArray(input))
        throw new FaultInputError('streaming must be an object');
      const fields = input as Record<string, unknown>;
      for (const key of Object.keys(fields)) {
        if (!['dropConnections', 'forgetClients', 'gap', 'overflow'].includes(key))
          throw new FaultInputError(`unknown streaming fault '${key}'`);
      }
      const drop = clientSelector(fields.dropConnections, 'dropConnections');
      const forget = clientSelector(fields.forgetClients, 'forgetClients');
      const events = gapEvents(fields);
      const result: StreamingFaultResult = {};
      if (forget !== null) result.forgottenClients = cometd.forgetClients(forget);
      if (drop !== null) result.droppedConnections = cometd.dropConnections(drop);
      if (events.length > 0) result.publishedReplayIds = publish(events).map((event) => event.replayId);
      return result;
    },
    close() {
      cometd.close();
    },
  };
}
