// sObject Collections (REST API composite/sobjects): retrieve up to 2,000 ids of one object (nulls
// for ids that match nothing), and create/update/upsert/delete up to 200 records with results in
// request order, `{ id, success, errors: [{ statusCode, message, fields }] }`. With allOrNone
// (default false) one failure rolls back every record, and the others report
// ALL_OR_NONE_OPERATION_ROLLED_BACK.
import type { ApiContext, ApiRequest, ApiResponse, Route } from '../api.js';
import { DmlError, SfApiError } from '../errors.js';
import { keyPrefixOf, normalizeId } from '../ids.js';
import type { ObjectMeta, Schema } from '../schema.js';
import { externalIdField } from './sobjects.js';
import { objectBody, objectKey, renderRecord, requireObject, resolveFields } from './records.js';

const MAX_RECORDS = 200;
const MAX_RETRIEVE_IDS = 2000;

interface SaveResult {
  id?: string;
  success: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
  created?: boolean;
}

const tooMany = (max: number) =>
  new SfApiError(
    400,
    'EXCEEDED_ID_LIMIT',
    `record limit reached. cannot submit more than ${max} records into this call`,
  );

const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

function isTrue(v: unknown): boolean {
  return v === true || v === 'true';
}

function recordsOf(body: unknown): Record<string, unknown>[] {
  const records = objectBody(body).records;
  if (!Array.isArray(records) || records.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))) {
    throw new SfApiError(400, 'JSON_PARSER_ERROR', "The request body must contain 'records', a list of sObjects");
  }
  if (records.length > MAX_RECORDS) throw tooMany(MAX_RECORDS);
  return records as Record<string, unknown>[];
}

/**
 * Applies each item in its own savepoint (a failing item leaves nothing behind) inside one for the
 * whole call (allOrNone undoes the successful ones too).
 */
function applyAll<T>(
  ctx: ApiContext,
  items: readonly T[],
  allOrNone: boolean,
  apply: (item: T) => SaveResult,
  idOf: (item: T) => string | undefined,
): SaveResult[] {
  const store = ctx.store;
  const call = store.savepoint();
  const results = items.map((item): SaveResult => {
    const sp = store.savepoint();
    try {
      const result = apply(item);
      store.release(sp);
      return result;
    } catch (err) {
      store.rollback(sp);
      if (!(err instanceof DmlError)) throw err;
      const id = idOf(item);
      return { ...(id ? { id } : {}), success: false, errors: [err.toSaveError()] };
    }
  });
  if (allOrNone && results.some((r) => !r.success)) {
    store.rollback(call);
    return results.map((r, i) => {
      if (!r.success) return r;
      const id = idOf(items[i]!);
      return { ...(id ? { id } : {}), success: false, errors: [ROLLED_BACK] };
    });
  }
  store.release(call);
  return results;
}

function typeOf(schema: Schema, record: Record<string, unknown>): ObjectMeta {
  const attributes = record.attributes as { type?: unknown } | undefined;
  const type = attributes?.type;
  if (typeof type !== 'string')
    throw new DmlError('INVALID_TYPE', 'No SObject Type defined in record: attributes.type is required');
  const meta = schema.object(type);
  if (!meta) throw new DmlError('INVALID_TYPE', `sObject type '${type}' is not supported.`);
  return meta;
}

function recordIdOf(record: Record<string, unknown>): unknown {
  return record.id ?? record.Id;
}

function withoutKeys(record: Record<string, unknown>, drop: (key: string) => boolean): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !drop(k)));
}

function retrieve(
  meta: ObjectMeta,
  ids: unknown,
  fieldNames: unknown,
  request: ApiRequest,
  ctx: ApiContext,
): ApiResponse {
  if (!Array.isArray(ids) || !Array.isArray(fieldNames) || [...ids, ...fieldNames].some((x) => typeof x !== 'string')) {
    throw new SfApiError(400, 'JSON_PARSER_ERROR', "The request must contain 'ids' and 'fields', lists of strings");
  }
  if (ids.length > MAX_RETRIEVE_IDS) throw tooMany(MAX_RETRIEVE_IDS);
  const fields = resolveFields(meta, fieldNames as string[]);
  const records = (ids as string[]).map((raw) => {
    const id = normalizeId(raw);
    if (!id) throw new SfApiError(400, 'MALFORMED_ID', `malformed id ${raw}`);
    const record = ctx.store.get(meta.name, id);
    return record && !record.IsDeleted ? renderRecord(meta, record, fields, request.version) : null;
  });
  return { status: 200, body: records };
}

