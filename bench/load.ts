// One closed-loop load run against the gateway with autocannon's programmatic API: `connections`
// clients, each sending its next GraphQL request as soon as the previous answer arrived, for
// `durationS` seconds. Every request body comes from `nextBody()` (a Zipf-drawn customer number);
// every response body is inspected, because GraphQL reports failures in a 200 with `errors`, which
// autocannon's own counters (non-2xx, connection errors) do not see.
import autocannon from 'autocannon';
import { summarizeLatencies, type LatencySummary } from './percentiles.js';

export interface LoadOptions {
  /** The gateway's GraphQL endpoint. */
  readonly url: string;
  readonly connections: number;
  readonly durationS: number;
  readonly nextBody: () => string;
  /** Sent with every request: the bench stack's authHeaders (a bearer token). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Sees every response (receive time in ms since the epoch); for scenario-specific classification. */
  readonly onResponse?: (status: number, body: string, receivedAt: number) => void;
  /** Sees every connection error or timeout (no response at all). */
  readonly onConnectionError?: (at: number) => void;
  /** Stops the run early (Ctrl-C); the figures then cover the part that ran. */
  readonly signal?: AbortSignal;
}

export interface LoadResult {
  readonly connections: number;
  /** Requests sent (each built by setupRequest right before it goes out). */
  readonly sent: number;
  /**
   * Requests still waiting for their answer when the run stopped (sent - responses - connection
   * errors): not in the latency figures, although they had waited at least since they were sent.
   */
  readonly unansweredAtEnd: number;
  /** Wall-clock length of the run, from autocannon's start and finish. */
  readonly elapsedS: number;
  /** HTTP responses received (any status). */
  readonly responses: number;
  /** HTTP 2xx without a GraphQL `errors` entry: the operations that fully succeeded. */
  readonly ok: number;
  /** HTTP 2xx responses carrying GraphQL `errors` (partial or failed results). */
  readonly graphqlErrorResponses: number;
  readonly non2xx: number;
  /** Requests that got no response (connection errors, autocannon's timeouts included). */
  readonly connectionErrors: number;
  readonly timeouts: number;
  /** Responses per second, and fully successful operations per second. */
  readonly responsesPerSec: number;
  readonly okPerSec: number;
  /** (GraphQL-error responses + non-2xx + connection errors) / (responses + connection errors). */
  readonly errorRate: number;
  /** Responses carrying each `extensions.code` (a response counts once per distinct code). */
  readonly errorCodes: Readonly<Record<string, number>>;
  /** Response times of every HTTP response, as measured by autocannon (send to last byte). */
  readonly latency: LatencySummary;
}

// A JSON string cannot hold an unescaped quote, so `"errors":` occurs in a GraphQL response body
// only as a key; no type of this schema has a field named `errors`, so that key is the top-level one.
const ERRORS_KEY = '"errors":';

/** Timeouts: well above the gateway's subgraph timeout, so slow answers are measured, not cut off. */
const REQUEST_TIMEOUT_S = 30;

export function hasGraphqlErrors(body: string): boolean {
  return body.includes(ERRORS_KEY);
}

function errorCodesOf(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as { errors?: { extensions?: { code?: unknown } }[] };
    const codes = new Set((parsed.errors ?? []).map((error) => String(error.extensions?.code ?? 'NO_CODE')));
    return [...codes];
  } catch {
    return ['UNPARSEABLE_BODY'];
  }
}

/** Thrown by runLoad when the run was cancelled before it began (Ctrl-C between two runs). */
export class LoadAborted extends Error {
  override readonly name = 'LoadAborted';
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.signal?.aborted) throw new LoadAborted('interrupted before the load started');
  const latencies: number[] = [];
  const errorCodes: Record<string, number> = {};
  let ok = 0;
  let graphqlErrorResponses = 0;
  let responses = 0;
  let non2xx = 0;
  let sent = 0;

  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationS,
        timeout: REQUEST_TIMEOUT_S,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
            setupRequest: (request) => {
              sent += 1;
              return { ...request, body: options.nextBody() };
            },
            onResponse: (status, body) => {
              responses += 1;
              const failedHttp = status < 200 || status >= 300;
              if (failedHttp) non2xx += 1;
              if (hasGraphqlErrors(body)) {
                if (!failedHttp) graphqlErrorResponses += 1;
                for (const code of errorCodesOf(body)) errorCodes[code] = (errorCodes[code] ?? 0) + 1;
              } else if (!failedHttp) {
                ok += 1;
              }
              options.onResponse?.(status, body, Date.now());
            },
          },
        ],
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => void latencies.push(responseTime));
    instance.on('reqError', () => options.onConnectionError?.(Date.now()));
    options.signal?.addEventListener('abort', () => instance.stop(), { once: true });
  });

  const elapsedS = Math.max(0.001, (result.finish.getTime() - result.start.getTime()) / 1000);
  const attempts = responses + result.errors;
  return {
    connections: options.connections,
    sent,
    unansweredAtEnd: Math.max(0, sent - responses - result.errors),
    elapsedS,
    responses,
    ok,
    graphqlErrorResponses,
    non2xx,
    connectionErrors: result.errors,
    timeouts: result.timeouts,
    responsesPerSec: responses / elapsedS,
    okPerSec: ok / elapsedS,
    errorRate: attempts === 0 ? 0 : (graphqlErrorResponses + non2xx + result.errors) / attempts,
    errorCodes,
    latency: summarizeLatencies(latencies),
  };
}
