// One entity set's rows in primary-key (insertion) order, with equality indexes. Each row gets an
// ordinal that is never reused, which is what paging tokens and index buckets are ordered by.
// Rows are treated as immutable (updates replace them), so a table can be built straight over a
// dataset's arrays of records without copying them. Every insert, update and remove after the
// table is built is reported to its change listener (webhook notifications): one place that no
// write can go around. `silent` is for values Business Central computes rather than stores
// (FlowFields such as a customer's balance): their change modifies no record, so notifies no one.
import type { PropertyType } from './entity-sets.js';
import type { RowSource } from './odata/collection-query.js';

type Keyed = { readonly id: string };

export type RowChangeKind = 'created' | 'updated' | 'deleted';
export type RowChangeListener<T> = (kind: RowChangeKind, row: T) => void;

export interface WriteOptions {
  /** Not a change of the record (a computed value moved): no change listener hears of it. */
  readonly silent?: boolean;
}

export class Table<T extends Keyed> implements RowSource<T> {
  private readonly rows: T[] = [];
  private readonly ordinals = new Map<T, number>();
  private readonly indexes = new Map<string, Map<string, T[]>>();
  private nextOrdinal = 1;
  private listener: RowChangeListener<T> | null = null;
  readonly indexed: ReadonlySet<string>;

  constructor(
    indexed: readonly string[],
    private readonly types: Readonly<Record<string, PropertyType>>,
    rows: Iterable<T>,
  ) {
    this.indexed = new Set(indexed);
    for (const property of indexed) this.indexes.set(property, new Map());
    for (const row of rows) this.insert(row);
  }

  all(): readonly T[] {
    return this.rows;
  }

  ordinal(row: T): number {
    const ordinal = this.ordinals.get(row);
    if (ordinal === undefined) throw new Error('row is not in this table');
    return ordinal;
  }

  /** GUIDs are matched case-insensitively, everything else exactly (see odata/evaluate.ts). */
  private indexKey(property: string, value: unknown): string | null {
    if (value === null || value === undefined) return null;
    return this.types[property] === 'guid' ? String(value).toLowerCase() : String(value);
  }

  lookup(property: string, values: readonly string[]): readonly T[] {
    const index = this.indexes.get(property);
    if (!index) throw new Error(`no index on ${property}`);
    const keys = [...new Set(values.map((value) => this.indexKey(property, value)))];
    if (keys.length === 1) return index.get(keys[0]!) ?? [];
    const found: T[] = [];
    for (const key of keys) if (key !== null) found.push(...(index.get(key) ?? []));
    return found.sort((a, b) => this.ordinal(a) - this.ordinal(b));
  }

  /** The listener of every later insert, update and remove (one per table). */
  onChange(listener: RowChangeListener<T>): void {
    this.listener = listener;
  }

  get(id: string): T | undefined {
    return this.lookup('id', [id])[0];
  }

  findBy(property: string, value: string): T | undefined {
    return this.lookup(property, [value])[0];
  }

  insert(row: T, options: WriteOptions = {}): void {
    const ordinal = this.nextOrdinal;
    this.nextOrdinal += 1;
    this.ordinals.set(row, ordinal);
    this.rows.push(row);
    for (const [property, index] of this.indexes) {
      const key = this.indexKey(property, (row as Record<string, unknown>)[property]);
      if (key === null) continue;
      const bucket = index.get(key);
      if (bucket) bucket.push(row);
      else index.set(key, [row]);
    }
    if (!options.silent) this.listener?.('created', row);
  }

  /**
   * Replaces `row` by a copy with `changes` applied (same ordinal, same position), re-indexing it.
   * Copy-on-write: rows are never mutated, so the dataset the table was built from stays intact
   * and cached ETags (keyed by object) never go stale.
   */
  update(row: T, changes: Partial<T>, options: WriteOptions = {}): T {
    const ordinal = this.ordinal(row);
    const next = { ...row, ...changes } as T;
    this.rows[this.position(this.rows, ordinal)] = next;
    this.ordinals.delete(row);
    this.ordinals.set(next, ordinal);
    for (const [property, index] of this.indexes) {
      this.unindex(index, this.indexKey(property, (row as Record<string, unknown>)[property]), row);
      const key = this.indexKey(property, (next as Record<string, unknown>)[property]);
      if (key !== null) this.insertSorted(index, key, next);
    }
    if (!options.silent) this.listener?.('updated', next);
    return next;
  }

  remove(row: T, options: WriteOptions = {}): void {
    const ordinal = this.ordinal(row);
    const position = this.position(this.rows, ordinal);
    this.rows.splice(position, 1);
    for (const [property, index] of this.indexes) {
      this.unindex(index, this.indexKey(property, (row as Record<string, unknown>)[property]), row);
    }
    this.ordinals.delete(row);
    if (!options.silent) this.listener?.('deleted', row);
  }

  /** Index of the first row in `rows` (ordinal-ordered) whose ordinal is >= `ordinal`. */
  private position(rows: readonly T[], ordinal: number): number {
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ordinal(rows[mid]!) < ordinal) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private unindex(index: Map<string, T[]>, key: string | null, row: T): void {
    if (key === null) return;
    const bucket = index.get(key);
    if (!bucket) return;
    const at = bucket.indexOf(row);
    if (at >= 0) bucket.splice(at, 1);
    if (bucket.length === 0) index.delete(key);
  }

  private insertSorted(index: Map<string, T[]>, key: string, row: T): void {
    const bucket = index.get(key);
    if (!bucket) {
      index.set(key, [row]);
      return;
    }
    bucket.splice(this.position(bucket, this.ordinal(row)), 0, row);
  }
}
