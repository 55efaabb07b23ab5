// Query rows in the REST API's shape: `attributes { type, url }` first, then the selected fields in
// select order under their canonical names; parent paths nest as objects with their own
// attributes (or null when the relationship is empty); child subqueries nest as
// `{ totalSize, done, records }`, or null when there are no children (REST API query resource).
import { formatForOutput } from '../field-values.js';
import type { SalesforceStore } from '../store.js';
import type { SfRecord } from '../store-types.js';
import type { SoqlEngine } from './evaluate.js';
import type { FieldPath } from './paths.js';
import type { QueryPlan } from './plan.js';

export interface ProjectionContext {
  readonly store: SalesforceStore;
  readonly engine: SoqlEngine;
  /** API version of the request, e.g. '62.0' (record URLs carry it). */
  readonly version: string;
  readonly includeDeleted: boolean;
}

export function recordUrl(version: string, type: string, id: string): string {
  return `/services/data/v${version}/sobjects/${type}/${id}`;
}

export function attributesOf(version: string, type: string, id: string) {
  return { type, url: recordUrl(version, type, id) };
}

function placeField(out: Record<string, unknown>, path: FieldPath, record: SfRecord, ctx: ProjectionContext): void {
  let target = out;
  let current = record;
  for (const hop of path.hops) {
    const name = hop.relationshipName!;
    const existing = target[name];
    if (existing === null) return;
    const id = current[hop.name];
    const parent = typeof id === 'string' ? ctx.store.get(hop.referenceTo!, id) : undefined;
    if (!parent || (parent.IsDeleted && !ctx.includeDeleted)) {
      target[name] = null;
      return;
    }
    if (existing === undefined) target[name] = { attributes: attributesOf(ctx.version, hop.referenceTo!, parent.Id) };
    target = target[name] as Record<string, unknown>;
    current = parent;
  }
  target[path.field.name] = formatForOutput(path.field, current[path.field.name]);
}

export function projectRecord(plan: QueryPlan, record: SfRecord, ctx: ProjectionContext): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: attributesOf(ctx.version, plan.object.name, record.Id) };
  for (const item of plan.select) {
    if (item.kind === 'field') {
      placeField(out, item.path, record, ctx);
      continue;
    }
    const children = ctx.engine.childRecords(item, record, ctx.includeDeleted);
    out[item.relationship.relationshipName] =
      children.length === 0
        ? null
        : {
            totalSize: children.length,
            done: true,
            records: children.map((child) => projectRecord(item.plan, child, ctx)),
          };
  }
  return out;
}
