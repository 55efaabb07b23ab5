// Types for the parts of faye 1.4 (a Bayeux server and client, JavaScript only) the project uses:
// the Salesforce emulator's CometD server (NodeAdapter with a storage engine and extensions, as
// faye's docs describe them: https://faye.jcoglan.com/node.html) and the client jsforce's
// Streaming API returns (jsforce's own typings declare it too narrowly for extensions and events).
declare module 'faye' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface BayeuxMessage {
    channel: string;
    clientId?: string;
    id?: string;
    data?: unknown;
    subscription?: string | string[];
    successful?: boolean;
    error?: string;
    advice?: { reconnect?: 'retry' | 'handshake' | 'none'; interval?: number; timeout?: number };
    ext?: Record<string, unknown>;
    supportedConnectionTypes?: string[];
    connectionType?: string;
    version?: string;
    minimumVersion?: string;
    [key: string]: unknown;
  }

  /** A server extension: `request` is the HTTP request that carried the message. */
  export interface ServerExtension {
    incoming?(message: BayeuxMessage, request: IncomingMessage, callback: (message: BayeuxMessage) => void): void;
    outgoing?(message: BayeuxMessage, request: IncomingMessage, callback: (message: BayeuxMessage) => void): void;
  }

  /** A client extension. */
  export interface ClientExtension {
    incoming?(message: BayeuxMessage, callback: (message: BayeuxMessage) => void): void;
    outgoing?(message: BayeuxMessage, callback: (message: BayeuxMessage) => void): void;
  }

  /** What faye's engine proxy offers a storage engine (the interface faye-redis implements against). */
  export interface EngineServer {
    readonly timeout: number;
    readonly interval: number;
    hasConnection(clientId: string): boolean;
    deliver(clientId: string, messages: BayeuxMessage[]): boolean;
    closeConnection(clientId: string): void;
    trigger(event: string, ...args: unknown[]): void;
    debug(message: string, ...args: unknown[]): void;
  }

  export interface Engine {
    createClient(callback: (clientId: string) => void, context?: unknown): void;
    destroyClient(clientId: string, callback?: () => void, context?: unknown): void;
    clientExists(clientId: string, callback: (exists: boolean) => void, context?: unknown): void;
    ping(clientId: string): void;
    subscribe(clientId: string, channel: string, callback?: (subscribed: boolean) => void, context?: unknown): void;
    unsubscribe(clientId: string, channel: string, callback?: (unsubscribed: boolean) => void, context?: unknown): void;
    publish(message: BayeuxMessage, channels: readonly string[]): void;
    emptyQueue(clientId: string): void;
    disconnect(): void;
  }

  export interface EngineType {
    create(server: EngineServer, options: Record<string, unknown>): Engine;
  }

  export class NodeAdapter {
    constructor(options: {
      mount?: string;
      timeout?: number;
      engine?: { type: EngineType; [key: string]: unknown };
      ping?: number;
    });
    addExtension(extension: ServerExtension): void;
    handle(request: IncomingMessage, response: ServerResponse): void;
    close(): void;
  }

  export class Subscription extends Promise<void> {
    cancel(): void;
    unsubscribe(): void;
    withChannel(callback: (channel: string, message: unknown) => void): this;
    callback(callback: () => void): void;
    errback(callback: (error: { code?: number | null; message: string }) => void): void;
  }

  export class Client {
    constructor(url: string, options?: { timeout?: number; retry?: number; interval?: number });
    setHeader(name: string, value: string): void;
    addExtension(extension: ClientExtension | object): void;
    subscribe(channel: string, listener?: (message: any) => void): Subscription;
    unsubscribe(channel: string, subscription?: Subscription): void;
    disconnect(): void;
    on(event: 'transport:up' | 'transport:down', listener: () => void): void;
  }

  const Faye: { Client: typeof Client; NodeAdapter: typeof NodeAdapter };
  export default Faye;
}
