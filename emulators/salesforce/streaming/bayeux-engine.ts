// The CometD server's client and subscription store: a faye storage engine (the interface faye's
// in-memory engine and faye-redis implement, https://faye.jcoglan.com/node/engines.html), written
// here because Salesforce's streaming semantics need three things faye's memory engine does not
// offer: delivering retained events to ONE client after it subscribes with a replay id, putting
// back events that were flushed into a connection that had already died, and forgetting a client on
// demand (fault injection). The Bayeux protocol itself (handshake, connect, long polling, advice)
// stays faye's.
import { randomBytes } from 'node:crypto';
import type { BayeuxMessage, Engine, EngineServer, EngineType } from 'faye';

/**
 * Salesforce's reconnect timeout: a client that does not come back within 40 seconds of its last
 * connect answer is dropped (Streaming API Developer Guide, "Clients and Timeouts").
 */
const RECONNECT_GRACE_MS = 40_000;

interface ClientState {
  readonly channels: Set<string>;
  queue: BayeuxMessage[];
  timer: NodeJS.Timeout | null;
  readonly createdAt: number;
}

export interface ClientSnapshot {
  readonly clientId: string;
  readonly channels: string[];
  readonly queued: number;
  readonly connected: boolean;
}

export class BayeuxEngine implements Engine {
  private readonly clients = new Map<string, ClientState>();
  private readonly channels = new Map<string, Set<string>>();

  constructor(private readonly server: EngineServer) {}

  /** faye's engine factory; `onCreate` receives the engine faye instantiates. */
  static type(onCreate: (engine: BayeuxEngine) => void): EngineType {
    return {
      create(server) {
        const engine = new BayeuxEngine(server);
        onCreate(engine);
        return engine;
      },
    };
  }

  createClient(callback: (clientId: string) => void, context?: unknown): void {
    let clientId: string;
    // Salesforce's client ids look like "1q1ib66fvm7kli1gfoauu95i78g": base 36, about 27 characters.
    do clientId = BigInt(`0x${randomBytes(17).toString('hex')}`).toString(36);
    while (this.clients.has(clientId));
    this.clients.set(clientId, { channels: new Set(), queue: [], timer: null, createdAt: Date.now() });
    this.ping(clientId);
    this.server.trigger('handshake', clientId);
    callback.call(context, clientId);
  }

  destroyClient(clientId: string, callback?: () => void, context?: unknown): void {
    const client = this.clients.get(clientId);
    if (!client) return;
    for (const channel of [...client.channels]) this.unsubscribe(clientId, channel);
    if (client.timer) clearTimeout(client.timer);
    this.clients.delete(clientId);
    this.server.trigger('disconnect', clientId);
    // faye's proxy answers the client's pending connect and closes its connection on 'close'.
    this.server.trigger('close', clientId);
    callback?.call(context);
  }

  clientExists(clientId: string, callback: (exists: boolean) => void, context?: unknown): void {
    callback.call(context, this.clients.has(clientId));
  }

  ping(clientId: string): void {
    const client = this.clients.get(clientId);
    if (!client) return;
    if (client.timer) clearTimeout(client.timer);
    // A long poll lasts up to the server timeout; the client then has the grace period to return.
    client.timer = setTimeout(() => this.destroyClient(clientId), this.server.timeout * 1000 + RECONNECT_GRACE_MS);
    client.timer.unref();
  }

  subscribe(clientId: string, channel: string, callback?: (subscribed: boolean) => void, context?: unknown): void {
    const client = this.clients.get(clientId);
    if (!client) {
      callback?.call(context, false);
      return;
    }
    const added = !client.channels.has(channel);
    client.channels.add(channel);
    let subscribers = this.channels.get(channel);
    if (!subscribers) this.channels.set(channel, (subscribers = new Set()));
    subscribers.add(clientId);
    if (added) this.server.trigger('subscribe', clientId, channel);
    callback?.call(context, true);
  }

  unsubscribe(clientId: string, channel: string, callback?: (unsubscribed: boolean) => void, context?: unknown): void {
    const removed = this.clients.get(clientId)?.channels.delete(channel) ?? false;
    const subscribers = this.channels.get(channel);
    subscribers?.delete(clientId);
    if (subscribers?.size === 0) this.channels.delete(channel);
    if (removed) this.server.trigger('unsubscribe', clientId, channel);
    callback?.call(context, true);
  }

  /** Queues `message` for every client subscribed to one of `channels` (each client once). */
  publish(message: BayeuxMessage, channels: readonly string[]): void {
    const recipients = new Set<string>();
    for (const channel of channels) for (const clientId of this.channels.get(channel) ?? []) recipients.add(clientId);
    for (const clientId of recipients) this.enqueue(clientId, [message]);
  }

  /** Queues messages for one client (retained events replayed after its subscribe). */
  enqueue(clientId: string, messages: readonly BayeuxMessage[]): void {
    const client = this.clients.get(clientId);
    if (!client || messages.length === 0) return;
    // faye's connection deletes clientId from what it delivers: every client gets its own copy.
    for (const message of messages) client.queue.push({ ...message });
    this.emptyQueue(clientId);
  }

  /**
   * Puts messages back at the head of a client's queue: they were flushed into a long poll whose
   * connection had died, and go out with the client's next connect instead of being lost.
   */
  requeue(clientId: string, messages: readonly BayeuxMessage[], at: number): void {
    const client = this.clients.get(clientId);
    if (!client) return;
    client.queue.splice(Math.min(at, client.queue.length), 0, ...messages);
  }

  emptyQueue(clientId: string): void {
    const client = this.clients.get(clientId);
    if (!client || client.queue.length === 0 || !this.server.hasConnection(clientId)) return;
    const messages = client.queue;
    client.queue = [];
    this.server.deliver(clientId, messages);
  }

  disconnect(): void {
    for (const client of this.clients.values()) if (client.timer) clearTimeout(client.timer);
    this.clients.clear();
    this.channels.clear();
  }

  clientIds(): string[] {
    return [...this.clients.keys()];
  }

  snapshot(): ClientSnapshot[] {
    return [...this.clients].map(([clientId, client]) => ({
      clientId,
      channels: [...client.channels],
      queued: client.queue.length,
      connected: this.server.hasConnection(clientId),
    }));
  }
}
