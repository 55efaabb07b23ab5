// $metadata (gateway/odata/metadata.ts) and the entity model behind it (model.ts): well-formed CSDL
// that parses back, a Key on every entity type, only the Edm types Salesforce Connect maps, strings
// with MaxLength, nullability and read-only annotations as the schema says, the customer number on
// every entity that belongs to a customer, and declarations that stay in step with the schema.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildASTSchema, parse } from 'graphql';
import { ENTITY_SETS } from '../../gateway/odata/entity-model.js';
import { metadataXml } from '../../gateway/odata/metadata.js';
import { buildEntityModel, EntityModelError } from '../../gateway/odata/model.js';
import { SUPERGRAPH_SDL } from './support/fake-graph.js';

const model = buildEntityModel(SUPERGRAPH_SDL);
const xml = metadataXml(model);
// fast-xml-parser is the XML parser of @sap-cloud-sdk/generator (pinned 4.5.1), the independent
// client that reads this document in test/odata/sap-client.test.ts.
const parsed = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: false,
  isArray: (name, _path, _leaf, isAttribute) =>
    !isAttribute &&
    ['edmx:Reference', 'EntityType', 'Property', 'PropertyRef', 'EntitySet', 'Annotation', 'PropertyPath'].includes(
      name,
    ),
}).parse(xml);
const schemaElement = parsed['edmx:Edmx']['edmx:DataServices'].Schema;
const entityTypes: any[] = schemaElement.EntityType;

// Salesforce Connect's OData 4.0 type mapping (shared/reference/salesforce-connect-odata.md).
const SALESFORCE_MAPPED = new Set([
  'Edm.Boolean',
  'Edm.Byte',
  'Edm.SByte',
  'Edm.Int16',
  'Edm.Int32',
  'Edm.Int64',
  'Edm.Decimal',
  'Edm.Double',
  'Edm.Single',
  'Edm.Date',
  'Edm.DateTimeOffset',
  'Edm.Guid',
  'Edm.String',
  'Edm.Binary',
]);

describe('$metadata', () => {
  it('is well-formed CSDL 4.0 XML in the OData namespaces', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    const edmx = parsed['edmx:Edmx'];
    expect(edmx.Version).toBe('4.0');
    expect(edmx['xmlns:edmx']).toBe('http://docs.oasis-open.org/odata/ns/edmx');
    expect(schemaElement.xmlns).toBe('http://docs.oasis-open.org/odata/ns/edm');
    expect(schemaElement.Namespace).toBe('Customer360');
    expect(edmx['edmx:Reference'].map((r: any) => r['edmx:Include'].Namespace)).toEqual([
      'Org.OData.Core.V1',
      'Org.OData.Capabilities.V1',
    ]);
  });

  it('has the six entity sets, each of its own entity type', () => {
    const sets = schemaElement.EntityContainer.EntitySet;
    expect(sets.map((s: any) => [s.Name, s.EntityType])).toEqual([
      ['Customers', 'Customer360.Customer'],
      ['Invoices', 'Customer360.Invoice'],
      ['SalesOrders', 'Customer360.SalesOrder'],
      ['SalesOrderLines', 'Customer360.SalesOrderLine'],
      ['Shipments', 'Customer360.Shipment'],
      ['Products', 'Customer360.Product'],
    ]);
    expect(entityTypes.map((t) => t.Name)).toEqual([
      'Customer',
      'Invoice',
      'SalesOrder',
      'SalesOrderLine',
      'Shipment',
      'Product',
    ]);
  });

  it('every entity type has a Key naming non-nullable properties of its own', () => {
    for (const type of entityTypes) {
      const refs = type.Key.PropertyRef.map((ref: any) => ref.Name);
      expect(refs.length, type.Name).toBeGreaterThan(0);
      for (const ref of refs) {
        const property = type.Property.find((p: any) => p.Name === ref);
        expect(property, `${type.Name}.${ref}`).toBeDefined();
        expect(property.Nullable).toBe('false');
      }
    }
    expect(entityTypes.find((t) => t.Name === 'SalesOrderLine').Key.PropertyRef.map((r: any) => r.Name)).toEqual([
      'OrderNumber',
      'Sequence',
    ]);
  });

  it('uses only Edm types Salesforce maps: no enums, complex types, navigation or streams', () => {
    for (const type of entityTypes) {
      for (const property of type.Property)
        expect(SALESFORCE_MAPPED.has(property.Type), `${type.Name}.${property.Name}: ${property.Type}`).toBe(true);
      expect(type.NavigationProperty).toBeUndefined();
    }
    expect(schemaElement.EnumType).toBeUndefined();
    expect(schemaElement.ComplexType).toBeUndefined();
    expect(xml).not.toMatch(/Edm\.(TimeOfDay|Duration|Stream|Geography|Geometry)/);
  });

  it('every string has a MaxLength of at most 255 (Salesforce Text), every decimal a precision and scale', () => {
    for (const type of entityTypes) {
      for (const property of type.Property) {
        if (property.Type === 'Edm.String') {
          expect(Number(property.MaxLength), `${type.Name}.${property.Name}`).toBeGreaterThan(0);
          expect(Number(property.MaxLength)).toBeLessThanOrEqual(255);
        }
        if (property.Type === 'Edm.Decimal') {
          expect(Number(property.Precision)).toBeLessThanOrEqual(18);
          expect(Number(property.Scale)).toBeGreaterThanOrEqual(2);
        }
      }
    }
  });

  it('every entity that belongs to a customer carries CustomerNumber as a plain, non-nullable string', () => {
    for (const type of entityTypes.filter((t) => t.Name !== 'Product')) {
      const property = type.Property.find((p: any) => p.Name === 'CustomerNumber');
      expect(property, type.Name).toMatchObject({ Type: 'Edm.String', Nullable: 'false', MaxLength: '20' });
    }
  });

  it('nullability follows the schema, and anything some role may not read is nullable', () => {
    const nullable = (typeName: string, name: string) =>
      entityTypes.find((t) => t.Name === typeName).Property.find((p: any) => p.Name === name).Nullable;
    expect(nullable('Invoice', 'Number')).toBe('false');
    expect(nullable('Invoice', 'OrderNumber')).toBe('true');
    expect(nullable('Invoice', 'Total')).toBe('false');
    expect(nullable('SalesOrder', 'RequestedDeliveryDate')).toBe('true');
    expect(nullable('Customer', 'City')).toBe('true'); // Customer.address is nullable
    expect(nullable('Customer', 'OnHold')).toBe('false');
    expect(nullable('Customer', 'CreditLimit')).toBe('true'); // Credit.limit is non-null, but partners may not read it
    expect(nullable('Customer', 'PaymentTermsCode')).toBe('true'); // Credit.paymentTerms is nullable
  });

  it('annotates every property read-only from the ownership matrix', () => {
    for (const type of entityTypes) {
      for (const property of type.Property) {
        const terms = (property.Annotation ?? []).map((a: any) => `${a.Term}=${a.EnumMember ?? a.Bool}`);
        const expected = ['AsOf', 'Stale'].includes(property.Name)
          ? 'Org.OData.Core.V1.Computed=true'
          : 'Org.OData.Core.V1.Permissions=Org.OData.Core.V1.Permission/Read';
        expect(terms, `${type.Name}.${property.Name}`).toEqual([expected]);
      }
    }
  });

  it('declares the entity sets read-only and names what cannot be filtered or sorted', () => {
    const invoices = schemaElement.EntityContainer.EntitySet.find((s: any) => s.Name === 'Invoices');
    const byTerm = Object.fromEntries(
      invoices.Annotation.map((a: any) => [a.Term.replace('Org.OData.Capabilities.V1.', ''), a.Record.PropertyValue]),
    );
    expect(byTerm.InsertRestrictions).toMatchObject({ Property: 'Insertable', Bool: 'false' });
    expect(byTerm.UpdateRestrictions).toMatchObject({ Property: 'Updatable', Bool: 'false' });
    expect(byTerm.DeleteRestrictions).toMatchObject({ Property: 'Deletable', Bool: 'false' });
    expect(byTerm.FilterRestrictions.Collection.PropertyPath).toEqual(['IsOverdue', 'DaysOverdue', 'AsOf', 'Stale']);
    expect(byTerm.SortRestrictions.Collection.PropertyPath).toEqual(['IsOverdue', 'DaysOverdue', 'AsOf', 'Stale']);
  });
});

