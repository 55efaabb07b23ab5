// Waiting for shared work under one caller's AbortSignal.

/**
 * Settles with `work`, or rejects with `reason()` as soon as `signal` aborts. The work itself goes on:
 * it is shared (a single-flight token fetch, a batched backend read) and other callers still wait for
 * it, so only this caller stops waiting.
 */
export function settleUnlessAborted<T>(work: Promise<T>, signal: AbortSignal, reason: () => unknown): Promise<T> {
  // The shared work may fail after every waiter has given up (or before one subscribed, when the
  // signal was already aborted): its rejection must never go unhandled, which on Node ends the process.
  work.catch(() => {});
  if (signal.aborted) return Promise.reject(reason());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(reason());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
