// The Salesforce DX project's metadata as source-deploy-retrieve reads it (the library behind
// `sf project deploy start`): every component and child component (a field or list view of an
// object) with its type and metadata file, honouring .forceignore.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ComponentSet, type SourceComponent } from '@salesforce/source-deploy-retrieve';

export const SALESFORCE_PROJECT = fileURLToPath(new URL('..', import.meta.url));
export const PACKAGE_DIRECTORY = path.join(SALESFORCE_PROJECT, 'force-app');

export interface MetadataFile {
  /** The Metadata API type, e.g. CustomField. */
  readonly type: string;
  /** e.g. Invoices__x.Number__c */
  readonly fullName: string;
  /** The -meta.xml file. */
  readonly xml: string;
}

export function projectComponents(): ComponentSet {
  return ComponentSet.fromSource(PACKAGE_DIRECTORY);
}

/** Every metadata file of the project: components, and the children of decomposed ones. */
export function metadataFiles(components: ComponentSet = projectComponents()): MetadataFile[] {
  const files: MetadataFile[] = [];
  const visit = (component: SourceComponent) => {
    if (component.xml) files.push({ type: component.type.name, fullName: component.fullName, xml: component.xml });
    for (const child of component.getChildren()) visit(child);
  };
  for (const component of components.getSourceComponents()) visit(component);
  return files;
}
