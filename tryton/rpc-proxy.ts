// A JSON-RPC proxy in front of a Tryton server, for the tests and the benchmark: it counts the calls
// per method (`model.sale.sale.search_read`, `common.db.login`, ...), the figure "requests per
// entity kind" is judged on, and can make the server look down or refusing (faults), as the
// emulators' /__emulator/faults do. It forwards everything else unchanged.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyFault =
  /** Answer this HTTP status (with a small HTML page, as werkzeug does) instead of forwarding. */
  | { readonly kind: 'status'; readonly status: number; readonly methods?: readonly string[] }
  /** Close the connection without an answer (a crashed or unreachable server). */
  | { readonly kind: 'drop'; readonly methods?: readonly string[] }
  /** Answer after `ms` (a slow server). */
  | { readonly kind: 'delay'; readonly ms: number; readonly methods?: readonly string[] };

export interface ProxyStats {
  readonly total: number;
  /** Calls per JSON-RPC method. */
  readonly byMethod: Readonly<Record<string, number>>;
}

export interface TrytonRpcProxy {
  /** e.g. http://127.0.0.1:41234: use it as the adapter's Tryton URL. */
  readonly url: string;
  stats(): ProxyStats;
  reset(): void;
  setFault(fault: ProxyFault | null): void;
  close(): Promise<void>;
}

/** Set-up calls of the adapter (sign-in, the company and warehouse it serves), not entity reads. */
export const SETUP_METHODS: readonly string[] = [
  'common.db.login',
  'model.res.user.get_preferences',
  'model.company.company.search_read',
  'model.stock.location.search_read',
];

async function body(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function methodOf(payload: Buffer): string {
  try {
    const method = (JSON.parse(payload.toString('utf8')) as { method?: unknown }).method;
    return typeof method === 'string' ? method : '(none)';
  } catch {
    return '(not JSON)';
  }
}

export async function startTrytonRpcProxy(upstream: string): Promise<TrytonRpcProxy> {
  const target = upstream.replace(/\/+$/, '');
  let byMethod: Record<string, number> = {};
  let total = 0;
  let fault: ProxyFault | null = null;

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const payload = await body(request);
    const method = methodOf(payload);
    total += 1;
    byMethod[method] = (byMethod[method] ?? 0) + 1;
    const active = fault && (!fault.methods || fault.methods.includes(method)) ? fault : null;
    if (active?.kind === 'drop') {
      request.socket.destroy();
      return;
    }
    if (active?.kind === 'status') {
      response.writeHead(active.status, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><title>${active.status}</title><h1>${active.status}</h1>`);
      return;
    }
    if (active?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, active.ms));
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'authorization', 'accept', 'x-correlation-id']) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    try {
      const answer = await fetch(`${target}${request.url ?? '/'}`, {
        method: request.method ?? 'POST',
        headers,
        ...(payload.length ? { body: payload.toString('utf8') } : {}),
      });
      const text = Buffer.from(await answer.arrayBuffer());
      response.writeHead(answer.status, {
        'Content-Type': answer.headers.get('content-type') ?? 'application/octet-stream',
      });
      response.end(text);
    } catch {
      request.socket.destroy();
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => request.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats: () => ({ total, byMethod: { ...byMethod } }),
    reset: () => {
      total = 0;
      byMethod = {};
    },
    setFault: (next) => {
      fault = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
