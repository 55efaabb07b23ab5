// The emulated org's data: records by object, indexed by Id, by every reference field and by every
// external-id/unique field (so `Id IN (...)`, `AccountId IN (...)`, child subqueries and upserts
// are lookups, not scans of 40,000 contacts), and the create/update/delete rules a real org
// enforces on the REST API. Deletes are soft (IsDeleted = true) so queryAll still sees them, and
// undelete restores what a delete took to the Recycle Bin.
// Savepoints give allOrNone semantics to collections and /composite. Transactions group every
// record change one API call made; committed ones go to the commit listeners (Change Data Capture
// publishes them), rolled-back changes never leave the store.
import { makeIdFactory, type IdFactory } from '../seed/salesforce-id.js';
import type { SalesforceDataset } from '../seed/types.js';
import { applyDerivedFields, quoteTotals } from './derived.js';
import { DmlError } from './errors.js';
import { coerceForWrite } from './field-values.js';
import { keyPrefixOf, normalizeId } from './ids.js';
import type { FieldMeta, ObjectMeta, Schema } from './schema.js';
import type { SfRecord } from './store-types.js';

export interface WriteContext {
  /** The session's user: owner of records created without an OwnerId. */
  readonly userId: string;
}

export interface Savepoint {
  readonly at: number;
  /** Length of the pending change list when the savepoint was taken. */
  readonly changesAt: number;
}

export type RecordChangeKind = 'create' | 'update' | 'delete' | 'undelete';

/** One record's change: its state before (undefined when created) and after. */
export interface RecordChange {
  readonly objectName: string;
  readonly kind: RecordChangeKind;
  readonly before: SfRecord | undefined;
  readonly after: SfRecord;
}

/** Who made a transaction's changes, and through which API (Change Data Capture's changeOrigin). */
export interface TransactionContext {
  readonly userId: string;
  /** e.g. 'com/salesforce/api/rest/62.0;client=customer360-graph'; '' for changes made in-process. */
  readonly changeOrigin: string;
}

export interface CommittedTransaction {
  readonly context: TransactionContext;
  readonly changes: readonly RecordChange[];
  readonly committedAt: Date;
}

export type CommitListener = (transaction: CommittedTransaction) => void;

interface Table {
  readonly meta: ObjectMeta;
  readonly records: Map<string, SfRecord>;
  /** field name → index key → ids */
  readonly indexes: Map<string, Map<string, Set<string>>>;
  readonly ids: IdFactory;
}

interface JournalEntry {
  readonly table: Table;
  readonly id: string;
  readonly before: SfRecord | undefined;
}

/**
 * How a value is looked up in an index: ids by their 18-character form (which is unique
 * regardless of case), text case-insensitively as SOQL's `=` and external-id matching compare it.
 */
export function indexKey(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value.toLowerCase() : String(value);
}

function changeKind(before: SfRecord | undefined, after: SfRecord): RecordChangeKind {
  if (!before) return 'create';
  if (after.IsDeleted && !before.IsDeleted) return 'delete';
  if (before.IsDeleted && !after.IsDeleted) return 'undelete';
  return 'update';
}

/** Reference fields, external ids and writable unique fields (their uniqueness is checked on write). */
function isIndexedField(f: FieldMeta): boolean {
  return f.type === 'reference' || f.externalId || (f.unique && (f.createable || f.updateable));
}

export class SalesforceStore {
  private readonly tables = new Map<string, Table>();
  private readonly journal: JournalEntry[] = [];
  private openSavepoints = 0;
  private readonly autoNumbers = new Map<string, number>();
  /** Changes of the open transaction, in the order they were made. */
  private readonly pending: RecordChange[] = [];
  private transactionDepth = 0;
  private transactionContext: TransactionContext | null = null;
  private readonly commitListeners: CommitListener[] = [];
  /** Children a delete cascaded to, by the deleted parent's id: what an undelete restores with it. */
  private readonly cascaded = new Map<string, { objectName: string; id: string }[]>();
  /** Changes made in-process (tests, the seed's tools) are made as this user. */
  private readonly defaultContext: TransactionContext;

