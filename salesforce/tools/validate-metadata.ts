// Checks a metadata file against the Metadata API's types (metadata-schema.ts), as the API reads it
// on deploy: the root element is the file's type in the metadata namespace; every element is a
// property of its parent's type, in the type's order, repeated only where the type has a list;
// values are well-formed booleans, numbers and enumeration values; required properties are there.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { MetadataProperty, MetadataSchema } from './metadata-schema.js';

export const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

/**
 * Where the published types are narrower than what orgs accept and retrieve, by Type.property:
 * - LightningComponentBundle.targetConfigs is a string in the WSDL, yet holds the targets'
 *   configuration as XML (<targetConfig targets="…">), as every LWC bundle's js-meta.xml does.
 * - ExternalDataSource.type: the WSDL's enumeration lacks the Salesforce Connect adapters; orgs
 *   retrieve OData 4.0 sources as OData4 (Metadata API Developer Guide, ExternalDataSource).
 */
const UNCHECKED_CONTENT = new Set(['LightningComponentBundle.targetConfigs']);
const EXTRA_ENUM_VALUES: Record<string, readonly string[]> = { 'ExternalDataSource.type': ['OData', 'OData4'] };

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  trimValues: true,
});

export interface ValidationOptions {
  /**
   * Check the elements' order (default true). Source files are written in the types' order, as
   * orgs retrieve them; source-deploy-retrieve appends a decomposed object's fields and list views
   * after its own elements when it composes the .object file a deploy sends, which the Metadata API
   * accepts for those children.
   */
  readonly checkOrder?: boolean;
}

/** Problems of one metadata file of the given type; empty when it is valid. */
export function validateMetadataXml(
  xml: string,
  typeName: string,
  schema: MetadataSchema,
  options: ValidationOptions = {},
): string[] {
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) return [`not well-formed XML: ${wellFormed.err.msg} (line ${wellFormed.err.line})`];
  const roots = elementsOf(parser.parse(xml) as XmlNode[]);
  const problems: string[] = [];
  if (roots.length !== 1) return [`expected one root element, found ${roots.length}`];
  const root = roots[0]!;
  if (root.name !== typeName) problems.push(`the root element is <${root.name}>, expected <${typeName}>`);
  if (root.attributes.xmlns !== METADATA_NAMESPACE)
    problems.push(
      `the root element's namespace is ${root.attributes.xmlns ?? 'missing'}, expected ${METADATA_NAMESPACE}`,
    );
  validateValue(typeName, root, typeName, schema, problems, typeName, options.checkOrder ?? true);
  return problems;
}

interface Element {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlNode[];
}

function elementsOf(nodes: XmlNode[]): Element[] {
  const elements: Element[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((key) => key !== ':@' && key !== '#text' && key !== '?xml');
    if (name)
      elements.push({
        name,
        attributes: (node[':@'] as Record<string, string> | undefined) ?? {},
        children: node[name] as XmlNode[],
      });
  }
  return elements;
}

function textOf(element: Element): string {
  return element.children.map((child) => (typeof child['#text'] === 'string' ? child['#text'] : '')).join('');
}

function validateValue(
  typeName: string,
  element: Element,
  path: string,
  schema: MetadataSchema,
  problems: string[],
  property: string,
  checkOrder: boolean,
): void {
  const hasChildren = elementsOf(element.children).length > 0;
  const text = textOf(element).trim();
  const scalar = typeName === 'string' || typeName === 'number' || typeName === 'boolean' ? typeName : undefined;
  if (typeName === 'any' || UNCHECKED_CONTENT.has(property)) return;
  const type = scalar ? undefined : schema.get(typeName);
  if (!scalar && !type) {
    problems.push(`${path}: the type ${typeName} is not in the Metadata API`);
    return;
  }
  const kind = scalar ?? (type!.kind === 'scalar' ? type!.scalar : type!.kind);
  if (kind !== 'object' && hasChildren) {
    problems.push(`${path}: a ${typeName} holds text, not elements`);
    return;
  }
  switch (kind) {
    case 'string':
      return;
    case 'number':
      if (!/^-?\d+(\.\d+)?$/.test(text)) problems.push(`${path}: "${text}" is not a number`);
      return;
    case 'boolean':
      if (text !== 'true' && text !== 'false') problems.push(`${path}: "${text}" is not true or false`);
      return;
    case 'enum': {
      const values = (type as { values: ReadonlySet<string> }).values;
      if (!values.has(text) && !(EXTRA_ENUM_VALUES[property] ?? []).includes(text)) {
        problems.push(
          `${path}: "${text}" is not a ${typeName} (${[...values].slice(0, 12).join(', ')}${values.size > 12 ? ', …' : ''})`,
        );
      }
      return;
    }
    case 'opaque':
      problems.push(`${path}: ${typeName} is declared in a way this check does not read`);
      return;
    case 'object':
      validateObject(
        type as { name: string; properties: readonly MetadataProperty[] },
        element,
        path,
        schema,
        problems,
        checkOrder,
      );
      return;
  }
}

function validateObject(
  type: { name: string; properties: readonly MetadataProperty[] },
  element: Element,
  path: string,
  schema: MetadataSchema,
  problems: string[],
  checkOrder: boolean,
): void {
  if (textOf(element).trim() !== '') problems.push(`${path}: text where ${type.name} has only elements`);
  const order = new Map(type.properties.map((property, index) => [property.name, index]));
  const seen = new Set<string>();
  let last = -1;
  let lastName = '';
  for (const child of elementsOf(element.children)) {
    const index = order.get(child.name);
    const childPath = `${path}.${child.name}`;
    if (index === undefined) {
      problems.push(`${childPath}: ${type.name} has no property ${child.name}`);
      continue;
    }
    const property = type.properties[index]!;
    if (seen.has(child.name) && !property.array)
      problems.push(`${childPath}: ${type.name}.${child.name} appears more than once`);
    else if (checkOrder && index < last)
      problems.push(`${childPath}: out of order: <${child.name}> must come before <${lastName}> in ${type.name}`);
    else if (checkOrder && seen.has(child.name) && index !== last)
      problems.push(`${childPath}: the <${child.name}> elements must be together`);
    seen.add(child.name);
    last = index;
    lastName = child.name;
    validateValue(property.type, child, childPath, schema, problems, `${type.name}.${child.name}`, checkOrder);
  }
  for (const property of type.properties) {
    if (!property.optional && !property.array && !seen.has(property.name))
      problems.push(`${path}: ${type.name}.${property.name} is required`);
  }
}
