// Runs compiled SOQL against the store. When the WHERE clause is a plain AND whose conjuncts include
// `indexedField = v` or `indexedField IN (...)` (Id, reference fields, external ids), candidates
// come from the index with the fewest matches and only those are tested; anything else scans the
// object. query excludes soft-deleted rows, queryAll keeps them (REST API: queryAll "includes
// deleted records").
import type { Query } from '@jetstreamapp/soql-parser-js';
import { malformedQuery } from '../errors.js';
import type { SalesforceStore } from '../store.js';
import type { SfRecord } from '../store-types.js';
import { aggregateRows } from './aggregate.js';
import { type Comparable, comparable, compareComparable } from './compare.js';
import type { CompiledCondition } from './conditions.js';
import { DAY_MS } from './date-literals.js';
import { parseSoql } from './parse.js';
import { type FieldPath, readPath } from './paths.js';
import { type OrderItem, type PlanContext, type QueryPlan, type SelectItem, planQuery } from './plan.js';
import type { BoolExpr } from './where.js';

export type QueryOutcome =
  | { readonly kind: 'records'; readonly plan: QueryPlan; readonly records: readonly SfRecord[] }
  | { readonly kind: 'count'; readonly plan: QueryPlan; readonly count: number }
  | { readonly kind: 'aggregate'; readonly plan: QueryPlan; readonly rows: readonly Record<string, unknown>[] };

type ChildItem = Extract<SelectItem, { kind: 'child' }>;

function conjuncts(tree: BoolExpr<CompiledCondition>): CompiledCondition[] {
  if (tree.kind === 'leaf') return [tree.leaf];
  if (tree.kind === 'and') return tree.items.flatMap((item) => (item.kind === 'leaf' ? [item.leaf] : []));
  return [];
}

export class SoqlEngine {
  constructor(
    private readonly store: SalesforceStore,
    private readonly now: () => Date,
  ) {}

  /** Parses, checks and runs a query (MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE on bad input). */
  run(soql: string, includeDeleted: boolean): QueryOutcome {
    const plan = planQuery(parseSoql(soql), this.planContext(includeDeleted));
    return this.execute(plan, includeDeleted);
  }

  /** The value at `path` of `record`, as stored. */
  read(path: FieldPath, record: SfRecord, includeDeleted: boolean): unknown {
    return path.hops.length === 0
      ? (record[path.field.name] ?? null)
      : readPath(path, record, this.store, includeDeleted);
  }

  /** The rows of a child subquery under one parent record. */
  childRecords(item: ChildItem, parent: SfRecord, includeDeleted: boolean): SfRecord[] {
    const children = this.store.lookup(item.relationship.childSObject, item.relationship.field, parent.Id);
    return this.window(item.plan, this.filterAndSort(item.plan, children, includeDeleted));
  }

  private planContext(includeDeleted: boolean): PlanContext {
    return {
      schema: this.store.schema,
      today: Math.floor(this.now().getTime() / DAY_MS),
      semiJoin: (query) => this.semiJoin(query, includeDeleted),
    };
  }

  private semiJoin(query: Query, includeDeleted: boolean): Set<Comparable> {
    const plan = planQuery(query, this.planContext(includeDeleted));
    const only = plan.select[0];
    if (plan.select.length !== 1 || only?.kind !== 'field' || plan.aggregate || plan.countOnly) {
      throw malformedQuery('a semi-join subquery must select exactly one id field');
    }
    const values = new Set<Comparable>();
    for (const record of this.window(plan, this.filterAndSort(plan, this.candidates(plan), includeDeleted))) {
      const v = comparable('id', this.read(only.path, record, includeDeleted));
      if (v !== null) values.add(v);
    }
    return values;
  }

  private execute(plan: QueryPlan, includeDeleted: boolean): QueryOutcome {
    const matched = this.filterAndSort(plan, this.candidates(plan), includeDeleted);
    if (plan.aggregate) {
      const rows = aggregateRows(plan.aggregate, matched, (path, record) => this.read(path, record, includeDeleted));
      const ordered = this.sort(plan.orderBy, rows, (o, row) => row[o.path.field.name]);
      return { kind: 'aggregate', plan, rows: this.window(plan, ordered) };
    }
    const records = this.window(plan, matched);
    return plan.countOnly ? { kind: 'count', plan, count: records.length } : { kind: 'records', plan, records };
  }

  /** Index-driven candidates when the WHERE clause allows, else every record of the object. */
  private candidates(plan: QueryPlan): Iterable<SfRecord> {
    const objectName = plan.object.name;
    let best: SfRecord[] | null = null;
    for (const cond of plan.where ? conjuncts(plan.where) : []) {
      if (!cond.lookupValues || cond.path.hops.length > 0) continue;
      if (!this.store.isIndexed(objectName, cond.path.field.name)) continue;
      const found = this.lookupAll(objectName, cond.path.field.name, cond.lookupValues);
      if (!best || found.length < best.length) best = found;
    }
    return best ?? this.store.records(objectName);
  }

  private lookupAll(objectName: string, fieldName: string, values: readonly Comparable[]): SfRecord[] {
    if (values.length === 1) return this.store.lookup(objectName, fieldName, values[0]);
    const byId = new Map<string, SfRecord>();
    for (const value of values) for (const r of this.store.lookup(objectName, fieldName, value)) byId.set(r.Id, r);
    // Id order is the order of a scan (ids ascend as records are created).
    return [...byId.values()].sort((a, b) => (a.Id < b.Id ? -1 : 1));
  }

  private filterAndSort(plan: QueryPlan, candidates: Iterable<SfRecord>, includeDeleted: boolean): SfRecord[] {
    const matched: SfRecord[] = [];
    for (const record of candidates) {
      if (record.IsDeleted && !includeDeleted) continue;
      if (plan.where && !this.test(plan.where, record, includeDeleted)) continue;
      matched.push(record);
    }
    if (plan.orderBy.length === 0 || plan.aggregate) return matched;
    return this.sort(plan.orderBy, matched, (o, record) => this.read(o.path, record, includeDeleted));
  }

  private test(tree: BoolExpr<CompiledCondition>, record: SfRecord, includeDeleted: boolean): boolean {
    switch (tree.kind) {
      case 'leaf':
        return tree.leaf.test(this.read(tree.leaf.path, record, includeDeleted));
      case 'not':
        return !this.test(tree.item, record, includeDeleted);
      case 'and':
        return tree.items.every((item) => this.test(item, record, includeDeleted));
      case 'or':
        return tree.items.some((item) => this.test(item, record, includeDeleted));
    }
  }

  private sort<T>(orderBy: readonly OrderItem[], items: T[], read: (o: OrderItem, item: T) => unknown): T[] {
    // Decorate once: reading parent paths and parsing dates per comparison would dominate.
    const decorated = items.map((item) => ({ item, keys: orderBy.map((o) => comparable(o.category, read(o, item))) }));
    decorated.sort((a, b) => {
      for (let i = 0; i < orderBy.length; i++) {
        const o = orderBy[i]!;
        const x = a.keys[i]!;
        const y = b.keys[i]!;
        if (x === null || y === null) {
          if (x === y) continue;
          return (x === null) === o.nullsLast ? 1 : -1;
        }
        const c = compareComparable(x, y);
        if (c !== 0) return o.descending ? -c : c;
      }
      return 0;
    });
    return decorated.map((d) => d.item);
  }

  private window<T>(plan: QueryPlan, rows: T[]): T[] {
    const end = plan.limit === null ? undefined : plan.offset + plan.limit;
    return plan.offset === 0 && end === undefined ? rows : rows.slice(plan.offset, end);
  }
}
