// A Change Data Capture subscription over the Streaming API, built on jsforce's streaming client
// (faye, Bayeux long polling) and its Replay extension, unchanged. It yields, in order:
// - `change`: each parsed change event (parse.ts), with its replay id: the consumer stores the id
//   of the last event it has processed and passes it as `replayFrom` after a restart;
// - `subscribed`: after every successful subscribe (the first, and after each re-handshake);
// - `replay-id-invalid`: the stored replay id is outside the retention window (Salesforce's
//   "400::The replayId {x} you provided was invalid..."), so events were lost: the consumer must
//   resynchronise; the subscription continues from `fallbackReplayFrom` (-2, every retained event);
// - `disconnected`: the long poll was lost or the session refused; reconnecting is under way;
// - `error`: something the consumer should log (an unreadable event, a failed re-authorization).
//
// Reconnecting: faye itself retries a lost connection with the same client, and re-handshakes on
// 403::Unknown client, the Replay extension then resubscribing from the last replay id it received,
// so nothing is missed. A refused session (401::Authentication invalid, or a handshake denied with
// that reason; advice reconnect=none) stops the faye client for good: the subscription then
// re-authorizes (session.ts guards against loops) and starts a new client from the last replay id
// received, backing off while Salesforce keeps refusing.
import jsforce from 'jsforce';
import type { Client } from 'faye';
import { StreamingExtension } from 'jsforce/lib/api/streaming.js';
import { BackendError } from '../../../lib/backend-error.js';
import type { Logger } from '../../../lib/logger.js';
import { requestAccessToken, type AccessToken } from '../auth.js';
import type { SalesforceConnectorOptions } from '../options.js';
import { createSession } from '../session.js';
import { parseChangeEvent, type ChangeEvent } from './parse.js';

/** Subscribe to new events only. */
export const REPLAY_NEW = -1;
/** Subscribe to every event still retained (72 hours of change events). */
export const REPLAY_ALL = -2;

export const ALL_CHANGE_EVENTS = '/data/ChangeEvents';

export type ChangeStreamItem =
  | { readonly kind: 'change'; readonly event: ChangeEvent }
  | { readonly kind: 'subscribed'; readonly channel: string; readonly replayFrom: number }
  | {
      readonly kind: 'replay-id-invalid';
      readonly channel: string;
      readonly replayId: number;
      readonly resumedFrom: number;
      readonly message: string;
    }
  | { readonly kind: 'disconnected'; readonly reason: string }
  | { readonly kind: 'error'; readonly error: BackendError };

export interface ChangeEventSubscriptionOptions extends Pick<
  SalesforceConnectorOptions,
  'loginUrl' | 'apiVersion' | 'auth' | 'timeoutMs'
> {
  /** /data/ChangeEvents (every selected object) or /data/<Object>ChangeEvent. One channel per subscription. */
  readonly channel?: string;
  /** The stored replay id to resume after, REPLAY_NEW (-1) or REPLAY_ALL (-2). */
  readonly replayFrom: number;
  /** Where to continue after an invalid replay id (default REPLAY_ALL: no gap, duplicates possible). */
  readonly fallbackReplayFrom?: typeof REPLAY_NEW | typeof REPLAY_ALL;
  /** First wait before a new client after a refused session or a failed subscribe; doubles to 30 s. */
  readonly reconnectDelayMs?: number;
}

export interface ChangeEventSubscription extends AsyncIterable<ChangeStreamItem> {
  /** The replay id of the last change yielded (null before the first). */
  readonly lastReplayId: number | null;
  /** Stops the client and ends the iteration. */
  close(): Promise<void>;
}

const MAX_RECONNECT_DELAY_MS = 30_000;
const INVALID_REPLAY_ID = /^400::The replayId \{(-?\d+)\} you provided was invalid/;
/** Items waiting for the consumer beyond which a slow consumer is worth a warning. */
const BACKLOG_WARNING = 10_000;

interface MetaMessage {
  channel: string;
  successful?: boolean;
  error?: string;
  advice?: { reconnect?: string };
  ext?: { sfdc?: { failureReason?: string } };
}

