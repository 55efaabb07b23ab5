// The estimated cost of an operation before it runs, by the rules Apollo Router's demand control
// applies (its "static estimated" strategy, apollo-router src/plugins/demand_control/
// cost_calculator/static_cost.rs), on the IBM GraphQL Cost Directives (@cost, @listSize):
//
// - an operation costs its base (mutation 10, query 0) plus the cost of its root selection;
// - a field costs `count × (weight + cost of its selection) + cost of its arguments`, where weight is
//   the field's @cost, else its type's @cost, else 1 for an object, interface or union and 0 for a
//   scalar or enum; count is 1, or for a list: the size a parent's @listSize(sizedFields) gives it,
//   else its own @listSize (the largest slicing argument given, else assumedSize), else the default
//   list size. A list therefore multiplies the cost of everything selected inside it;
// - an input object argument costs 1 (or its @cost) plus its fields; a list argument the sum of its
//   items; scalars 0 unless @cost says otherwise;
// - a field skipped by @skip/@include costs nothing; __typename and introspection cost nothing (the
//   gateway answers them itself).
//
// Slicing arguments are read from literals, then variables, then the variable's default in the
// operation. A slicing argument that is null or missing (`accounts(first: null)`, a variable unset or
// sent as null) is sized as the resolver sizes it: by the argument's default in the schema
// (`accounts(first: Int = 20)`: the Salesforce subgraph pages 20 then too), else by the field's
// @listSize assumedSize, which fields whose slicing argument has no default declare as its maximum
// (the ERP row fields: 2000), else by the default list size. Unlike the Router, a field missing or
// repeating slicing arguments is estimated rather than refused: the schema's own validation already
// requires them where it matters (`first: Int!`).
//
// One rule of our own, for offset paging: a field with slicing arguments that also takes `skip` (the
// ERP row fields, which the OData bridge pages with $skip / $skiptoken) adds 1 per skipped row, an
// object's weight without its selection: skipped rows are read by the ERP but never returned. So a
// page's cost grows with its depth, and a deep page ($skip in the tens of thousands) is refused
// like a large one (README, "Use from Salesforce Connect").
import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type GraphQLType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { CostDirectives, ListSize } from './cost-directives.js';

export interface CostContext {
  readonly schema: GraphQLSchema;
  readonly directives: CostDirectives;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** The request's variables as sent (not yet coerced). */
  readonly variables: Readonly<Record<string, unknown>>;
  /** Size of a list without @listSize. */
  readonly defaultListSize: number;
}

const OPERATION_BASE_COST = { query: 0, mutation: 10, subscription: 0 } as const;

/** The offset argument of a sliced field (see the header): each row it skips costs SKIPPED_ROW_COST. */
const OFFSET_ARGUMENT = 'skip';
const SKIPPED_ROW_COST = 1;

/** How far input values are followed: RowFilter nests itself; deeper levels add nothing to the estimate. */
const MAX_INPUT_DEPTH = 32;

/** What a parent's @listSize(sizedFields) hands down to its selection: the size of those fields. */
interface SizedFields {
  readonly size: number | null;
  readonly fields: ReadonlySet<string>;
}

export function estimateOperationCost(operation: OperationDefinitionNode, context: CostContext): number {
  const root = context.schema.getRootType(operation.operation);
  if (!root) return 0;
  const variableDefaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) variableDefaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const estimator = new Estimator(context, variableDefaults);
  return OPERATION_BASE_COST[operation.operation] + estimator.selectionSet(operation.selectionSet, root, null);
}

class Estimator {
  /** Cost of a fragment's selection, per sized-fields context it is spread in. */
  private readonly fragmentCosts = new Map<string, number>();

  constructor(
    private readonly context: CostContext,
    private readonly variableDefaults: ReadonlyMap<string, ValueNode>,
  ) {}

