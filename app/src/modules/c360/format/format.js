// @ts-check
// Display formatting. Money arrives as a decimal string (never a float on the wire); turning it
// into a Number here is for display only.

/**
 * @param {{ amount: string, currency: string } | null | undefined} money
 * @returns {string}
 */
export function formatMoney(money) {
  if (!money) return '—';
  const amount = Number(money.amount);
  if (!Number.isFinite(amount)) return `${money.amount} ${money.currency}`;
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: money.currency }).format(amount);
  } catch {
    return `${money.amount} ${money.currency}`;
  }
}

/**
 * @param {string | null | undefined} value An ISO date or date-time.
 * @returns {string}
 */
export function formatDate(value) {
  if (!value) return '—';
  const date = new Date(value.length === 10 ? `${value}T00:00:00` : value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleDateString();
}

/**
 * @param {string | null | undefined} value An ISO date-time.
 * @returns {string}
 */
export function formatDateTime(value) {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString();
}
