// Query cursors behind `nextRecordsUrl`. A query whose result exceeds one batch keeps its rows here
// under a locator (an id with Salesforce's 01g key prefix); `GET /query/{locator}-{offset}` answers
// the batch starting at offset (jsforce keeps only that last path segment). Cursors time out after
// 15 minutes of inactivity, as Salesforce's do; an unknown or expired locator is
// INVALID_QUERY_LOCATOR.
import { makeIdFactory } from '../../seed/salesforce-id.js';
import type { QueryOutcome } from './evaluate.js';

export interface Cursor {
  readonly locator: string;
  readonly outcome: Exclude<QueryOutcome, { kind: 'count' }>;
  readonly includeDeleted: boolean;
  readonly batchSize: number;
  lastUsed: number;
}

const IDLE_TIMEOUT_MS = 15 * 60_000;
// Salesforce caps open cursors per user; the emulator caps them overall and drops the oldest.
const MAX_CURSORS = 1000;

export class QueryCursors {
  private readonly cursors = new Map<string, Cursor>();
  private readonly ids = makeIdFactory('01g');

  constructor(private readonly now: () => Date) {}

  open(outcome: Cursor['outcome'], includeDeleted: boolean, batchSize: number): Cursor {
    const cursor: Cursor = {
      locator: this.ids.next(),
      outcome,
      includeDeleted,
      batchSize,
      lastUsed: this.now().getTime(),
    };
    if (this.cursors.size >= MAX_CURSORS) this.cursors.delete(this.cursors.keys().next().value!);
    this.cursors.set(cursor.locator, cursor);
    return cursor;
  }

  get(locator: string): Cursor | undefined {
    const cursor = this.cursors.get(locator);
    if (!cursor) return undefined;
    const now = this.now().getTime();
    if (now - cursor.lastUsed > IDLE_TIMEOUT_MS) {
      this.cursors.delete(locator);
      return undefined;
    }
    cursor.lastUsed = now;
    // Re-insert so the map stays ordered by last use (the oldest is dropped first).
    this.cursors.delete(locator);
    this.cursors.set(locator, cursor);
    return cursor;
  }
}
