// The field-ownership matrix (DESIGN.md "Systems of record"), read from where it is declared once: the
// `@owner` directive on the subgraph SDL (schema/*.graphql), composed into the supergraph with
// @composeDirective so every router and tool reading schema/supergraph.graphql sees it too.
//
//   field-level:  erpCustomerNumber: String @owner(system: ERP, mirroredIn: SALESFORCE, note: "...")
//   type-level:   type Invoice @owner(system: ERP) { ... }   — every field of the type, unless the
//                 field declares its own (an entity split across subgraphs declares per field).
//
// Everything that needs ownership derives from here: updateAccount's refusal of fields another system
// owns (subgraphs/salesforce/account-ownership.ts), the owner line in every field's documentation
// (withOwnershipDocs, applied at composition, so GraphiQL's docs show it), and the test that fails
// when a field of the supergraph has no owner (test/schema/ownership.test.ts).
import {
  Kind,
  visit,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type StringValueNode,
} from 'graphql';

export const OWNERSHIP_SPEC_URL = 'https://customer360.example/ownership/v1.0';

export const OWNERSHIP_SYSTEMS = ['SALESFORCE', 'ERP', 'INTEGRATION', 'INHERITED'] as const;
/**
 * SALESFORCE / ERP: the system of record; INTEGRATION: computed by this graph and stored in neither
 * system (verdicts, payloads, paging); INHERITED: a value type (Money) owned by whoever owns the
 * field that returns it.
 */
export type OwnershipSystem = (typeof OWNERSHIP_SYSTEMS)[number];

export interface Ownership {
  readonly system: OwnershipSystem;
  /** Where a read-only copy lives (written only by the integration), e.g. the ERP customer number on Salesforce. */
  readonly mirroredIn: OwnershipSystem | null;
  readonly note: string | null;
  readonly declaredOn: 'field' | 'type';
}

/** `Type.field`, as in GraphQL schema coordinates. */
export type FieldCoordinate = `${string}.${string}`;

export interface OwnershipMatrix {
  /** Every field of every object type of the document; null where no owner is declared. */
  readonly fields: ReadonlyMap<FieldCoordinate, Ownership | null>;
  /** The owner of a field, or null when the field does not exist or has none. */
  ownerOf(coordinate: FieldCoordinate): Ownership | null;
}

export class OwnershipDeclarationError extends Error {
  override readonly name = 'OwnershipDeclarationError';
}

const DIRECTIVE = 'owner';

function ownerDirective(directives: readonly ConstDirectiveNode[] | undefined): ConstDirectiveNode | undefined {
  return directives?.find((directive) => directive.name.value === DIRECTIVE);
}

function readOwnership(directive: ConstDirectiveNode, declaredOn: Ownership['declaredOn'], where: string): Ownership {
  const args = new Map(directive.arguments?.map((arg) => [arg.name.value, arg.value]));
  const system = (value: ReturnType<typeof args.get>, name: string): OwnershipSystem | null => {
    if (value === undefined || value.kind === Kind.NULL) return null;
    if (value.kind === Kind.ENUM && (OWNERSHIP_SYSTEMS as readonly string[]).includes(value.value))
      return value.value as OwnershipSystem;
    throw new OwnershipDeclarationError(`@owner on ${where}: ${name} must be one of ${OWNERSHIP_SYSTEMS.join(', ')}`);
  };
  const owner = system(args.get('system'), 'system');
  if (owner === null) throw new OwnershipDeclarationError(`@owner on ${where}: system is required`);
  const note = args.get('note');
  return {
    system: owner,
    mirroredIn: system(args.get('mirroredIn'), 'mirroredIn'),
    note: note?.kind === Kind.STRING ? note.value : null,
    declaredOn,
  };
}

/** The matrix of a document: subgraph SDL or the composed supergraph. */
export function ownershipOf(document: DocumentNode): OwnershipMatrix {
  const typeOwners = new Map<string, Ownership>();
  const fieldOwners = new Map<FieldCoordinate, Ownership | null>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const type = definition.name.value;
    const typeDirective = ownerDirective(definition.directives);
    if (typeDirective) typeOwners.set(type, readOwnership(typeDirective, 'type', type));
    for (const field of definition.fields ?? []) {
      const coordinate: FieldCoordinate = `${type}.${field.name.value}`;
      const fieldDirective = ownerDirective(field.directives);
      if (fieldDirective) fieldOwners.set(coordinate, readOwnership(fieldDirective, 'field', coordinate));
      else if (!fieldOwners.has(coordinate)) fieldOwners.set(coordinate, null);
    }
  }
  const fields = new Map<FieldCoordinate, Ownership | null>();
  for (const [coordinate, owner] of fieldOwners) {
    fields.set(coordinate, owner ?? typeOwners.get(coordinate.slice(0, coordinate.indexOf('.'))) ?? null);
  }
  return { fields, ownerOf: (coordinate) => fields.get(coordinate) ?? null };
}

const SYSTEM_NAMES: Record<OwnershipSystem, string> = {
  SALESFORCE: 'Salesforce',
  ERP: 'the ERP',
  INTEGRATION: 'this graph (computed here, stored in neither system)',
  INHERITED: 'the owner of the field that returns it',
};

/** The documentation line of an owner, as GraphiQL shows it. */
export function describeOwnership(ownership: Ownership): string {
  const mirror = ownership.mirroredIn
    ? ` Mirrored read-only in ${SYSTEM_NAMES[ownership.mirroredIn]}, written only by the integration.`
    : '';
  return `Owner: ${SYSTEM_NAMES[ownership.system]}.${mirror}${ownership.note ? ` ${ownership.note}` : ''}`;
}

function withLine(description: StringValueNode | undefined, line: string): StringValueNode {
  const text = description?.value.trim();
  return { kind: Kind.STRING, value: text ? `${text}\n\n${line}` : line, block: true };
}

/**
 * The subgraph documents with each owner appended to a description: a field's in the document that
 * declares it; a type-level owner's in every document defining the type with a description (shared
 * value types such as Money are defined in each subgraph, and composition wants their descriptions
 * to agree). Introspection does not expose applied directives, so this is how ownership reaches the
 * docs GraphiQL shows.
 */
export function withOwnershipDocs(documents: readonly DocumentNode[]): DocumentNode[] {
  const typeLines = new Map<string, string>();
  for (const document of documents) {
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
      const directive = ownerDirective(definition.directives);
      if (directive)
        typeLines.set(
          definition.name.value,
          describeOwnership(readOwnership(directive, 'type', definition.name.value)),
        );
    }
  }
  return documents.map((document) =>
    visit(document, {
      ObjectTypeDefinition: (node) => {
        const line = typeLines.get(node.name.value);
        return line && (node.description || ownerDirective(node.directives))
          ? { ...node, description: withLine(node.description, line) }
          : undefined;
      },
      FieldDefinition: (node: FieldDefinitionNode) => {
        const directive = ownerDirective(node.directives);
        return directive
          ? {
              ...node,
              description: withLine(
                node.description,
                describeOwnership(readOwnership(directive, 'field', node.name.value)),
              ),
            }
          : undefined;
      },
    }),
  );
}
