// The system query options of a request, checked and parsed against the entity set: which options
// apply to which resource, the syntax of each, and the properties they name. Options Salesforce
// Connect never sends but OData defines ($expand, $apply, $compute, …) are refused with 501; names
// OData does not define, with 400 (Salesforce Help, OData Query String Options: what it sends).
import type { Identity } from '../../lib/identity.js';
import { canRead } from './access.js';
import { badRequest, notImplemented, OdataError, OdataErrorCode } from './errors.js';
import type { FilterExpr } from './filter-ast.js';
import { parseFilter } from './filter-parser.js';
import { notQueryableReason, type EntitySet, type ModelProperty } from './model.js';

/** What the request addresses (resource-path.ts). */
export type ResourceKind = 'service' | 'metadata' | 'collection' | 'count' | 'entity';

const UNSUPPORTED = new Set([
  '$expand',
  '$apply',
  '$compute',
  '$levels',
  '$index',
  '$schemaversion',
  '$deltatoken',
  '$id',
  '$batch',
]);
const APPLICABLE: Record<ResourceKind, ReadonlySet<string>> = {
  service: new Set(['$format']),
  metadata: new Set(['$format']),
  collection: new Set([
    '$select',
    '$filter',
    '$orderby',
    '$top',
    '$skip',
    '$count',
    '$search',
    '$skiptoken',
    '$format',
  ]),
  // OData 4.0 §11.2.9: a /$count ignores $top, $skip, $orderby and $select (it counts the filtered set).
  count: new Set(['$filter', '$search', '$top', '$skip', '$orderby', '$select', '$count', '$format']),
  entity: new Set(['$select', '$format']),
};
const KNOWN = new Set([...APPLICABLE.collection, ...UNSUPPORTED]);

export interface OrderItem {
  readonly property: ModelProperty;
  readonly descending: boolean;
}

export interface CollectionOptions {
  /** Properties asked for by $select; null means all. */
  readonly select: readonly ModelProperty[] | null;
  readonly filter: FilterExpr | null;
  readonly orderBy: readonly OrderItem[];
  readonly top: number | null;
  readonly skip: number;
  readonly count: boolean;
  readonly search: string | null;
  readonly skiptoken: string | null;
}

/** Refuses options that do not apply to the resource, are not implemented, or are not OData. */
export function checkApplicable(options: ReadonlyMap<string, string>, kind: ResourceKind): void {
  for (const name of options.keys()) {
    if (UNSUPPORTED.has(name)) throw notImplemented(`The query option ${name} is not supported.`, name);
    if (!KNOWN.has(name)) throw badRequest(`${name} is not an OData system query option.`, name);
    if (!APPLICABLE[kind].has(name))
      throw badRequest(`The query option ${name} does not apply to this resource.`, name);
  }
  const format = options.get('$format');
  if (format !== undefined) checkFormat(format, kind);
}

function checkFormat(format: string, kind: ResourceKind): void {
  const type = format.split(';')[0]!.trim().toLowerCase();
  const wanted = kind === 'metadata' ? ['xml', 'application/xml'] : ['json', 'application/json'];
  if (!wanted.includes(type)) {
    throw new OdataError(
      406,
      OdataErrorCode.BAD_USER_INPUT,
      `$format=${format} is not served here; use ${wanted[0]}.`,
      '$format',
    );
  }
}

export function parseCollectionOptions(
  options: ReadonlyMap<string, string>,
  set: EntitySet,
  identity: Identity,
): CollectionOptions {
  const filter = options.get('$filter');
  const search = options.get('$search');
  const orderBy = options.get('$orderby');
  const select = options.get('$select');
  const top = options.get('$top');
  const skip = options.get('$skip');
  const count = options.get('$count');
  const skiptoken = options.get('$skiptoken');
  return {
    select: select === undefined ? null : parseSelect(select, set),
    filter: filter === undefined ? null : parseFilter(filter),
    orderBy: orderBy === undefined ? [] : parseOrderBy(orderBy, set, identity),
    top: top === undefined ? null : nonNegativeInteger(top, '$top'),
    skip: skip === undefined ? 0 : nonNegativeInteger(skip, '$skip'),
    count: count === undefined ? false : parseBoolean(count, '$count'),
    search: search === undefined ? null : parseSearch(search),
    skiptoken: skiptoken === undefined || skiptoken === '' ? null : skiptoken,
  };
}

