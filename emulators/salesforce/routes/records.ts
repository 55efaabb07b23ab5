// What the record routes share: finding the sObject named in a URL, resolving record ids from URLs
// (15 or 18 characters), field lists from `?fields=` or a retrieve body, and rendering a record as
// the REST API returns it (attributes first, then the fields, date-times in Salesforce's format).
import { SfApiError, noSuchColumn, notFound } from '../errors.js';
import { formatForOutput } from '../field-values.js';
import { keyPrefixOf, normalizeId } from '../ids.js';
import type { FieldMeta, ObjectMeta, Schema } from '../schema.js';
import { attributesOf } from '../soql/project.js';
import type { SalesforceStore } from '../store.js';
import type { SfRecord } from '../store-types.js';

/** The sObject named in a URL; unknown names are 404 NOT_FOUND, as for any unknown resource. */
export function requireObject(schema: Schema, name: string): ObjectMeta {
  const meta = schema.object(name);
  if (!meta) throw notFound();
  return meta;
}

/** The canonical object name for stats keys (the raw name when unknown). */
export function objectKey(schema: Schema, name: string | undefined): string {
  return (name && schema.object(name)?.name) ?? name ?? '';
}

export function wrongIdType(meta: ObjectMeta, raw: string): SfApiError {
  return new SfApiError(400, 'MALFORMED_ID', `${meta.label} ID: id value of incorrect type: ${raw}`);
}

/** A live record addressed by id in a URL: malformed ids are NOT_FOUND, deleted ones ENTITY_IS_DELETED. */
export function requireRecord(store: SalesforceStore, meta: ObjectMeta, raw: string): SfRecord {
  const id = normalizeId(raw);
  if (!id) throw notFound();
  if (keyPrefixOf(id) !== meta.keyPrefix) throw wrongIdType(meta, raw);
  const record = store.get(meta.name, id);
  if (!record) throw notFound();
  if (record.IsDeleted) throw new SfApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
  return record;
}

/** Canonical fields for a field list (`?fields=Name,Phone` or a retrieve body); unknown ones are INVALID_FIELD. */
export function resolveFields(meta: ObjectMeta, names: readonly string[]): FieldMeta[] {
  return names
    .map((n) => n.trim())
    .filter((n) => n !== '')
    .map((n) => {
      const f = meta.field(n);
      if (!f) throw noSuchColumn(n, meta.name);
      return f;
    });
}

/** A record as the REST API answers it; with a field list, those fields and the Id. */
export function renderRecord(meta: ObjectMeta, record: SfRecord, fields: readonly FieldMeta[] | null, version: string) {
  const out: Record<string, unknown> = { attributes: attributesOf(version, meta.name, record.Id) };
  for (const f of fields ?? meta.fields) out[f.name] = formatForOutput(f, record[f.name]);
  if (!('Id' in out)) out.Id = record.Id;
  return out;
}

/** A JSON object body (not an array, not a scalar), or 400 JSON_PARSER_ERROR. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SfApiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}
