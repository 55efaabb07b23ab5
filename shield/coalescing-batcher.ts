// Turns one kind's cache misses into backend batch calls, coalescing under load (issue 3, erp-shield
// benchmark). A per-tick batcher alone makes every GraphQL operation's misses a separate call per
// kind; under 50 concurrent clients those calls pile up in the backend's bulkhead queue until it
// overflows and reads fail with ERP_UNAVAILABLE although the backend is merely busy. Instead:
//
// - A kind has at most ONE open batch. Misses join it while it is open: from the first miss until the
//   backend call actually starts, i.e. while it waits for the tick, for one of the kind's
//   `maxCallsInFlight` lanes, and then for a bulkhead slot (the read calls `batch.start()` only once
//   the resilience policy lets the call through).
// - A batch closes when it starts, with at most `maxKeysPerCall` keys (the rest stay open as the next
//   batch): one failure or timeout never takes more than that many keys with it.
// So the bulkhead holds at most one waiting call per kind whatever the load (bounded queue
// occupancy: kinds ≤ queue means reads never overflow it), and batches grow with the load instead of
// the number of calls.
import type { CallContext } from '../lib/call-context.js';

/** A batch of keys that accepts more misses until its backend call starts. */
export interface OpenBatch {
  /**
   * Closes the batch and returns its keys (at most maxKeysPerCall). Called by the read once the
   * backend call really starts (inside its bulkhead slot); idempotent, so a retried attempt sends the
   * same keys.
   */
  start(): readonly string[];
}

/** A batch read whose keys are fixed only when it starts: a map with the keys found. */
export type OpenBatchRead<V> = (batch: OpenBatch, ctx: CallContext) => Promise<Map<string, V>>;

/** One key's answer: the backend's record, or its answer that there is none. */
export type Lookup<V> = { readonly found: true; readonly value: V } | { readonly found: false };

export interface CoalescingBatcherOptions<V> {
  load: OpenBatchRead<V>;
  maxKeysPerCall: number;
  /** Batch calls of this kind running at once (started or waiting for a bulkhead slot). */
  maxCallsInFlight: number;
}

export interface CoalescingBatcher<V> {
  /** The key's answer from the batch it joined; rejects with that batch call's failure. */
  load(key: string, ctx: CallContext): Promise<Lookup<V>>;
  /** Batch calls dispatched and not yet settled. */
  readonly inFlight: number;
}

interface Waiter<V> {
  promise: Promise<Lookup<V>>;
  resolve(lookup: Lookup<V>): void;
  reject(error: unknown): void;
}

class Batch<V> {
  readonly waiters = new Map<string, Waiter<V>>();
  /** The keys sent, once started. */
  sent: readonly string[] | undefined;
  dispatched = false;
  constructor(readonly correlationId: string) {}
}

export function createCoalescingBatcher<V>(options: CoalescingBatcherOptions<V>): CoalescingBatcher<V> {
  let open: Batch<V> | undefined;
  let inFlight = 0;
  let scheduled = false;

  const settle = (batch: Batch<V>, keys: Iterable<string>, outcome: { found: Map<string, V> } | { error: unknown }) => {
    for (const key of keys) {
      const waiter = batch.waiters.get(key)!;
      if ('error' in outcome) waiter.reject(outcome.error);
      else
        waiter.resolve(outcome.found.has(key) ? { found: true, value: outcome.found.get(key) as V } : { found: false });
    }
  };

  /** Closes the open batch: its first maxKeysPerCall keys go; any others open the next batch. */
  const close = (batch: Batch<V>): readonly string[] => {
    const keys = [...batch.waiters.keys()];
    const sent = keys.slice(0, options.maxKeysPerCall);
    batch.sent = sent;
    if (open === batch) open = undefined;
    if (keys.length > sent.length) {
      const rest = new Batch<V>(batch.correlationId);
      for (const key of keys.slice(sent.length)) {
        rest.waiters.set(key, batch.waiters.get(key)!);
        batch.waiters.delete(key);
      }
      open = rest;
      schedule();
    }
    return sent;
  };

  const dispatch = (batch: Batch<V>) => {
    batch.dispatched = true;
    inFlight++;
    const handle: OpenBatch = { start: () => batch.sent ?? close(batch) };
    // The call is shared by every request whose miss joined it: it carries the first one's
    // correlation id and no client's abort signal (one client leaving must not fail the others; the
    // resilience policy's deadline bounds it).
    let call: Promise<Map<string, V>>;
    try {
      call = options.load(handle, { correlationId: batch.correlationId });
    } catch (error) {
      call = Promise.reject(error);
    }
    call
      .then(
        (found) => {
          // A read that answered without ever starting had no keys to ask for: nothing was found.
          settle(batch, batch.sent ?? close(batch), { found });
        },
        (error: unknown) => {
          // Refused before it started (bulkhead full, circuit open, deadline in the queue): the keys
          // that joined it meanwhile fail with it, like the keys it sent.
          settle(batch, batch.sent ?? close(batch), { error });
        },
      )
      .finally(() => {
        inFlight--;
        pump();
      });
  };

  /** Sends the open batch if it is not on its way yet and the kind has a free lane. */
  const pump = () => {
    if (open && !open.dispatched && inFlight < options.maxCallsInFlight) dispatch(open);
  };

  // The window of one tick, as DataLoader's: every miss of the current turn of the event loop (the
  // per-request loaders of all requests that dispatched in it) joins the batch before it goes.
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    void Promise.resolve().then(() =>
      process.nextTick(() => {
        scheduled = false;
        pump();
      }),
    );
  };

  return {
    load(key, ctx) {
      const existing = open?.waiters.get(key);
      if (existing) return existing.promise;
      if (!open) {
        open = new Batch<V>(ctx.correlationId);
        schedule();
      }
      let resolve!: (lookup: Lookup<V>) => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<Lookup<V>>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      open.waiters.set(key, { promise, resolve, reject });
      return promise;
    },
    get inFlight() {
      return inFlight;
    },
  };
}
