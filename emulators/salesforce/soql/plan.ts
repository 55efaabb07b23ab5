// A parsed SOQL query checked against the schema and compiled into what the evaluator runs: the
// queried object, the select list (fields, parent paths, child subqueries, COUNT(), aggregates),
// the WHERE tree with compiled conditions, ORDER BY, LIMIT and OFFSET. Every name is resolved here,
// so unknown objects, fields and relationships fail before anything runs.
import type { FieldType, OrderByClause, Query, Subquery } from '@jetstreamapp/soql-parser-js';
import { SfApiError, malformedQuery, unsupportedType } from '../errors.js';
import type { ChildRelationshipMeta, ObjectMeta, Schema } from '../schema.js';
import type { AggregateFunction, AggregateOutput, AggregatePlan } from './aggregate.js';
import { type Category, type Comparable, categoryOf } from './compare.js';
import { type CompiledCondition, compileCondition } from './conditions.js';
import { type FieldPath, resolvePath } from './paths.js';
import { type BoolExpr, type LeafCondition, buildWhereTree } from './where.js';

export type SelectItem =
  | { readonly kind: 'field'; readonly path: FieldPath }
  | { readonly kind: 'child'; readonly relationship: ChildRelationshipMeta; readonly plan: QueryPlan };

export interface OrderItem {
  readonly path: FieldPath;
  readonly category: Category;
  readonly descending: boolean;
  readonly nullsLast: boolean;
}

export interface QueryPlan {
  readonly object: ObjectMeta;
  readonly select: readonly SelectItem[];
  /** `SELECT COUNT() ...`: the answer is totalSize only. */
  readonly countOnly: boolean;
  readonly aggregate: AggregatePlan | null;
  readonly where: BoolExpr<CompiledCondition> | null;
  readonly orderBy: readonly OrderItem[];
  readonly limit: number | null;
  readonly offset: number;
}

export interface PlanContext {
  readonly schema: Schema;
  /** Today as an epoch day, for date literals. */
  readonly today: number;
  /** Runs a semi-join subquery, answering the values of its one selected field. */
  readonly semiJoin: (query: Query) => Set<Comparable>;
}

// Salesforce: "The maximum offset is 2,000 rows" (SOQL reference, OFFSET).
const MAX_OFFSET = 2000;
const AGGREGATES = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);

function mapTree<A, B>(tree: BoolExpr<A>, f: (leaf: A) => B): BoolExpr<B> {
  switch (tree.kind) {
    case 'leaf':
      return { kind: 'leaf', leaf: f(tree.leaf) };
    case 'not':
      return { kind: 'not', item: mapTree(tree.item, f) };
    default:
      return { kind: tree.kind, items: tree.items.map((item) => mapTree(item, f)) };
  }
}

const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

function rawFieldPath(field: Extract<FieldType, { type: 'Field' | 'FieldRelationship' }>): string {
  if ('rawValue' in field && field.rawValue) return field.rawValue;
  return field.type === 'FieldRelationship' ? [...field.relationships, field.field].join('.') : field.field;
}

/** Compiles the top-level query. */
export function planQuery(query: Query, ctx: PlanContext): QueryPlan {
  const object = query.sObject ? ctx.schema.object(query.sObject) : undefined;
  if (!object) throw unsupportedType(query.sObject ?? '');
  return planFor(object, query, ctx, false);
}

