// Batch plumbing shared by the adapters' reads: the keys a batch asks for, the chunks they go out in
// (each adapter sizes its own: a URL for Business Central, a request body for Tryton), and the answer
// grouped back per key.

/** Distinct, non-empty keys in first-seen order (an empty key names no record). */
export function uniqueKeys(keys: readonly string[]): string[] {
  return [...new Set(keys)].filter((key) => key !== '');
}

export function chunk<T>(values: readonly T[], size: number): T[][] {
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
export function groupBy<T>(
  keys: readonly string[],
  rows: readonly T[],
  keyOf: (row: T) => string | null,
): Map<string, T[]> {
  const map = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) {
    const key = keyOf(row);
    if (key !== null) map.get(key)?.push(row);
  }
  return map;
}
