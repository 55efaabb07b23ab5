// Describe results (REST API "sObject Describe" and "Describe Global") rendered from the schema:
// the attributes clients actually read — field name, type, label, length, nillable, createable,
// updateable, externalId, unique, referenceTo, relationshipName, picklistValues — plus the
// object's childRelationships, keyPrefix and urls.
import type { FieldMeta, FieldType, ObjectMeta } from './schema.js';

const SOAP_TYPES: Record<FieldType, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  picklist: 'xsd:string',
  url: 'xsd:string',
  phone: 'xsd:string',
  email: 'xsd:string',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  boolean: 'xsd:boolean',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

// Set by the platform when a record is created without them.
const SYSTEM_DEFAULTED = new Set(['OwnerId', 'CreatedDate', 'LastModifiedDate']);

function urls(meta: ObjectMeta, version: string) {
  const base = `/services/data/v${version}/sobjects/${meta.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

export function describeBasic(meta: ObjectMeta, version: string) {
  return {
    activateable: false,
    createable: meta.writable,
    custom: false,
    customSetting: false,
    deletable: meta.writable,
    deprecatedAndHidden: false,
    feedEnabled: false,
    keyPrefix: meta.keyPrefix,
    label: meta.label,
    labelPlural: meta.labelPlural,
    layoutable: true,
    mergeable: false,
    mruEnabled: true,
    name: meta.name,
    queryable: true,
    replicateable: true,
    retrieveable: true,
    searchable: true,
    triggerable: true,
    undeletable: meta.writable,
    updateable: meta.writable,
    urls: urls(meta, version),
  };
}

function describeField(f: FieldMeta) {
  const longText = f.type === 'textarea' && f.length > 255;
  return {
    name: f.name,
    label: f.label,
    type: f.type,
    soapType: SOAP_TYPES[f.type],
    length: f.length,
    byteLength: f.length * 3,
    digits: f.type === 'int' ? f.precision : 0,
    precision: f.type === 'int' ? 0 : f.precision,
    scale: f.scale,
    nillable: f.nillable,
    createable: f.createable,
    updateable: f.updateable,
    externalId: f.externalId,
    unique: f.unique,
    idLookup: f.type === 'id' || f.externalId || f.unique,
    filterable: !longText,
    sortable: !longText,
    groupable: !longText && !['double', 'currency', 'percent', 'datetime'].includes(f.type),
    calculated: f.calculated,
    autoNumber: f.autoNumber,
    defaultedOnCreate:
      f.defaultValue !== null ||
      f.autoNumber ||
      f.type === 'id' ||
      f.type === 'boolean' ||
      SYSTEM_DEFAULTED.has(f.name),
    defaultValue: f.defaultValue,
    custom: f.custom,
    caseSensitive: false,
    nameField: f.nameField,
    htmlFormatted: false,
    dependentPicklist: false,
    restrictedPicklist: false,
    polymorphicForeignKey: false,
    cascadeDelete: false,
    referenceTo: f.referenceTo ? [f.referenceTo] : [],
    relationshipName: f.relationshipName,
    picklistValues: f.picklistValues.map((value) => ({
      active: true,
      defaultValue: value === f.defaultValue,
      label: value,
      validFor: null,
      value,
    })),
  };
}

export function describeSObject(meta: ObjectMeta, version: string) {
  return {
    ...describeBasic(meta, version),
    childRelationships: meta.childRelationships.map((rel) => ({
      cascadeDelete: rel.cascadeDelete,
      childSObject: rel.childSObject,
      deprecatedAndHidden: false,
      field: rel.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: rel.relationshipName,
      restrictedDelete: false,
    })),
    fields: meta.fields.map(describeField),
    recordTypeInfos: [],
    supportedScopes: [
      { label: 'All', name: 'everything' },
      { label: 'Mine', name: 'mine' },
    ],
  };
}

export function describeGlobal(objects: readonly ObjectMeta[], version: string) {
  return { encoding: 'UTF-8', maxBatchSize: 200, sobjects: objects.map((meta) => describeBasic(meta, version)) };
}
