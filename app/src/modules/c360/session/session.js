// @ts-check
// Who is signed in: the bearer token and what the console reads from it to choose its screens.
// Kept in sessionStorage (this tab only, gone when it closes) so a reload keeps the session. The
// claims are decoded, NOT verified: that is the gateway's job on every request; the console uses the
// role only to pick which operation to send and what to offer (a partner gets no credit internals).

const STORAGE_KEY = 'c360:session';

/**
 * @typedef {object} Session
 * @property {string} token
 * @property {string} role sales, service, finance, partner, integration (or '' when the token names none)
 * @property {string | null} partnerId
 * @property {string} subject
 * @property {number | null} expiresAt Milliseconds since the epoch.
 */

/** @returns {Session | null} */
export function loadSession() {
  try {
    const stored = window.sessionStorage.getItem(STORAGE_KEY);
    if (!stored) return null;
    const session = /** @type {Session} */ (JSON.parse(stored));
    if (session.expiresAt !== null && session.expiresAt <= Date.now()) {
      clearSession();
      return null;
    }
    return session;
  } catch {
    return null;
  }
}

/** @returns {string | null} */
export function currentToken() {
  return loadSession()?.token ?? null;
}

/**
 * Starts a session with a token; throws when it is not a JWT at all (a pasted typo).
 * @param {string} token
 * @returns {Session}
 */
export function startSession(token) {
  const session = sessionFromToken(token.trim());
  try {
    window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  } catch {
    // Storage blocked: the session lasts as long as the page.
  }
  return session;
}

export function clearSession() {
  try {
    window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing stored.
  }
}

/**
 * @param {string} token
 * @returns {Session}
 */
export function sessionFromToken(token) {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) throw new Error('This is not a JWT (three dot-separated parts).');
  let claims;
  try {
    claims = JSON.parse(base64UrlDecode(parts[1]));
  } catch {
    throw new Error('This is not a JWT: its payload is not JSON.');
  }
  const role =
    typeof claims.role === 'string'
      ? claims.role
      : typeof claims.scope === 'string'
        ? (claims.scope.split(' ')[0] ?? '')
        : '';
  return {
    token,
    role,
    partnerId: typeof claims.partner_id === 'string' ? claims.partner_id : null,
    subject: typeof claims.sub === 'string' ? claims.sub : '',
    expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : null,
  };
}

/**
 * Asks the gateway's development issuer for a token (embedded default only: the endpoint exists
 * only while that issuer is on).
 * @param {string} endpoint
 * @param {{ role: string, partnerId?: string | null }} request
 * @returns {Promise<string>}
 */
export async function fetchDevToken(endpoint, request) {
  let response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(request),
    });
  } catch {
    throw new Error('The gateway could not be reached.');
  }
  const body = await response.json().catch(() => null);
  if (!response.ok || typeof body?.token !== 'string') {
    throw new Error(body?.error?.message ?? `The gateway refused a development token (HTTP ${response.status}).`);
  }
  return body.token;
}

/**
 * @param {string} text
 * @returns {string}
 */
function base64UrlDecode(text) {
  const base64 = text
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(text.length / 4) * 4, '=');
  const binary = atob(base64);
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}
