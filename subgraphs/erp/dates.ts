// Calendar-date arithmetic for invoice ageing. ERP dates are calendar dates (YYYY-MM-DD) without a
// zone; they are compared as UTC days so the result does not depend on the server's time zone.
const DAY_MS = 86_400_000;

/** The UTC calendar date of an instant, YYYY-MM-DD. */
export function utcDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

function utcMidnight(date: string): number {
  return Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
}

/** Whole days from `from` to `to` (YYYY-MM-DD; of an ISO instant only the date part counts). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcMidnight(to) - utcMidnight(from)) / DAY_MS);
}