  constructor(
    readonly schema: Schema,
    dataset: SalesforceDataset,
    private readonly now: () => Date = () => new Date(),
    private readonly onListenerError: (error: unknown) => void = (error) =>
      console.error('[salesforce-emulator]', error),
  ) {
    this.defaultContext = { userId: normalizeId(dataset.integrationUserId) ?? '', changeOrigin: '' };
    for (const meta of schema.objects) {
      const table: Table = {
        meta,
        records: new Map(),
        indexes: new Map(meta.fields.filter(isIndexedField).map((f) => [f.name, new Map()])),
        ids: makeIdFactory(meta.keyPrefix),
      };
      this.tables.set(meta.name, table);
      const seeded = (dataset[meta.name as keyof SalesforceDataset] ?? []) as unknown as Record<string, unknown>[];
      const template = Object.fromEntries(meta.fields.map((f) => [f.name, f.type === 'boolean' ? false : null]));
      for (const raw of seeded) this.load(table, raw, template);
      // Base62 counters sort like their characters, so the greatest seeded id of this factory's
      // prefix carries the greatest counter: new ids continue after it.
      let last: string | undefined;
      for (const id of table.records.keys()) if (id.startsWith(table.ids.idPrefix) && (!last || id > last)) last = id;
      if (last) table.ids.advancePast(last);
    }
  }

  private load(table: Table, raw: Record<string, unknown>, template: Record<string, unknown>): void {
    // Seeds come from our own generator in 18-character form; only other forms pay for validation.
    const rawId = raw.Id;
    const id = typeof rawId === 'string' && rawId.length === 18 ? rawId : normalizeId(rawId);
    if (!id || keyPrefixOf(id) !== table.meta.keyPrefix) {
      throw new Error(`Seed ${table.meta.name} record has an invalid id: ${JSON.stringify(rawId)}`);
    }
    const record: Record<string, unknown> = { ...template, ...raw, Id: id, IsDeleted: raw.IsDeleted === true };
    for (const f of table.meta.fields) {
      const value = record[f.name];
      if (f.type === 'reference' && typeof value === 'string' && value.length === 15)
        record[f.name] = normalizeId(value) ?? value;
      if (f.autoNumber && typeof value === 'string') {
        const key = `${table.meta.name}.${f.name}`;
        const n = Number(value);
        if (Number.isSafeInteger(n) && n > (this.autoNumbers.get(key) ?? 0)) this.autoNumbers.set(key, n);
      }
    }
    this.setRecord(table, id, record as SfRecord);
  }

  // ------------------------------------------------------------------ reads

  object(name: string): ObjectMeta | undefined {
    return this.schema.object(name);
  }

  /** The record (deleted ones included) or undefined. `id` must be the 18-character form. */
  get(objectName: string, id: string): SfRecord | undefined {
    return this.tables.get(objectName)?.records.get(id);
  }

  /** A record of any object, found by its id's key prefix. */
  findById(id: string): { meta: ObjectMeta; record: SfRecord } | undefined {
    const meta = this.schema.objectForKeyPrefix(keyPrefixOf(id));
    const record = meta && this.get(meta.name, id);
    return meta && record ? { meta, record } : undefined;
  }

  /**
   * Every record of the object, deleted ones included, in insertion order — which is id order, since
   * seeded and minted ids both ascend.
   */
  records(objectName: string): IterableIterator<SfRecord> {
    return this.table(objectName).records.values();
  }

  count(objectName: string): number {
    return this.table(objectName).records.size;
  }

  isIndexed(objectName: string, fieldName: string): boolean {
    return fieldName === 'Id' || this.table(objectName).indexes.has(fieldName);
  }

  /** Records whose indexed field equals `value` (see indexKey), in the order they were indexed. */
  lookup(objectName: string, fieldName: string, value: unknown): SfRecord[] {
    const table = this.table(objectName);
    if (fieldName === 'Id') {
      const id = typeof value === 'string' ? normalizeId(value) : null;
      const record = id ? table.records.get(id) : undefined;
      return record ? [record] : [];
    }
    const index = table.indexes.get(fieldName);
    if (!index) throw new Error(`${objectName}.${fieldName} is not indexed`);
    const key = indexKey(value);
    const ids = key === null ? undefined : index.get(key);
    if (!ids) return [];
    const out: SfRecord[] = [];
    for (const id of ids) out.push(table.records.get(id)!);
    return out;
  }

  // ------------------------------------------------------------------ savepoints

  savepoint(): Savepoint {
    this.openSavepoints += 1;
    return { at: this.journal.length, changesAt: this.pending.length };
  }

