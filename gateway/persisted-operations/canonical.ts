// One printing per operation, whatever its layout: the form in which a request's document is looked
// up among the manifest's, so a client that sends a manifest operation as text (from its own
// .graphql file, comments, other whitespace or field order) is recognised as sending it.
//
// codegen's persisted manifest holds documents already normalized by its own printer
// (@graphql-tools/documents printExecutableGraphQLDocument: sorted, whitespace collapsed). That
// package is a build-time dependency only, so the gateway canonicalizes both sides itself, the same
// way: the manifest's documents once at start, a request's when it is not a manifest hash.
// Sorting follows codegen's: definitions, variables, arguments, directives, input object fields and
// selections in a stable order, except a mutation's root fields, which run in the order written.
import {
  Kind,
  print,
  stripIgnoredCharacters,
  type ArgumentNode,
  type DefinitionNode,
  type DirectiveNode,
  type DocumentNode,
  type SelectionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

export function canonicalDocument(document: DocumentNode): string {
  const definitions = document.definitions
    .map(canonicalDefinition)
    .map((definition) => stripIgnoredCharacters(print(definition)));
  return definitions.sort(compare).join(' ');
}

function canonicalDefinition(definition: DefinitionNode): DefinitionNode {
  if (definition.kind === Kind.OPERATION_DEFINITION) {
    return {
      ...definition,
      variableDefinitions: [...(definition.variableDefinitions ?? [])].sort((a, b) =>
        compare(a.variable.name.value, b.variable.name.value),
      ),
      directives: directives(definition.directives),
      selectionSet: selectionSet(definition.selectionSet, definition.operation === 'mutation'),
    };
  }
  if (definition.kind === Kind.FRAGMENT_DEFINITION) {
    return {
      ...definition,
      directives: directives(definition.directives),
      selectionSet: selectionSet(definition.selectionSet, false),
    };
  }
  return definition;
}

function selectionSet(set: SelectionSetNode, keepOrder: boolean): SelectionSetNode {
  const selections = set.selections.map(selection);
  if (keepOrder) return { ...set, selections };
  const keyed = selections.map((node) => ({ node, key: print(node) }));
  keyed.sort((a, b) => compare(a.key, b.key));
  return { ...set, selections: keyed.map(({ node }) => node) };
}

function selection(node: SelectionNode): SelectionNode {
  switch (node.kind) {
    case Kind.FIELD:
      return {
        ...node,
        arguments: argumentsOf(node.arguments),
        directives: directives(node.directives),
        ...(node.selectionSet && { selectionSet: selectionSet(node.selectionSet, false) }),
      };
    case Kind.INLINE_FRAGMENT:
      return { ...node, directives: directives(node.directives), selectionSet: selectionSet(node.selectionSet, false) };
    case Kind.FRAGMENT_SPREAD:
      return { ...node, directives: directives(node.directives) };
  }
}

function directives(nodes: readonly DirectiveNode[] | undefined): DirectiveNode[] {
  return [...(nodes ?? [])]
    .map((node) => ({ ...node, arguments: argumentsOf(node.arguments) }))
    .sort((a, b) => compare(a.name.value, b.name.value));
}

function argumentsOf(nodes: readonly ArgumentNode[] | undefined): ArgumentNode[] {
  return [...(nodes ?? [])]
    .map((node) => ({ ...node, value: value(node.value) }))
    .sort((a, b) => compare(a.name.value, b.name.value));
}

function value(node: ValueNode): ValueNode {
  if (node.kind === Kind.LIST) return { ...node, values: node.values.map(value) };
  if (node.kind === Kind.OBJECT) {
    return {
      ...node,
      fields: node.fields
        .map((field) => ({ ...field, value: value(field.value) }))
        .sort((a, b) => compare(a.name.value, b.name.value)),
    };
  }
  return node;
}

/** Code-unit order, independent of the locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
