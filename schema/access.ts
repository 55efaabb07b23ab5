// Who may read what (issue 5, item 2), read from where it is declared once: the federation
// `@requiresScopes` directive in the subgraph SDL (schema/*.graphql), which composition carries into
// schema/supergraph.graphql. Roles are scopes: a caller's one role is its one scope (lib/identity.ts).
//
//   field-level:  limit: Money! @requiresScopes(scopes: [["sales"], ["finance"]])
//   type-level:   type Quote @requiresScopes(scopes: [...]) { ... }  — every field whose named return
//                 type is Quote, every fragment conditioned on Quote (`_entities { ... on Quote }`),
//                 and, on a root type, every operation of that type.
//
// `scopes` is a list of alternatives (any of), each a list of scopes the caller must all hold. A field
// restricted both itself and through its return type needs both. Fields without a rule are open to
// every authenticated caller (authentication is gateway/auth's job, partner rows the subgraphs').
//
// @apollo/gateway does not enforce @requiresScopes (it refuses a `for: SECURITY` link instead), so
// this module is what enforces it: gateway/access-plugin.ts before the query is planned, and
// subgraphs/shared/access-plugin.ts again in each subgraph. Apollo Router reading the same
// supergraph enforces the same rules. withAccessDocs puts them in the documentation at composition,
// since introspection does not show applied directives and GraphiQL's docs are read from it.
import {
  buildASTSchema,
  Kind,
  parse,
  visit,
  type ConstDirectiveNode,
  type ConstValueNode,
  type DefinitionNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type StringValueNode,
} from 'graphql';

export const REQUIRES_SCOPES_SPEC_URL = 'https://specs.apollo.dev/requiresScopes/';
const FEDERATION_SPEC_URL = 'https://specs.apollo.dev/federation/';
const DIRECTIVE = 'requiresScopes';

/** `[["a", "b"], ["c"]]`: a and b, or c. Alternatives are sorted sets, the shortest first. */
export type ScopeRule = readonly (readonly string[])[];

/** `Type.field` for field rules, `Type` for type rules (GraphQL schema coordinates). */
export type SchemaCoordinate = string;

export interface AccessRules {
  /** Rules declared on fields, by `Type.field`. */
  readonly fields: ReadonlyMap<SchemaCoordinate, ScopeRule>;
  /** Rules declared on types (object, interface, scalar, enum), by type name. */
  readonly types: ReadonlyMap<string, ScopeRule>;
}

/** A schema to walk operations with, and the rules read from it (or from the SDL it was built from). */
export interface AccessPolicy {
  readonly schema: GraphQLSchema;
  readonly rules: AccessRules;
}

export class AccessDeclarationError extends Error {
  override readonly name = 'AccessDeclarationError';
}

// ------------------------------------------------------------------------------------ rules

/** Whether a caller holding `scopes` satisfies the rule (any alternative whose scopes it all holds). */
export function satisfies(rule: ScopeRule, scopes: readonly string[]): boolean {
  return rule.some((alternative) => alternative.every((scope) => scopes.includes(scope)));
}

/**
 * Both rules at once, still as alternatives (a product of the two, minus alternatives that need
 * more than another one): what a field restricted itself and through its return type requires.
 */
export function bothOf(a: ScopeRule, b: ScopeRule): ScopeRule {
  const product: string[][] = [];
  for (const x of a) for (const y of b) product.push([...new Set([...x, ...y])].sort());
  return normalize(product);
}

function normalize(alternatives: readonly (readonly string[])[]): ScopeRule {
  const sorted = alternatives
    .map((alternative) => [...new Set(alternative)].sort())
    .sort((x, y) => x.length - y.length);
  const kept: string[][] = [];
  for (const alternative of sorted) {
    // An alternative needing everything a kept one needs, and more, can never make a difference.
    if (!kept.some((smaller) => smaller.every((scope) => alternative.includes(scope)))) kept.push(alternative);
  }
  return kept;
}

/**
 * The names `@requiresScopes` goes by in a document: imported from the federation spec (possibly
 * renamed, or namespaced as `federation__requiresScopes`), or linked from its own spec in a
 * supergraph (`@link(url: ".../requiresScopes/v0.1", as: ...)`). Without any @link (a schema built
 * without them), its plain name.
 */
