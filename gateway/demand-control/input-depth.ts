// How deep an argument value nests: each object and each list is one level (`{ and: [{ field: "x" }] }`
// is 3, a scalar 0). Written in the document, a deep value costs the query planner work exponential
// in its lists (@apollo/federation-internals 2.14's collectVariablesInValue walks every list twice,
// once as a list and once as an object: 20 nested RowFilter levels plan for seconds); sent as a
// variable, a value thousands of levels deep overflows graphql-js's recursive coercion. Both are
// measured here without recursion, so no value can overflow the measuring either.
import { Kind, type ValueNode } from 'graphql';

/** Levels of a literal in the document (variables inside it count 0: they are measured as sent). */
export function literalDepth(value: ValueNode): number {
  return deepest<ValueNode>(value, (node) => {
    if (node.kind === Kind.LIST) return node.values;
    if (node.kind === Kind.OBJECT) return node.fields.map((field) => field.value);
    return null;
  });
}

/** Levels of a JSON value (a request's variable). */
export function jsonDepth(value: unknown): number {
  return deepest<unknown>(value, (node) => {
    if (Array.isArray(node)) return node;
    if (typeof node === 'object' && node !== null) return Object.values(node);
    return null;
  });
}

/** Depth-first with an explicit stack; `children` is null for a leaf, the items of a container. */
function deepest<T>(root: T, children: (node: T) => readonly T[] | null): number {
  let max = 0;
  const pending: { node: T; depth: number }[] = [{ node: root, depth: 0 }];
  while (pending.length > 0) {
    const { node, depth } = pending.pop()!;
    const items = children(node);
    if (items === null) continue;
    max = Math.max(max, depth + 1);
    for (const item of items) pending.push({ node: item, depth: depth + 1 });
  }
  return max;
}