  /** Undoes every write since the savepoint (its changes are never published), then releases it. */
  rollback(sp: Savepoint): void {
    while (this.journal.length > sp.at) {
      const entry = this.journal.pop()!;
      this.setRecord(entry.table, entry.id, entry.before);
    }
    if (this.pending.length > sp.changesAt) this.pending.length = sp.changesAt;
    this.release(sp);
  }

  release(_sp: Savepoint): void {
    this.openSavepoints -= 1;
    if (this.openSavepoints === 0) this.journal.length = 0;
  }

  // ------------------------------------------------------------------ transactions

  /** Called with every committed transaction that changed something, in commit order. */
  onCommit(listener: CommitListener): void {
    this.commitListeners.push(listener);
  }

  /**
   * Runs `work` as one transaction: its changes are committed together when the outermost
   * transaction ends. A nested call joins the open transaction (its context is ignored). If `work`
   * throws, its writes are undone and nothing is committed.
   */
  transaction<T>(context: TransactionContext, work: () => T): T {
    if (this.transactionDepth === 0) this.transactionContext = context;
    this.transactionDepth += 1;
    const sp = this.savepoint();
    let result: T;
    try {
      result = work();
    } catch (error) {
      this.rollback(sp);
      this.endTransaction();
      throw error;
    }
    this.release(sp);
    this.endTransaction();
    return result;
  }

  /**
   * Commits the changes made so far in the open transaction as a transaction of their own, and goes
   * on with an empty one (/composite without allOrNone: each subrequest commits independently).
   * Callers must not roll back a savepoint taken before this point.
   */
  commitPending(): void {
    if (this.transactionDepth > 0) this.publishPending();
  }

  private endTransaction(): void {
    this.transactionDepth -= 1;
    if (this.transactionDepth > 0) return;
    this.publishPending();
    this.transactionContext = null;
  }

  private publishPending(): void {
    if (this.pending.length === 0) return;
    const committed: CommittedTransaction = {
      context: this.transactionContext ?? this.defaultContext,
      changes: this.pending.splice(0),
      committedAt: this.now(),
    };
    for (const listener of this.commitListeners) {
      try {
        listener(committed);
      } catch (error) {
        // A subscriber's failure never fails (or undoes) the write that was committed.
        this.onListenerError(error);
      }
    }
  }

  private inTransaction<T>(work: () => T): T {
    return this.transaction(this.transactionContext ?? this.defaultContext, work);
  }

  // ------------------------------------------------------------------ writes

  create(objectName: string, values: Record<string, unknown>, ctx: WriteContext): SfRecord {
    return this.inTransaction(() => this.createRecord(objectName, values, ctx));
  }

  update(objectName: string, id: string, values: Record<string, unknown>): SfRecord {
    return this.inTransaction(() => this.updateRecord(objectName, id, values));
  }

  /** Soft delete, cascading to children whose relationship deletes with the parent. */
  delete(objectName: string, id: string): void {
    this.inTransaction(() => this.deleteRecord(objectName, id));
  }

  /**
   * Restores a deleted record from the Recycle Bin with the children its delete cascaded to (the
   * SOAP API's and Apex's undelete; the REST API has no undelete resource). ENTITY_IS_DELETED
   * becomes UNDELETE_FAILED for a record that is not deleted.
   */
  undelete(objectName: string, id: string): SfRecord {
    return this.inTransaction(() => this.undeleteRecord(objectName, id));
  }

  private createRecord(objectName: string, values: Record<string, unknown>, ctx: WriteContext): SfRecord {
    const table = this.writableTable(objectName, 'insert');
    const assigned = this.prepareValues(table.meta, values, 'create');
    const now = this.now().toISOString();
    const record: Record<string, unknown> = {};
    for (const f of table.meta.fields) record[f.name] = f.defaultValue ?? (f.type === 'boolean' ? false : null);
    if (table.meta.field('OwnerId')) record.OwnerId = ctx.userId;
    Object.assign(record, assigned);
    this.checkRequired(
      record,
      table.meta.fields.filter((f) => f.required),
    );
    this.checkReferences(table.meta, record, Object.keys(assigned));
    Object.assign(record, { Id: this.mintId(table), IsDeleted: false, CreatedDate: now, LastModifiedDate: now });
    const saved = record as SfRecord;
    applyDerivedFields(objectName, saved, undefined, this.derivedContext(now, assigned));
    this.checkUnique(table, saved);
    this.put(table, saved);
    this.afterWrite(objectName, saved, undefined, now);
    return saved;
  }

