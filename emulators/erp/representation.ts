// JSON representations with `odata.metadata=minimal` (OData JSON Format v4.0): each entity carries
// its `@odata.etag` and the declared properties (all, or those in $select), expanded navigation
// properties inline — a contained collection as an array, a single-valued one as an object or null.
// Context URLs follow OData v4 §10 (`$metadata#companies(<id>)/customers`, `.../$entity`).
import type { EntitySetName, EntityTypeDef } from './entity-sets.js';
import type { Row } from './odata/evaluate.js';
import type { ExpandItem } from './odata/query-options.js';
import type { ErpStore } from './store.js';

export type Json = Record<string, unknown>;

export function entityJson(
  store: ErpStore,
  row: Row,
  type: EntityTypeDef,
  select: readonly string[] | null,
  expand: readonly ExpandItem[] = [],
): Json {
  const out: Json = { '@odata.etag': store.etags.etag(row) };
  for (const name of select ?? Object.keys(type.properties)) {
    const value = row[name];
    out[name] = Array.isArray(value) ? [...value] : (value ?? null);
  }
  for (const item of expand) {
    const def = item.def;
    if (def.kind === 'lines') {
      const lines = (row[item.navigation] as Row[] | undefined) ?? [];
      out[item.navigation] = lines.map((line) => entityJson(store, line, def.target, item.select));
    } else {
      const target = store.table(def.set as EntitySetName).get(String(row.id)) as Row | undefined;
      out[item.navigation] = target ? entityJson(store, target, def.target, item.select) : null;
    }
  }
  return out;
}

export function contextUrl(origin: string, path: string, select: readonly string[] | null, entity: boolean): string {
  const projection = select ? `(${select.join(',')})` : '';
  return `${origin}/api/v2.0/$metadata#${path}${projection}${entity ? '/$entity' : ''}`;
}
