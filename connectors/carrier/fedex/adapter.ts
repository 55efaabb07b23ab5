// The carrier port over FedEx's Track API v1: `POST /track/v1/trackingnumbers` with up to 30
// numbers per request, each with its carrierCode (FedEx's API answers per number; the emulator in
// that shape answers for every seeded carrier). A batch of more keys is split into requests of 30,
// at most maxConcurrentRequests in flight; the first failure cancels the others and fails the call.
// One 401 leads to one token refresh and one repeat. A 429 is honoured: its Retry-After is waited out
// when short (maxRetryAfterWaitMs, within the deadline) and otherwise fails the call at once as
// 'rate_limited'; either way no request of this connector goes out before the Retry-After has passed.
// Nothing else is retried here: the shield's resilience policy wraps the port.
import { randomUUID } from 'node:crypto';
import { BackendError } from '../../../lib/backend-error.js';
import type { CallContext } from '../../../lib/call-context.js';
import type { Logger } from '../../../lib/logger.js';
import type { CarrierConnectorOptions } from '../options.js';
import { parseTrackingKey, trackingKey, type CarrierPort, type ShipmentTracking, type TrackingRef } from '../port.js';
import { sleep, startDeadline, type Deadline } from './deadline.js';
import { httpError, invalidResponse, transportError } from './errors.js';
import { carrierCodeOf, toShipmentTracking, UnreadableTrackResult } from './mappers.js';
import { TokenProvider } from './token.js';
import { HttpsTransport, retryAfterMs, type HttpsResponse } from './transport.js';
import { TrackResponse } from './wire.js';

/** FedEx's limit of tracking numbers per request. */
export const FEDEX_MAX_NUMBERS_PER_REQUEST = 30;
const DEFAULT_MAX_CONCURRENT_REQUESTS = 2;
const DEFAULT_MAX_RETRY_AFTER_WAIT_MS = 1_000;
/** A 429 without Retry-After still holds requests back this long (FedEx's window is 10 s). */
const DEFAULT_RATE_LIMIT_PAUSE_MS = 1_000;

export interface FedexTrackAdapter extends CarrierPort {
  /** Token requests sent (tests). */
  readonly tokenRequests: number;
}

/** Splits refs into requests of at most `size`, never two refs of the same number in one request. */
export function chunkRefs(refs: readonly TrackingRef[], size: number): TrackingRef[][] {
  const chunks: { refs: TrackingRef[]; numbers: Set<string> }[] = [];
  for (const ref of refs) {
    let chunk = chunks.find((c) => c.refs.length < size && !c.numbers.has(ref.trackingNumber));
    if (!chunk) {
      chunk = { refs: [], numbers: new Set() };
      chunks.push(chunk);
    }
    chunk.refs.push(ref);
    chunk.numbers.add(ref.trackingNumber);
  }
  return chunks.map((c) => c.refs);
}

