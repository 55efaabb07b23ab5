// Starting and stopping an emulator's HTTP (or HTTPS) server. Emulators are "other systems": this
// folder imports nothing from the product (docs/decisions/0024-emulators-speak-the-wire-protocol.md).
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface EmulatorServer {
  /** Base URL, e.g. http://127.0.0.1:4010 or https://127.0.0.1:4030 (no trailing slash). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function listen(
  handler: http.RequestListener,
  options: {
    host: string;
    port: number;
    /** Serve HTTPS with this certificate chain and key (PEM), as an API reached over TLS is. */
    tls?: { cert: string; key: string };
  },
): Promise<EmulatorServer> {
  const server = options.tls
    ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, handler)
    : http.createServer(handler);
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
    url: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
