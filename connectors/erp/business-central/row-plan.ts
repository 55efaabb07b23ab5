// Turns a port row filter (../row-query.ts) into $filter expressions Business Central accepts.
//
// What Business Central cannot express, and what this does about it:
// - `not`: BC maps an OData filter onto AL field filters, which have no general negation. `not` is
//   pushed down to the leaves (De Morgan): the negation of eq/ne/gt/ge/lt/le is the opposite
//   comparison, of `in` a conjunction of `ne`, of a null test the other null test. The negation of
//   contains/startswith/endswith has no AL equivalent ("If there's no AL approximation, an error is
//   reported", webservices/use-filter-expressions-in-odata-uris): it is left to the adapter, and so
//   is a condition on a field BC does not serve where it is read (see residual below).
// - Nulls: BC stores blanks (empty text, the 0001-01-01 date) where the port has null. Null tests
//   become `eq`/`ne` the blank. A blank sorts before every value, so `lt`/`le` would let it through
//   where the port says a null fails (`and p ne blank` keeps it out), and the negation of `lt`/`le`
//   (a `ge`/`gt`) would keep it out where the port says a null passes (`or p eq blank`).
// - `in`: only from $schemaversion=2.1 on (webservices/use-filter-expressions-in-odata-uris): always
//   written as `(p eq a or p eq b ...)`. A long list (a partner's 1,000 customers) would not fit one
//   URL: a top-level `in` above MAX_OR_TERMS values is split into chunks of it, one request each.
//   An `or` of `eq`s and `in`s on one property (what the OData bridge makes of a long `in` list) is
//   merged into one `in` first, so that it is split too rather than sent as one huge filter.
// - BC's blank is the port's null, so no value equals it and every value sorts above it: a
//   comparison with the blank itself (`eq ''`) is constant, or a null test (`gt ''`).
// - `or` across different properties: refused by BC ("The 'OR' operator is not supported on
//   distinct fields on an OData filter", webservices/odata-known-limitations). Such a filter is
//   rewritten as a union of branches, each an `and` of single-property conditions (a disjunctive
//   normal form over the cross-property ORs only), at most MAX_BRANCHES of them; the executor
//   (row-query.ts) runs one request per branch and merges them.
// - Case-insensitive text functions: BC compares text case-sensitively; `contains(tolower(p),'x')`
//   needs $schemaversion=2.1 (nested calls), which the client then sends.
//
// What BC cannot evaluate at all is a residual: the plan sends the loosest filter BC can evaluate
// (each residual condition taken as true, so every matching row is among those read) and says it
// is not `exact`; the executor then tests the whole filter on the rows it reads (row-evaluate.ts).
import {
  ErpRowQueryError,
  ROW_SETS,
  type RowCompareOp,
  type RowField,
  type RowFilter,
  type RowSet,
  type RowSetDef,
} from '../row-query.js';
import type { BcRowField } from './row-fields.js';
import {
  and,
  anyOf,
  compare,
  literal,
  or,
  stringFunction,
  type ComparisonOperator,
  type FilterProperty,
  type FilterValue,
  type ODataFilter,
} from './odata-filter.js';

/** `eq` terms of one `or` chain; above it a top-level `in` is split (the URL stays near 4 KB). */
export const MAX_OR_TERMS = 100;
/**
 * Requests one row query may fan out to (each read a chunk at a time, within the read budget): a
 * partner's full scope of 1,000 customers (ten lists of MAX_OR_TERMS) times the three fields a
 * search matches.
 */
export const MAX_BRANCHES = 40;

/** A filter rewritten for BC: nothing matches, or the union of these branches (null: no filter). */
export type RowFilterPlan =
  | { readonly kind: 'nothing' }
  | {
      readonly kind: 'branches';
      readonly branches: readonly (ODataFilter | null)[];
      /** No row matches two branches (they only split `in` lists), so their counts add up. */
      readonly disjoint: boolean;
      /**
       * Per branch, the most rows it can match when it says so (an `in` on the set's key: one row
       * per value); Infinity otherwise.
       */
      readonly bounds: readonly number[];
      /**
       * The branches match exactly the filter's rows. False when part of it is a residual BC cannot
       * evaluate: the branches then match a superset, and the rows read must be tested.
       */
      readonly exact: boolean;
    };

