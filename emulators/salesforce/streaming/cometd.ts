// The Streaming API's CometD endpoint, /cometd/<api version>: faye's Bayeux server (long polling,
// the only connection type Salesforce supports) with Salesforce's rules as server extensions:
// - the OAuth token (`Authorization: OAuth|Bearer <token>`) is checked on every message; a bad one
//   fails the handshake with 403::Handshake denied (ext.sfdc.failureReason 401::Authentication
//   invalid) and any other message with 401::Authentication invalid, advice reconnect=none, and the
//   client is dropped (Streaming API Developer Guide, "Handling Streaming API Errors");
// - an unknown client is 403::Unknown client with advice reconnect=handshake (faye says 401);
// - only Change Data Capture channels exist (channels.ts); publishing is refused;
// - replay: the subscribe message's ext.replay map names the replay id per channel (-1 new events,
//   -2 all retained, or a stored id to resume after); retained events after it are delivered to
//   that client alone, before anything newer; an id outside the retention window is refused with
//   Salesforce's "400::The replayId {x} you provided was invalid..." (event-log.ts);
// - the handshake answers ext { replay: true, payload.format: true } and long-polling only.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import faye, { type BayeuxMessage } from 'faye';
import type { Session } from '../oauth.js';
import { isSupportedVersion } from '../versions.js';
import { BayeuxEngine, type ClientSnapshot } from './bayeux-engine.js';
import { channelScope, channelsFor } from './channels.js';
import { REPLAY_NEW, type EventLog, type StoredEvent } from './event-log.js';

/** The oldest API version the Streaming API serves (replay needs 37.0). */
const MIN_STREAMING_VERSION = 37;

export interface CometdOptions {
  readonly log: EventLog;
  /** Entities selected for Change Data Capture. */
  readonly entities: ReadonlySet<string>;
  /** Long-poll timeout in seconds (Salesforce: 110). */
  readonly timeoutSeconds: number;
  /** The session of an access token, or null when it is unknown, expired or revoked. */
  verify(accessToken: string): Session | null;
}

export interface CometdStats {
  readonly clients: ClientSnapshot[];
  readonly events: { retained: number; oldestReplayId: number | null; latestReplayId: number; published: number };
}

export interface CometdServer {
  /** Serves POST /cometd/<version> (mount it before any body parser: faye reads the body itself). */
  handle(req: Request, res: Response): void;
  /** Delivers newly retained events to the clients subscribed to their channels. */
  publish(events: readonly StoredEvent[]): void;
  /** Severs the open long polls (all clients, or one): the client reconnects and loses nothing. */
  dropConnections(clientId?: string): number;
  /** Forgets clients (all, or one): their next connect gets 403::Unknown client and must re-handshake. */
  forgetClients(clientId?: string): number;
  stats(): CometdStats;
  close(): void;
}

interface RequestState {
  version: number;
  res: ServerResponse;
  /** Token check, once per HTTP request (all its messages carry the same header). */
  auth?: { session: Session } | { failure: string };
  /** Replay ids of accepted subscribe messages, by message id. */
  replays: Map<string, { channel: string; scope: 'all' | string; replayFrom: number }>;
  /** The client whose /meta/connect this request carries. */
  connectClientId?: string;
  /** Data messages put back because the connection died before they were written. */
  requeued: number;
}

const INVALID_AUTH = '401::Authentication invalid';
const NO_AUTH = '401::Request requires authentication';

function bearer(req: IncomingMessage): string | null {
  const m = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m ? m[1]! : null;
}

function isMeta(channel: string | undefined): boolean {
  return typeof channel === 'string' && channel.startsWith('/meta/');
}

function invalidReplayId(value: unknown): string {
  return `400::The replayId {${String(value)}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`;
}

