// The two calls Business Central makes to a subscriber's notificationUrl:
// - the handshake, on create and on renew: POST <notificationUrl>?validationToken=<token>, which
//   must answer 200 with exactly the token as its body, within the timeout (5 seconds online);
// - a notification: POST of {"value":[...]} as application/json. 2xx is delivered; no answer, 408,
//   429 and 5xx are retried later; any other status means the subscriber rejects the notification
//   and its subscriptions are deleted (codeunit 6154, ShouldReschedule).
import { randomBytes } from 'node:crypto';

export type SendOutcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; status: number | null; reason: string }
  | { kind: 'rejected'; status: number };

function describe(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'no answer within the timeout';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error);
}

/** null when the handshake succeeded, else why it failed. */
export async function handshake(notificationUrl: string, timeoutMs: number): Promise<string | null> {
  const token = randomBytes(24).toString('base64url');
  const url = new URL(notificationUrl);
  url.searchParams.set('validationToken', token);
  try {
    const response = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(timeoutMs) });
    const body = await response.text();
    if (response.status !== 200) return `it answered HTTP ${response.status}`;
    if (body !== token) return 'its answer was not the validation token';
    return null;
  } catch (error) {
    return describe(error);
  }
}

export async function sendNotifications(
  notificationUrl: string,
  payload: unknown,
  timeoutMs: number,
): Promise<SendOutcome> {
  let status: number;
  try {
    const response = await fetch(notificationUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.status;
    await response.arrayBuffer();
  } catch (error) {
    return { kind: 'retry', status: null, reason: describe(error) };
  }
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status >= 500 || status === 408 || status === 429) return { kind: 'retry', status, reason: `HTTP ${status}` };
  return { kind: 'rejected', status };
}
