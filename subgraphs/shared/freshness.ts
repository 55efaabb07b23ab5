// How old the data behind a GraphQL object is (issue 3, "degraded answers"): the backend-backed types
// carry `asOf` and `stale` (schema/erp.graphql, schema/salesforce.graphql). The shield serves each
// record with its age; the per-request loaders note that age here, against the record object itself,
// and the types' `asOf` / `stale` resolvers read it back. Kept beside the records rather than wrapped
// around them, so resolvers keep the port's record types as parents and a record obtained any other
// way (a write's answer, an uncached list read) needs no special case: it was read during this
// request, so it is fresh as of the request.
import type { Served } from '../../shield/index.js';

export interface Freshness {
  /** When the data was read from the backend. */
  readonly asOf: Date;
  /** True when older than its cache TTL (served while refreshing, or because the backend is down). */
  readonly stale: boolean;
}

/** One request's freshness notes. Weakly keyed: cached records are shared across requests. */
export class FreshnessLedger {
  readonly #byRecord = new WeakMap<object, Freshness>();
  readonly #requestedAt: Freshness;

  constructor(requestedAt: Date) {
    this.#requestedAt = { asOf: requestedAt, stale: false };
  }

  /** Notes a served value: the record itself, or each record of a served list. */
  note(served: Served<unknown>): void {
    const freshness = { asOf: served.asOf, stale: served.stale };
    const records = Array.isArray(served.value) ? served.value : [served.value];
    for (const record of records) {
      if (typeof record === 'object' && record !== null) this.#byRecord.set(record, freshness);
    }
  }

  of(record: object): Freshness {
    return this.#byRecord.get(record) ?? this.#requestedAt;
  }
}

/**
 * `asOf` and `stale` for a type whose parent is a backend record: spread into its resolvers.
 * DateTime is an ISO 8601 string in UTC (codegen.yml maps the scalar to string).
 */
export const freshnessResolvers = {
  asOf: (record: object, _args: unknown, { freshness }: { freshness: FreshnessLedger }): string =>
    freshness.of(record).asOf.toISOString(),
  stale: (record: object, _args: unknown, { freshness }: { freshness: FreshnessLedger }): boolean =>
    freshness.of(record).stale,
};
