// CreatedDate / LastModifiedDate pairs. Every seeded timestamp falls before "today" 00:00 UTC, so
// anything an emulator creates or changes at runtime is strictly newer than the seed (polling by
// LastModifiedDate/lastModifiedDateTime sees only real changes).

import type { Calendar } from './calendar.js';
import type { SeededRandom } from './random.js';

const BUSINESS_DAY_START = 7 * 3600;
const BUSINESS_DAY_END = 19 * 3600;

export interface RecordStamps {
  CreatedDate: string;
  LastModifiedDate: string;
}

/** A time of day within business hours, in seconds. */
export function businessSecond(rng: SeededRandom): number {
  return rng.int(BUSINESS_DAY_START, BUSINESS_DAY_END);
}

/** Created on day createdOffset (clamped to yesterday at the latest), last modified between then and yesterday. */
export function recordStamps(rng: SeededRandom, calendar: Calendar, createdOffset: number): RecordStamps {
  const created = Math.min(createdOffset, -1);
  const createdSecond = businessSecond(rng);
  const modified = rng.int(created, -1);
  let modifiedSecond = businessSecond(rng);
  if (modified === created && modifiedSecond < createdSecond) modifiedSecond = createdSecond;
  return {
    CreatedDate: calendar.dateTime(created, createdSecond),
    LastModifiedDate: calendar.dateTime(modified, modifiedSecond),
  };
}
