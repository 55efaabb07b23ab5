// Persisted operations' public surface: what server.ts wires (the manifest loaded at start, the
// cache Apollo Server's `persistedQueries` uses, the policy plugin), and the pieces tests use.
import type { ApolloServerPlugin, PersistedQueryOptions } from '@apollo/server';
import type { PersistedOperationsConfig } from '../config.js';
import type { GatewayContext } from '../context.js';
import { loadManifest, type PersistedManifest } from './manifest.js';
import { operationCache } from './operation-cache.js';
import { persistedOperationsPlugin } from './plugin.js';

export { canonicalDocument } from './canonical.js';
export {
  loadManifest,
  manifestFromEntries,
  normalizeHash,
  sha256Hex,
  PersistedOperationsError,
  type PersistedManifest,
} from './manifest.js';
export { operationCache, type OperationCache, type OperationCacheOptions } from './operation-cache.js';
export { persistedOperationsPlugin, type PersistedOperationsPolicy } from './plugin.js';
export { persistedQueryExtensionCheck } from './extension-check.js';

export interface PersistedOperations {
  readonly manifest: PersistedManifest;
  /** Apollo Server's `persistedQueries` option. */
  readonly persistedQueries: PersistedQueryOptions;
  readonly plugin: ApolloServerPlugin<GatewayContext>;
}

/** Reads the manifest (throws PersistedOperationsError when it is unusable) and builds the cache and plugin on it. */
export function persistedOperations(config: PersistedOperationsConfig): PersistedOperations {
  const manifest = loadManifest(config.manifestPath);
  return {
    manifest,
    // No TTL: the manifest never expires and registrations leave by LRU.
    persistedQueries: {
      cache: operationCache(manifest, { apq: config.apq, maxEntries: config.apqMaxEntries }),
      ttl: null,
    },
    plugin: persistedOperationsPlugin({ manifest, requiredRoles: config.requiredRoles }),
  };
}
