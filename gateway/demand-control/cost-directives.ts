// The demand-control directives of the schema, @cost and @listSize (Federation 2.9's cost spec, the
// IBM GraphQL Cost Directives draft as Apollo Router reads them), indexed for the cost estimate.
// @apollo/gateway hands plugins an API schema without them, so they are read from the supergraph SDL
// the gateway loaded; a plain schema (tests, a monolith) carries them on its AST nodes.
import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type ConstValueNode,
  type DefinitionNode,
  type GraphQLSchema,
  type InputValueDefinitionNode,
} from 'graphql';

export interface ListSize {
  /** Size of the list when no slicing argument sizes it. */
  readonly assumedSize: number | null;
  /** Arguments whose value is the list's size (the largest one given wins). */
  readonly slicingArguments: readonly string[];
  /** Child fields the size applies to (a connection's `nodes`, `edges`), instead of this field. */
  readonly sizedFields: readonly string[];
}

export interface CostDirectives {
  /** @cost on a field definition (`Type.field`). */
  fieldWeight(typeName: string, fieldName: string): number | undefined;
  /** @cost on an object, scalar or enum type: the weight of a field returning it. */
  typeWeight(typeName: string): number | undefined;
  /** @cost on an argument (`Type.field(argument:)`), or on an input field (`Input.field`). */
  inputWeight(ownerName: string, fieldName: string, argumentName?: string): number | undefined;
  listSize(typeName: string, fieldName: string): ListSize | undefined;
}

const COST_SPEC = /^https:\/\/specs\.apollo\.dev\/cost\/v\d+\.\d+$/;
const FEDERATION_SPEC = /^https:\/\/specs\.apollo\.dev\/federation\/v\d+\.\d+$/;

/** From the supergraph SDL (ApolloGateway's `coreSupergraphSdl`). */
export function costDirectivesFromSdl(sdl: string): CostDirectives {
  return indexDefinitions(parse(sdl, { noLocation: true }).definitions);
}

/** From a schema built from SDL (its definitions' AST nodes); nothing for a code-first schema. */
export function costDirectivesFromSchema(schema: GraphQLSchema): CostDirectives {
  const definitions: DefinitionNode[] = [];
  if (schema.astNode) definitions.push(schema.astNode);
  definitions.push(...schema.extensionASTNodes);
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.astNode) definitions.push(type.astNode);
    definitions.push(...type.extensionASTNodes);
  }
  return indexDefinitions(definitions);
}

function indexDefinitions(definitions: readonly DefinitionNode[]): CostDirectives {
  const names = directiveNames(definitions);
  const fieldWeights = new Map<string, number>();
  const typeWeights = new Map<string, number>();
  const inputWeights = new Map<string, number>();
  const listSizes = new Map<string, ListSize>();

  const weightOf = (directives: readonly ConstDirectiveNode[] | undefined) => {
    const directive = directives?.find((candidate) => candidate.name.value === names.cost);
    return directive ? numberArgument(directive, 'weight') : undefined;
  };
  const indexInputs = (owner: string, inputs: readonly InputValueDefinitionNode[] | undefined, field?: string) => {
    for (const input of inputs ?? []) {
      const weight = weightOf(input.directives);
      const key = field === undefined ? `${owner}.${input.name.value}` : `${owner}.${field}(${input.name.value}:)`;
      if (weight !== undefined) inputWeights.set(key, weight);
    }
  };

  for (const definition of definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION: {
        const typeName = definition.name.value;
        const typeWeight = weightOf(definition.directives);
        if (typeWeight !== undefined) typeWeights.set(typeName, typeWeight);
        for (const field of definition.fields ?? []) {
          const key = `${typeName}.${field.name.value}`;
          const weight = weightOf(field.directives);
          if (weight !== undefined) fieldWeights.set(key, weight);
          const listSize = field.directives?.find((directive) => directive.name.value === names.listSize);
          if (listSize) listSizes.set(key, readListSize(listSize));
          indexInputs(typeName, field.arguments, field.name.value);
        }
        break;
      }
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
      case Kind.INPUT_OBJECT_TYPE_EXTENSION:
        indexInputs(definition.name.value, definition.fields);
        break;
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.SCALAR_TYPE_EXTENSION:
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_EXTENSION: {
        const weight = weightOf(definition.directives);
        if (weight !== undefined) typeWeights.set(definition.name.value, weight);
        break;
      }
      default:
        break;
    }
  }

  return {
    fieldWeight: (typeName, fieldName) => fieldWeights.get(`${typeName}.${fieldName}`),
    typeWeight: (typeName) => typeWeights.get(typeName),
    inputWeight: (owner, field, argument) =>
      inputWeights.get(argument === undefined ? `${owner}.${field}` : `${owner}.${field}(${argument}:)`),
    listSize: (typeName, fieldName) => listSizes.get(`${typeName}.${fieldName}`),
  };
}

