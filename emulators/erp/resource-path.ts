// Resolving a URL path under /api/v2.0 into the resource it addresses (OData v4 URL conventions
// §4: entity set, key, navigation, $count). Pure: it knows the entity sets' shapes, not the data.
//
//   /                                          service document
//   /$metadata                                 CSDL
//   /companies[(<guid>)]
//   /companies(<guid>)/<set>[/$count]
//   /companies(<guid>)/<set>(<guid>)
//   /companies(<guid>)/<set>(<guid>)/<navigation>[/$count]
//   /companies(<guid>)/<set>(<guid>)/<lines>(<guid>)
//   /companies(<guid>)/salesOrderLines[(<guid>)|/$count]   (order-lines.ts)
import { ENTITY_SETS, SALES_ORDER_LINES_SET, type EntitySetDef, type NavigationDef } from './entity-sets.js';
import { malformedUrl, segmentNotFound } from './errors.js';

export type Resource =
  | { kind: 'serviceDocument' }
  | { kind: 'metadata' }
  | { kind: 'companies'; key: string | null }
  | {
      kind: 'entitySet';
      companyId: string;
      set: EntitySetDef;
      key: string | null;
      navigation: { name: string; def: NavigationDef; key: string | null } | null;
      count: boolean;
    };

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

interface Segment {
  name: string;
  key: string | null;
  raw: string;
}

function parseSegment(raw: string): Segment {
  let text: string;
  try {
    text = decodeURIComponent(raw);
  } catch {
    throw malformedUrl(`The segment '${raw}' is not valid percent-encoding.`);
  }
  const match = /^([^()]+)(?:\(([^()]*)\))?$/.exec(text);
  if (!match) throw malformedUrl(`The segment '${text}' is not valid.`);
  const keyText = match[2];
  if (keyText === undefined) return { name: match[1]!, key: null, raw: text };
  // BC keys API entities by their SystemId: a bare GUID, optionally written id=<guid>.
  const key = keyText.replace(/^id=/, '');
  if (!GUID.test(key)) {
    throw malformedUrl(
      `'${keyText}' is not a valid key in '${text}': a GUID such as 01234567-89ab-cdef-0123-456789abcdef is expected.`,
    );
  }
  return { name: match[1]!, key: key.toLowerCase(), raw: text };
}

export function parseResourcePath(path: string): Resource {
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map(parseSegment);
  const [first, second, third, fourth, ...rest] = segments;
  if (!first) return { kind: 'serviceDocument' };
  if (first.name === '$metadata' && first.key === null && !second) return { kind: 'metadata' };
  if (first.name !== 'companies') throw segmentNotFound(first.raw);
  if (!second) return { kind: 'companies', key: first.key };
  if (first.key === null) throw segmentNotFound(second.raw);
  const set =
    ENTITY_SETS.get(second.name) ?? (second.name === SALES_ORDER_LINES_SET.name ? SALES_ORDER_LINES_SET : undefined);
  if (!set) throw segmentNotFound(second.raw);
  const base = { kind: 'entitySet' as const, companyId: first.key, set, key: second.key };
  if (!third) return { ...base, navigation: null, count: false };
  if (third.name === '$count' && third.key === null && second.key === null && !fourth) {
    return { ...base, navigation: null, count: true };
  }
  if (second.key === null) throw segmentNotFound(third.raw);
  const def = set.type.navigation[third.name];
  if (!def) throw segmentNotFound(third.raw);
  if (third.key !== null && def.kind !== 'lines') throw segmentNotFound(third.raw);
  const navigation = { name: third.name, def, key: third.key };
  if (!fourth) return { ...base, navigation, count: false };
  if (
    fourth.name === '$count' &&
    fourth.key === null &&
    third.key === null &&
    def.kind === 'lines' &&
    rest.length === 0
  ) {
    return { ...base, navigation, count: true };
  }
  throw segmentNotFound(fourth.raw);
}
