// The shape of an operation, measured without the schema: how deep it nests, how many aliases it
// uses, how many root fields it asks for, how many selections it holds and how deep the argument
// values written in it nest (input-depth.ts), with every fragment
// spread expanded where it is used. Each fragment is measured once and reused (memoized), so a
// document spreading fragments into fragments is measured in time linear in its size, while the
// numbers grow as the expansion would: a 1 KB document whose fragments each spread the next one
// twice holds 2^n selections, and is refused on that number before the query planner (whose work
// grows with the expanded operation) ever sees it.
import {
  Kind,
  type DirectiveNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { literalDepth } from './input-depth.js';

export interface OperationShape {
  /** Nesting of fields; a root field without a selection is 1. Introspection's subtree is not counted. */
  readonly depth: number;
  /** Aliased fields, each expansion of a fragment counted. */
  readonly aliases: number;
  /** Fields of the root selection (fragments expanded), `__typename` not counted. */
  readonly rootFields: number;
  /**
   * Selections (fields, inline fragments, fragment spreads) of the operation with every fragment
   * expanded where it is spread, as the query planner's own count (@apollo/query-planner
   * recursiveSelectionsLimit.ts) sees them. Introspection's subtree is not counted.
   */
  readonly selections: number;
  /** The deepest argument value written in the document (arguments, directives, variable defaults). */
  readonly inputDepth: number;
}

interface SelectionMeasure {
  readonly depth: number;
  readonly aliases: number;
  readonly fields: number;
  readonly selections: number;
  readonly inputDepth: number;
}

const EMPTY: SelectionMeasure = { depth: 0, aliases: 0, fields: 0, selections: 0, inputDepth: 0 };

function directivesInputDepth(directives: readonly DirectiveNode[] | undefined): number {
  let deepest = 0;
  for (const directive of directives ?? []) {
    for (const argument of directive.arguments ?? []) deepest = Math.max(deepest, literalDepth(argument.value));
  }
  return deepest;
}

/**
 * __schema and __type are answered by the gateway itself from its schema, never by a subgraph; their
 * own nesting (GraphiQL's introspection query is 13 levels deep through `ofType`) is bounded by
 * graphql-js's MaxIntrospectionDepthRule, which Apollo Server runs with the specified rules. So they
 * do not count towards the depth limit, nor their selections (never planned: graphql-js executes
 * them, and its field collection visits a fragment once per selection set however often it is
 * spread); aliases inside them still count.
 */
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

export function measureOperationShape(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): OperationShape {
  const memo = new Map<string, SelectionMeasure>();

  const measure = (selectionSet: SelectionSetNode): SelectionMeasure => {
    let depth = 0;
    let aliases = 0;
    let fields = 0;
    let selections = 0;
    let inputDepth = 0;
    for (const selection of selectionSet.selections) {
      selections += 1;
      inputDepth = Math.max(inputDepth, directivesInputDepth(selection.directives));
      if (selection.kind === Kind.FIELD) {
        for (const argument of selection.arguments ?? [])
          inputDepth = Math.max(inputDepth, literalDepth(argument.value));
        const child = selection.selectionSet ? measure(selection.selectionSet) : EMPTY;
        inputDepth = Math.max(inputDepth, child.inputDepth);
        if (selection.alias) aliases += 1;
        aliases += child.aliases;
        if (selection.name.value !== '__typename') fields += 1;
        if (!INTROSPECTION_ROOTS.has(selection.name.value)) {
          depth = Math.max(depth, 1 + child.depth);
          selections += child.selections;
        }
        continue;
      }
      const inner =
        selection.kind === Kind.INLINE_FRAGMENT ? measure(selection.selectionSet) : spread(selection.name.value);
      depth = Math.max(depth, inner.depth);
      aliases += inner.aliases;
      fields += inner.fields;
      selections += inner.selections;
      inputDepth = Math.max(inputDepth, inner.inputDepth);
    }
    return { depth, aliases, fields, selections, inputDepth };
  };

  const spread = (name: string): SelectionMeasure => {
    const known = memo.get(name);
    if (known) return known;
    // Validation ran first (NoFragmentCycles, KnownFragmentNames): every spread resolves, none loops.
    // The placeholder keeps an unvalidated document from recursing for ever all the same.
    memo.set(name, EMPTY);
    const fragment = fragments.get(name);
    const measured = fragment ? measure(fragment.selectionSet) : EMPTY;
    memo.set(name, measured);
    return measured;
  };

  const root = measure(operation.selectionSet);
  let inputDepth = Math.max(root.inputDepth, directivesInputDepth(operation.directives));
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) inputDepth = Math.max(inputDepth, literalDepth(definition.defaultValue));
  }
  return { depth: root.depth, aliases: root.aliases, rootFields: root.fields, selections: root.selections, inputDepth };
}