  selectionSet(selectionSet: SelectionSetNode, parent: GraphQLNamedType, sized: SizedFields | null): number {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (this.skipped(selection)) continue;
      if (selection.kind === Kind.FIELD) cost += this.field(selection, parent, sized);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition
          ? this.context.schema.getType(selection.typeCondition.name.value)
          : parent;
        cost += this.selectionSet(selection.selectionSet, condition ?? parent, sized);
      } else cost += this.fragment(selection.name.value, sized);
    }
    return cost;
  }

  private fragment(name: string, sized: SizedFields | null): number {
    const key = sized ? `${name}|${sized.size}|${[...sized.fields].join(',')}` : name;
    const known = this.fragmentCosts.get(key);
    if (known !== undefined) return known;
    // Validation rejected cycles before this runs; the placeholder only guards against recursing for ever.
    this.fragmentCosts.set(key, 0);
    const fragment = this.context.fragments.get(name);
    const type = fragment && this.context.schema.getType(fragment.typeCondition.name.value);
    const cost = fragment && type ? this.selectionSet(fragment.selectionSet, type, sized) : 0;
    this.fragmentCosts.set(key, cost);
    return cost;
  }

  private field(node: FieldNode, parent: GraphQLNamedType, sized: SizedFields | null): number {
    const name = node.name.value;
    if (name.startsWith('__')) return 0;
    if (!hasFields(parent)) return 0;
    const definition = parent.getFields()[name];
    if (!definition) return 0;

    const type = namedType(definition.type);
    const listSize = this.context.directives.listSize(parent.name, name);
    const expected = listSize ? this.expectedSize(node, definition, listSize) : null;

    let count = 1;
    if (isList(definition.type)) {
      const fromParent = sized?.fields.has(name) ? sized.size : null;
      count = fromParent ?? expected ?? this.context.defaultListSize;
    }
    const weight =
      this.context.directives.fieldWeight(parent.name, name) ??
      this.context.directives.typeWeight(type.name) ??
      (isComposite(type) ? 1 : 0);
    const childSized =
      listSize && listSize.sizedFields.length > 0 ? { size: expected, fields: new Set(listSize.sizedFields) } : null;
    const selection = node.selectionSet ? this.selectionSet(node.selectionSet, type, childSized) : 0;
    const skipped = listSize && listSize.slicingArguments.length > 0 ? this.skippedRows(node, definition) : 0;

    let argumentsCost = 0;
    for (const argument of node.arguments ?? []) {
      const argumentDefinition = definition.args.find((candidate) => candidate.name === argument.name.value);
      if (!argumentDefinition) continue;
      const weightOverride = this.context.directives.inputWeight(parent.name, name, argument.name.value);
      argumentsCost += this.inputNode(argument.value, argumentDefinition.type, weightOverride, 0);
    }
    return count * (weight + selection + skipped * SKIPPED_ROW_COST) + argumentsCost;
  }

  /**
   * The largest slicing argument (literal, variable, variable default; null or missing: the schema
   * default), else assumedSize.
   */
  private expectedSize(node: FieldNode, definition: GraphQLField<unknown, unknown>, listSize: ListSize): number | null {
    let largest: number | null = null;
    for (const slicingArgument of listSize.slicingArguments) {
      const value = this.argumentValue(node, definition, slicingArgument);
      if (typeof value === 'number' && Number.isInteger(value)) largest = Math.max(largest ?? 0, Math.max(0, value));
    }
    return largest ?? listSize.assumedSize;
  }

  /** The rows an offset argument skips (0 without one). */
  private skippedRows(node: FieldNode, definition: GraphQLField<unknown, unknown>): number {
    if (!definition.args.some((argument) => argument.name === OFFSET_ARGUMENT)) return 0;
    const value = this.argumentValue(node, definition, OFFSET_ARGUMENT);
    return typeof value === 'number' && Number.isInteger(value) ? Math.max(0, value) : 0;
  }

  /**
   * An argument's value as the resolver gets it, as far as the estimate needs it: given (literal,
   * variable, variable default); when that is null or missing, the argument's default in the schema
   * (the resolvers of sliced fields read null as their default: subgraphs/salesforce/arguments.ts).
   */
  private argumentValue(node: FieldNode, definition: GraphQLField<unknown, unknown>, name: string): unknown {
    const given = node.arguments?.find((argument) => argument.name.value === name);
    const value = given ? this.valueOf(given.value) : undefined;
    if (value !== null && value !== undefined) return value;
    return definition.args.find((argument) => argument.name === name)?.defaultValue;
  }

  /** A literal or variable's value, as far as the estimate needs it (integers for slicing arguments; null). */
  private valueOf(value: ValueNode): unknown {
    if (value.kind === Kind.INT) return Number.parseInt(value.value, 10);
    if (value.kind === Kind.NULL) return null;
    if (value.kind !== Kind.VARIABLE) return undefined;
    const name = value.name.value;
    if (Object.hasOwn(this.context.variables, name)) return this.context.variables[name];
    const fallback = this.variableDefaults.get(name);
    return fallback ? this.valueOf(fallback) : undefined;
  }

  private inputNode(
    value: ValueNode,
    type: GraphQLInputType,
    weightOverride: number | undefined,
    depth: number,
  ): number {
    if (depth > MAX_INPUT_DEPTH) return 0;
    if (value.kind === Kind.VARIABLE) {
      const name = value.name.value;
      if (Object.hasOwn(this.context.variables, name))
        return this.inputJson(this.context.variables[name], type, weightOverride, depth);
      const fallback = this.variableDefaults.get(name);
      return fallback ? this.inputNode(fallback, type, weightOverride, depth) : 0;
    }
    if (value.kind === Kind.NULL) return 0;
    if (value.kind === Kind.LIST) {
      const item = listItem(type);
      return (
        (weightOverride ?? 0) +
        value.values.reduce((sum, entry) => sum + this.inputNode(entry, item, weightOverride, depth + 1), 0)
      );
    }
    const named = namedType(type);
    if (value.kind === Kind.OBJECT && isInputObject(named)) {
      const fields = named.getFields();
      let cost = weightOverride ?? 1;
      for (const field of value.fields) {
        const definition = fields[field.name.value];
        if (!definition) continue;
        cost += this.inputNode(
          field.value,
          definition.type,
          this.context.directives.inputWeight(named.name, field.name.value),
          depth + 1,
        );
      }
      return cost;
    }
    return weightOverride ?? this.context.directives.typeWeight(named.name) ?? 0;
  }

  private inputJson(value: unknown, type: GraphQLInputType, weightOverride: number | undefined, depth: number): number {
    if (depth > MAX_INPUT_DEPTH || value === null || value === undefined) return 0;
    if (Array.isArray(value)) {
      const item = listItem(type);
      return (
        (weightOverride ?? 0) +
        value.reduce<number>((sum, entry) => sum + this.inputJson(entry, item, weightOverride, depth + 1), 0)
      );
    }
    const named = namedType(type);
    if (typeof value === 'object' && isInputObject(named)) {
      const fields = named.getFields();
      let cost = weightOverride ?? 1;
      for (const [name, entry] of Object.entries(value)) {
        const definition = fields[name];
        if (!definition) continue;
        cost += this.inputJson(
          entry,
          definition.type,
          this.context.directives.inputWeight(named.name, name),
          depth + 1,
        );
      }
      return cost;
    }
    return weightOverride ?? this.context.directives.typeWeight(named.name) ?? 0;
  }

  /**
   * @skip(if: true) / @include(if: false), from a literal or a variable. A condition that cannot be
   * read (a variable not sent) counts the selection: the estimate is an upper bound.
   */
  private skipped(selection: SelectionSetNode['selections'][number]): boolean {
    if (!selection.directives?.length) return false;
    try {
      const variables = this.context.variables as Record<string, unknown>;
      if (getDirectiveValues(GraphQLSkipDirective, selection, variables)?.if === true) return true;
      return getDirectiveValues(GraphQLIncludeDirective, selection, variables)?.if === false;
    } catch {
      return false;
    }
  }
}