  private updateRecord(objectName: string, id: string, values: Record<string, unknown>): SfRecord {
    const table = this.writableTable(objectName, 'update');
    const existing = this.liveRecord(table, id);
    const assigned = this.prepareValues(table.meta, values, 'update');
    const now = this.now().toISOString();
    const next = { ...existing, ...assigned, LastModifiedDate: now } as SfRecord;
    this.checkRequired(
      next,
      Object.keys(assigned)
        .map((name) => table.meta.field(name)!)
        .filter((f) => f.required),
    );
    this.checkReferences(table.meta, next, Object.keys(assigned));
    applyDerivedFields(objectName, next, existing, this.derivedContext(now, assigned));
    this.checkUnique(table, next);
    this.put(table, next);
    this.afterWrite(objectName, next, existing, now);
    return next;
  }

  private deleteRecord(objectName: string, id: string): void {
    const table = this.writableTable(objectName, 'delete');
    const existing = this.liveRecord(table, id);
    const now = this.now().toISOString();
    const deleted = { ...existing, IsDeleted: true, LastModifiedDate: now } as SfRecord;
    this.put(table, deleted);
    const children: { objectName: string; id: string }[] = [];
    for (const rel of table.meta.childRelationships) {
      if (!rel.cascadeDelete) continue;
      for (const child of this.lookup(rel.childSObject, rel.field, id)) {
        if (child.IsDeleted) continue;
        this.deleteRecord(rel.childSObject, child.Id);
        children.push({ objectName: rel.childSObject, id: child.Id });
      }
    }
    this.cascaded.set(id, children);
    this.afterWrite(objectName, deleted, existing, now);
  }

  private undeleteRecord(objectName: string, id: string): SfRecord {
    const table = this.writableTable(objectName, 'undelete');
    const existing = table.records.get(id);
    if (!existing) throw new DmlError('INVALID_ID_FIELD', 'invalid record id');
    if (!existing.IsDeleted) throw new DmlError('UNDELETE_FAILED', 'Entity is not in the recycle bin');
    for (const f of table.meta.fields) {
      if (f.type !== 'reference' || !f.cascadeDelete || typeof existing[f.name] !== 'string') continue;
      const parent = this.get(f.referenceTo!, existing[f.name] as string);
      if (parent?.IsDeleted)
        throw new DmlError('UNDELETE_FAILED', `${f.relationshipName ?? f.name} is deleted: undelete it first`, [
          f.name,
        ]);
    }
    const now = this.now().toISOString();
    const restored = { ...existing, IsDeleted: false, LastModifiedDate: now } as SfRecord;
    this.checkUnique(table, restored);
    this.put(table, restored);
    for (const child of this.cascaded.get(id) ?? []) {
      if (this.get(child.objectName, child.id)?.IsDeleted) this.undeleteRecord(child.objectName, child.id);
    }
    this.cascaded.delete(id);
    this.afterWrite(objectName, restored, existing, now);
    return restored;
  }

  // ------------------------------------------------------------------ internals

  private table(objectName: string): Table {
    const table = this.tables.get(objectName);
    if (!table) throw new Error(`Unknown object ${objectName}`);
    return table;
  }

  private writableTable(objectName: string, operation: string): Table {
    const table = this.table(objectName);
    if (!table.meta.writable) {
      throw new DmlError('INVALID_TYPE_FOR_OPERATION', `entity type ${objectName} does not support ${operation}`);
    }
    return table;
  }

  private liveRecord(table: Table, id: string): SfRecord {
    const existing = table.records.get(id);
    if (!existing || existing.IsDeleted) throw new DmlError('ENTITY_IS_DELETED', 'entity is deleted');
    return existing;
  }

  /** Canonical field name → stored value for a client's write, or the first error Salesforce reports. */
  private prepareValues(
    meta: ObjectMeta,
    values: Record<string, unknown>,
    mode: 'create' | 'update',
  ): Record<string, unknown> {
    const written: [FieldMeta, unknown][] = [];
    const readOnly: string[] = [];
    for (const [key, value] of Object.entries(values)) {
      if (key === 'attributes') continue;
      const f = meta.field(key);
      if (!f) throw new DmlError('INVALID_FIELD', `No such column '${key}' on sobject of type ${meta.name}`, []);
      if (mode === 'create' ? !f.createable : !f.updateable) readOnly.push(f.name);
      written.push([f, value]);
    }
    if (readOnly.length > 0) {
      throw new DmlError(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        readOnly,
      );
    }
    const assigned: Record<string, unknown> = {};
    for (const [f, value] of written) assigned[f.name] = coerceForWrite(f, value);
    return assigned;
  }

