// The event bus's retained change events and their replay ids (Streaming API Developer Guide,
// "Message Durability": each event gets an opaque, increasing replay id; events are kept for the
// retention window, 72 hours for change events; a subscriber resumes after a stored replay id, -1
// takes new events only, -2 every retained one).
//
// Replay ids start from the clock (milliseconds since the epoch), so ids a subscriber stored before the
// emulator restarted are older than anything retained now: resuming from one is refused as
// Salesforce refuses an id outside the retention window, instead of silently skipping what was lost.
import type { ChangeEvent } from './change-events.js';

export const REPLAY_NEW = -1;
export const REPLAY_ALL = -2;

export interface StoredEvent {
  readonly replayId: number;
  readonly entityName: string;
  /** When it was published (ms since the epoch): what the retention window counts from. */
  readonly publishedAt: number;
  /** The `data` of the CometD message. */
  readonly data: { schema: string; payload: ChangeEvent['payload']; event: { replayId: number } };
}

export interface EventLogOptions {
  /** How long events are retained (default 72 hours). */
  readonly retentionMs: number;
  /** At most this many events are retained; older ones are dropped first. */
  readonly maxEvents: number;
  readonly now: () => Date;
}

export class EventLog {
  private readonly events: StoredEvent[] = [];
  /** Index of the oldest retained event in `events` (dropping from the front in bulk is cheaper). */
  private head = 0;
  private nextReplayId: number;
  /** The greatest replay id no longer retained: a stored id below it has missed events. */
  private horizon: number;

  constructor(private readonly options: EventLogOptions) {
    this.nextReplayId = options.now().getTime();
    this.horizon = this.nextReplayId - 1;
  }

  /** Gives each event the next replay id and retains it. */
  append(events: readonly ChangeEvent[]): StoredEvent[] {
    const publishedAt = this.options.now().getTime();
    const stored = events.map((event): StoredEvent => {
      const replayId = this.nextReplayId++;
      return {
        replayId,
        entityName: event.entityName,
        publishedAt,
        data: { schema: event.schema, payload: event.payload, event: { replayId } },
      };
    });
    this.events.push(...stored);
    this.prune();
    return stored;
  }

  /** The last replay id given out (the one before the first event when there is none yet). */
  get latestReplayId(): number {
    return this.nextReplayId - 1;
  }

  get size(): number {
    return this.events.length - this.head;
  }

  get oldestReplayId(): number | null {
    this.prune();
    return this.events[this.head]?.replayId ?? null;
  }

  /**
   * Whether subscribing from `replayId` misses nothing: -1, -2, or an id no older than the
   * retention horizon and no newer than the last event. Anything else is Salesforce's invalid
   * replay id.
   */
  isValid(replayId: number): boolean {
    if (replayId === REPLAY_NEW || replayId === REPLAY_ALL) return true;
    this.prune();
    return Number.isSafeInteger(replayId) && replayId >= this.horizon && replayId <= this.latestReplayId;
  }

  /** Retained events after `replayId` (all of them for -2, none for -1), oldest first. */
  after(replayId: number): StoredEvent[] {
    if (replayId === REPLAY_NEW) return [];
    this.prune();
    const from = replayId === REPLAY_ALL ? this.head : this.firstAfter(replayId);
    return this.events.slice(from);
  }

  private firstAfter(replayId: number): number {
    let lo = this.head;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid]!.replayId <= replayId) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Drops events past the retention window or over the count, oldest first. */
  private prune(): void {
    const cutoff = this.options.now().getTime() - this.options.retentionMs;
    while (
      this.head < this.events.length &&
      (this.events[this.head]!.publishedAt < cutoff || this.size > this.options.maxEvents)
    ) {
      this.horizon = this.events[this.head]!.replayId;
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events.splice(0, this.head);
      this.head = 0;
    }
  }
}