// Type tests by graphql-js's own Symbol.toStringTag rather than its isObjectType & co., which use
// instanceof: the schema comes from @apollo/gateway (graphql's CommonJS build) while this module may
// be loaded with graphql's ESM build (vitest resolves the `module` entry for source files), and
// instanceof across the two builds fails. The tags are the same in both.
const tag = (type: GraphQLType): string => Object.prototype.toString.call(type);
const isNonNull = (type: GraphQLType): boolean => tag(type) === '[object GraphQLNonNull]';
const isListTag = (type: GraphQLType): boolean => tag(type) === '[object GraphQLList]';

function nullableOf(type: GraphQLType): GraphQLType {
  return isNonNull(type) ? (type as { ofType: GraphQLType }).ofType : type;
}

function isList(type: GraphQLType): boolean {
  return isListTag(nullableOf(type));
}

/** The item type of a list type; the type itself when it is not a list (input coercion wraps a single value). */
function listItem(type: GraphQLInputType): GraphQLInputType {
  const nullable = nullableOf(type);
  return isListTag(nullable) ? (nullable as { ofType: GraphQLInputType }).ofType : type;
}

function namedType(type: GraphQLType): GraphQLNamedType {
  let current: GraphQLType = type;
  while (isNonNull(current) || isListTag(current)) current = (current as { ofType: GraphQLType }).ofType;
  return current as GraphQLNamedType;
}

function hasFields(type: GraphQLNamedType): type is GraphQLObjectType | GraphQLInterfaceType {
  return tag(type) === '[object GraphQLObjectType]' || tag(type) === '[object GraphQLInterfaceType]';
}

function isComposite(type: GraphQLNamedType): boolean {
  return hasFields(type) || tag(type) === '[object GraphQLUnionType]';
}

function isInputObject(type: GraphQLNamedType): type is GraphQLInputObjectType {
  return tag(type) === '[object GraphQLInputObjectType]';
}
