// The one entry point that drops cached entries, over every cache of the process: the quote-to-order
// mutations call it after a write, ERP events when the ERP reports a change. Keys are the cache's own
// keys (customer number for erp.customer and the erp.*ByCustomer lists, order number for erp.order
// and erp.shipmentsByOrder, Salesforce 18-character ids for sf.*, ERP number for
// sf.accountByErpNumber). A kind no cache of this process holds is not an error: the process simply
// does not cache it (the other subgraph may).
import type { CacheKind } from './options.js';

export interface Invalidatable {
  readonly kind: CacheKind;
  invalidate(keys: readonly string[]): void;
  clear(): void;
}

export interface InvalidationHub {
  register(cache: Invalidatable): void;
  invalidate(kind: CacheKind, keys: readonly string[]): void;
  /** Drops every entry of one kind, or of all kinds. */
  clear(kind?: CacheKind): void;
}

export function createInvalidationHub(): InvalidationHub {
  const byKind = new Map<CacheKind, Set<Invalidatable>>();
  return {
    register(cache) {
      const caches = byKind.get(cache.kind) ?? new Set<Invalidatable>();
      caches.add(cache);
      byKind.set(cache.kind, caches);
    },
    invalidate(kind, keys) {
      byKind.get(kind)?.forEach((cache) => cache.invalidate(keys));
    },
    clear(kind) {
      const kinds = kind ? [kind] : [...byKind.keys()];
      kinds.forEach((k) => byKind.get(k)?.forEach((cache) => cache.clear()));
    },
  };
}
