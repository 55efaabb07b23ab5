// `$metadata`: the entity model as CSDL XML (OData 4.0 CSDL XML), what Salesforce Connect reads on
// "Validate and Sync" to create its external objects. Built once per router with xmlbuilder2.
//
// Annotations, from the OASIS vocabularies:
// - Read-only properties, derived from the @owner matrix (schema/ownership.ts): a value the graph
//   computes (owner INTEGRATION: asOf, stale) is Core.Computed; a value a system of record owns (the
//   ERP) is Core.Permissions = Read: it is changed in the ERP, never through this service.
// - Entity sets are read-only (Capabilities Insert/Update/DeleteRestrictions), and name the
//   properties the ERP cannot filter or sort on (computed values).
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { EntityModel, EntitySet, ModelProperty } from './model.js';

const EDMX = 'http://docs.oasis-open.org/odata/ns/edmx';
const EDM = 'http://docs.oasis-open.org/odata/ns/edm';
const VOCABULARIES = [
  {
    namespace: 'Org.OData.Core.V1',
    uri: 'https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml',
  },
  {
    namespace: 'Org.OData.Capabilities.V1',
    uri: 'https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Capabilities.V1.xml',
  },
];

function propertyAttributes(property: ModelProperty): Record<string, string> {
  return {
    Name: property.name,
    Type: property.type,
    Nullable: String(property.nullable),
    ...(property.maxLength !== undefined && { MaxLength: String(property.maxLength) }),
    ...(property.precision !== undefined && { Precision: String(property.precision) }),
    ...(property.scale !== undefined && { Scale: String(property.scale) }),
  };
}

function annotateReadOnly(element: XMLBuilder, property: ModelProperty): void {
  if (property.owner === 'INTEGRATION')
    element.ele(EDM, 'Annotation', { Term: 'Org.OData.Core.V1.Computed', Bool: 'true' });
  else if (property.owner !== 'SALESFORCE') {
    element.ele(EDM, 'Annotation', {
      Term: 'Org.OData.Core.V1.Permissions',
      EnumMember: 'Org.OData.Core.V1.Permission/Read',
    });
  }
}

function entityType(schema: XMLBuilder, set: EntitySet): void {
  const type = schema.ele(EDM, 'EntityType', { Name: set.entityType });
  const key = type.ele(EDM, 'Key');
  for (const property of set.keyProperties) key.ele(EDM, 'PropertyRef', { Name: property.name });
  for (const property of set.properties)
    annotateReadOnly(type.ele(EDM, 'Property', propertyAttributes(property)), property);
}

function restriction(element: XMLBuilder, term: string, property: string, value: boolean): void {
  element
    .ele(EDM, 'Annotation', { Term: `Org.OData.Capabilities.V1.${term}` })
    .ele(EDM, 'Record')
    .ele(EDM, 'PropertyValue', { Property: property, Bool: String(value) });
}

function pathList(element: XMLBuilder, term: string, property: string, names: readonly string[]): void {
  const collection = element
    .ele(EDM, 'Annotation', { Term: `Org.OData.Capabilities.V1.${term}` })
    .ele(EDM, 'Record')
    .ele(EDM, 'PropertyValue', { Property: property })
    .ele(EDM, 'Collection');
  for (const name of names) collection.ele(EDM, 'PropertyPath').txt(name);
}

function entitySet(container: XMLBuilder, set: EntitySet, namespace: string): void {
  const element = container.ele(EDM, 'EntitySet', { Name: set.name, EntityType: `${namespace}.${set.entityType}` });
  restriction(element, 'InsertRestrictions', 'Insertable', false);
  restriction(element, 'UpdateRestrictions', 'Updatable', false);
  restriction(element, 'DeleteRestrictions', 'Deletable', false);
  const fixed = set.properties.filter((property) => property.field === undefined).map((property) => property.name);
  if (fixed.length > 0) {
    pathList(element, 'FilterRestrictions', 'NonFilterableProperties', fixed);
    pathList(element, 'SortRestrictions', 'NonSortableProperties', fixed);
  }
}

export function metadataXml(model: EntityModel): string {
  const root = create({ version: '1.0', encoding: 'utf-8' }).ele(EDMX, 'edmx:Edmx', { Version: '4.0' });
  for (const vocabulary of VOCABULARIES) {
    root
      .ele(EDMX, 'edmx:Reference', { Uri: vocabulary.uri })
      .ele(EDMX, 'edmx:Include', { Namespace: vocabulary.namespace });
  }
  const schema = root.ele(EDMX, 'edmx:DataServices').ele(EDM, 'Schema', { Namespace: model.namespace });
  for (const set of model.sets) entityType(schema, set);
  const container = schema.ele(EDM, 'EntityContainer', { Name: 'Container' });
  for (const set of model.sets) entitySet(container, set, model.namespace);
  return root.end({ prettyPrint: true });
}
