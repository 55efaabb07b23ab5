// Listening and closing for the product's own HTTP services (gateway, subgraphs), and how big a
// request's head (request line and header fields) may be.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ErrorCode } from './error-codes.js';

export interface RunningServer {
  /** Base URL without trailing slash, e.g. http://127.0.0.1:4000 */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The largest request head (request line plus header fields) a service answers. Node's default
 * (16 KiB) is too small for what the product documents: a partner token listing 1,000 customer
 * numbers of 20 characters is about 31 KB, the identity the gateway forwards for it
 * (x-c360-identity) about as much, and an OData `in` list of 1,000 keys about 25 KB of URL.
 */
export const MAX_REQUEST_HEAD_BYTES = 64 * 1024;
/**
 * Node's own parser limit, kept above MAX_REQUEST_HEAD_BYTES so that an oversized head up to it
 * reaches the service, which answers in its own error shape (`oversized`). Above it the parser
 * gives up before any route is known, and clientError() answers with a body both shapes can read.
 */
const PARSER_HEAD_LIMIT = 2 * MAX_REQUEST_HEAD_BYTES;

export const HEADERS_TOO_LARGE_MESSAGE = `The request line and headers are larger than ${MAX_REQUEST_HEAD_BYTES / 1024} KiB; shorten the URL (e.g. a long filter) or the token.`;

/** Answers a request whose head is over MAX_REQUEST_HEAD_BYTES (status 431), in the service's error shape. */
export type OversizedRequestResponder = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** Bytes of the head as it came over the wire: `METHOD url HTTP/x.y`, then `name: value` lines. */
export function requestHeadBytes(req: http.IncomingMessage): number {
  let bytes = (req.method?.length ?? 0) + (req.url?.length ?? 0) + 12;
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    bytes += req.rawHeaders[i]!.length + req.rawHeaders[i + 1]!.length + 4;
  return bytes;
}

function writeJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    Connection: 'close',
    ...headers,
  });
  res.end(text);
}

/** The GraphQL services' answer: `{ errors: [{ message, extensions: { code } }] }`. */
export const graphqlOversizedResponder: OversizedRequestResponder = (_req, res) =>
  writeJson(res, 431, {
    errors: [{ message: HEADERS_TOO_LARGE_MESSAGE, extensions: { code: ErrorCode.REQUEST_HEADERS_TOO_LARGE } }],
  });

// Node's own statuses for what its parser refuses (node:_http_server, onParserExecuteCommon).
const PARSER_STATUS: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};
const REASON: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  431: 'Request Header Fields Too Large',
};

/**
 * What the parser refused, before any route could say how to answer: a JSON body readable as a
 * GraphQL error (`errors`) and as an OData error (`error`), instead of Node's bare status line.
 */
function onClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  // As Node's default handler: nothing to answer on a reset or dead socket, nor mid-response.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const status = PARSER_STATUS[error.code ?? ''] ?? 400;
  const [code, message] =
    status === 431
      ? [ErrorCode.REQUEST_HEADERS_TOO_LARGE, HEADERS_TOO_LARGE_MESSAGE]
      : [ErrorCode.BAD_USER_INPUT, 'The request is not valid HTTP.'];
  const body = JSON.stringify({ error: { code, message }, errors: [{ message, extensions: { code } }] });
  socket.end(
    `HTTP/1.1 ${status} ${REASON[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `OData-Version: 4.0\r\nCache-Control: no-store\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

export async function listen(
  handler: http.RequestListener,
  options: { host: string; port: number; onClose?: () => Promise<void>; oversized?: OversizedRequestResponder },
): Promise<RunningServer> {
  const oversized = options.oversized ?? graphqlOversizedResponder;
  const server = http.createServer({ maxHeaderSize: PARSER_HEAD_LIMIT }, (req, res) => {
    if (requestHeadBytes(req) > MAX_REQUEST_HEAD_BYTES) oversized(req, res);
    else handler(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.on('clientError', onClientError);
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