export function createChangeEventSubscription(
  options: ChangeEventSubscriptionOptions,
  logger: Logger,
): ChangeEventSubscription {
  const channel = options.channel ?? ALL_CHANGE_EVENTS;
  const fallback = options.fallbackReplayFrom ?? REPLAY_ALL;
  const baseDelay = options.reconnectDelayMs ?? 1_000;
  const log = logger.child({ component: 'salesforce-change-events', channel });
  const session = createSession({
    obtain: (correlationId) =>
      requestAccessToken({
        loginUrl: options.loginUrl,
        auth: options.auth,
        timeoutMs: options.timeoutMs,
        correlationId,
      }),
    onToken: () => {},
    logger: log,
  });

  const queue: ChangeStreamItem[] = [];
  let wake: (() => void) | null = null;
  let closed = false;
  let client: Client | null = null;
  let token: AccessToken | null = null;
  /** Where the next client subscribes from: the last replay id received, else the starting point. */
  let replayFrom = options.replayFrom;
  let lastYielded: number | null = null;
  let failures = 0;
  let retryTimer: NodeJS.Timeout | null = null;
  /** A lost connection is reported once, until the next successful connect or subscribe. */
  let down = false;
  /** Bumped for every client: callbacks of a replaced client are ignored. */
  let generation = 0;

  function push(item: ChangeStreamItem): void {
    if (closed) return;
    queue.push(item);
    if (queue.length === BACKLOG_WARNING)
      log.warn({ backlog: queue.length }, 'Change events are arriving faster than they are processed');
    wake?.();
  }

  function retryLater(reason: string): void {
    if (closed || retryTimer) return;
    const delay = Math.min(MAX_RECONNECT_DELAY_MS, baseDelay * 2 ** Math.min(failures, 10));
    failures += 1;
    log.info({ reason, delayMs: delay }, 'Reconnecting to the Streaming API');
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect(true);
    }, delay);
    retryTimer.unref();
  }

  function stopClient(): void {
    generation += 1;
    const old = client;
    client = null;
    if (!old) return;
    old.disconnect();
    // faye has no public way to stop a client that is not connected (one retrying its handshake
    // while Salesforce is down would go on every few seconds): the advice it obeys does.
    (old as unknown as { _advice: { reconnect: string } })._advice.reconnect = 'none';
  }

  function subscribe(current: Client, mine: number): void {
    current.subscribe(channel, (data: unknown) => {
      if (mine !== generation) return;
      try {
        const event = parseChangeEvent(channel, data);
        replayFrom = event.replayId;
        push({ kind: 'change', event });
      } catch (error) {
        push({ kind: 'error', error: error as BackendError });
      }
    });
  }

  /** Reads the /meta answers the Streaming API gives this client. */
  function observer(mine: number) {
    return {
      incoming: (message: MetaMessage, callback: (message: MetaMessage) => void) => {
        if (mine === generation && typeof message.channel === 'string' && message.channel.startsWith('/meta/')) {
          // After the message is delivered: faye must see it before we react.
          queueMicrotask(() => onMeta(message, mine));
        }
        callback(message);
      },
    };
  }

  function onMeta(message: MetaMessage, mine: number): void {
    if (mine !== generation || closed) return;
    const refused = message.successful === false && message.advice?.reconnect === 'none';
    if (refused && (message.channel === '/meta/handshake' || message.channel === '/meta/connect')) {
      const reason = message.ext?.sfdc?.failureReason ?? message.error ?? 'refused';
      down = true;
      push({ kind: 'disconnected', reason });
      stopClient();
      void reauthorize(reason);
      return;
    }
    if (message.channel !== '/meta/subscribe') return;
    if (message.successful) {
      failures = 0;
      down = false;
      push({ kind: 'subscribed', channel, replayFrom });
      return;
    }
    const error = message.error ?? 'subscribe failed';
    const invalid = INVALID_REPLAY_ID.exec(error);
    if (invalid) {
      const replayId = Number(invalid[1]);
      log.warn(
        { replayId, resumedFrom: fallback },
        'Stored replay id is outside the retention window: events were lost',
      );
      push({ kind: 'replay-id-invalid', channel, replayId, resumedFrom: fallback, message: error });
      replayFrom = fallback;
      // A new client subscribes from the fallback (the old one's Replay extension holds the bad id).
      stopClient();
      void connect(false);
      return;
    }
    push({
      kind: 'error',
      error: new BackendError('salesforce', 'rejected', `Salesforce refused the subscription to ${channel}: ${error}`, {
        operation: 'changeEvents',
        backendCode: error.split('::')[0],
      }),
    });
    stopClient();
    retryLater(error);
  }

  async function reauthorize(reason: string): Promise<void> {
    try {
      token = token ? await session.reauthorize(token, 'change-events') : await session.token('change-events');
    } catch (error) {
      push({
        kind: 'error',
        error:
          error instanceof BackendError
            ? error
            : new BackendError('salesforce', 'unauthorized', String(error), { operation: 'auth' }),
      });
      retryLater(reason);
      return;
    }
    await connect(false);
  }

  async function connect(freshToken: boolean): Promise<void> {
    if (closed) return;
    try {
      if (!token || freshToken) token = await session.token('change-events');
    } catch (error) {
      push({
        kind: 'error',
        error:
          error instanceof BackendError
            ? error
            : new BackendError('salesforce', 'unavailable', String(error), { operation: 'auth' }),
      });
      retryLater('authorization failed');
      return;
    }
    if (closed) return;
    stopClient();
    const mine = generation;
    const connection = new jsforce.Connection({
      instanceUrl: token.instanceUrl,
      accessToken: token.accessToken,
      version: options.apiVersion,
    });
    const replay = new StreamingExtension.Replay(channel, replayFrom);
    const created = connection.streaming.createClient([replay, observer(mine)]);
    client = created;
    created.on('transport:down', () => {
      if (mine !== generation || down) return;
      down = true;
      push({ kind: 'disconnected', reason: 'connection lost' });
    });
    created.on('transport:up', () => {
      if (mine === generation) down = false;
    });
    subscribe(created, mine);
  }

  void connect(false);

  return {
    get lastReplayId() {
      return lastYielded;
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      stopClient();
      wake?.();
    },
    [Symbol.asyncIterator](): AsyncIterator<ChangeStreamItem> {
      return {
        async next(): Promise<IteratorResult<ChangeStreamItem>> {
          while (!closed && queue.length === 0) {
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
            wake = null;
          }
          const item = queue.shift();
          if (!item) return { done: true, value: undefined };
          if (item.kind === 'change') lastYielded = item.event.replayId;
          return { done: false, value: item };
        },
        async return(): Promise<IteratorResult<ChangeStreamItem>> {
          closed = true;
          if (retryTimer) clearTimeout(retryTimer);
          stopClient();
          return { done: true, value: undefined };
        },
      };
    },
  };
}
