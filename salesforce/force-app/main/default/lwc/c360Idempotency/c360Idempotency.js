// One idempotency key per intended submission of a quote, made here (a random UUID) and kept in
// the tab's sessionStorage until the graph gives a final status (ACCEPTED_BY_ERP, REJECTED_BY_ERP),
// so every retry of that submission (after RETRY_REQUIRED, PENDING_ERP, IDEMPOTENCY_KEY_IN_PROGRESS,
// a lost answer, even a reload) sends the SAME key, and the graph returns the first result instead
// of acting twice. Under Lightning Web Security storage is this namespace's own. Even a lost key
// cannot make a second order: the graph finds an existing order by the quote before creating one.

const PREFIX = 'c360:submitQuote:';
/** When storage is blocked: keys then last as long as the page. */
const memory = new Map();

/**
 * The key of the unfinished submission of this quote, or null.
 * @param {string} quoteId
 */
export function pendingKey(quoteId) {
  try {
    return window.sessionStorage.getItem(PREFIX + quoteId) ?? memory.get(quoteId) ?? null;
  } catch {
    return memory.get(quoteId) ?? null;
  }
}

/**
 * The key to send for this quote now: the unfinished submission's, else a new one (stored first).
 * @param {string} quoteId
 */
export function keyFor(quoteId) {
  const existing = pendingKey(quoteId);
  if (existing) return existing;
  const key = newKey();
  try {
    window.sessionStorage.setItem(PREFIX + quoteId, key);
  } catch {
    memory.set(quoteId, key);
  }
  return key;
}

/**
 * The submission reached a final status, or its key can never succeed: the next one gets a new key.
 * @param {string} quoteId
 */
export function settle(quoteId) {
  memory.delete(quoteId);
  try {
    window.sessionStorage.removeItem(PREFIX + quoteId);
  } catch {
    // Only in memory.
  }
}

/** A random UUID (v4): crypto.randomUUID where the browser has it, else built from getRandomValues. */
function newKey() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