describe('the entity model against the schema', () => {
  const schema = buildASTSchema(parse(SUPERGRAPH_SDL), { assumeValidSDL: true });

  it('filters and sorts only on the fields each row query documents as filterable and sortable', () => {
    for (const set of ENTITY_SETS) {
      const description = schema.getQueryType()!.getFields()[set.rootField]!.description ?? '';
      const listed = /Filterable and sortable fields:([^.(]*)/.exec(description.replace(/\s+/g, ' '))?.[1];
      expect(listed, set.rootField).toBeDefined();
      const documented = new Set(listed!.split(',').map((field) => field.trim()));
      for (const property of set.properties) {
        if (property.field !== undefined)
          expect(documented.has(property.field), `${set.name}.${property.name} → ${property.field}`).toBe(true);
      }
    }
  });

  it('fails the start when a declaration does not match the schema', () => {
    const invoices = ENTITY_SETS.find((set) => set.name === 'Invoices')!;
    const broken = (change: Partial<(typeof invoices.properties)[number]>) => [
      { ...invoices, properties: [...invoices.properties.slice(0, -1), { ...invoices.properties.at(-1)!, ...change }] },
    ];
    expect(() => buildEntityModel(SUPERGRAPH_SDL, broken({ path: ['nope'] }))).toThrow(EntityModelError);
    expect(() => buildEntityModel(SUPERGRAPH_SDL, broken({ path: ['total'] }))).toThrow(/not a scalar or enum/);
    expect(() => buildEntityModel(SUPERGRAPH_SDL, broken({ type: 'Edm.Int32' }))).toThrow(
      /cannot be served as Edm.Int32/,
    );
    expect(() => buildEntityModel(SUPERGRAPH_SDL, broken({ path: ['customerNumber'], type: 'Edm.String' }))).toThrow(
      /need a maxLength/,
    );
    expect(() => buildEntityModel(SUPERGRAPH_SDL, [{ ...invoices, key: ['OrderNumber'] }])).toThrow(/non-nullable/);
    expect(() => buildEntityModel(SUPERGRAPH_SDL, [{ ...invoices, rowType: 'Nope' }])).toThrow(/no object type Nope/);
  });

  it("the customer number of each entity that has one reads the row type's customer number", () => {
    for (const set of model.sets.filter((s) => s.name !== 'Products')) {
      const property = set.property('CustomerNumber')!;
      expect(property.field, set.name).toBe(set.name === 'Customers' ? 'number' : 'customerNumber');
    }
  });
});
