// HTTPS to the carrier with the CA the configuration names. Node's global fetch cannot be given a
// CA per destination (its TLS settings belong to undici's dispatcher, which Node 20 does not expose),
// so requests go through node:https with one keep-alive Agent holding the CA. Certificates are
// always verified: the Agent keeps rejectUnauthorized at its default (true), and a missing CA file
// is an error, never a reason to connect unverified.
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import { BackendError } from '../../../lib/backend-error.js';

export interface HttpsResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

/** A carrier answer bigger than this is not an answer to 30 tracking numbers. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export class HttpsTransport {
  readonly #origin: URL;
  readonly #caFile: string | undefined;
  readonly #maxSockets: number;
  #agent: Promise<https.Agent> | null = null;

  constructor(options: { baseUrl: string; caFile?: string; maxSockets: number }) {
    this.#origin = new URL(options.baseUrl);
    if (this.#origin.protocol !== 'https:')
      throw new TypeError(`carrier baseUrl must be an https URL, got ${options.baseUrl}`);
    this.#caFile = options.caFile;
    this.#maxSockets = options.maxSockets;
  }

  /**
   * One request; resolves with any HTTP status (the caller classifies it) and rejects only when no
   * answer was read: transport failure, abort, or a body over the size limit.
   */
  async request(
    method: 'GET' | 'POST',
    path: string,
    init: { headers: Record<string, string>; body?: string },
    signal: AbortSignal,
  ): Promise<HttpsResponse> {
    const agent = await this.#agentOnce();
    const url = new URL(`${this.#origin.pathname.replace(/\/+$/, '')}${path}`, this.#origin);
    return new Promise<HttpsResponse>((resolve, reject) => {
      const headers = {
        ...init.headers,
        ...(init.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(init.body)) } : {}),
      };
      const request = https.request(url, { method, headers, agent, signal }, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            response.destroy(
              new BackendError('carrier', 'invalid_response', `carrier answer larger than ${MAX_BODY_BYTES} bytes`),
            );
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
        response.on('aborted', () => reject(new Error('the carrier closed the connection mid-answer')));
      });
      request.on('error', reject);
      request.end(init.body);
    });
  }

  /** Closes the idle keep-alive connections (and refuses nothing: a later request opens new ones). */
  close(): void {
    void this.#agent?.then(
      (agent) => agent.destroy(),
      () => undefined,
    );
    this.#agent = null;
  }

  /** The Agent, made on first use; a CA file that cannot be read fails this call and is read again next time. */
  #agentOnce(): Promise<https.Agent> {
    if (!this.#agent) {
      const made = this.#makeAgent();
      this.#agent = made;
      made.catch(() => {
        if (this.#agent === made) this.#agent = null;
      });
    }
    return this.#agent;
  }

  async #makeAgent(): Promise<https.Agent> {
    let ca: string | undefined;
    if (this.#caFile !== undefined) {
      try {
        ca = await readFile(this.#caFile, 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? String(error);
        throw new BackendError(
          'carrier',
          'unavailable',
          `carrier CA file ${this.#caFile} cannot be read (${code})`,
          { operation: 'tls', backendCode: code },
          { cause: error },
        );
      }
      if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
        throw new BackendError('carrier', 'unavailable', `carrier CA file ${this.#caFile} holds no PEM certificate`, {
          operation: 'tls',
        });
      }
    }
    return new https.Agent({ keepAlive: true, maxSockets: this.#maxSockets, ...(ca !== undefined ? { ca } : {}) });
  }
}

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date; in ms from `now`, or undefined. */
export function retryAfterMs(header: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}
