// The time source of the caches: wall-clock milliseconds since the epoch (an entry's `asOf` is shown
// to clients). Injected so tests move time by hand instead of sleeping. lru-cache takes the same
// shape as its `perf` option; note that lru-cache treats a start time of 0 as "no TTL", so a test
// clock must not start at 0.
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
