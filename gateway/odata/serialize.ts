// Rows of the graph as OData JSON entities (OData 4.0 JSON Format §7): each property read along its
// GraphQL path, typed by its Edm type. Decimal and Int64 are JSON numbers unless the client asked
// for IEEE754Compatible=true (then strings, so no digit is lost to a double); money arrives as a
// decimal string, so it is never a float until this edge. A property the caller may not read was
// not selected and is served as null.
import type { ModelProperty } from './model.js';

export interface SerializeOptions {
  /** Decimal and Int64 as strings (the `IEEE754Compatible=true` format parameter). */
  readonly ieee754Compatible: boolean;
}

function valueAt(node: unknown, path: readonly string[]): unknown {
  let value: unknown = node;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return null;
    value = (value as Record<string, unknown>)[segment];
  }
  return value ?? null;
}

function typed(property: ModelProperty, value: unknown, options: SerializeOptions): unknown {
  if (value === null) return null;
  switch (property.type) {
    case 'Edm.Decimal':
    case 'Edm.Int64':
      return options.ieee754Compatible ? String(value) : Number(value);
    case 'Edm.Int32':
    case 'Edm.Double':
      return Number(value);
    case 'Edm.Boolean':
      return Boolean(value);
    default:
      return String(value);
  }
}

/** One entity with the `properties` (in model order); those not in `readable` are null. */
export function serializeEntity(
  node: unknown,
  properties: readonly ModelProperty[],
  readable: ReadonlySet<string>,
  options: SerializeOptions,
): Record<string, unknown> {
  const entity: Record<string, unknown> = {};
  for (const property of properties) {
    entity[property.name] = readable.has(property.name) ? typed(property, valueAt(node, property.path), options) : null;
  }
  return entity;
}