export function createFedexTrackAdapter(
  options: CarrierConnectorOptions,
  logger: Logger,
  now: () => number = Date.now,
): FedexTrackAdapter {
  const maxConcurrent = options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS;
  const maxRetryAfterWaitMs = options.maxRetryAfterWaitMs ?? DEFAULT_MAX_RETRY_AFTER_WAIT_MS;
  const transport = new HttpsTransport({
    baseUrl: options.baseUrl,
    ...(options.caFile ? { caFile: options.caFile } : {}),
    maxSockets: maxConcurrent,
  });
  const tokens = new TokenProvider(
    transport,
    { clientId: options.clientId, clientSecret: options.clientSecret, timeoutMs: options.timeoutMs, now },
    logger,
  );
  // No request before this moment: the carrier's last Retry-After.
  let blockedUntil = 0;

  const rateLimited = (operation: string, waitMs: number, status?: number) =>
    new BackendError(
      'carrier',
      'rate_limited',
      `carrier ${operation}: rate limited by the carrier for another ${Math.ceil(waitMs / 1000)} s`,
      {
        operation,
        retryAfterMs: waitMs,
        ...(status !== undefined ? { status } : {}),
      },
    );

  /** One API request with the bearer token: one repeat after a 401, one after a short Retry-After. */
  async function send(
    path: string,
    body: unknown,
    deadline: Deadline,
    signal: AbortSignal,
    ctx: CallContext,
    operation: string,
  ): Promise<unknown> {
    let refreshed = false;
    let waited = false;
    for (;;) {
      const wait = blockedUntil - now();
      if (wait > 0) {
        if (wait > maxRetryAfterWaitMs || wait >= deadline.remainingMs()) throw rateLimited(operation, wait);
        await sleep(wait, signal).catch((error: unknown) => {
          throw transportError(error, deadline, operation);
        });
      }
      const token = await tokens.get(deadline, ctx.correlationId);
      let response: HttpsResponse;
      try {
        response = await transport.request(
          'POST',
          path,
          {
            headers: {
              Authorization: `Bearer ${token}`,
              'Content-Type': 'application/json',
              Accept: 'application/json',
              'x-locale': 'en_US',
              // FedEx's way of tracing a request: echoed back as customerTransactionId.
              'x-customer-transaction-id': ctx.correlationId,
              'X-Correlation-Id': ctx.correlationId,
            },
            body: JSON.stringify(body),
          },
          signal,
        );
      } catch (error) {
        throw transportError(error, deadline, operation);
      }
      if (response.status === 401 && !refreshed) {
        refreshed = true;
        tokens.invalidate(token);
        continue;
      }
      if (response.status === 429) {
        const after = retryAfterMs(response.headers['retry-after'], now()) ?? DEFAULT_RATE_LIMIT_PAUSE_MS;
        blockedUntil = Math.max(blockedUntil, now() + after);
        logger.warn({ operation, retryAfterMs: after, correlationId: ctx.correlationId }, 'carrier rate limit reached');
        if (!waited && after <= maxRetryAfterWaitMs && after < deadline.remainingMs()) {
          waited = true;
          continue;
        }
        throw httpError(429, response.text, operation, after);
      }
      if (response.status < 200 || response.status >= 300) throw httpError(response.status, response.text, operation);
      try {
        return JSON.parse(response.text) as unknown;
      } catch (error) {
        throw invalidResponse(operation, `answer is not JSON (HTTP ${response.status})`, error);
      }
    }
  }

  async function trackChunk(
    refs: readonly TrackingRef[],
    deadline: Deadline,
    signal: AbortSignal,
    ctx: CallContext,
    found: Map<string, ShipmentTracking>,
  ) {
    const operation = 'track';
    const raw = await send(
      '/track/v1/trackingnumbers',
      {
        includeDetailedScans: true,
        trackingInfo: refs.map((ref) => ({
          trackingNumberInfo: { trackingNumber: ref.trackingNumber, carrierCode: carrierCodeOf(ref.carrier) },
        })),
      },
      deadline,
      signal,
      ctx,
      operation,
    );
    const parsed = TrackResponse.safeParse(raw);
    if (!parsed.success)
      throw invalidResponse(operation, `answer is not a Track API response: ${parsed.error.issues[0]?.message ?? ''}`);
    // A chunk never holds one number twice (chunkRefs), so the number identifies the ref.
    const byNumber = new Map(refs.map((ref) => [ref.trackingNumber, ref]));
    for (const complete of parsed.data.output.completeTrackResults) {
      const ref = byNumber.get(complete.trackingNumber);
      const result = complete.trackResults[0];
      if (!ref || !result) continue;
      try {
        const tracking = toShipmentTracking(ref, result);
        if (tracking) found.set(trackingKey(ref), tracking);
        else if (result.error?.code !== 'TRACKING.TRACKINGNUMBER.NOTFOUND') {
          logger.warn(
            {
              operation,
              trackingNumber: ref.trackingNumber,
              carrier: ref.carrier,
              code: result.error?.code,
              correlationId: ctx.correlationId,
            },
            'carrier has no tracking for a shipment',
          );
        }
      } catch (error) {
        if (error instanceof UnreadableTrackResult)
          throw invalidResponse(operation, `${ref.carrier} ${ref.trackingNumber}: ${error.message}`, error);
        throw error;
      }
    }
  }

  return {
    adapter: 'fedex-track',
    maxKeysPerRequest: FEDEX_MAX_NUMBERS_PER_REQUEST,
    async trackingByKeys(keys, ctx) {
      const refs = [...new Set(keys)].map(parseTrackingKey).filter((ref): ref is TrackingRef => ref !== null);
      const found = new Map<string, ShipmentTracking>();
      if (refs.length === 0) return found;
      const deadline = startDeadline(options.timeoutMs, ctx.signal, now);
      // The first failing request cancels the call's others: their answers could not be used.
      const cancel = new AbortController();
      const signal = AbortSignal.any([deadline.signal, cancel.signal]);
      const queue = chunkRefs(refs, FEDEX_MAX_NUMBERS_PER_REQUEST);
      let failure: unknown;
      const worker = async () => {
        for (let chunk = queue.shift(); chunk && failure === undefined; chunk = queue.shift()) {
          try {
            await trackChunk(chunk, deadline, signal, ctx, found);
          } catch (error) {
            failure ??= error;
            cancel.abort(error);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(maxConcurrent, queue.length) }, worker));
      if (failure !== undefined) throw failure;
      return found;
    },
    async ping(ctx) {
      // FedEx has no ping. A new token is a real round trip that proves the address, the TLS trust
      // and the credentials, and spends none of the Track API's rate limit or daily quota.
      const deadline = startDeadline(options.timeoutMs, ctx.signal, now);
      await tokens.refresh(deadline, ctx.correlationId || randomUUID());
    },
    close: () => transport.close(),
    get tokenRequests() {
      return tokens.requests;
    },
  };
}
