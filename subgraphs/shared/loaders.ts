// DataLoader factories shared by both subgraphs. @apollo/subgraph calls __resolveReference once per
// representation, and field resolvers run once per parent: a per-request DataLoader collects the keys
// of one tick and makes one `served` read of the shield for them (DESIGN.md "ERP shielding": one
// backend call per entity kind per query level, and only for keys the process-wide cache cannot
// answer). Created per request in context.ts, so the loader's own memo never outlives the request
// and never leaks data between callers.
//
// Each key settles on its own: a value (its age noted in the request's FreshnessLedger), "none", or
// the BackendError that kept it from being read. DataLoader rejects just that key's load with it, so
// an outage nulls only the fields that needed the key, each with ERP_UNAVAILABLE /
// SALESFORCE_UNAVAILABLE (subgraphs/shared/errors.ts), while keys served from the cache resolve.
// Values come from the process-wide cache and are shared by every request: resolvers derive new
// objects from them (toSorted, map), never mutate them.
import DataLoader from 'dataloader';
import type { ServedResult } from '../../shield/index.js';
import type { FreshnessLedger } from './freshness.js';

/**
 * Keys per backend call: Salesforce's collections calls take at most 200 records
 * (reference/salesforce-rest-and-jsforce.md), and the same bound keeps a SOQL `IN (...)` list or an
 * ERP OData `$filter` of `or`-ed keys to a URL length every server accepts.
 */
export const MAX_BATCH_SIZE = 200;

/** A shield `served` read bound to the request's CallContext: results aligned with `keys`. */
type ServedBatchRead<V> = (keys: readonly string[]) => Promise<ServedResult<V>[]>;

interface LoaderOptions {
  /**
   * Keys that can exist in the backend. Others resolve as "none" without a backend call: keys that
   * arrive in entity representations are input too, and never reach a query unchecked.
   */
  accepts?: (key: string) => boolean;
}

/** One record per key; null when the backend has none. */
export function recordLoader<V>(
  read: ServedBatchRead<V>,
  freshness: FreshnessLedger,
  options: LoaderOptions = {},
): DataLoader<string, V | null> {
  return new DataLoader<string, V | null>(batch(read, freshness, null, options), { maxBatchSize: MAX_BATCH_SIZE });
}

/** A list per key (children of a parent); [] when the backend has none. */
export function listLoader<V>(
  read: ServedBatchRead<V[]>,
  freshness: FreshnessLedger,
  options: LoaderOptions = {},
): DataLoader<string, V[]> {
  return new DataLoader<string, V[]>(batch(read, freshness, [], options), { maxBatchSize: MAX_BATCH_SIZE });
}

function batch<V, N extends V | null>(
  read: ServedBatchRead<V>,
  freshness: FreshnessLedger,
  none: N,
  { accepts }: LoaderOptions,
) {
  return async (keys: readonly string[]): Promise<Array<V | N | Error>> => {
    const wanted = accepts === undefined ? keys : keys.filter(accepts);
    const results = wanted.length === 0 ? [] : await read(wanted);
    const byKey = new Map(wanted.map((key, i) => [key, results[i]] as const));
    return keys.map((key) => {
      const result = byKey.get(key);
      if (result === undefined || result === null) return none;
      if (result instanceof Error) return result;
      freshness.note(result);
      return result.value;
    });
  };
}