function directiveNames(schemaDirectives: readonly ConstDirectiveNode[]): Set<string> {
  const names = new Set<string>();
  for (const link of schemaDirectives.filter((directive) => directive.name.value === 'link')) {
    const args = new Map(link.arguments?.map((arg) => [arg.name.value, arg.value]));
    const url = stringOf(args.get('url'));
    const as = stringOf(args.get('as'));
    if (url?.startsWith(REQUIRES_SCOPES_SPEC_URL)) names.add(as ?? DIRECTIVE);
    if (url?.startsWith(FEDERATION_SPEC_URL)) {
      const imported = importedName(args.get('import'), `@${DIRECTIVE}`);
      names.add(imported ?? `${as ?? 'federation'}__${DIRECTIVE}`);
    }
  }
  if (names.size === 0) names.add(DIRECTIVE);
  return names;
}

function stringOf(value: ConstValueNode | undefined): string | null {
  return value?.kind === Kind.STRING ? value.value : null;
}

function importedName(imports: ConstValueNode | undefined, name: string): string | null {
  if (imports?.kind !== Kind.LIST) return null;
  for (const entry of imports.values) {
    if (entry.kind === Kind.STRING && entry.value === name) return name.slice(1);
    if (entry.kind === Kind.OBJECT) {
      const fields = new Map(entry.fields.map((field) => [field.name.value, stringOf(field.value)]));
      if (fields.get('name') === name) return (fields.get('as') ?? name).replace(/^@/, '');
    }
  }
  return null;
}

function readRule(directive: ConstDirectiveNode, where: string): ScopeRule {
  const scopes = directive.arguments?.find((arg) => arg.name.value === 'scopes')?.value;
  const invalid = () =>
    new AccessDeclarationError(`@${directive.name.value} on ${where}: scopes must be a list of lists of scope names`);
  if (scopes?.kind !== Kind.LIST) throw invalid();
  const alternatives = scopes.values.map((alternative) => {
    if (alternative.kind !== Kind.LIST) throw invalid();
    return alternative.values.map((scope) => {
      if (scope.kind !== Kind.STRING || scope.value === '') throw invalid();
      return scope.value;
    });
  });
  // An empty list, or an empty alternative, would let nobody in, or everybody: neither is a rule
  // anyone means to write, so it is a declaration error rather than a silent open door.
  if (alternatives.length === 0 || alternatives.some((alternative) => alternative.length === 0)) throw invalid();
  return normalize(alternatives);
}

type TypeNode = Extract<DefinitionNode, { readonly name: { readonly value: string } }> & {
  readonly directives?: readonly ConstDirectiveNode[];
  readonly fields?: readonly unknown[];
};

function isTypeNode(node: DefinitionNode): node is TypeNode {
  switch (node.kind) {
    case Kind.OBJECT_TYPE_DEFINITION:
    case Kind.OBJECT_TYPE_EXTENSION:
    case Kind.INTERFACE_TYPE_DEFINITION:
    case Kind.INTERFACE_TYPE_EXTENSION:
    case Kind.SCALAR_TYPE_DEFINITION:
    case Kind.SCALAR_TYPE_EXTENSION:
    case Kind.ENUM_TYPE_DEFINITION:
    case Kind.ENUM_TYPE_EXTENSION:
    case Kind.UNION_TYPE_DEFINITION:
    case Kind.UNION_TYPE_EXTENSION:
      return true;
    default:
      return false;
  }
}

function fieldsOf(node: TypeNode): readonly FieldDefinitionNode[] {
  return node.kind === Kind.OBJECT_TYPE_DEFINITION ||
    node.kind === Kind.OBJECT_TYPE_EXTENSION ||
    node.kind === Kind.INTERFACE_TYPE_DEFINITION ||
    node.kind === Kind.INTERFACE_TYPE_EXTENSION
    ? (node.fields ?? [])
    : [];
}

