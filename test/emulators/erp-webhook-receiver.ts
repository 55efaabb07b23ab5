// A notification endpoint for the webhook tests: an HTTP server that answers Business Central's
// handshake (or does not, on demand) and records every request, with the answer chosen per request.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  validationToken: string | null;
  contentType: string | null;
  body: string;
  at: number;
}

export type Answer = { status: number; body?: string } | 'hang';

export interface Receiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Notification bodies received (handshakes excluded). */
  readonly notifications: () => Array<{ value: Array<Record<string, unknown>> }>;
  /** How to answer the next requests; default: echo handshakes, 200 for notifications. */
  answer: (request: ReceivedRequest) => Answer;
  close(): Promise<void>;
}

export const echoHandshake = (request: ReceivedRequest): Answer =>
  request.validationToken !== null ? { status: 200, body: request.validationToken } : { status: 200 };

export async function startReceiver(path = '/hooks/bc'): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const hanging = new Set<http.ServerResponse>();
  const receiver: Receiver = {
    url: '',
    requests,
    notifications: () =>
      requests
        .filter((r) => r.validationToken === null)
        .map((r) => JSON.parse(r.body) as { value: Array<Record<string, unknown>> }),
    answer: echoHandshake,
    close: async () => {
      for (const res of hanging) res.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://receiver');
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        validationToken: url.searchParams.get('validationToken'),
        contentType: req.headers['content-type'] ?? null,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      requests.push(request);
      const answer = receiver.answer(request);
      if (answer === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'text/plain' });
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (receiver as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return receiver;
}
