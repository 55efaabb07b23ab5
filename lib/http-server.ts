// Listening and closing for the product's own HTTP services (gateway, subgraphs).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunningServer {
  /** Base URL without trailing slash, e.g. http://127.0.0.1:4000 */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function listen(
  handler: http.RequestListener,
  options: { host: string; port: number; onClose?: () => Promise<void> },
): Promise<RunningServer> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Idle keep-alive sockets would hold close() open; in-flight requests get to finish.
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), 5_000).unref();
        });
        await options.onClose?.();
      })();
      return closing;
    },
  };
}
