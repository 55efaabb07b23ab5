// The shape of an operation, measured without the schema: how deep it nests, how many aliases it
// uses and how many root fields it asks for, with every fragment spread expanded where it is used.
// Each fragment is measured once and reused (memoized), so a document spreading fragments into
// fragments is measured in time linear in its size, while the numbers grow as the expansion would.
import {
  Kind,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export interface OperationShape {
  /** Nesting of fields; a root field without a selection is 1. Introspection's subtree is not counted. */
  readonly depth: number;
  /** Aliased fields, each expansion of a fragment counted. */
  readonly aliases: number;
  /** Fields of the root selection (fragments expanded), `__typename` not counted. */
  readonly rootFields: number;
}

interface SelectionMeasure {
  readonly depth: number;
  readonly aliases: number;
  readonly fields: number;
}

/**
 * __schema and __type are answered by the gateway itself from its schema, never by a subgraph; their
 * own nesting (GraphiQL's introspection query is 13 levels deep through `ofType`) is bounded by
 * graphql-js's MaxIntrospectionDepthRule, which Apollo Server runs with the specified rules. So they
 * do not count towards the depth limit; aliases inside them still count.
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
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const child = selection.selectionSet ? measure(selection.selectionSet) : { depth: 0, aliases: 0 };
        if (selection.alias) aliases += 1;
        aliases += child.aliases;
        if (selection.name.value !== '__typename') fields += 1;
        if (!INTROSPECTION_ROOTS.has(selection.name.value)) depth = Math.max(depth, 1 + child.depth);
        continue;
      }
      const inner = selection.kind === Kind.INLINE_FRAGMENT ? measure(selection.selectionSet) : spread(selection.name.value);
      depth = Math.max(depth, inner.depth);
      aliases += inner.aliases;
      fields += inner.fields;
    }
    return { depth, aliases, fields };
  };

  const spread = (name: string): SelectionMeasure => {
    const known = memo.get(name);
    if (known) return known;
    // Validation ran first (NoFragmentCycles, KnownFragmentNames): every spread resolves, none loops.
    // The placeholder keeps an unvalidated document from recursing for ever all the same.
    memo.set(name, { depth: 0, aliases: 0, fields: 0 });
    const fragment = fragments.get(name);
    const measured = fragment ? measure(fragment.selectionSet) : { depth: 0, aliases: 0, fields: 0 };
    memo.set(name, measured);
    return measured;
  };

  const root = measure(operation.selectionSet);
  return { depth: root.depth, aliases: root.aliases, rootFields: root.fields };
}