  private checkRequired(record: Record<string, unknown>, required: FieldMeta[]): void {
    const missing = required.filter((f) => record[f.name] === null || record[f.name] === undefined).map((f) => f.name);
    if (missing.length > 0) {
      throw new DmlError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
    }
  }

  /** Written reference fields must name a live record of the referenced object (stored as 18 chars). */
  private checkReferences(meta: ObjectMeta, record: Record<string, unknown>, written: string[]): void {
    for (const name of written) {
      const f = meta.field(name)!;
      const raw = record[f.name];
      if (f.type !== 'reference' || raw === null) continue;
      const id = normalizeId(raw);
      const target = this.schema.object(f.referenceTo!)!;
      if (!id || keyPrefixOf(id) !== target.keyPrefix) {
        throw new DmlError('MALFORMED_ID', `${f.label}: id value of incorrect type: ${String(raw)}`, [f.name]);
      }
      const parent = this.get(target.name, id);
      if (!parent || parent.IsDeleted) {
        throw new DmlError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [f.name]);
      }
      record[f.name] = id;
    }
  }

  private checkUnique(table: Table, record: SfRecord): void {
    for (const f of table.meta.fields) {
      if (!f.unique || !table.indexes.has(f.name) || record[f.name] === null) continue;
      const clash = this.lookup(table.meta.name, f.name, record[f.name]).find(
        (r) => r.Id !== record.Id && !r.IsDeleted,
      );
      if (clash) {
        throw new DmlError(
          'DUPLICATE_VALUE',
          `duplicate value found: ${f.name} duplicates value on record with id: ${clash.Id}`,
          [],
        );
      }
    }
  }

  private derivedContext(now: string, assigned: Record<string, unknown>) {
    return {
      now,
      written: new Set(Object.keys(assigned)),
      nextAutoNumber: (objectName: string, fieldName: string) => {
        const key = `${objectName}.${fieldName}`;
        const n = (this.autoNumbers.get(key) ?? 0) + 1;
        this.autoNumbers.set(key, n);
        return String(n).padStart(8, '0');
      },
      get: (objectName: string, id: string) => this.get(objectName, id),
    };
  }

  /** Roll-ups: a quote's totals follow its lines. */
  private afterWrite(objectName: string, record: SfRecord, previous: SfRecord | undefined, now: string): void {
    if (objectName !== 'QuoteLineItem') return;
    const quoteIds = new Set([record.QuoteId, previous?.QuoteId].filter((id): id is string => typeof id === 'string'));
    const quotes = this.table('Quote');
    for (const quoteId of quoteIds) {
      const quote = quotes.records.get(quoteId);
      if (!quote || quote.IsDeleted) continue;
      const totals = quoteTotals(quote, this.lookup('QuoteLineItem', 'QuoteId', quoteId));
      if (totals.TotalPrice === quote.TotalPrice && totals.GrandTotal === quote.GrandTotal) continue;
      this.put(quotes, { ...quote, ...totals, LastModifiedDate: now });
    }
  }

  private mintId(table: Table): string {
    let id = table.ids.next();
    while (table.records.has(id)) id = table.ids.next();
    return id;
  }

  private put(table: Table, record: SfRecord): void {
    const before = table.records.get(record.Id);
    if (this.openSavepoints > 0) this.journal.push({ table, id: record.Id, before });
    this.setRecord(table, record.Id, record);
    this.pending.push({ objectName: table.meta.name, kind: changeKind(before, record), before, after: record });
  }

  private setRecord(table: Table, id: string, next: SfRecord | undefined): void {
    const prev = table.records.get(id);
    for (const [fieldName, index] of table.indexes) {
      const oldKey = prev ? indexKey(prev[fieldName]) : null;
      const newKey = next ? indexKey(next[fieldName]) : null;
      if (oldKey === newKey) continue;
      if (oldKey !== null) {
        const ids = index.get(oldKey);
        ids?.delete(id);
        if (ids?.size === 0) index.delete(oldKey);
      }
      if (newKey !== null) {
        let ids = index.get(newKey);
        if (!ids) index.set(newKey, (ids = new Set()));
        ids.add(id);
      }
    }
    if (next) table.records.set(id, next);
    else table.records.delete(id);
  }
}
