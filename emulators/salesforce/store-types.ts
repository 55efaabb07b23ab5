// A stored record: canonical API field names to stored values (text, numbers, booleans, 'YYYY-MM-DD'
// dates, ISO date-times, 18-character ids). Records are replaced, never mutated, on every write, so
// a query cursor holding references keeps the rows as they were when it ran.
export type SfRecord = Record<string, unknown> & { readonly Id: string };
