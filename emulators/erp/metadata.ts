// A small CSDL `$metadata` document (OData v4 CSDL XML) generated from entity-sets.ts, so a
// client or tool that reads the service's metadata sees exactly the types the emulator serves,
// plus the webhook subscriptions entity and the bound action salesOrders(id)/Microsoft.NAV.shipAndInvoice.
import {
  ENTITY_SETS,
  EDM_TYPE,
  SALES_ORDER_LINES_SET,
  companyType,
  qualifiedName,
  type EntityTypeDef,
} from './entity-sets.js';
import { MAX_CLIENT_STATE } from './webhooks/subscriptions.js';

const SUBSCRIPTIONS_TYPE = [
  '      <EntityType Name="subscriptions">',
  '        <Key><PropertyRef Name="subscriptionId" /></Key>',
  '        <Property Name="subscriptionId" Type="Edm.String" Nullable="false" MaxLength="150" />',
  '        <Property Name="notificationUrl" Type="Edm.String" />',
  '        <Property Name="resource" Type="Edm.String" />',
  '        <Property Name="timestamp" Type="Edm.Int64" />',
  '        <Property Name="userId" Type="Edm.Guid" />',
  '        <Property Name="lastModifiedDateTime" Type="Edm.DateTimeOffset" />',
  `        <Property Name="clientState" Type="Edm.String" MaxLength="${MAX_CLIENT_STATE}" />`,
  '        <Property Name="expirationDateTime" Type="Edm.DateTimeOffset" />',
  '        <Property Name="systemCreatedAt" Type="Edm.DateTimeOffset" />',
  '        <Property Name="systemCreatedBy" Type="Edm.Guid" />',
  '        <Property Name="systemModifiedAt" Type="Edm.DateTimeOffset" />',
  '        <Property Name="systemModifiedBy" Type="Edm.Guid" />',
  '      </EntityType>',
];

const BOUND_ACTIONS = [
  '      <Action Name="shipAndInvoice" IsBound="true">',
  '        <Parameter Name="salesOrder" Type="Microsoft.NAV.salesOrder" />',
  '      </Action>',
];

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
    ...[...ENTITY_SETS.values(), SALES_ORDER_LINES_SET].map(
      (set) => `        <EntitySet Name="${set.name}" EntityType="${qualifiedName(set.type)}" />`,
    ),
    '        <EntitySet Name="subscriptions" EntityType="Microsoft.NAV.subscriptions" />',
  ];
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
    '  <edmx:DataServices>',
    '    <Schema Namespace="Microsoft.NAV" xmlns="http://docs.oasis-open.org/odata/ns/edm">',
    ...collectTypes().map(entityTypeXml),
    ...SUBSCRIPTIONS_TYPE,
    ...BOUND_ACTIONS,
    '      <EntityContainer Name="NAV">',
    ...sets,
    '      </EntityContainer>',
    '    </Schema>',
    '  </edmx:DataServices>',
    '</edmx:Edmx>',
    '',
  ].join('\n');
}
