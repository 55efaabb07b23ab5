// Parsing and validating the system query options of a request against the entity type it
// addresses: $filter, $select, $expand, $orderby, $top, $skip, $count, $skiptoken (and the
// `Prefer: odata.maxpagesize` header). Everything invalid is a 400 BadRequest naming what is wrong;
// system options the emulator does not implement ($search, $apply, ...) are refused rather than
// silently ignored, so a client never believes a filter was applied when it was not.
import { badRequest, type BcError } from '../errors.js';
import { qualifiedName, type EntityTypeDef, type NavigationDef } from '../entity-sets.js';
import { compileFilter, FilterBindError, type Predicate } from './evaluate.js';
import {
  crossPropertyOr,
  FilterSyntaxError,
  hasNestedCall,
  negatedFunction,
  parseFilter,
  type FilterNode,
} from './filter.js';
import { decodeSkipToken, type SkipToken } from './skiptoken.js';

export interface OrderByItem {
  property: string;
  descending: boolean;
}

export interface ExpandItem {
  navigation: string;
  def: NavigationDef;
  /** Nested `$select` of the expanded entities, or null for all properties. */
  select: string[] | null;
}

export interface QueryOptions {
  filter: { ast: FilterNode; predicate: Predicate } | null;
  select: string[] | null;
  expand: ExpandItem[];
  orderBy: OrderByItem[];
  top: number | null;
  skip: number;
  count: boolean;
  skipToken: SkipToken | null;
}

/**
 * How closely $filter follows Business Central's own limits. Nested function calls need
 * $schemaversion=2.1 always (a client that works here must work there). With `businessCentral`
 * (the default), what BC has no AL filter for is refused as BC refuses it: an `or` across
 * different properties, a `not` over contains/startswith/endswith; without (the opt-out
 * EMULATOR_ERP_STRICT_FILTERS=false), it is evaluated.
 */
export interface FilterRules {
  readonly businessCentral: boolean;
}

const BUSINESS_CENTRAL: FilterRules = { businessCentral: true };

/** Options allowed per kind of request; anything else present is a client error. */
export type QueryShape = 'collection' | 'entity' | 'count';

const SUPPORTED: Record<QueryShape, ReadonlySet<string>> = {
  collection: new Set([
    '$filter',
    '$select',
    '$expand',
    '$orderby',
    '$top',
    '$skip',
    '$count',
    '$skiptoken',
    '$format',
    '$schemaversion',
  ]),
  entity: new Set(['$select', '$expand', '$format', '$schemaversion']),
  count: new Set(['$filter', '$format', '$schemaversion']),
};

function single(params: URLSearchParams, name: string): string | null {
  const all = params.getAll(name);
  if (all.length > 1)
    throw badRequest(`The query option '${name}' was specified more than once, but it must be specified at most once.`);
  return all[0] ?? null;
}

function propertyNotFound(name: string, type: EntityTypeDef): BcError {
  return badRequest(`Could not find a property named '${name}' on type '${qualifiedName(type)}'.`);
}

export function parseFilterOption(
  text: string,
  type: EntityTypeDef,
  context: { schemaVersion: string | null; rules: FilterRules } = { schemaVersion: null, rules: BUSINESS_CENTRAL },
): { ast: FilterNode; predicate: Predicate } {
  if (text.trim() === '') throw badRequest('The $filter query option must not be empty.');
  let ast: FilterNode;
  let predicate: Predicate;
  try {
    ast = parseFilter(text);
    predicate = compileFilter(ast, type);
  } catch (error) {
    if (error instanceof FilterSyntaxError || error instanceof FilterBindError) throw badRequest(error.message);
    throw error;
  }
  if (hasNestedCall(ast) && !atLeast21(context.schemaVersion)) {
    throw badRequest(
      'Nested function calls in $filter are supported from $schemaversion=2.1 on; add $schemaversion=2.1 to the request.',
    );
  }
  if (context.rules.businessCentral && crossPropertyOr(ast)) {
    throw badRequest(
      "An error occurred while processing this request. The 'OR' operator is not supported on distinct fields on an OData filter.",
    );
  }
  const negated = context.rules.businessCentral ? negatedFunction(ast) : null;
  if (negated?.kind === 'function') {
    throw badRequest(
      `An error occurred while processing this request. The 'Not' operator is not supported on the function '${negated.name}' on an OData filter.`,
    );
  }
  return { ast, predicate };
}

/** `$schemaversion` is major.minor (BC: 1.0, 2.0, 2.1, ...). */
function atLeast21(version: string | null): boolean {
  const m = version === null ? null : /^(\d+)\.(\d+)$/.exec(version);
  if (!m) return false;
  const major = Number(m[1]);
  return major > 2 || (major === 2 && Number(m[2]) >= 1);
}

