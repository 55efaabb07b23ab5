// ERP row queries behind the shield: every query through the ERP's resilience policy (bulkhead,
// deadline, retries of idempotent reads, circuit breaker), and a small short-TTL cache of whole pages
// keyed by the canonical query (lru-cache, bounded), so a warm repeat never reaches the ERP and
// identical queries in flight at once share one ERP call. Pages are never served past their TTL
// (a page cannot be refreshed or invalidated record by record), and every write of the process
// clears them all (clear()).
import { LRUCache } from 'lru-cache';
import { settleUnlessAborted } from '../lib/abort.js';
import { BackendError } from '../lib/backend-error.js';
import type { CallContext } from '../lib/call-context.js';
import {
  ErpRowQueryError,
  MAX_ROW_PAGE,
  type ErpPort,
  type RowPage,
  type RowQuery,
  type RowSet,
} from '../connectors/erp/port.js';
import type { Clock } from './clock.js';
import type { Served } from './keyed-cache.js';
import type { ShieldMetrics } from './metrics.js';
import type { ShieldOptions } from './options.js';
import type { ResiliencePolicy } from './resilience.js';

export const ROW_CACHE_KIND = 'erp.rows';

export interface RowQueryCache {
  /** The page with its age (asOf: when the ERP answered; never stale). */
  query<S extends RowSet>(set: S, query: RowQuery, ctx: CallContext): Promise<Served<RowPage<S>>>;
  /** Drops every cached page (after a write). */
  clear(): void;
}

interface Entry {
  readonly page: RowPage<RowSet>;
  readonly fetchedAt: number;
}

/** JSON with object keys sorted, so equal queries have equal keys whatever their property order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function createRowQueryCache(deps: {
  port: ErpPort;
  policy: ResiliencePolicy;
  metrics: ShieldMetrics;
  clock: Clock;
  options: ShieldOptions;
}): RowQueryCache {
  const { port, policy, metrics, clock, options } = deps;
  const { ttlMs, maxEntries } = options.rowQueries;
  const pages = new LRUCache<string, Entry>({ max: maxEntries });
  const inFlight = new Map<string, Promise<Entry>>();
  metrics.watchCache(ROW_CACHE_KIND, () => pages.size);

  const fetchPage = (set: RowSet, query: RowQuery, ctx: CallContext): Promise<Entry> => {
    const read = port.queryRows;
    if (!read) throw new ErpRowQueryError('unsupported', `the '${port.adapter}' ERP adapter serves no row queries`);
    return policy.read(`queryRows:${set}`, ctx, async (c) => ({
      page: await read.call(port, set, query, c),
      fetchedAt: clock.now(),
    }));
  };
  const served = <S extends RowSet>(entry: Entry): Served<RowPage<S>> => ({
    value: entry.page as RowPage<S>,
    asOf: new Date(entry.fetchedAt),
    stale: false,
  });

  return {
    async query(set, query, ctx) {
      if (query.top > MAX_ROW_PAGE)
        throw new ErpRowQueryError('invalid', `${set}: at most ${MAX_ROW_PAGE} rows per page`, 'page');
      if (!options.cacheEnabled) return served(await fetchPage(set, query, ctx));
      const key = canonicalJson({ set, query });
      const cached = pages.get(key);
      if (cached && clock.now() - cached.fetchedAt <= ttlMs) {
        metrics.recordCacheRequest(ROW_CACHE_KIND, 'hit');
        return served(cached);
      }
      metrics.recordCacheRequest(ROW_CACHE_KIND, 'miss');
      let shared = inFlight.get(key);
      if (!shared) {
        // Shared by every caller of the same query meanwhile: it runs without any one caller's
        // signal (under the policy's own deadline), and each caller may stop waiting on its own.
        shared = fetchPage(set, query, { correlationId: ctx.correlationId }).then((entry) => {
          pages.set(key, entry);
          return entry;
        });
        const registered = shared;
        inFlight.set(key, registered);
        void registered.then(
          () => inFlight.delete(key),
          () => inFlight.delete(key),
        );
      }
      const entry = ctx.signal
        ? await settleUnlessAborted(
            shared,
            ctx.signal,
            () => new BackendError('erp', 'timeout', `erp queryRows:${set}: the caller abandoned the call`),
          )
        : await shared;
      return served(entry);
    },
    clear() {
      pages.clear();
    },
  };
}
