// Every date in the dataset is an offset in days from the configured "today", so a dataset
// generated with the same options is identical whenever it is generated, and an invoice generated
// as overdue stays overdue relative to that day. Formatting is cached per offset: the generator
// asks for the same few hundred days hundreds of thousands of times.

import { SeedError } from './errors.js';

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string' || !ISO_DATE.test(s)) return false;
  const ms = Date.parse(`${s}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === s;
}

export function currentUtcDate(): string {
  return new Date().toISOString().slice(0, 10);
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export class Calendar {
  private readonly todayMs: number;
  // Indexed by -offset and offset: array lookups, measurably cheaper than a Map at this call rate.
  private readonly past: (string | undefined)[] = [];
  private readonly future: (string | undefined)[] = [];
  private readonly times: (string | undefined)[] = [];

  constructor(readonly today: string) {
    if (!isIsoDate(today)) {
      throw new SeedError('INVALID_SEED_OPTIONS', `today must be a date 'YYYY-MM-DD', got ${JSON.stringify(today)}`);
    }
    this.todayMs = Date.parse(`${today}T00:00:00Z`);
  }

  /** 'YYYY-MM-DD' of today + offset days (negative = past). */
  day(offset: number): string {
    const cache = offset < 0 ? this.past : this.future;
    const index = offset < 0 ? -offset : offset;
    let s = cache[index];
    if (s === undefined) {
      s = new Date(this.todayMs + offset * DAY_MS).toISOString().slice(0, 10);
      cache[index] = s;
    }
    return s;
  }

  /**
   * ISO 8601 UTC date-time of today + offset days at secondOfDay (0..86399). Both halves are cached
   * strings, so each of the ~600,000 timestamps of a large dataset costs one small string node.
   */
  dateTime(offset: number, secondOfDay: number): string {
    let time = this.times[secondOfDay];
    if (time === undefined) {
      const h = Math.floor(secondOfDay / 3600);
      const m = Math.floor((secondOfDay % 3600) / 60);
      time = `T${two(h)}:${two(m)}:${two(secondOfDay % 60)}.000Z`;
      this.times[secondOfDay] = time;
    }
    return this.day(offset) + time;
  }

  /** Calendar year of today + offset days. */
  year(offset: number): number {
    return Number(this.day(offset).slice(0, 4));
  }
}
