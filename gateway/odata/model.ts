// The entity model the bridge serves: the declarations of entity-model.ts resolved against the
// supergraph, once, when the router is built. From the schema come each property's nullability,
// its owner (schema/ownership.ts: the read-only annotations of $metadata), the scopes needed to read
// it (@requiresScopes: what a partner may not see) and, for enum leaves, the value names. A
// declaration that does not match the schema (unknown path, a leaf that is not a scalar, an Edm
// type the leaf cannot be, a property without an owner) fails the gateway's start, not a request.
import {
  buildASTSchema,
  getNamedType,
  isEnumType,
  isNonNullType,
  isObjectType,
  isScalarType,
  parse,
  type GraphQLNamedType,
  type GraphQLObjectType,
} from 'graphql';
import { accessRulesOf, fieldRule, type AccessRules, type ScopeRule } from '../../schema/access.js';
import { ownershipOf, type OwnershipSystem } from '../../schema/ownership.js';
import { ENTITY_SETS, type EdmType, type EntitySetDeclaration, type PropertyDeclaration } from './entity-model.js';

export interface ModelProperty extends PropertyDeclaration {
  readonly nullable: boolean;
  /** The GraphQL enum's value names when the leaf is an enum (served as strings). */
  readonly enumValues: readonly string[] | null;
  /** The owner of the value (schema/ownership.ts): the nearest non-INHERITED owner along the path. */
  readonly owner: OwnershipSystem;
  /** The @requiresScopes rule of each field on the path (its own and its return type's, schema/access.ts); all must be met. */
  readonly requires: readonly ScopeRule[];
  readonly isKey: boolean;
}

export interface EntitySet extends Omit<EntitySetDeclaration, 'properties'> {
  readonly properties: readonly ModelProperty[];
  readonly keyProperties: readonly ModelProperty[];
  property(name: string): ModelProperty | undefined;
}

export interface EntityModel {
  /** The CSDL schema namespace. */
  readonly namespace: string;
  readonly sets: readonly EntitySet[];
  set(name: string): EntitySet | undefined;
}

export const NAMESPACE = 'Customer360';

/**
 * Why `property` (one without a row-query field) cannot be filtered or sorted on: a value the graph
 * computes (declared `computed`, or owned by the integration) is not in the ERP at all; any other
 * one is stored there but is not one of the fields the ERP's row query filters and sorts by. Both
 * are listed in $metadata as NonFilterableProperties / NonSortableProperties.
 */
export function notQueryableReason(property: ModelProperty): string {
  return property.computed === true || property.owner === 'INTEGRATION'
    ? 'it is computed by the graph, not stored in the ERP'
    : 'it is stored in the ERP but is not one of the fields the ERP filters and sorts by';
}

export class EntityModelError extends Error {
  override readonly name = 'EntityModelError';
}

// Which GraphQL leaves each Edm type may present. Money amounts are decimal strings (never
// floats), hence String under Money may be Edm.Decimal.
const COMPATIBLE: Record<string, readonly EdmType[]> = {
  String: ['Edm.String'],
  ID: ['Edm.String'],
  Int: ['Edm.Int32', 'Edm.Int64'],
  Float: ['Edm.Double', 'Edm.Decimal'],
  Boolean: ['Edm.Boolean'],
  Date: ['Edm.Date'],
  DateTime: ['Edm.DateTimeOffset'],
};