function create(request: ApiRequest, ctx: ApiContext): ApiResponse {
  const records = recordsOf(request.body);
  const results = applyAll(
    ctx,
    records,
    isTrue(objectBody(request.body).allOrNone),
    (record) => {
      const meta = typeOf(ctx.store.schema, record);
      if (recordIdOf(record) !== undefined)
        throw new DmlError('INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
      const created = ctx.store.create(meta.name, record, { userId: ctx.session.userId });
      return { id: created.Id, success: true, errors: [] };
    },
    () => undefined,
  );
  return { status: 200, body: results };
}

function update(request: ApiRequest, ctx: ApiContext): ApiResponse {
  const records = recordsOf(request.body);
  const results = applyAll(
    ctx,
    records,
    isTrue(objectBody(request.body).allOrNone),
    (record) => {
      const meta = typeOf(ctx.store.schema, record);
      const raw = recordIdOf(record);
      const id = normalizeId(raw);
      if (!id || keyPrefixOf(id) !== meta.keyPrefix) {
        throw new DmlError('MALFORMED_ID', `${meta.label} ID: id value of incorrect type: ${String(raw)}`, ['Id']);
      }
      ctx.store.update(
        meta.name,
        id,
        withoutKeys(record, (k) => k === 'id' || k === 'Id' || k === 'attributes'),
      );
      return { id, success: true, errors: [] };
    },
    (record) => normalizeId(recordIdOf(record)) ?? undefined,
  );
  return { status: 200, body: results };
}

function upsert(meta: ObjectMeta, fieldName: string, request: ApiRequest, ctx: ApiContext): ApiResponse {
  const f = externalIdField(meta, fieldName);
  const records = recordsOf(request.body);
  const valueOf = (record: Record<string, unknown>) =>
    Object.entries(record).find(([k]) => k.toLowerCase() === f.name.toLowerCase())?.[1];
  const results = applyAll(
    ctx,
    records,
    isTrue(objectBody(request.body).allOrNone),
    (record) => {
      const value = valueOf(record);
      if (value === undefined || value === null || value === '') {
        throw new DmlError('MISSING_ARGUMENT', `${f.name} not specified`, [f.name]);
      }
      const matches = ctx.store.lookup(meta.name, f.name, value).filter((r) => !r.IsDeleted);
      if (matches.length > 1) {
        throw new DmlError(
          'DUPLICATE_EXTERNAL_ID',
          `${f.name}: more than one record found for external id field: [${matches.map((r) => r.Id).join(', ')}]`,
          [f.name],
        );
      }
      const values = withoutKeys(record, (k) => k === 'attributes');
      const existing = matches[0];
      if (!existing) {
        const created = ctx.store.create(meta.name, values, { userId: ctx.session.userId });
        return { id: created.Id, success: true, errors: [], created: true };
      }
      ctx.store.update(
        meta.name,
        existing.Id,
        withoutKeys(values, (k) => k.toLowerCase() === f.name.toLowerCase()),
      );
      return { id: existing.Id, success: true, errors: [], created: false };
    },
    () => undefined,
  );
  return { status: 200, body: results };
}

function remove(request: ApiRequest, ctx: ApiContext): ApiResponse {
  const ids = (request.query.get('ids') ?? '').split(',').filter((s) => s !== '');
  if (ids.length > MAX_RECORDS) throw tooMany(MAX_RECORDS);
  const results = applyAll(
    ctx,
    ids,
    isTrue(request.query.get('allOrNone')),
    (raw) => {
      const id = normalizeId(raw);
      if (!id) throw new DmlError('MALFORMED_ID', `malformed id ${raw}`);
      const found = ctx.store.findById(id);
      if (!found || found.record.IsDeleted) throw new DmlError('ENTITY_IS_DELETED', 'entity is deleted');
      ctx.store.delete(found.meta.name, id);
      return { id, success: true, errors: [] };
    },
    (raw) => normalizeId(raw) ?? raw,
  );
  return { status: 200, body: results };
}

export function collectionRoutes(schema: Schema): Route[] {
  const obj = (name: string) => requireObject(schema, name);
  return [
    {
      method: 'POST',
      pattern: /^\/composite\/sobjects\/([^/]+)$/,
      key: (p) => `collections retrieve ${objectKey(schema, p[0])}`,
      handle: (p, req, ctx) => {
        const body = objectBody(req.body);
        return retrieve(obj(p[0]!), body.ids, body.fields, req, ctx);
      },
    },
    {
      method: 'GET',
      pattern: /^\/composite\/sobjects\/([^/]+)$/,
      key: (p) => `collections retrieve ${objectKey(schema, p[0])}`,
      handle: (p, req, ctx) => {
        const list = (name: string) => (req.query.get(name) ?? '').split(',').filter((s) => s !== '');
        return retrieve(obj(p[0]!), list('ids'), list('fields'), req, ctx);
      },
    },
    {
      method: 'POST',
      pattern: /^\/composite\/sobjects$/,
      key: () => 'collections create',
      handle: (_p, req, ctx) => create(req, ctx),
    },
    {
      method: 'PATCH',
      pattern: /^\/composite\/sobjects$/,
      key: () => 'collections update',
      handle: (_p, req, ctx) => update(req, ctx),
    },
    {
      method: 'PATCH',
      pattern: /^\/composite\/sobjects\/([^/]+)\/([^/]+)$/,
      key: (p) => `collections upsert ${objectKey(schema, p[0])}`,
      handle: (p, req, ctx) => upsert(obj(p[0]!), p[1]!, req, ctx),
    },
    {
      method: 'DELETE',
      pattern: /^\/composite\/sobjects$/,
      key: () => 'collections delete',
      handle: (_p, req, ctx) => remove(req, ctx),
    },
  ];
}