/** The negation normal form, each leaf already a BC condition on one property. */
type Node =
  | { readonly t: 'true' }
  | { readonly t: 'false' }
  /** A condition BC cannot evaluate (a negated text function, a field it does not serve here). */
  | { readonly t: 'residual' }
  | { readonly t: 'leaf'; readonly property: FilterProperty; readonly filter: ODataFilter }
  /** A positive `in` (kept whole, so a top-level one can be split into chunks). */
  | { readonly t: 'in'; readonly property: FilterProperty; readonly values: readonly FilterValue[] }
  | { readonly t: 'and' | 'or'; readonly items: readonly Node[] };

const TRUE: Node = { t: 'true' };
const FALSE: Node = { t: 'false' };
const RESIDUAL: Node = { t: 'residual' };

const NEGATED: Record<RowCompareOp, RowCompareOp> = { eq: 'ne', ne: 'eq', gt: 'le', ge: 'lt', lt: 'ge', le: 'gt' };
/** The port's result for a null field (row-query.ts): only `ne` holds. */
const PORT_NULL: Record<RowCompareOp, boolean> = { eq: false, ne: true, gt: false, ge: false, lt: false, le: false };
/** BC's result for its blank, which sorts before every other value. */
const BC_BLANK: Record<RowCompareOp, boolean> = { eq: false, ne: true, gt: false, ge: false, lt: true, le: true };

function overLimit(set: string, message: string): ErpRowQueryError {
  return new ErpRowQueryError('limit', `${set}: ${message}`);
}

function combine(t: 'and' | 'or', items: Node[]): Node {
  const absorbing = t === 'and' ? 'false' : 'true';
  const neutral = t === 'and' ? 'true' : 'false';
  const kept: Node[] = [];
  for (const item of items) {
    if (item.t === absorbing) return item;
    if (item.t === neutral) continue;
    if (item.t === t) kept.push(...item.items);
    else kept.push(item);
  }
  if (t === 'or') mergeInLists(kept);
  else if (!intersectInLists(kept)) return FALSE;
  if (kept.length === 0) return t === 'and' ? TRUE : FALSE;
  return kept.length === 1 ? kept[0]! : { t, items: kept };
}

/**
 * Folds the `in` nodes of each property in `items` into the first of them, `fold` giving the
 * values of two (null: the `in`s can match no row together).
 */
function foldInLists(
  items: Node[],
  fold: (a: readonly FilterValue[], b: readonly FilterValue[]) => FilterValue[] | null,
): boolean {
  const first = new Map<FilterProperty, number>();
  for (let i = 0; i < items.length; i += 1) {
    const item = items[i]!;
    if (item.t !== 'in') continue;
    const at = first.get(item.property);
    if (at === undefined) {
      first.set(item.property, i);
      continue;
    }
    const kept = items[at] as Extract<Node, { t: 'in' }>;
    const values = fold(kept.values, item.values);
    if (values === null) return false;
    items[at] = { ...kept, values };
    items.splice(i, 1);
    i -= 1;
  }
  return true;
}

/** Merges the `in` nodes of one property in an `or` into one (values deduplicated). */
function mergeInLists(items: Node[]): void {
  foldInLists(items, (a, b) => distinctValues([...a, ...b]));
}

/**
 * Intersects the `in` nodes of one property in an `and` into one: a partner's scope of 1,000
 * customers and the `eq` of a key lookup become that one value (or nothing), before anything is
 * sent. False when an intersection is empty (the `and` matches nothing).
 */
function intersectInLists(items: Node[]): boolean {
  return foldInLists(items, (a, b) => {
    const other = new Set(b.map(literal));
    const values = a.filter((value) => other.has(literal(value)));
    return values.length > 0 ? values : null;
  });
}

function distinctValues(values: readonly FilterValue[]): FilterValue[] {
  return [...new Map(values.map((v) => [literal(v), v])).values()];
}

const isBlank = (bc: BcRowField, value: FilterValue) => bc.blank !== undefined && literal(value) === literal(bc.blank);

interface Context {
  readonly set: string;
  readonly portFields: Readonly<Record<string, RowField<never>>>;
  readonly bcFields: Readonly<Record<string, BcRowField>>;
}

/** The BC property of a port field, or undefined when BC does not serve it here (a residual). */
function bcField(ctx: Context, name: string): { port: RowField<never>; bc: BcRowField } | undefined {
  const port = ctx.portFields[name];
  const bc = Object.hasOwn(ctx.bcFields, name) ? ctx.bcFields[name] : undefined;
  // checkRowQuery refuses an unknown field before any plan: unreachable from a query.
  if (!port) throw new ErpRowQueryError('invalid', `${ctx.set}: no field '${name}'`);
  return bc ? { port, bc } : undefined;
}

