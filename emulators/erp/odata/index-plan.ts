// Picks an equality index for a $filter so that "the invoices of these 50 customers" does not scan
// every invoice: when the filter is (an AND whose one conjunct is) an `eq` on an indexed property,
// or an OR of such `eq`s on the same property, the index yields the candidates and the full filter
// is still evaluated on each of them. Anything else scans. The plan only narrows the rows looked
// at; the compiled predicate stays the single source of truth for what matches.
import type { FilterNode } from './filter.js';

export interface IndexPlan {
  property: string;
  /** Literal values as they appear in the filter (GUIDs already lower-cased by the parser). */
  values: string[];
}

function conjuncts(node: FilterNode, out: FilterNode[] = []): FilterNode[] {
  if (node.kind === 'and') {
    conjuncts(node.left, out);
    conjuncts(node.right, out);
  } else {
    out.push(node);
  }
  return out;
}

/** `prop eq 'v'` (either side), or an OR-tree of those on one property; otherwise null. */
function equalitySet(node: FilterNode, indexed: ReadonlySet<string>): IndexPlan | null {
  if (node.kind === 'compare' && node.op === 'eq') {
    const [property, literal] = node.left.kind === 'property' ? [node.left, node.right] : [node.right, node.left];
    if (property.kind !== 'property' || literal.kind !== 'literal') return null;
    if (!indexed.has(property.name)) return null;
    if (literal.type !== 'string' && literal.type !== 'guid') return null;
    return { property: property.name, values: [literal.value] };
  }
  if (node.kind === 'or') {
    const left = equalitySet(node.left, indexed);
    const right = left && equalitySet(node.right, indexed);
    if (!left || !right || left.property !== right.property) return null;
    return { property: left.property, values: [...left.values, ...right.values] };
  }
  return null;
}

/** The most selective usable conjunct (fewest values), or null to scan. */
export function planIndex(filter: FilterNode, indexed: ReadonlySet<string>): IndexPlan | null {
  let best: IndexPlan | null = null;
  for (const conjunct of conjuncts(filter)) {
    const plan = equalitySet(conjunct, indexed);
    if (plan && (!best || plan.values.length < best.values.length)) best = plan;
  }
  return best;
}