function resolveProperty(
  set: EntitySetDeclaration,
  declaration: PropertyDeclaration,
  rowType: GraphQLObjectType,
  ownership: ReturnType<typeof ownershipOf>,
  access: AccessRules,
): ModelProperty {
  const where = `${set.name}.${declaration.name} (${set.rowType}.${declaration.path.join('.')})`;
  let parent: GraphQLObjectType = rowType;
  let nullable = false;
  let owner: OwnershipSystem | null = null;
  const requires: ScopeRule[] = [];
  let leaf: GraphQLNamedType | null = null;
  declaration.path.forEach((segment, index) => {
    const field = parent.getFields()[segment];
    if (!field) throw new EntityModelError(`${where}: ${parent.name} has no field ${segment}`);
    nullable ||= !isNonNullType(field.type);
    const named = getNamedType(field.type);
    const rule = fieldRule(access, parent.name, segment, named.name);
    if (rule) requires.push(rule);
    const fieldOwner = ownership.ownerOf(`${parent.name}.${segment}`);
    if (fieldOwner && fieldOwner.system !== 'INHERITED') owner = fieldOwner.system;
    if (index === declaration.path.length - 1) {
      if (!isScalarType(named) && !isEnumType(named))
        throw new EntityModelError(`${where}: ends at ${named.name}, not a scalar or enum`);
      leaf = named;
    } else {
      if (!isObjectType(named)) throw new EntityModelError(`${where}: ${segment} is not an object type`);
      parent = named;
    }
  });
  const leafType = leaf as GraphQLNamedType | null;
  if (!leafType) throw new EntityModelError(`${where}: empty path`);
  const enumValues = isEnumType(leafType) ? leafType.getValues().map((value) => value.name) : null;
  const allowed = enumValues ? ['Edm.String'] : (COMPATIBLE[leafType.name] ?? []);
  const underMoney = parent.name === 'Money' && declaration.type === 'Edm.Decimal';
  if (!allowed.includes(declaration.type) && !underMoney) {
    throw new EntityModelError(`${where}: a ${leafType.name} cannot be served as ${declaration.type}`);
  }
  if (declaration.type === 'Edm.String' && declaration.maxLength === undefined)
    throw new EntityModelError(`${where}: strings need a maxLength`);
  if (declaration.type === 'Edm.Decimal' && (declaration.precision === undefined || declaration.scale === undefined)) {
    throw new EntityModelError(`${where}: decimals need a precision and a scale`);
  }
  if (owner === null) throw new EntityModelError(`${where}: no owner declared (@owner) on its path`);
  const isKey = set.key.includes(declaration.name);
  // A property some caller may not read comes back null for that caller (access.ts), so it must be
  // nullable in $metadata whatever the schema says about the field itself.
  return { ...declaration, nullable: nullable || requires.length > 0, enumValues, owner, requires, isKey };
}

function resolveSet(
  declaration: EntitySetDeclaration,
  schema: ReturnType<typeof buildASTSchema>,
  ownership: ReturnType<typeof ownershipOf>,
  access: AccessRules,
): EntitySet {
  const rowType = schema.getType(declaration.rowType);
  if (!isObjectType(rowType))
    throw new EntityModelError(`${declaration.name}: the supergraph has no object type ${declaration.rowType}`);
  const root = schema.getQueryType()?.getFields()[declaration.rootField];
  if (!root) throw new EntityModelError(`${declaration.name}: the supergraph has no Query.${declaration.rootField}`);
  const properties = declaration.properties.map((property) =>
    resolveProperty(declaration, property, rowType, ownership, access),
  );
  const byName = new Map(properties.map((property) => [property.name, property]));
  if (byName.size !== properties.length) throw new EntityModelError(`${declaration.name}: duplicate property names`);
  const keyProperties = declaration.key.map((name) => {
    const property = byName.get(name);
    if (!property) throw new EntityModelError(`${declaration.name}: key ${name} is not a property`);
    if (
      property.nullable ||
      property.field === undefined ||
      !['Edm.String', 'Edm.Int32', 'Edm.Int64'].includes(property.type)
    ) {
      throw new EntityModelError(
        `${declaration.name}: key ${name} must be a non-nullable, filterable string or integer`,
      );
    }
    return property;
  });
  return { ...declaration, properties, keyProperties, property: (name) => byName.get(name) };
}

export function buildEntityModel(
  supergraphSdl: string,
  declarations: readonly EntitySetDeclaration[] = ENTITY_SETS,
): EntityModel {
  const document = parse(supergraphSdl);
  const schema = buildASTSchema(document, { assumeValidSDL: true });
  const ownership = ownershipOf(document);
  const access = accessRulesOf(document);
  const sets = declarations.map((declaration) => resolveSet(declaration, schema, ownership, access));
  const byName = new Map(sets.map((set) => [set.name, set]));
  return { namespace: NAMESPACE, sets, set: (name) => byName.get(name) };
}