/** Only $select applies to a single entity. */
export function parseEntitySelect(
  options: ReadonlyMap<string, string>,
  set: EntitySet,
): readonly ModelProperty[] | null {
  const select = options.get('$select');
  return select === undefined ? null : parseSelect(select, set);
}

// Beyond any page size; keeps offsets exact in a JavaScript number and in GraphQL's Int.
const MAX_INTEGER = 2 ** 31 - 1;

function nonNegativeInteger(value: string, option: string): number {
  if (!/^\d+$/.test(value.trim()))
    throw badRequest(`${option} must be a non-negative integer, not "${value}".`, option);
  const number = Number(value.trim());
  if (number > MAX_INTEGER) throw badRequest(`${option} must be at most ${MAX_INTEGER}.`, option);
  return number;
}

function parseBoolean(value: string, option: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw badRequest(`${option} must be true or false, not "${value}".`, option);
}

/** Comma-separated items with their 1-based positions. */
function items(value: string): { text: string; position: number }[] {
  const result: { text: string; position: number }[] = [];
  let offset = 0;
  for (const part of value.split(',')) {
    const leading = part.length - part.trimStart().length;
    result.push({ text: part.trim(), position: offset + leading + 1 });
    offset += part.length + 1;
  }
  return result;
}

function lookup(set: EntitySet, name: string, option: string, position: number): ModelProperty {
  if (name.includes('/'))
    throw notImplemented(`${option}: paths (${name}) are not supported (position ${position}).`, option);
  const property = set.property(name);
  if (!property)
    throw badRequest(`${option}: ${set.name} has no property ${JSON.stringify(name)} (position ${position}).`, option);
  return property;
}

function parseSelect(value: string, set: EntitySet): readonly ModelProperty[] | null {
  const selected = new Map<string, ModelProperty>();
  for (const item of items(value)) {
    if (item.text === '') throw badRequest(`$select: expected a property name (position ${item.position}).`, '$select');
    if (item.text === '*') return null;
    const property = lookup(set, item.text, '$select', item.position);
    selected.set(property.name, property);
  }
  return [...selected.values()];
}

const ORDER_ITEM = /^([A-Za-z_][A-Za-z0-9_/]*)(?:[ \t]+(asc|desc))?$/;

function parseOrderBy(value: string, set: EntitySet, identity: Identity): OrderItem[] {
  return items(value).map((item) => {
    const match = ORDER_ITEM.exec(item.text);
    if (!match)
      throw badRequest(
        `$orderby: expected "Property", "Property asc" or "Property desc" (position ${item.position}).`,
        '$orderby',
      );
    const property = lookup(set, match[1]!, '$orderby', item.position);
    if (!canRead(identity, property)) {
      throw new OdataError(
        403,
        OdataErrorCode.FORBIDDEN,
        `$orderby: your role may not read ${property.name} (position ${item.position}).`,
        '$orderby',
      );
    }
    if (property.field === undefined) {
      throw badRequest(
        `$orderby: ${property.name} cannot be sorted on (${notQueryableReason(property)}) (position ${item.position}).`,
        '$orderby',
      );
    }
    return { property, descending: match[2] === 'desc' };
  });
}

const SEARCH_OPERATORS = /(^|\s)(AND|OR|NOT)(\s|$)/;

/**
 * $search as one phrase, matched as a case-insensitive substring of the properties the row query's
 * `search` reads (per entity set: schema/erp.graphql, each also an OData property of the set).
 * Salesforce Connect sends the words a user typed, punctuation other than hyphens removed; a
 * quoted phrase is unquoted. OData's search operators and grouping are refused.
 */
export function parseSearch(value: string): string | null {
  const text = value.trim().replace(/\s+/g, ' ');
  if (text === '') return null;
  const quoted = /^"((?:[^"\\]|\\.)*)"$/.exec(text);
  if (quoted) return quoted[1]!.replace(/\\(.)/g, '$1') || null;
  if (text.includes('"') || text.includes('(') || text.includes(')') || SEARCH_OPERATORS.test(text)) {
    throw notImplemented(
      '$search: only a word or a phrase is supported (no AND, OR, NOT, parentheses or several quoted phrases).',
      '$search',
    );
  }
  return text;
}
