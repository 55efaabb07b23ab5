// @ts-check
// One idempotency key per intended submission of a quote, generated here (crypto.randomUUID) and
// kept in sessionStorage until the gateway gives a final status, so that every retry of the same
// submission (a click after RETRY_REQUIRED or PENDING_ERP, a network error, even a page reload)
// sends the SAME key: the gateway then returns the first result instead of acting twice
// (README, "Quote to order").

const PREFIX = 'c360:submitQuote:';

/**
 * The key of the unfinished submission of this quote, or null.
 * @param {string} quoteId
 * @returns {string | null}
 */
export function pendingKey(quoteId) {
  try {
    return window.sessionStorage.getItem(PREFIX + quoteId);
  } catch {
    return memory.get(quoteId) ?? null;
  }
}

/**
 * The key to send for this quote now: the unfinished submission's, else a new one (stored first).
 * @param {string} quoteId
 * @returns {string}
 */
export function keyFor(quoteId) {
  const existing = pendingKey(quoteId);
  if (existing) return existing;
  const key = crypto.randomUUID();
  try {
    window.sessionStorage.setItem(PREFIX + quoteId, key);
  } catch {
    memory.set(quoteId, key);
  }
  return key;
}

/**
 * The submission reached a final status (or its key can never succeed): the next one gets a new key.
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

/** Fallback when storage is blocked: keys then last as long as the page. */
const memory = new Map();
