// Call recording for the fake connectors: every call with its method, keys and correlation id, plus
// per-method failure injection, so tests can assert "exactly one backend call per entity kind".
import type { CallContext } from '../../../lib/call-context.js';

export interface RecordedCall {
  method: string;
  /** The keys of a batch read, or the arguments of other calls. */
  input: unknown;
  correlationId: string;
}

export class CallRecorder<M extends string> {
  readonly calls: RecordedCall[] = [];
  private readonly failures = new Map<M, Error>();

  /** Makes every later call of `method` throw `error`. */
  fail(method: M, error: Error): void {
    this.failures.set(method, error);
  }

  reset(): void {
    this.calls.length = 0;
    this.failures.clear();
  }

  callsOf(method: M): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Method name → number of calls. */
  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const call of this.calls) counts[call.method] = (counts[call.method] ?? 0) + 1;
    return counts;
  }

  async record<T>(method: M, input: unknown, ctx: CallContext, result: () => T): Promise<T> {
    this.calls.push({ method, input, correlationId: ctx.correlationId });
    const failure = this.failures.get(method);
    if (failure) throw failure;
    return result();
  }
}

export function pick<V>(keys: readonly string[], lookup: (key: string) => V | undefined): Map<string, V> {
  const found = new Map<string, V>();
  for (const key of keys) {
    const value = lookup(key);
    if (value !== undefined) found.set(key, value);
  }
  return found;
}

export function groupBy<V>(
  keys: readonly string[],
  records: readonly V[],
  keyOf: (record: V) => string | null,
): Map<string, V[]> {
  const grouped = new Map<string, V[]>();
  for (const key of keys)
    grouped.set(
      key,
      records.filter((record) => keyOf(record) === key),
    );
  return grouped;
}
