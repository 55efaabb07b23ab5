// The cache behind Apollo Server's persisted queries (its `persistedQueries.cache`): Apollo Server
// already speaks Apollo's APQ protocol (a hash alone → PERSISTED_QUERY_NOT_FOUND when unknown; hash
// and query → the hash is checked against the query's sha256, then stored), and asks this cache.
// It answers the manifest's hashes first, so a first-party client sends only a hash and never
// needs to register, and a registration can never replace a manifest document. Other hashes are
// clients' own registrations, kept in a bounded LRU in this process (each replica learns them on
// its own; a client re-registers on PERSISTED_QUERY_NOT_FOUND, as the protocol expects).
import type { PersistedQueryOptions } from '@apollo/server';
import { LRUCache } from 'lru-cache';
import { normalizeHash, type PersistedManifest } from './manifest.js';

export type OperationCache = NonNullable<PersistedQueryOptions['cache']>;

export interface OperationCacheOptions {
  /** Keep clients' registrations (APQ); when false only the manifest answers. */
  readonly apq: boolean;
  /** At most this many registrations. */
  readonly maxEntries: number;
}

/**
 * Registrations also share a byte budget: the parser's token limit does not bound a document's
 * length (comments and long strings are not many tokens), the request body limit (1 MB) does.
 */
const APQ_MAX_BYTES = 16 * 1024 * 1024;

export function operationCache(manifest: PersistedManifest, options: OperationCacheOptions): OperationCache {
  const registered = options.apq
    ? new LRUCache<string, string>({
        max: options.maxEntries,
        maxSize: APQ_MAX_BYTES,
        sizeCalculation: (query) => Math.max(1, query.length),
      })
    : null;
  return {
    async get(key) {
      const hash = hashOf(key);
      if (hash === null) return undefined;
      return manifest.documentFor(hash) ?? registered?.get(hash);
    },
    async set(key, query) {
      const hash = hashOf(key);
      if (hash === null || manifest.has(hash)) return;
      registered?.set(hash, query);
    },
    async delete(key) {
      const hash = hashOf(key);
      return hash !== null && registered !== null && registered.delete(hash);
    },
  };
}

/**
 * Apollo Server prefixes the keys of its APQ cache (`apq:<hash>`, PrefixingKeyValueCache); the hash
 * is what follows the prefix, in either spelling normalizeHash accepts.
 */
function hashOf(key: string): string | null {
  return normalizeHash(key.replace(/^apq:/, ''));
}