const leaf = (property: FilterProperty, filter: ODataFilter): Node => ({ t: 'leaf', property, filter });

/** The filter in negation normal form (negated when `negate`), leaves translated to BC. */
function normalize(ctx: Context, filter: RowFilter, negate: boolean): Node {
  if (filter.kind === 'and' || filter.kind === 'or') {
    const t = (filter.kind === 'and') !== negate ? 'and' : 'or';
    return combine(
      t,
      filter.filters.map((f) => normalize(ctx, f, negate)),
    );
  }
  if (filter.kind === 'not') return normalize(ctx, filter.filter, !negate);
  const field = bcField(ctx, filter.field);
  if (!field) return RESIDUAL;
  const { bc } = field;
  switch (filter.kind) {
    case 'null': {
      const isNull = filter.isNull !== negate;
      // A field that is never null: the test is constant.
      if (bc.blank === undefined) return isNull ? FALSE : TRUE;
      return leaf(bc.property, compare(bc.property, isNull ? 'eq' : 'ne', bc.blank));
    }
    case 'in': {
      // The blank equals no value (it is the port's null): dropped from the list.
      const values = distinctValues(filter.values.map((v) => bc.toWire(v))).filter((v) => !isBlank(bc, v));
      if (values.length === 0) return negate ? TRUE : FALSE;
      if (!negate) return { t: 'in', property: bc.property, values };
      return leaf(bc.property, and(...values.map((v) => compare(bc.property, 'ne', v))));
    }
    case 'text': {
      if (negate) return RESIDUAL;
      const fn = filter.op === 'contains' ? 'contains' : filter.op === 'startsWith' ? 'startswith' : 'endswith';
      return leaf(bc.property, stringFunction(fn, bc.property, filter.value, { ignoreCase: true }));
    }
    case 'compare': {
      const op = negate ? NEGATED[filter.op] : filter.op;
      const value = bc.toWire(filter.value);
      if (isBlank(bc, value)) {
        // Nothing equals the blank or is below it; every value is above it, null is not.
        if (filter.op === 'gt' || filter.op === 'ge')
          return leaf(bc.property, compare(bc.property, negate ? 'eq' : 'ne', bc.blank!));
        return (filter.op === 'ne') !== negate ? TRUE : FALSE;
      }
      // An `eq` needs no blank fix (BC's blank and the port's null both fail it): kept as a
      // one-value `in` so an `or` of them on one property merges (mergeInLists).
      if (op === 'eq') return { t: 'in', property: bc.property, values: [value] };
      const base = compare(bc.property, op as ComparisonOperator, value);
      if (bc.blank === undefined) return leaf(bc.property, base);
      const wanted = negate ? !PORT_NULL[filter.op] : PORT_NULL[filter.op];
      const got = BC_BLANK[op];
      if (wanted === got) return leaf(bc.property, base);
      const fix = wanted
        ? or(base, compare(bc.property, 'eq', bc.blank))
        : and(base, compare(bc.property, 'ne', bc.blank));
      return leaf(bc.property, fix);
    }
  }
}

function hasResidual(node: Node): boolean {
  if (node.t === 'residual') return true;
  return (node.t === 'and' || node.t === 'or') && node.items.some(hasResidual);
}

/** The loosest filter BC can evaluate: every residual condition taken as true. */
function withoutResidual(node: Node): Node {
  if (node.t === 'residual') return TRUE;
  if (node.t === 'and' || node.t === 'or') return combine(node.t, node.items.map(withoutResidual));
  return node;
}

function propertiesOf(node: Node, out = new Set<FilterProperty>()): Set<FilterProperty> {
  if (node.t === 'leaf' || node.t === 'in') out.add(node.property);
  else if (node.t === 'and' || node.t === 'or') for (const item of node.items) propertiesOf(item, out);
  return out;
}

/** One BC expression for a node on a single property (or none). */
function render(node: Node): ODataFilter {
  switch (node.t) {
    case 'leaf':
      return node.filter;
    case 'in':
      return node.values.length === 1
        ? compare(node.property, 'eq', node.values[0]!)
        : anyOf(node.property, node.values);
    case 'and':
      return and(...node.items.map(render));
    case 'or':
      return or(...node.items.map(render));
    case 'true':
    case 'false':
    case 'residual':
      throw new Error('constants and residuals are simplified away before rendering');
  }
}

interface Expansion {
  /** Each a conjunction of single-property nodes. */
  branches: Node[][];
  crossPropertyOr: boolean;
}

