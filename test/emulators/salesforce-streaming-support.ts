// Helpers of the Streaming API tests: jsforce's own streaming client with its Replay extension, as an
// integration would use it (unchanged), a raw Bayeux client for the protocol-level checks, and
// waiting for asynchronous deliveries.
import type jsforce from 'jsforce';
import type { Client } from 'faye';
import { StreamingExtension } from 'jsforce/lib/api/streaming.js';

export interface ReceivedEvent {
  channel: string;
  replayId: number;
  header: {
    entityName: string;
    recordIds: string[];
    changeType: string;
    changedFields: string[];
    nulledFields: string[];
    diffFields: string[];
    changeOrigin: string;
    transactionKey: string;
    sequenceNumber: number;
    commitTimestamp: number;
    commitNumber: number;
    commitUser: string;
  };
  fields: Record<string, unknown>;
  schema: string;
}

export interface StreamingListener {
  readonly client: Client;
  readonly replay: InstanceType<typeof StreamingExtension.Replay>;
  readonly events: ReceivedEvent[];
  /** Errors of failed subscribes (the subscription promise's rejection). */
  readonly subscribed: Promise<void>;
  /** Raw /meta messages the client received, in order. */
  readonly meta: Array<Record<string, unknown>>;
  close(): void;
}

function toEvent(
  channel: string,
  data: { schema: string; payload: Record<string, unknown>; event: { replayId: number } },
): ReceivedEvent {
  const { ChangeEventHeader, ...fields } = data.payload;
  return {
    channel,
    replayId: data.event.replayId,
    header: ChangeEventHeader as ReceivedEvent['header'],
    fields,
    schema: data.schema,
  };
}

/** jsforce's streaming client subscribed to `channel` from `replayFrom` (-1 new, -2 all, or an id). */
export function listen(connection: jsforce.Connection, channel: string, replayFrom: number): StreamingListener {
  const replay = new StreamingExtension.Replay(channel, replayFrom);
  const meta: Array<Record<string, unknown>> = [];
  const observer = {
    incoming(message: Record<string, unknown>, callback: (m: Record<string, unknown>) => void) {
      if (typeof message.channel === 'string' && message.channel.startsWith('/meta/')) meta.push(message);
      callback(message);
    },
  };
  const client = connection.streaming.createClient([replay, observer]);
  const events: ReceivedEvent[] = [];
  const subscription = client.subscribe(channel, (data: Parameters<typeof toEvent>[1]) =>
    events.push(toEvent(channel, data)),
  );
  const subscribed = new Promise<void>((resolve, reject) => {
    subscription.callback(() => resolve());
    subscription.errback((error) => reject(new Error(error.message)));
  });
  return {
    client,
    replay,
    events,
    subscribed,
    meta,
    close: () => client.disconnect(),
  };
}

export async function waitFor(check: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export type BayeuxReply = Record<string, unknown> & {
  channel: string;
  successful?: boolean;
  error?: string;
  clientId?: string;
};

/** One HTTP request to the CometD endpoint with the given messages; the replies. */
export async function bayeux(
  url: string,
  token: string | null,
  messages: object | object[],
): Promise<{ status: number; replies: BayeuxReply[] }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `OAuth ${token}` } : {}) },
    body: JSON.stringify(messages),
  });
  return { status: response.status, replies: (await response.json()) as BayeuxReply[] };
}

/** A handshaken raw client id. */
export async function handshake(url: string, token: string): Promise<string> {
  const { replies } = await bayeux(url, token, {
    channel: '/meta/handshake',
    version: '1.0',
    supportedConnectionTypes: ['long-polling'],
  });
  const clientId = replies[0]?.clientId;
  if (!clientId) throw new Error(`handshake failed: ${JSON.stringify(replies)}`);
  return clientId;
}