/** The replay id a subscribe asks for, or the error Salesforce answers. */
function requestedReplay(message: BayeuxMessage, channel: string, log: EventLog): number | { error: string } {
  const map = message.ext?.replay;
  if (map === undefined || map === null || typeof map !== 'object') return REPLAY_NEW;
  const entries = Object.entries(map as Record<string, unknown>);
  const entry = entries.find(([name]) => name === channel);
  if (!entry) {
    const rendered = `{${entries.map(([k, v]) => `${k}=${String(v)}`).join(', ')}}`;
    return {
      error: `400::The replayId for channel {${channel}} wasn't found using the provided replay ID map {${rendered}}. Ensure that the channel name you provided in the replay map is valid and matches the channel name used for subscribing.`,
    };
  }
  const raw = entry[1];
  const id = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id) || !log.isValid(id)) return { error: invalidReplayId(raw) };
  return id;
}

export function createCometdServer(options: CometdOptions): CometdServer {
  const { log, entities } = options;
  // faye instantiates its engine in the adapter's constructor, through the factory below.
  let engine: BayeuxEngine | null = null;
  const adapter = new faye.NodeAdapter({
    mount: '/cometd',
    timeout: options.timeoutSeconds,
    engine: {
      type: BayeuxEngine.type((created) => {
        engine = created;
      }),
    },
  });
  const requests = new WeakMap<IncomingMessage, RequestState>();
  /** The long poll each client has open, for the drop fault. */
  const connects = new Map<string, IncomingMessage>();
  let published = 0;

  function state(req: IncomingMessage): RequestState {
    const found = requests.get(req);
    if (!found) throw new Error('CometD message outside a /cometd request');
    return found;
  }

  function authenticate(req: IncomingMessage, s: RequestState): { session: Session } | { failure: string } {
    if (!s.auth) {
      const token = bearer(req);
      const session = token ? options.verify(token) : null;
      s.auth = session ? { session } : { failure: token ? INVALID_AUTH : NO_AUTH };
    }
    return s.auth;
  }

  function incoming(message: BayeuxMessage, req: IncomingMessage): void {
    const s = state(req);
    const res = s.res as ServerResponse & { locals?: Record<string, unknown> };
    if (res.locals && res.locals.routeKey === undefined) res.locals.routeKey = `cometd ${message.channel}`;
    const auth = authenticate(req, s);
    if ('failure' in auth) {
      message.error = message.channel === '/meta/handshake' ? '403::Handshake denied' : auth.failure;
      // The client must re-authenticate and handshake again: its server-side state goes.
      if (message.clientId) engine?.destroyClient(message.clientId);
      return;
    }
    switch (message.channel) {
      case '/meta/handshake': {
        const types = message.supportedConnectionTypes;
        if (Array.isArray(types) && !types.includes('long-polling'))
          message.error = `400::Invalid connection type {${types.join(',')}}`;
        return;
      }
      case '/meta/connect':
        if (message.connectionType !== undefined && message.connectionType !== 'long-polling') {
          message.error = `400::Invalid connection type {${String(message.connectionType)}}`;
          return;
        }
        if (typeof message.clientId === 'string') {
          s.connectClientId = message.clientId;
          connects.set(message.clientId, req);
        }
        return;
      case '/meta/subscribe': {
        const channel = message.subscription;
        if (typeof channel !== 'string' || channel === '') {
          message.error = '400::Channel name not specified';
          return;
        }
        if (!channel.startsWith('/')) {
          message.error = "400::Channel subscriptions must start with a leading '/'";
          return;
        }
        const scope = channelScope(channel, entities, s.version);
        if (scope === null) {
          message.error = `400::The channel you requested to subscribe to does not exist {${channel}}`;
          return;
        }
        const replay = requestedReplay(message, channel, log);
        if (typeof replay !== 'number') {
          message.error = replay.error;
          return;
        }
        if (message.id !== undefined) s.replays.set(message.id, { channel, scope, replayFrom: replay });
        return;
      }
      case '/meta/unsubscribe':
      case '/meta/disconnect':
        return;
      default:
        // Change events are published by the platform, never by subscribers.
        if (!isMeta(message.channel)) message.error = `403::Publishing is not allowed on channel {${message.channel}}`;
    }
  }

  function outgoing(message: BayeuxMessage, req: IncomingMessage): void {
    const s = state(req);
    if (!isMeta(message.channel)) {
      // An event flushed into a long poll whose connection is already gone would be lost:
      // it goes back to the client's queue for its next connect.
      if (req.socket.destroyed && s.connectClientId) engine?.requeue(s.connectClientId, [message], s.requeued++);
      return;
    }
    const auth = s.auth;
    if (auth && 'failure' in auth) {
      // faye may have put its own error (unknown client) over ours: the cause is the token.
      if (message.channel === '/meta/handshake') {
        message.error = '403::Handshake denied';
        message.advice = { reconnect: 'none' };
        message.ext = { sfdc: { failureReason: auth.failure }, replay: true };
      } else {
        message.error = auth.failure;
        message.advice = { reconnect: 'none', interval: 0 };
      }
      message.successful = false;
      return;
    }
    if (typeof message.error === 'string' && /^401:[^:]*:Unknown client$/.test(message.error)) {
      // faye answers 401:<clientId>:Unknown client; Salesforce answers 403::Unknown client.
      message.error = '403::Unknown client';
      message.advice = { reconnect: 'handshake', interval: 0 };
      return;
    }
    switch (message.channel) {
      case '/meta/handshake':
        if (message.successful) {
          message.supportedConnectionTypes = ['long-polling'];
          message.minimumVersion = '1.0';
        }
        message.ext = { replay: true, 'payload.format': true };
        return;
      case '/meta/subscribe': {
        const replay = message.id === undefined ? undefined : s.replays.get(message.id);
        if (!message.successful || !replay || typeof message.clientId !== 'string') return;
        const retained = log
          .after(replay.replayFrom)
          .filter((event) => replay.scope === 'all' || event.entityName === replay.scope)
          .map((event) => ({ channel: replay.channel, data: event.data }));
        engine?.enqueue(message.clientId, retained);
        return;
      }
      default:
        return;
    }
  }

  adapter.addExtension({
    incoming(message, req, callback) {
      incoming(message, req);
      callback(message);
    },
    outgoing(message, req, callback) {
      outgoing(message, req);
      callback(message);
    },
  });

  return {
    handle(req, res) {
      const m = /^\/cometd\/(\d+\.\d)\/?$/.exec(req.path);
      const versionText = m?.[1];
      if (!versionText) {
        res
          .status(400)
          .json([{ successful: false, error: "400::API version in the URI is mandatory. URI format: '/cometd/62.0'" }]);
        return;
      }
      if (!isSupportedVersion(versionText) || Number(versionText) < MIN_STREAMING_VERSION) {
        res.status(400).json([
          {
            successful: false,
            error: `400::Unsupported API version. Only API versions '${MIN_STREAMING_VERSION}.0' and later are supported. URI format: '/cometd/62.0'`,
          },
        ]);
        return;
      }
      requests.set(req, { version: Number(versionText), res, replays: new Map(), requeued: 0 });
      res.once('close', () => {
        const s = requests.get(req);
        if (s?.connectClientId && connects.get(s.connectClientId) === req) connects.delete(s.connectClientId);
      });
      adapter.handle(req, res);
    },

    publish(events) {
      if (!engine) return;
      for (const event of events) {
        for (const channel of channelsFor(event.entityName)) engine.publish({ channel, data: event.data }, [channel]);
      }
      published += events.length;
    },

    dropConnections(clientId) {
      let dropped = 0;
      for (const [id, req] of [...connects]) {
        if (clientId !== undefined && id !== clientId) continue;
        connects.delete(id);
        req.socket.destroy();
        dropped += 1;
      }
      return dropped;
    },

    forgetClients(clientId) {
      if (!engine) return 0;
      const ids = clientId === undefined ? engine.clientIds() : engine.clientIds().filter((id) => id === clientId);
      for (const id of ids) engine.destroyClient(id);
      return ids.length;
    },

    stats() {
      return {
        clients: engine?.snapshot() ?? [],
        events: {
          retained: log.size,
          oldestReplayId: log.oldestReplayId,
          latestReplayId: log.latestReplayId,
          published,
        },
      };
    },

    close() {
      adapter.close();
    },
  };
}
