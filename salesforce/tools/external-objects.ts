// The Salesforce Connect external objects of the project (objects/*__x), read from their source
// files: which OData entity set each maps, its fields with the OData property, Salesforce type and
// facets each maps, and its list views. test/salesforce/live-gateway.test.ts compares them
// with the gateway's live $metadata.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { PACKAGE_DIRECTORY } from './project-metadata.js';

export const OBJECTS_DIRECTORY = path.join(PACKAGE_DIRECTORY, 'main/default/objects');

export interface ExternalField {
  /** e.g. CustomerNumber__c */
  readonly apiName: string;
  /** The OData property, e.g. CustomerNumber. */
  readonly externalName: string;
  /** Text, Number, DateTime, Checkbox, IndirectLookup, ExternalLookup, ... */
  readonly type: string;
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
  readonly required: boolean;
  readonly isNameField: boolean;
  readonly isFilteringDisabled: boolean;
  readonly isSortingDisabled: boolean;
  readonly referenceTo?: string;
  readonly referenceTargetField?: string;
  readonly relationshipName?: string;
}

export interface ListViewFilter {
  readonly field: string;
  readonly operation: string;
  readonly value: string;
}

export interface ExternalListView {
  readonly name: string;
  readonly columns: readonly string[];
  readonly filters: readonly ListViewFilter[];
}

export interface ExternalObject {
  /** e.g. Invoices__x */
  readonly apiName: string;
  /** The OData entity set, e.g. Invoices. */
  readonly externalName: string;
  readonly externalDataSource: string;
  readonly fields: readonly ExternalField[];
  readonly listViews: readonly ExternalListView[];
}

const parser = new XMLParser({ parseTagValue: false, isArray: (name) => ['columns', 'filters'].includes(name) });

function read(file: string, root: string): Record<string, string | string[] | Record<string, string>[]> {
  const document = parser.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const element = document[root];
  if (!element || typeof element !== 'object') throw new Error(`${file}: no <${root}>`);
  return element as Record<string, string>;
}

const number = (value: unknown) => (typeof value === 'string' ? Number(value) : undefined);
const flag = (value: unknown) => value === 'true';
const filesIn = (directory: string, suffix: string) => {
  try {
    return readdirSync(directory)
      .filter((name) => name.endsWith(suffix))
      .sort();
  } catch {
    return [];
  }
};

export function externalObjects(directory: string = OBJECTS_DIRECTORY): ExternalObject[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith('__x'))
    .sort()
    .map((apiName) => {
      const folder = path.join(directory, apiName);
      const object = read(path.join(folder, `${apiName}.object-meta.xml`), 'CustomObject');
      const fields = filesIn(path.join(folder, 'fields'), '.field-meta.xml').map((file): ExternalField => {
        const field = read(path.join(folder, 'fields', file), 'CustomField');
        return {
          apiName: file.replace('.field-meta.xml', ''),
          externalName: field.externalDeveloperName as string,
          type: field.type as string,
          length: number(field.length),
          precision: number(field.precision),
          scale: number(field.scale),
          required: flag(field.required),
          isNameField: flag(field.isNameField),
          isFilteringDisabled: flag(field.isFilteringDisabled),
          isSortingDisabled: flag(field.isSortingDisabled),
          referenceTo: field.referenceTo as string | undefined,
          referenceTargetField: field.referenceTargetField as string | undefined,
          relationshipName: field.relationshipName as string | undefined,
        };
      });
      const listViews = filesIn(path.join(folder, 'listViews'), '.listView-meta.xml').map((file): ExternalListView => {
        const view = read(path.join(folder, 'listViews', file), 'ListView');
        return {
          name: file.replace('.listView-meta.xml', ''),
          columns: (view.columns as string[] | undefined) ?? [],
          filters: ((view.filters as Record<string, string>[] | undefined) ?? []).map((filter) => ({
            field: filter.field!,
            operation: filter.operation!,
            value: filter.value ?? '',
          })),
        };
      });
      return {
        apiName,
        externalName: object.externalName as string,
        externalDataSource: object.externalDataSource as string,
        fields,
        listViews,
      };
    });
}