/** The union-of-conjunctions form over cross-property ORs only. */
function expand(ctx: Context, node: Node): Expansion {
  if (propertiesOf(node).size <= 1) return { branches: [[node]], crossPropertyOr: false };
  if (node.t === 'or') {
    const parts = node.items.map((item) => expand(ctx, item));
    const branches = parts.flatMap((p) => p.branches);
    if (branches.length > MAX_BRANCHES) throw tooManyBranches(ctx);
    return { branches, crossPropertyOr: true };
  }
  if (node.t === 'and') {
    let branches: Node[][] = [[]];
    let crossPropertyOr = false;
    for (const item of node.items) {
      const part = expand(ctx, item);
      crossPropertyOr ||= part.crossPropertyOr;
      if (branches.length * part.branches.length > MAX_BRANCHES) throw tooManyBranches(ctx);
      branches = branches.flatMap((left) => part.branches.map((right) => [...left, ...right]));
    }
    return { branches, crossPropertyOr };
  }
  return { branches: [[node]], crossPropertyOr: false };
}

function tooManyBranches(ctx: Context): ErpRowQueryError {
  return overLimit(
    ctx.set,
    `the filter combines conditions on different fields with OR in too many ways for the ERP (at most ${MAX_BRANCHES} requests per query)`,
  );
}

/** Splits top-level `in` lists longer than MAX_OR_TERMS into chunks: one branch per chunk. */
function splitLongLists(ctx: Context, branch: Node[]): Node[][] {
  let out: Node[][] = [[]];
  for (const node of branch) {
    const choices: Node[] =
      node.t === 'in' && node.values.length > MAX_OR_TERMS
        ? chunk(node.values, MAX_OR_TERMS).map((values) => ({ ...node, values }))
        : [node];
    if (out.length * choices.length > MAX_BRANCHES) throw tooManyBranches(ctx);
    out = out.flatMap((left) => choices.map((choice) => [...left, choice]));
  }
  return out;
}

function chunk<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

/** The most rows a branch can match: one per value of an `in` on the set's (single) key, else Infinity. */
function boundOf(branch: readonly Node[], keyProperty: FilterProperty | undefined): number {
  let bound = Number.POSITIVE_INFINITY;
  for (const node of branch)
    if (node.t === 'in' && node.property === keyProperty) bound = Math.min(bound, node.values.length);
  return bound;
}

/**
 * The plan for `filter` over a set whose port fields map to BC properties as `bcFields` says (a
 * port field missing there is a residual). Throws ErpRowQueryError('limit') when the branches
 * would be too many.
 */
export function planRowFilter(
  set: RowSet,
  bcFields: Readonly<Record<string, BcRowField>>,
  filter: RowFilter | undefined,
): RowFilterPlan {
  const everything: RowFilterPlan = {
    kind: 'branches',
    branches: [null],
    disjoint: true,
    bounds: [Number.POSITIVE_INFINITY],
    exact: true,
  };
  if (!filter) return everything;
  const def = ROW_SETS[set] as RowSetDef<never>;
  const ctx: Context = { set, portFields: def.fields, bcFields };
  const normalized = normalize(ctx, filter, false);
  if (normalized.t === 'false') return { kind: 'nothing' };
  const exact = !hasResidual(normalized);
  const node = withoutResidual(normalized);
  if (node.t === 'false') return { kind: 'nothing' };
  if (node.t === 'true') return { ...everything, exact };
  const expansion = expand(ctx, node);
  const split = expansion.branches.flatMap((branch) => splitLongLists(ctx, branch));
  if (split.length > MAX_BRANCHES) throw tooManyBranches(ctx);
  const key =
    def.key.length === 1 && Object.hasOwn(bcFields, def.key[0]!) ? bcFields[def.key[0]!]!.property : undefined;
  // The same branch twice (`a or a`) would only double the work.
  const unique = new Map<string, { filter: ODataFilter; bound: number }>();
  for (const branch of split) {
    const rendered = and(...branch.map(render));
    const bound = boundOf(branch, key);
    const seen = unique.get(rendered.toString());
    unique.set(rendered.toString(), { filter: rendered, bound: Math.min(bound, seen?.bound ?? bound) });
  }
  const branches = [...unique.values()];
  return {
    kind: 'branches',
    branches: branches.map((branch) => branch.filter),
    disjoint: !expansion.crossPropertyOr || unique.size === 1,
    bounds: branches.map((branch) => branch.bound),
    exact,
  };
}
