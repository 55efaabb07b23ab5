// Single-record resources (REST API "sObject Basic Information", "sObject Describe", "sObject Rows",
// "sObject Rows by External ID"): describe, retrieve, create (201), update and delete (204), and
// upsert by external id — 201 when it creates, 200 with a body when it updates (API 46.0+; 204
// before), 300 with the matching records' URLs when the value matches several, 404 when the field
// is not an external id.
import type { ApiContext, ApiRequest, ApiResponse, Route } from '../api.js';
import { describeBasic, describeGlobal, describeSObject } from '../describe.js';
import { SfApiError, notFound } from '../errors.js';
import type { FieldMeta, ObjectMeta, Schema } from '../schema.js';
import { recordUrl } from '../soql/project.js';
import { objectBody, objectKey, renderRecord, requireObject, requireRecord, resolveFields } from './records.js';

const SEG = '([^/]+)';

function recordPath(version: string, type: string, id: string) {
  return { Location: recordUrl(version, type, id) };
}

function create(meta: ObjectMeta, request: ApiRequest, ctx: ApiContext): ApiResponse {
  const body = objectBody(request.body);
  const record = ctx.store.create(meta.name, body, { userId: ctx.session.userId });
  return {
    status: 201,
    body: { id: record.Id, success: true, errors: [] },
    headers: recordPath(request.version, meta.name, record.Id),
  };
}

/** The field of `/sobjects/{T}/{field}/{value}`: an external id (or Id), else 404 as Salesforce answers. */
export function externalIdField(meta: ObjectMeta, name: string): FieldMeta {
  const f = meta.field(name);
  if (!f || !(f.externalId || f.type === 'id')) {
    throw new SfApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${name}`);
  }
  return f;
}

function multipleChoices(meta: ObjectMeta, ids: string[], version: string): ApiResponse {
  return { status: 300, body: ids.map((id) => recordUrl(version, meta.name, id)) };
}

function upsert(meta: ObjectMeta, fieldName: string, value: string, request: ApiRequest, ctx: ApiContext): ApiResponse {
  const f = externalIdField(meta, fieldName);
  const body = { ...objectBody(request.body) };
  for (const key of Object.keys(body)) if (key.toLowerCase() === f.name.toLowerCase()) delete body[key];
  const matches = ctx.store.lookup(meta.name, f.name, value).filter((r) => !r.IsDeleted);
  if (matches.length > 1)
    return multipleChoices(
      meta,
      matches.map((r) => r.Id),
      request.version,
    );
  const existing = matches[0];
  if (!existing) {
    if (f.type === 'id') throw notFound();
    const record = ctx.store.create(meta.name, { ...body, [f.name]: value }, { userId: ctx.session.userId });
    return {
      status: 201,
      body: { id: record.Id, success: true, errors: [], created: true },
      headers: recordPath(request.version, meta.name, record.Id),
    };
  }
  ctx.store.update(meta.name, existing.Id, body);
  if (Number(request.version) < 46) return { status: 204 };
  return { status: 200, body: { id: existing.Id, success: true, errors: [], created: false } };
}

function retrieveByExternalId(
  meta: ObjectMeta,
  fieldName: string,
  value: string,
  request: ApiRequest,
  ctx: ApiContext,
): ApiResponse {
  const f = externalIdField(meta, fieldName);
  const matches = ctx.store.lookup(meta.name, f.name, value).filter((r) => !r.IsDeleted);
  if (matches.length > 1)
    return multipleChoices(
      meta,
      matches.map((r) => r.Id),
      request.version,
    );
  const record = matches[0];
  if (!record) throw notFound();
  return { status: 200, body: renderRecord(meta, record, fieldsParam(meta, request), request.version) };
}

function fieldsParam(meta: ObjectMeta, request: ApiRequest): FieldMeta[] | null {
  const fields = request.query.get('fields');
  return fields === null ? null : resolveFields(meta, fields.split(','));
}

export function sobjectRoutes(schema: Schema): Route[] {
  const obj = (name: string) => requireObject(schema, name);
  const key = (verb: string) => (params: string[]) => `${verb} ${objectKey(schema, params[0])}`;
  return [
    {
      method: 'GET',
      pattern: /^\/sobjects$/,
      key: () => 'describeGlobal',
      handle: (_p, req) => ({ status: 200, body: describeGlobal(schema.objects, req.version) }),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/sobjects/${SEG}$`),
      key: key('sobject'),
      handle: (p, req) => ({
        status: 200,
        body: { objectDescribe: describeBasic(obj(p[0]!), req.version), recentItems: [] },
      }),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/sobjects/${SEG}/describe$`),
      key: key('describe'),
      handle: (p, req) => ({ status: 200, body: describeSObject(obj(p[0]!), req.version) }),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/sobjects/${SEG}$`),
      key: key('create'),
      handle: (p, req, ctx) => create(obj(p[0]!), req, ctx),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/sobjects/${SEG}/${SEG}$`),
      key: key('retrieve'),
      handle: (p, req, ctx) => {
        const meta = obj(p[0]!);
        const record = requireRecord(ctx.store, meta, p[1]!);
        return { status: 200, body: renderRecord(meta, record, fieldsParam(meta, req), req.version) };
      },
    },
    {
      method: 'PATCH',
      pattern: new RegExp(`^/sobjects/${SEG}/${SEG}$`),
      key: key('update'),
      handle: (p, req, ctx) => {
        const meta = obj(p[0]!);
        const record = requireRecord(ctx.store, meta, p[1]!);
        ctx.store.update(meta.name, record.Id, objectBody(req.body));
        return { status: 204 };
      },
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`^/sobjects/${SEG}/${SEG}$`),
      key: key('delete'),
      handle: (p, _req, ctx) => {
        const meta = obj(p[0]!);
        const record = requireRecord(ctx.store, meta, p[1]!);
        ctx.store.delete(meta.name, record.Id);
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/sobjects/${SEG}/${SEG}/(.+)$`),
      key: key('retrieve'),
      handle: (p, req, ctx) => retrieveByExternalId(obj(p[0]!), p[1]!, p[2]!, req, ctx),
    },
    {
      method: 'PATCH',
      pattern: new RegExp(`^/sobjects/${SEG}/${SEG}/(.+)$`),
      key: key('upsert'),
      handle: (p, req, ctx) => upsert(obj(p[0]!), p[1]!, p[2]!, req, ctx),
    },
  ];
}
