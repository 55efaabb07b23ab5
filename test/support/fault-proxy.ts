// A real HTTP proxy for fault-injection tests: it sits between a client and a service (the ERP
// subgraph in front of the Business Central emulator, the gateway in front of a subgraph) and, for
// requests matching a rule, does what a bad network or a slow server does:
//
//   hold:         keeps the request for `ms`, then forwards it whatever became of the client — the
//                 client gave up long ago, the server commits the work late (a create that times
//                 out on our side and commits on the ERP's 40 s or 3 min later);
//   drop-answer:  forwards the request and, once the server has answered, cuts the client's
//                 connection instead of relaying the answer (the work is done, the answer is lost).
//
// Everything else is forwarded as is. The proxy speaks plain HTTP/1.1 over node:http; bodies are
// buffered (requests and answers here are small JSON). It closes every connection after its answer
// (no keep-alive), so each request connects anew: after refuse(), the next request is refused at
// connect, as by a server that is down, instead of meeting a pooled connection closing under it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultAction = { readonly kind: 'hold'; readonly ms: number } | { readonly kind: 'drop-answer' };

export interface FaultRule {
  readonly method: string;
  /** Matched against the request path (without the query string). */
  readonly path: RegExp;
  readonly action: FaultAction;
  /** How many matching requests it applies to (then it is spent). */
  count: number;
}

export class FaultProxy {
  private readonly rules: FaultRule[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  /** Requests forwarded to the target, by "METHOD path". */
  readonly forwarded: string[] = [];

  private constructor(
    private readonly server: http.Server,
    private readonly target: URL,
    readonly url: string,
  ) {}

  static async start(target: string): Promise<FaultProxy> {
    let proxy!: FaultProxy;
    const server = http.createServer((req, res) => proxy.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    proxy = new FaultProxy(server, new URL(target), `http://127.0.0.1:${port}`);
    return proxy;
  }

  /** The same URL with the proxy's origin: e.g. the ERP API base URL through the proxy. */
  via(url: string): string {
    const parsed = new URL(url);
    return `${this.url}${parsed.pathname}${parsed.search}`;
  }

  add(rule: Omit<FaultRule, 'count'> & { count?: number }): void {
    this.rules.push({ ...rule, count: rule.count ?? 1 });
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** Resolves once every held or forwarded request has reached the target and been answered. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Stops listening and cuts every connection: a client now gets ECONNREFUSED (nothing sent). */
  async refuse(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Listens again on the same port after refuse(). */
  async resume(): Promise<void> {
    const port = Number(new URL(this.url).port);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    await this.settled();
    if (!this.server.listening) return;
    await this.refuse();
  }

  private take(method: string, path: string): FaultRule | undefined {
    const rule = this.rules.find(
      (candidate) => candidate.count > 0 && candidate.method === method && candidate.path.test(path),
    );
    if (rule) rule.count -= 1;
    return rule;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.shouldKeepAlive = false;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = (req.url ?? '/').split('?')[0]!;
      const rule = this.take(req.method ?? 'GET', path);
      const work = (async () => {
        if (rule?.action.kind === 'hold')
          await new Promise((resolve) => setTimeout(resolve, (rule.action as { ms: number }).ms));
        const answer = await this.forward(req, body);
        if (rule?.action.kind === 'drop-answer' || res.destroyed || req.socket.destroyed) {
          res.destroy();
          return;
        }
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
      })().catch(() => {
        res.destroy();
      });
      this.inFlight.add(work);
      void work.finally(() => this.inFlight.delete(work));
    });
  }

  private forward(
    req: http.IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
    this.forwarded.push(`${req.method} ${(req.url ?? '/').split('?')[0]}`);
    const headers = { ...req.headers, host: this.target.host, 'content-length': String(body.length) };
    delete headers.connection;
    return new Promise((resolve, reject) => {
      const upstream = http.request(
        { host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const { connection: _connection, 'transfer-encoding': _encoding, ...rest } = answer.headers;
            resolve({ status: answer.statusCode ?? 502, headers: rest, body: Buffer.concat(parts) });
          });
          answer.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  }
}