function parseSelect(text: string, type: EntityTypeDef): string[] | null {
  const names = text.split(',').map((name) => name.trim());
  if (names.includes('*')) return null;
  for (const name of names) {
    if (name === '') throw badRequest(`The $select query option '${text}' contains an empty property name.`);
    if (type.properties[name] === undefined) throw propertyNotFound(name, type);
  }
  return [...new Set(names)];
}

/** Splits on commas that are not inside parentheses: `a($select=x,y),b`. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '(') depth += 1;
    else if (ch === ')') depth -= 1;
    else if (ch === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function parseExpand(text: string, type: EntityTypeDef): ExpandItem[] {
  const items: ExpandItem[] = [];
  for (const raw of splitTopLevel(text, ',')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((.*)\))?\s*$/s.exec(raw);
    if (!match) throw badRequest(`The $expand query option '${text}' is not valid.`);
    const navigation = match[1]!;
    const def = type.navigation[navigation];
    if (!def) throw propertyNotFound(navigation, type);
    let select: string[] | null = null;
    const nested = match[2];
    if (nested !== undefined && nested.trim() !== '') {
      for (const option of splitTopLevel(nested, ';')) {
        const eq = option.indexOf('=');
        const name = option.slice(0, eq).trim();
        if (eq < 0 || name !== '$select') {
          throw badRequest(`The nested query option '${option.trim()}' in $expand is not supported; only $select is.`);
        }
        select = parseSelect(option.slice(eq + 1), def.target);
      }
    }
    if (items.some((item) => item.navigation === navigation)) continue;
    items.push({ navigation, def, select });
  }
  return items;
}

function parseOrderBy(text: string, type: EntityTypeDef): OrderByItem[] {
  return text.split(',').map((part) => {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?\s*$/.exec(part);
    if (!match)
      throw badRequest(`The $orderby query option '${text}' is not valid: expected 'property [asc|desc], ...'.`);
    const property = match[1]!;
    const propertyType = type.properties[property];
    if (propertyType === undefined) throw propertyNotFound(property, type);
    if (propertyType === 'stringCollection')
      throw badRequest(`The property '${property}' is a collection and cannot be used in $orderby.`);
    return { property, descending: match[2] === 'desc' };
  });
}

function parseNonNegative(name: '$top' | '$skip', text: string): number {
  if (!/^\d{1,15}$/.test(text)) {
    throw badRequest(
      `Invalid value '${text}' for ${name} query option found. The ${name} query option requires a non-negative integer value.`,
    );
  }
  return Number(text);
}

export function parseQueryOptions(
  params: URLSearchParams,
  type: EntityTypeDef,
  shape: QueryShape,
  rules: FilterRules = BUSINESS_CENTRAL,
): QueryOptions {
  for (const name of new Set(params.keys())) {
    if (name.startsWith('$') && !SUPPORTED[shape].has(name)) {
      throw badRequest(`The query parameter '${name}' is not supported on this request.`);
    }
  }
  const format = single(params, '$format');
  if (format !== null && format !== 'json' && !format.startsWith('application/json')) {
    throw badRequest(`The $format '${format}' is not supported; use json.`);
  }
  const filterText = single(params, '$filter');
  const selectText = single(params, '$select');
  const expandText = single(params, '$expand');
  const orderByText = single(params, '$orderby');
  const topText = single(params, '$top');
  const skipText = single(params, '$skip');
  const countText = single(params, '$count');
  const skipTokenText = single(params, '$skiptoken');
  const schemaVersion = single(params, '$schemaversion');
  if (countText !== null && countText !== 'true' && countText !== 'false') {
    throw badRequest(
      `Invalid value '${countText}' for $count query option found. Valid values are 'true' and 'false'.`,
    );
  }
  const orderBy = orderByText === null ? [] : parseOrderBy(orderByText, type);
  return {
    filter: filterText === null ? null : parseFilterOption(filterText, type, { schemaVersion, rules }),
    select: selectText === null ? null : parseSelect(selectText, type),
    expand: expandText === null ? [] : parseExpand(expandText, type),
    orderBy,
    top: topText === null ? null : parseNonNegative('$top', topText),
    skip: skipText === null ? 0 : parseNonNegative('$skip', skipText),
    count: countText === 'true',
    skipToken: skipTokenText === null ? null : decodeSkipToken(skipTokenText, orderBy.length),
  };
}

/** `Prefer: odata.maxpagesize=N` (OData v4 §8.2.8.3); null when absent or malformed. */
export function preferredPageSize(prefer: string | undefined): number | null {
  if (!prefer) return null;
  const match = /(?:^|[,;\s])odata\.maxpagesize\s*=\s*"?(\d+)"?/i.exec(prefer);
  if (!match) return null;
  const size = Number(match[1]);
  return size > 0 ? size : null;
}
