// Reading an ERP's rows into port records, for every adapter: each row is validated against the
// schema of what the adapter asked for, then mapped. A row in a shape the adapter cannot read fails
// the whole call as 'invalid_response' (the message names the field, never the data), and so does a
// value the port has no name for (UnexpectedValue, thrown by a mapper).
import type { z } from 'zod';
import type { BackendError } from '../../lib/backend-error.js';

/** A backend value the port has no name for (a new enum member, a new state). */
export class UnexpectedValue extends Error {}

/** `map` returns null to leave a row out; `invalid` makes the adapter's invalid_response error. */
export function decodeRows<S extends z.ZodType, T>(
  schema: S,
  rows: readonly unknown[],
  map: (row: z.infer<S>) => T | null,
  invalid: (why: string) => BackendError,
): T[] {
  const out: T[] = [];
  rows.forEach((row, index) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) {
      const where = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
      throw invalid(`row ${index} does not match the expected shape (${where})`);
    }
    let mapped: T | null;
    try {
      mapped = map(parsed.data);
    } catch (error) {
      if (error instanceof UnexpectedValue) throw invalid(`row ${index}: ${error.message}`);
      throw error;
    }
    if (mapped !== null) out.push(mapped);
  });
  return out;
}