function planChild(parent: ObjectMeta, sub: Subquery, ctx: PlanContext): SelectItem {
  const relationship = parent.childRelationship(sub.relationshipName);
  if (!relationship) {
    throw new SfApiError(
      400,
      'INVALID_TYPE',
      `Didn't understand relationship '${sub.relationshipName}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const child = ctx.schema.object(relationship.childSObject)!;
  return { kind: 'child', relationship, plan: planFor(child, sub, ctx, true) };
}

function planFor(object: ObjectMeta, query: Query | Subquery, ctx: PlanContext, isChild: boolean): QueryPlan {
  const alias = query.sObjectAlias;
  const resolve = (raw: string) => resolvePath(ctx.schema, object, raw, alias);
  if (query.having) throw malformedQuery('HAVING is not supported by this emulator');

  const select: SelectItem[] = [];
  const seen = new Set<string>();
  const addField = (path: FieldPath) => {
    if (seen.has(path.text)) return;
    seen.add(path.text);
    select.push({ kind: 'field', path });
  };
  const functions: { fn: AggregateFunction; param: string | null; alias: string | undefined }[] = [];
  let countOnly = false;

  for (const item of query.fields ?? []) {
    switch (item.type) {
      case 'Field':
      case 'FieldRelationship':
        addField(resolve(rawFieldPath(item)));
        break;
      case 'FieldSubquery':
        if (isChild) throw malformedQuery('Nesting of child subqueries is not supported');
        select.push(planChild(object, item.subquery, ctx));
        break;
      case 'FieldFunctionExpression': {
        const name = item.functionName.toUpperCase();
        if (name === 'FIELDS') {
          const which = String(item.parameters[0] ?? '').toUpperCase();
          for (const f of object.fields) {
            if (which === 'ALL' || (which === 'CUSTOM') === f.custom) addField(resolve(f.name));
          }
        } else if (name === 'COUNT' && item.parameters.length === 0) {
          countOnly = true;
        } else if (AGGREGATES.has(name)) {
          const param = item.parameters[0];
          if (param !== undefined && typeof param !== 'string')
            throw malformedQuery(`nested functions in ${name}() are not supported`);
          functions.push({ fn: name as AggregateFunction, param: param ?? null, alias: item.alias });
        } else {
          throw malformedQuery(`function ${item.functionName}() is not supported by this emulator`);
        }
        break;
      }
      default:
        throw malformedQuery('TYPEOF is not supported by this emulator');
    }
  }
  if (countOnly && (select.length > 0 || functions.length > 0)) {
    throw malformedQuery('COUNT() must be the only element in the SELECT list');
  }

  const groupBy = asArray(query.groupBy).map((g) => {
    if (!('field' in g)) throw malformedQuery('GROUP BY functions are not supported by this emulator');
    return resolve(g.field);
  });
  let aggregate: AggregatePlan | null = null;
  if (functions.length > 0 || groupBy.length > 0) {
    if (isChild) throw malformedQuery('aggregate functions are not supported in child subqueries');
    const grouped = new Set(groupBy.map((p) => p.text));
    const outputs: AggregateOutput[] = [];
    for (const item of select) {
      if (item.kind !== 'field' || !grouped.has(item.path.text)) {
        throw malformedQuery(
          `Field must be grouped or aggregated: ${item.kind === 'field' ? item.path.text : item.relationship.relationshipName}`,
        );
      }
      outputs.push({ kind: 'group', path: item.path, key: item.path.field.name });
    }
    let expr = 0;
    for (const f of functions) {
      outputs.push({
        kind: 'function',
        fn: f.fn,
        path: f.param ? resolve(f.param) : null,
        key: f.alias ?? `expr${expr++}`,
      });
    }
    aggregate = { groupBy, outputs };
  }

  const where = query.where
    ? mapTree<LeafCondition, CompiledCondition>(buildWhereTree(query.where), (leaf) =>
        compileCondition(leaf, { schema: ctx.schema, root: object, alias, today: ctx.today, semiJoin: ctx.semiJoin }),
      )
    : null;

  const orderBy = asArray(query.orderBy).map((clause: OrderByClause): OrderItem => {
    if (!('field' in clause)) throw malformedQuery('ORDER BY functions are not supported by this emulator');
    const path = resolve(clause.field);
    if (aggregate && !aggregate.groupBy.some((p) => p.text === path.text)) {
      throw malformedQuery(`Ordered field must be grouped or aggregated: ${path.text}`);
    }
    const descending = clause.order === 'DESC';
    // SOQL reference: "By default, null values are sorted first" in ascending order; descending
    // reverses the order, nulls included, unless NULLS FIRST/LAST says otherwise.
    return {
      path,
      category: categoryOf(path.field),
      descending,
      nullsLast: clause.nulls ? clause.nulls === 'LAST' : descending,
    };
  });

  const offset = query.offset ?? 0;
  if (offset > MAX_OFFSET) {
    throw new SfApiError(400, 'NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
  }
  return {
    object,
    select,
    countOnly,
    aggregate,
    where,
    orderBy,
    limit: query.limit ?? null,
    offset,
  };
}
