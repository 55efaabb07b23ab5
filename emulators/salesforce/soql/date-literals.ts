// SOQL date literals (TODAY, LAST_N_DAYS:n, THIS_QUARTER, ...) as ranges of days, following the
// definitions of the SOQL reference ("Date Formats and Date Literals"): LAST_N_DAYS:n and
// LAST_90_DAYS include today; NEXT_N_DAYS:n starts tomorrow; weeks start on Sunday; LAST_N_MONTHS:n
// ends before the current month. The emulated org runs in UTC with a fiscal year equal to the
// calendar year, so the FISCAL variants equal the calendar ones.

export const DAY_MS = 86_400_000;

/** Days since 1970-01-01; `end` excluded. */
export interface DayRange {
  readonly start: number;
  readonly end: number;
}

export function epochDay(isoDate: string): number {
  return Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
}

function monthStart(today: number, offsetMonths: number): number {
  const d = new Date(today * DAY_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offsetMonths, 1) / DAY_MS;
}

function quarterStart(today: number, offsetQuarters: number): number {
  const d = new Date(today * DAY_MS);
  const firstMonth = Math.floor(d.getUTCMonth() / 3) * 3;
  return Date.UTC(d.getUTCFullYear(), firstMonth + offsetQuarters * 3, 1) / DAY_MS;
}

function yearStart(today: number, offsetYears: number): number {
  return Date.UTC(new Date(today * DAY_MS).getUTCFullYear() + offsetYears, 0, 1) / DAY_MS;
}

function weekStart(today: number): number {
  // 1970-01-01 was a Thursday (day 4 with Sunday = 0).
  return today - ((today + 4) % 7);
}

type Unit = (today: number, offset: number) => number;
const UNITS: Record<string, Unit> = {
  WEEK: (t, k) => weekStart(t) + 7 * k,
  MONTH: monthStart,
  QUARTER: quarterStart,
  YEAR: yearStart,
};

/** Periods of one unit relative to the current one: LAST_x, THIS_x, NEXT_x. */
function period(unit: Unit, today: number, from: number, to: number): DayRange {
  return { start: unit(today, from), end: unit(today, to) };
}

/**
 * The range a literal covers, or null for an unknown literal. `n` is the number after the colon of
 * the N_ literals. `today` is an epoch day.
 */
export function dateLiteralRange(literal: string, n: number | undefined, today: number): DayRange | null {
  const name = literal.toUpperCase().split(':')[0]!.replace('_FISCAL_', '_');
  const k = n ?? 0;
  switch (name) {
    case 'YESTERDAY':
      return { start: today - 1, end: today };
    case 'TODAY':
      return { start: today, end: today + 1 };
    case 'TOMORROW':
      return { start: today + 1, end: today + 2 };
    case 'LAST_90_DAYS':
      return { start: today - 90, end: today + 1 };
    case 'NEXT_90_DAYS':
      return { start: today + 1, end: today + 91 };
    case 'LAST_N_DAYS':
      return { start: today - k, end: today + 1 };
    case 'NEXT_N_DAYS':
      return { start: today + 1, end: today + 1 + k };
    case 'N_DAYS_AGO':
      return { start: today - k, end: today - k + 1 };
    default:
      break;
  }
  const m = /^(LAST|THIS|NEXT)_(WEEK|MONTH|QUARTER|YEAR)$/.exec(name);
  if (m) {
    const offset = m[1] === 'LAST' ? -1 : m[1] === 'THIS' ? 0 : 1;
    return period(UNITS[m[2]!]!, today, offset, offset + 1);
  }
  const nm = /^(LAST_N|NEXT_N|N)_(WEEK|MONTH|QUARTER|YEAR)S(_AGO)?$/.exec(name);
  if (nm) {
    const unit = UNITS[nm[2]!]!;
    if (nm[1] === 'LAST_N') return period(unit, today, -k, 0);
    if (nm[1] === 'NEXT_N') return period(unit, today, 1, 1 + k);
    if (nm[3]) return period(unit, today, -k, -k + 1);
  }
  return null;
}