/** The SDL nodes of a document or a schema: its schema definitions/extensions and its type nodes. */
function sdlNodes(source: DocumentNode | GraphQLSchema): { schemaDirectives: ConstDirectiveNode[]; types: TypeNode[] } {
  if (isSchema(source)) {
    const schemaNodes = [source.astNode, ...source.extensionASTNodes].filter((node) => node != null);
    const types: TypeNode[] = [];
    for (const type of Object.values(source.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      for (const node of [type.astNode, ...type.extensionASTNodes]) if (node && isTypeNode(node)) types.push(node);
    }
    return { schemaDirectives: schemaNodes.flatMap((node) => node.directives ?? []), types };
  }
  const schemaDirectives = source.definitions.flatMap((definition) =>
    definition.kind === Kind.SCHEMA_DEFINITION || definition.kind === Kind.SCHEMA_EXTENSION
      ? (definition.directives ?? [])
      : [],
  );
  return { schemaDirectives, types: source.definitions.filter(isTypeNode) };
}

/**
 * The rules declared in a subgraph SDL, the supergraph, or a built schema (from its AST nodes:
 * buildSubgraphSchema and buildASTSchema keep them). Declarations on several nodes of one type or
 * field (a definition and its extensions) must all hold.
 */
export function accessRulesOf(source: DocumentNode | GraphQLSchema): AccessRules {
  const { schemaDirectives, types } = sdlNodes(source);
  const names = directiveNames(schemaDirectives);
  const typeRules = new Map<string, ScopeRule>();
  const fieldRules = new Map<SchemaCoordinate, ScopeRule>();
  const add = (rules: Map<string, ScopeRule>, key: string, rule: ScopeRule) => {
    const existing = rules.get(key);
    rules.set(key, existing ? bothOf(existing, rule) : rule);
  };
  for (const node of types) {
    const type = node.name.value;
    for (const directive of node.directives ?? [])
      if (names.has(directive.name.value)) add(typeRules, type, readRule(directive, type));
    for (const field of fieldsOf(node)) {
      const coordinate = `${type}.${field.name.value}`;
      for (const directive of field.directives ?? [])
        if (names.has(directive.name.value)) add(fieldRules, coordinate, readRule(directive, coordinate));
    }
  }
  return { fields: fieldRules, types: typeRules };
}

const policies = new WeakMap<GraphQLSchema, AccessPolicy>();

/**
 * A policy from SDL text, a parsed SDL document (a supergraph, or any self-contained SDL; the rules
 * are read from the document itself) or a built schema. Build it once per schema, not per request.
 */
export function accessPolicyOf(source: string | DocumentNode | GraphQLSchema): AccessPolicy {
  if (isSchema(source)) {
    let policy = policies.get(source);
    if (!policy) policies.set(source, (policy = { schema: source, rules: accessRulesOf(source) }));
    return policy;
  }
  const document = typeof source === 'string' ? parse(source) : source;
  // assumeValidSDL: a supergraph applies link/join directives whose definitions need no checking here.
  return { schema: buildASTSchema(document, { assumeValidSDL: true }), rules: accessRulesOf(document) };
}

/** What a field requires: its own rule and its named return type's, both; null when it is open. */
export function fieldRule(
  rules: AccessRules,
  parentType: string,
  field: string,
  namedReturnType: string,
): ScopeRule | null {
  const own = rules.fields.get(`${parentType}.${field}`);
  const typeRule = rules.types.get(namedReturnType);
  if (own && typeRule) return bothOf(own, typeRule);
  return own ?? typeRule ?? null;
}

// ------------------------------------------------------------------------------------ operations

function operationsToCheck(
  document: DocumentNode,
  operationName: string | null | undefined,
): OperationDefinitionNode[] {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const named = operationName ? operations.filter((operation) => operation.name?.value === operationName) : [];
  // When the name picks nothing (or none was given for a document of several), every operation is
  // checked: failing closed costs nothing, execution would refuse the document anyway.
  return named.length > 0 ? named : operations;
}

// The walk below reads the schema through its own methods and duck typing, never graphql-js's
// `instanceof`-based predicates or TypeInfo: @apollo/subgraph builds its schema with the CommonJS
// build of graphql-js, and where this module gets the ESM build (vitest resolves `module`), those
// predicates throw "Cannot use GraphQLSchema from another module or realm".

/** A named output type, seen through what every graphql-js realm's types have. */
type NamedType = GraphQLNamedType;
type OutputField = { readonly name: string; readonly type: unknown };

function namedTypeName(type: unknown): string {
  let current = type as { ofType?: unknown; name?: string };
  while (current.ofType) current = current.ofType as typeof current;
  return current.name ?? '';
}

function fieldsOfType(type: NamedType): Record<string, OutputField> | null {
  const getFields = (type as { getFields?: () => Record<string, OutputField> }).getFields;
  return typeof getFields === 'function' ? getFields.call(type) : null;
}

function isAbstract(type: NamedType): boolean {
  const tag = (type as { [Symbol.toStringTag]?: string })[Symbol.toStringTag];
  return tag === 'GraphQLInterfaceType' || tag === 'GraphQLUnionType';
}

function isSchema(value: unknown): value is GraphQLSchema {
  return typeof value === 'object' && value !== null && typeof (value as GraphQLSchema).getTypeMap === 'function';
}

/**
 * The schema coordinates an operation selects that a caller holding `scopes` may not read, in
 * document order, each once: fields (`Credit.limit`, `Query.quote`, `Mutation.submitQuote`), and
 * types a fragment is conditioned on or a root type (`Quote`, `Mutation`). Every field in the
 * document counts, @skip and @include notwithstanding (variables decide those, and a rule must not
 * depend on them); fragments count where the operation spreads them. Introspection is open.
 * `schema` is a policy, or a schema whose own AST carries the rules (read once per schema).
 *
 * Each selection is visited once (a fragment however often it is spread), without recursion, so
 * neither a fragment bomb nor a very deep document makes this costly.
 */
export function forbiddenFields(
  schema: GraphQLSchema | AccessPolicy,
  document: DocumentNode,
  operationName: string | null | undefined,
  scopes: readonly string[],
): SchemaCoordinate[] {
  const policy = isSchema(schema) ? accessPolicyOf(schema) : schema;
  const { rules } = policy;
  if (rules.fields.size === 0 && rules.types.size === 0) return [];
  const forbidden = new Set<SchemaCoordinate>();
  const checkType = (type: NamedType | null | undefined) => {
    const rule = type && rules.types.get(type.name);
    if (rule && !satisfies(rule, scopes)) forbidden.add(type!.name);
  };
  const checkField = (parentType: string, field: OutputField) => {
    const rule = fieldRule(rules, parentType, field.name, namedTypeName(field.type));
    if (rule && !satisfies(rule, scopes)) forbidden.add(`${parentType}.${field.name}`);
  };

  const fragments = new Map(
    document.definitions
      .filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const spread = new Set<string>();
  // Selections still to check, each with the type it selects from: a stack, so depth-first in
  // document order without recursion.
  const pending: { selection: SelectionNode; type: NamedType }[] = [];
  const push = (selectionSet: SelectionSetNode | undefined, type: NamedType | null | undefined) => {
    // A type the schema does not know fails validation before this runs.
    if (!selectionSet || !type) return;
    for (let i = selectionSet.selections.length - 1; i >= 0; i--)
      pending.push({ selection: selectionSet.selections[i]!, type });
  };
  const operations = operationsToCheck(document, operationName);
  for (const operation of operations) checkType(policy.schema.getRootType(operation.operation));
  for (const operation of [...operations].reverse())
    push(operation.selectionSet, policy.schema.getRootType(operation.operation));
  while (pending.length > 0) {
    const { selection, type } = pending.pop()!;
    if (selection.kind === Kind.FIELD) {
      // __typename and introspection are open; unknown fields fail validation before this runs.
      const field = fieldsOfType(type)?.[selection.name.value];
      if (!field || field.name.startsWith('__')) continue;
      checkField(type.name, field);
      // Selected through an interface or union: the implementing types' own rules apply too.
      if (isAbstract(type)) {
        for (const possible of policy.schema.getPossibleTypes(
          type as Parameters<GraphQLSchema['getPossibleTypes']>[0],
        )) {
          const implementation = fieldsOfType(possible)?.[field.name];
          if (implementation) checkField(possible.name, implementation);
        }
      }
      push(selection.selectionSet, policy.schema.getType(namedTypeName(field.type)));
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition ? policy.schema.getType(selection.typeCondition.name.value) : type;
      if (selection.typeCondition) checkType(condition);
      push(selection.selectionSet, condition);
    } else {
      // Each fragment once, however often it is spread: its checks do not depend on where.
      const fragment = fragments.get(selection.name.value);
      if (!fragment || spread.has(fragment.name.value)) continue;
      spread.add(fragment.name.value);
      const condition = policy.schema.getType(fragment.typeCondition.name.value);
      checkType(condition);
      push(fragment.selectionSet, condition);
    }
  }
  return [...forbidden];
}

// ------------------------------------------------------------------------------------ docs

/** The documentation line of a rule, as GraphiQL shows it: `Access: sales, service, finance, integration.` */
export function describeAccess(rule: ScopeRule | null): string {
  if (rule === null) return 'Access: any signed-in role.';
  const singletons = rule.every((alternative) => alternative.length === 1);
  return singletons
    ? `Access: ${rule.map(([scope]) => scope).join(', ')}.`
    : `Access: ${rule.map((alternative) => alternative.join(' and ')).join('; or ')}.`;
}

/**
 * The access line of a field (`Type.field`) or a type (`Type`), or null when it has no rule; a root
 * field without one gets "any signed-in role", every other open field nothing (the docs stay
 * readable). `returns` is the field's named return type.
 */
export function accessDocLine(
  rules: AccessRules,
  coordinate: SchemaCoordinate,
  returns?: string,
  isRootField = false,
): string | null {
  const dot = coordinate.indexOf('.');
  if (dot < 0) {
    const rule = rules.types.get(coordinate);
    return rule ? describeAccess(rule) : null;
  }
  const rule = fieldRule(rules, coordinate.slice(0, dot), coordinate.slice(dot + 1), returns ?? '');
  if (rule) return describeAccess(rule);
  return isRootField ? describeAccess(null) : null;
}

function withLine(description: StringValueNode | undefined, line: string): StringValueNode {
  const text = description?.value.trim();
  return { kind: Kind.STRING, value: text ? `${text}\n\n${line}` : line, block: true };
}

const DEFAULT_ROOT_TYPES = ['Query', 'Mutation', 'Subscription'];

/**
 * The subgraph documents with each access rule appended to a description (after withOwnershipDocs:
 * the owner line comes first). Rules are gathered from all documents, since a field's return type
 * may be declared in another subgraph. A type's line goes where the type has a description (or,
 * when no document describes it, where its rule is declared), so composition sees consistent
 * descriptions of shared types.
 */
export function withAccessDocs(documents: readonly DocumentNode[]): DocumentNode[] {
  const perDocument = documents.map((document) => accessRulesOf(document));
  const rules: AccessRules = {
    fields: mergeRules(perDocument.map((r) => r.fields)),
    types: mergeRules(perDocument.map((r) => r.types)),
  };
  const described = new Set<string>();
  for (const document of documents) {
    for (const definition of document.definitions)
      if (isTypeNode(definition) && 'description' in definition && definition.description)
        described.add(definition.name.value);
  }
  return documents.map((document, index) => {
    const declared = perDocument[index]!.types;
    const roots = rootTypesOf(document);
    const annotate = <T extends TypeNode & { readonly description?: StringValueNode }>(node: T): T | undefined => {
      const type = node.name.value;
      let annotated = node;
      const typeLine = accessDocLine(rules, type);
      const describedHere =
        node.kind.endsWith('Definition') && (node.description || (declared.has(type) && !described.has(type)));
      if (typeLine && describedHere) annotated = { ...annotated, description: withLine(node.description, typeLine) };
      let fieldsChanged = false;
      const fields = fieldsOf(node).map((field) => {
        const line = accessDocLine(rules, `${type}.${field.name.value}`, namedTypeOf(field), roots.has(type));
        if (!line) return field;
        fieldsChanged = true;
        return { ...field, description: withLine(field.description, line) };
      });
      if (fieldsChanged) annotated = { ...annotated, fields };
      return annotated === node ? undefined : annotated;
    };
    return visit(document, {
      ObjectTypeDefinition: annotate,
      ObjectTypeExtension: annotate,
      InterfaceTypeDefinition: annotate,
      InterfaceTypeExtension: annotate,
      ScalarTypeDefinition: annotate,
      EnumTypeDefinition: annotate,
      UnionTypeDefinition: annotate,
    });
  });
}

function mergeRules(maps: readonly ReadonlyMap<string, ScopeRule>[]): Map<string, ScopeRule> {
  const merged = new Map<string, ScopeRule>();
  for (const map of maps) {
    for (const [key, rule] of map) {
      const existing = merged.get(key);
      merged.set(key, existing ? bothOf(existing, rule) : rule);
    }
  }
  return merged;
}

function namedTypeOf(field: FieldDefinitionNode): string {
  let type = field.type;
  while (type.kind !== Kind.NAMED_TYPE) type = type.type;
  return type.name.value;
}

function rootTypesOf(document: DocumentNode): Set<string> {
  const roots = new Set<string>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.SCHEMA_DEFINITION || definition.kind === Kind.SCHEMA_EXTENSION) {
      for (const operation of definition.operationTypes ?? []) roots.add(operation.type.name.value);
    }
  }
  return roots.size > 0 ? roots : new Set(DEFAULT_ROOT_TYPES);
}
