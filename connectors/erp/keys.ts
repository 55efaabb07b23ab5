// Batch plumbing shared by the adapter's reads: the keys a batch asks for, the URL-sized chunks they
// go out in, and the answer grouped back per key.

/**
 * At ~30 URL-encoded characters per `number eq '...'` term, 100 keys keep the request line near 4 KB,
 * well inside common URL limits (and Node's 16 KB header limit); batches above it are split.
 */
export const MAX_KEYS_PER_REQUEST = 100;

/** Distinct, non-empty keys in first-seen order (an empty key names no record). */
export function uniqueKeys(keys: readonly string[]): string[] {
  return [...new Set(keys)].filter((key) => key !== '');
}

export function chunk<T>(values: readonly T[], size: number = MAX_KEYS_PER_REQUEST): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

/** One record per key (the first, if the ERP sent several); keys without one are absent. */
export function indexBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const row of rows) {
    const key = keyOf(row);
    if (!map.has(key)) map.set(key, row);
  }
  return map;
}

/** Every requested key → its rows in the ERP's order; keys without rows → []. */
export function groupBy<T>(keys: readonly string[], rows: readonly T[], keyOf: (row: T) => string | null): Map<string, T[]> {
  const map = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) {
    const key = keyOf(row);
    if (key !== null) map.get(key)?.push(row);
  }
  return map;
}
