// A small CSDL `$metadata` document (OData v4 CSDL XML) generated from entity-sets.ts, so a
// client or tool that reads the service's metadata sees exactly the types the emulator serves.
import { ENTITY_SETS, EDM_TYPE, SALES_ORDER_LINES_SET, companyType, qualifiedName, type EntityTypeDef } from './entity-sets.js';

function collectTypes(): EntityTypeDef[] {
  const seen = new Map<string, EntityTypeDef>();
  const visit = (type: EntityTypeDef) => {
    if (seen.has(type.name)) return;
    seen.set(type.name, type);
    for (const nav of Object.values(type.navigation)) visit(nav.target);
  };
  visit(companyType);
  for (const set of ENTITY_SETS.values()) visit(set.type);
  return [...seen.values()];
}

function entityTypeXml(type: EntityTypeDef): string {
  const properties = Object.entries(type.properties).map(([name, propertyType]) => {
    const nullable = name === 'id' ? ' Nullable="false"' : '';
    return `        <Property Name="${name}" Type="${EDM_TYPE[propertyType]}"${nullable} />`;
  });
  const navigation = Object.entries(type.navigation).map(([name, nav]) =>
    nav.kind === 'lines'
      ? `        <NavigationProperty Name="${name}" Type="Collection(${qualifiedName(nav.target)})" ContainsTarget="true" />`
      : `        <NavigationProperty Name="${name}" Type="${qualifiedName(nav.target)}" />`,
  );
  return [
    `      <EntityType Name="${type.name}">`,
    '        <Key><PropertyRef Name="id" /></Key>',
    ...properties,
    ...navigation,
    '      </EntityType>',
  ].join('\n');
}

export function metadataXml(): string {
  const sets = [
    '        <EntitySet Name="companies" EntityType="Microsoft.NAV.company" />',
    ...[...ENTITY_SETS.values(), SALES_ORDER_LINES_SET].map((set) => `        <EntitySet Name="${set.name}" EntityType="${qualifiedName(set.type)}" />`),
  ];
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
    '  <edmx:DataServices>',
    '    <Schema Namespace="Microsoft.NAV" xmlns="http://docs.oasis-open.org/odata/ns/edm">',
    ...collectTypes().map(entityTypeXml),
    '      <EntityContainer Name="NAV">',
    ...sets,
    '      </EntityContainer>',
    '    </Schema>',
    '  </edmx:DataServices>',
    '</edmx:Edmx>',
    '',
  ].join('\n');
}
