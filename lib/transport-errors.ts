// Whether a failed HTTP request certainly never reached the server. Only failures to establish the
// connection qualify (refused, no route, name not resolved, connect timeout): once a connection is
// up, a reset, a closed socket or a timeout leaves open whether the server received, and acted on,
// the request. Non-idempotent writes depend on this difference: "nothing was sent" may be retried
// at once, "sent, no answer" may only be retried after looking for its effect.
const CONNECT_PHASE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  // undici (Node's fetch): the TCP/TLS connection was not established in time.
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** True when `error` (or one of its causes: fetch wraps the socket error) is a connect-phase failure. */
export function requestNeverSent(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current !== null && typeof current === 'object' && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECT_PHASE_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
