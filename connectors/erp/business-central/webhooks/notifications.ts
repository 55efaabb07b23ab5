// The receiving end of Business Central's webhooks (api-reference/v2.0 "Working with webhooks"):
// - the handshake: BC POSTs to the notificationUrl with ?validationToken=<token> on create and renew,
//   and the endpoint answers 200 with the token as plain text;
// - notifications: {"value":[{subscriptionId, clientState, expirationDateTime, resource,
//   changeType, lastModifiedDateTime}]}, every clientState compared with ours in constant time. One
//   that does not match refuses the whole request (403) and nothing of it is passed on; otherwise
//   the notices are passed on and BC is answered 202 at once (it retries only on 408, 429 and 5xx,
//   and deletes a subscription whose endpoint answers anything else).
// Resources name an entity as <entitySet>(<id>) and a collection as <entitySet>, possibly filtered
// `?$filter=lastModifiedDateTime gt <time>`.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { ErpChangeNotice, ErpScanSet } from '../../port.js';

/** Notifications are small: BC sends up to its collection threshold of entries per request. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const MAX_TOKEN_LENGTH = 1024;

const Notification = z.object({
  subscriptionId: z.string(),
  clientState: z.string().nullable().optional(),
  expirationDateTime: z.string().optional(),
  resource: z.string(),
  changeType: z.enum(['created', 'updated', 'deleted', 'collection']),
  lastModifiedDateTime: z.string(),
});

const Payload = z.object({ value: z.array(z.unknown()) });

export type NotificationOutcome =
  | { readonly ok: true; readonly notices: ErpChangeNotice[]; readonly skipped: string[] }
  | { readonly ok: false; readonly status: 400 | 403; readonly reason: string };

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant time whatever the inputs' lengths: both sides are hashed to 32 bytes first. */
export function clientStateMatches(received: string | null | undefined, expected: string): boolean {
  return timingSafeEqual(digest(received ?? ''), digest(expected));
}

const ENTITY = /\/?([A-Za-z]+)\(([^()]*)\)$/;
const COLLECTION = /\/?([A-Za-z]+)(?:\?\$filter=lastModifiedDateTime(?:%20| )gt(?:%20| )([^&]+))?$/;

/** The notice a notification's resource and change type stand for, or why it cannot be read. */
function noticeOf(notification: z.infer<typeof Notification>, sets: ReadonlySet<string>): ErpChangeNotice | string {
  const { resource, changeType, lastModifiedDateTime: changedAt } = notification;
  if (changeType === 'collection') {
    const m = COLLECTION.exec(resource);
    if (!m || !sets.has(m[1]!)) return `unrecognised collection resource ${resource}`;
    const since = m[2] === undefined ? null : decodeURIComponent(m[2]);
    if (since !== null && !Number.isFinite(Date.parse(since))) return `unreadable filter in ${resource}`;
    return { set: m[1] as ErpScanSet, kind: 'collection', modifiedSince: since, changedAt };
  }
  const m = ENTITY.exec(resource);
  if (!m || !sets.has(m[1]!)) return `unrecognised resource ${resource}`;
  const id = decodeURIComponent(m[2]!)
    .replace(/^'(.*)'$/, '$1')
    .toLowerCase();
  return { set: m[1] as ErpScanSet, kind: changeType, id, changedAt };
}

/** Checks and reads a notification request's body. */
export function readNotifications(
  body: unknown,
  clientState: string,
  sets: readonly ErpScanSet[],
): NotificationOutcome {
  const payload = Payload.safeParse(body);
  if (!payload.success) return { ok: false, status: 400, reason: 'the body is not {"value":[...]}' };
  // Authenticity first: one entry with a wrong clientState and nothing of the request is believed.
  for (const entry of payload.data.value) {
    const state =
      typeof entry === 'object' && entry !== null ? (entry as { clientState?: unknown }).clientState : undefined;
    if (!clientStateMatches(typeof state === 'string' ? state : null, clientState))
      return { ok: false, status: 403, reason: 'clientState does not match' };
  }
  const parsed = payload.data.value.map((entry) => Notification.safeParse(entry));
  const known = new Set<string>(sets);
  const notices: ErpChangeNotice[] = [];
  const skipped: string[] = [];
  for (const entry of parsed) {
    if (!entry.success) {
      skipped.push('malformed notification');
      continue;
    }
    const notice = noticeOf(entry.data, known);
    if (typeof notice === 'string') skipped.push(notice);
    else notices.push(notice);
  }
  return { ok: true, notices, skipped };
}

export interface NotificationHandlerOptions {
  readonly clientState: string;
  readonly sets: readonly ErpScanSet[];
  onNotices(notices: readonly ErpChangeNotice[], skipped: readonly string[]): void;
  onRefused(reason: string, status: number): void;
}

function answer(res: ServerResponse, status: number, body = '', type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

/** The notification endpoint as a plain Node HTTP handler (serve it on its own port, never publicly). */
export function createNotificationHandler(
  options: NotificationHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      answer(res, 405);
      req.resume();
      return;
    }
    const token = new URL(req.url ?? '/', 'http://notifications').searchParams.get('validationToken');
    if (token !== null) {
      req.resume();
      if (token === '' || token.length > MAX_TOKEN_LENGTH) answer(res, 400);
      else answer(res, 200, token);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('error', () => answer(res, 400));
    req.on('end', () => {
      if (tooLarge) {
        options.onRefused('the body is too large', 413);
        answer(res, 413);
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        options.onRefused('the body is not JSON', 400);
        answer(res, 400);
        return;
      }
      const outcome = readNotifications(body, options.clientState, options.sets);
      if (!outcome.ok) {
        options.onRefused(outcome.reason, outcome.status);
        answer(res, outcome.status);
        return;
      }
      options.onNotices(outcome.notices, outcome.skipped);
      answer(res, 202);
    });
  };
}
