// Partner row scoping (issue 5, item 3), shared by both subgraphs: a partner sees a row only when
// its ERP customer number is in the partner's scope (identity.partner.customers, from the verified
// identity the gateway forwards); every other role sees every row. Out of scope is "as if it did not
// exist": the record becomes null, a list loses it, a key outside the scope is never even looked up.
// Never an error that would tell a foreign row from a missing one.
//
// Two places apply it, so that no query path is left out:
// - the per-request DataLoaders (scopeRecords / scopeLists / customerKeys below): every lookup by key
//   and every entity reference goes through them, whatever the path that reached it;
// - list reads that are not lookups by key (Query.accounts, the ERP row queries) push the scope into
//   the backend query (customerScopeOf), so paging and totalCount count only visible rows.
//
// For every role but partner these helpers return what they were given (the same function, the same
// array): scoping costs other roles no backend call and no copy. For partners the filtering wraps
// the batch read, so loads stay batched (one backend call per entity kind per query level).
import { canSeeCustomer, type Identity } from '../../lib/identity.js';
import type { ServedResult } from '../../shield/index.js';
import { isErpKey } from './erp-keys.js';

export { canSeeCustomer };

/**
 * Which customers' rows a request may see. `customers` is sorted and free of duplicates; it may be
 * empty, and then the answer is "no rows" without asking any backend.
 */
export type CustomerScope =
  { readonly kind: 'all' } | { readonly kind: 'customers'; readonly customers: readonly string[] };

const ALL: CustomerScope = { kind: 'all' };

/** The scope to push into a backend query (a `customerNumber IN (...)` condition), or 'all'. */
export function customerScopeOf(identity: Identity): CustomerScope {
  if (identity.partner === null) return ALL;
  return { kind: 'customers', customers: [...identity.partner.customers].sort() };
}

/** True when the scope can match no row at all: answer empty without a backend call. */
export function isEmptyScope(scope: CustomerScope): boolean {
  return scope.kind === 'customers' && scope.customers.length === 0;
}

/** The record when the caller may see its customer's rows, else null. */
export function visibleOrNull<T>(
  identity: Identity,
  record: T | null | undefined,
  customerOf: (record: T) => string | null,
): T | null {
  if (record === null || record === undefined) return null;
  return canSeeCustomer(identity, customerOf(record)) ? record : null;
}

/** The records the caller may see, in their order (the very same array for non-partners). */
export function visibleOnly<T>(
  identity: Identity,
  records: readonly T[],
  customerOf: (record: T) => string | null,
): readonly T[] {
  if (identity.partner === null) return records;
  return records.filter((record) => canSeeCustomer(identity, customerOf(record)));
}

/** A `served` batch read bound to the request (see shared/loaders.ts): results aligned with keys. */
export type ServedBatchRead<V> = (keys: readonly string[]) => Promise<ServedResult<V>[]>;

/**
 * A record loader's read with out-of-scope records turned into "none". A backend error stays an
 * error: it says the backend failed, not whether the row exists.
 */
export function scopeRecords<V>(
  identity: Identity,
  read: ServedBatchRead<V>,
  customerOf: (record: V) => string | null,
): ServedBatchRead<V> {
  if (identity.partner === null) return read;
  return async (keys) =>
    (await read(keys)).map((result) =>
      result === null || result instanceof Error || canSeeCustomer(identity, customerOf(result.value)) ? result : null,
    );
}

/** A list loader's read with the out-of-scope records left out of each list. */
export function scopeLists<V>(
  identity: Identity,
  read: ServedBatchRead<V[]>,
  customerOf: (record: V) => string | null,
): ServedBatchRead<V[]> {
  if (identity.partner === null) return read;
  return async (keys) =>
    (await read(keys)).map((result) =>
      result === null || result instanceof Error
        ? result
        : { ...result, value: result.value.filter((record) => canSeeCustomer(identity, customerOf(record))) },
    );
}

/**
 * The `accepts` of a loader keyed by ERP customer number (shared/loaders.ts): a well-formed key the
 * caller may see. Keys outside a partner's scope resolve as "none" without a backend call.
 */
export function customerKeys(identity: Identity): (key: string) => boolean {
  if (identity.partner === null) return isErpKey;
  return (key) => isErpKey(key) && canSeeCustomer(identity, key);
}
