// DataLoader factories shared by both subgraphs. @apollo/subgraph calls __resolveReference once per
// representation, and field resolvers run once per parent: a per-request DataLoader collects the keys
// of one tick and calls the connector's batch method once (DESIGN.md "ERP shielding": one backend call
// per entity kind per query level). Created per request in context.ts, so the cache never outlives
// the request and never leaks data between callers.
import DataLoader from 'dataloader';

/**
 * Keys per backend call: Salesforce's collections calls take at most 200 records
 * (reference/salesforce-rest-and-jsforce.md), and the same bound keeps a SOQL `IN (...)` list or an
 * ERP OData `$filter` of `or`-ed keys to a URL length every server accepts.
 */
export const MAX_BATCH_SIZE = 200;

type BatchRead<V> = (keys: readonly string[]) => Promise<Map<string, V>>;

interface LoaderOptions {
  /**
   * Keys that can exist in the backend. Others resolve as "none" without a backend call: keys that
   * arrive in entity representations are input too, and never reach a query unchecked.
   */
  accepts?: (key: string) => boolean;
}

/** One record per key; null when the backend has none. */
export function recordLoader<V>(read: BatchRead<V>, options: LoaderOptions = {}): DataLoader<string, V | null> {
  return new DataLoader<string, V | null>(batch(read, null, options), { maxBatchSize: MAX_BATCH_SIZE });
}

/** A list per key (children of a parent); [] when the backend has none. */
export function listLoader<V>(read: BatchRead<V[]>, options: LoaderOptions = {}): DataLoader<string, V[]> {
  return new DataLoader<string, V[]>(batch(read, [], options), { maxBatchSize: MAX_BATCH_SIZE });
}

function batch<V, N extends V | null>(read: BatchRead<V>, none: N, { accepts }: LoaderOptions) {
  return async (keys: readonly string[]): Promise<Array<V | N>> => {
    const wanted = accepts === undefined ? keys : keys.filter(accepts);
    const found = wanted.length === 0 ? new Map<string, V>() : await read(wanted);
    return keys.map((key) => found.get(key) ?? none);
  };
}
