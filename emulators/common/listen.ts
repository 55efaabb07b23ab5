// Starting and stopping an emulator's HTTP server. Emulators are "other systems": this folder
// imports nothing from the product (DESIGN.md, rules of the house).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EmulatorServer {
  /** Base URL, e.g. http://127.0.0.1:4010 (no trailing slash). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function listen(
  handler: http.RequestListener,
  options: { host: string; port: number },
): Promise<EmulatorServer> {
  const server = http.createServer(handler);
  // Benchmarks open many keep-alive connections; keep them alive longer than clients' idle timeout.
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
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
