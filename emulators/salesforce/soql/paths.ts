// Field references in SOQL: `Name`, `Account.Name`, `Quote.Account.Owner.Name`. Names are
// case-insensitive and resolve to canonical API names (responses use the canonical spelling);
// unknown names fail as Salesforce words it (INVALID_FIELD).
import { SfApiError, noSuchColumn } from '../errors.js';
import type { FieldMeta, ObjectMeta, Schema } from '../schema.js';
import type { SalesforceStore } from '../store.js';
import type { SfRecord } from '../store-types.js';

export interface FieldPath {
  /** Reference fields followed from the queried object, in order (empty for a plain field). */
  readonly hops: readonly FieldMeta[];
  readonly field: FieldMeta;
  /** The object that owns `field`. */
  readonly object: ObjectMeta;
  /** Canonical dotted form, e.g. 'Account.Owner.Name'. */
  readonly text: string;
}

const unknownRelationship = (name: string) =>
  new SfApiError(
    400,
    'INVALID_FIELD',
    `Didn't understand relationship '${name}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

/** Resolves a dotted path against `root`; a leading alias of the FROM object is dropped. */
export function resolvePath(schema: Schema, root: ObjectMeta, raw: string, alias?: string): FieldPath {
  let parts = raw.split('.');
  if (alias && parts.length > 1 && parts[0]!.toLowerCase() === alias.toLowerCase()) parts = parts.slice(1);
  const hops: FieldMeta[] = [];
  const names: string[] = [];
  let current = root;
  for (const part of parts.slice(0, -1)) {
    const hop = current.parentRelationship(part);
    if (!hop) throw unknownRelationship(part);
    hops.push(hop);
    names.push(hop.relationshipName!);
    current = schema.object(hop.referenceTo!)!;
  }
  const last = parts[parts.length - 1]!;
  const field = current.field(last);
  if (!field) throw noSuchColumn(last, current.name);
  return { hops, field, object: current, text: [...names, field.name].join('.') };
}

/**
 * The value at the end of the path; null when a relationship on the way is empty. Deleted parents
 * read as empty unless `includeDeleted` (queryAll).
 */
export function readPath(path: FieldPath, record: SfRecord, store: SalesforceStore, includeDeleted: boolean): unknown {
  let current: SfRecord | undefined = record;
  for (const hop of path.hops) {
    const id = current[hop.name];
    if (typeof id !== 'string') return null;
    current = store.get(hop.referenceTo!, id);
    if (!current || (current.IsDeleted && !includeDeleted)) return null;
  }
  return current[path.field.name] ?? null;
}