/**
 * The names the directives go by in this schema. A core schema links the cost spec (supergraph) or
 * the federation spec (subgraph), and `@link` may rename or namespace them: `@cost` is the spec's
 * namesake, `@listSize` is `@<namespace>__listSize` unless imported (https://specs.apollo.dev/link/v1.0).
 * Without a link (a plain schema) they are @cost and @listSize.
 */
function directiveNames(definitions: readonly DefinitionNode[]): { cost: string; listSize: string } {
  for (const definition of definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const url = stringArgument(link, 'url');
      if (url === undefined || !(COST_SPEC.test(url) || FEDERATION_SPEC.test(url))) continue;
      const namespace = stringArgument(link, 'as') ?? (COST_SPEC.test(url) ? 'cost' : 'federation');
      const imports = importsOf(link);
      return {
        cost: imports.get('cost') ?? (COST_SPEC.test(url) ? namespace : `${namespace}__cost`),
        listSize: imports.get('listSize') ?? `${namespace}__listSize`,
      };
    }
  }
  return { cost: 'cost', listSize: 'listSize' };
}

/** `import: ["@listSize", { name: "@cost", as: "@weight" }]` → listSize → listSize, cost → weight. */
function importsOf(link: ConstDirectiveNode): Map<string, string> {
  const imports = new Map<string, string>();
  const value = argument(link, 'import');
  if (value?.kind !== Kind.LIST) return imports;
  for (const item of value.values) {
    if (item.kind === Kind.STRING) imports.set(bare(item.value), bare(item.value));
    else if (item.kind === Kind.OBJECT) {
      const name = item.fields.find((field) => field.name.value === 'name')?.value;
      const as = item.fields.find((field) => field.name.value === 'as')?.value;
      if (name?.kind === Kind.STRING)
        imports.set(bare(name.value), bare(as?.kind === Kind.STRING ? as.value : name.value));
    }
  }
  return imports;
}

function readListSize(directive: ConstDirectiveNode): ListSize {
  return {
    assumedSize: numberArgument(directive, 'assumedSize') ?? null,
    slicingArguments: stringListArgument(directive, 'slicingArguments'),
    sizedFields: stringListArgument(directive, 'sizedFields'),
  };
}

const bare = (name: string) => name.replace(/^@/, '');

function argument(directive: ConstDirectiveNode, name: string): ConstValueNode | undefined {
  return directive.arguments?.find((candidate) => candidate.name.value === name)?.value;
}

function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = argument(directive, name);
  return value?.kind === Kind.STRING ? value.value : undefined;
}

/** Int in Federation, a numeric String in the IBM draft (`weight: "2.0"`): both read. */
function numberArgument(directive: ConstDirectiveNode, name: string): number | undefined {
  const value = argument(directive, name);
  if (value?.kind !== Kind.INT && value?.kind !== Kind.FLOAT && value?.kind !== Kind.STRING) return undefined;
  const number = Number(value.value);
  return Number.isFinite(number) ? number : undefined;
}

function stringListArgument(directive: ConstDirectiveNode, name: string): string[] {
  const value = argument(directive, name);
  if (value?.kind === Kind.STRING) return [value.value];
  if (value?.kind !== Kind.LIST) return [];
  return value.values.flatMap((item) => (item.kind === Kind.STRING ? [item.value] : []));
}
