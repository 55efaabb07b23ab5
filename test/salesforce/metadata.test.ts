// The Salesforce DX project's metadata, checked without an org: read and converted to the Metadata
// API's format by source-deploy-retrieve (what `sf project deploy start` uses), every file valid
// against the Metadata API's types (@salesforce/types), and the references between components
// (permission sets → objects, fields, classes, principals; named credential → external credential;
// external objects → data source; Apex → named credential and custom permissions) all resolving.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MetadataConverter } from '@salesforce/source-deploy-retrieve';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMetadataSchema, type MetadataSchema } from '../../salesforce/tools/metadata-schema.js';
import { validateMetadataXml } from '../../salesforce/tools/validate-metadata.js';
import {
  metadataFiles,
  PACKAGE_DIRECTORY,
  projectComponents,
  SALESFORCE_PROJECT,
  type MetadataFile,
} from '../../salesforce/tools/project-metadata.js';
import { externalObjects } from '../../salesforce/tools/external-objects.js';

const DEFAULT = path.join(PACKAGE_DIRECTORY, 'main/default');
const xml = new XMLParser({
  parseTagValue: false,
  isArray: (name) =>
    ![
      'PermissionSet',
      'ExternalCredential',
      'NamedCredential',
      'ExternalDataSource',
      'CustomObject',
      'CustomField',
      'label',
      'description',
      'hasActivationRequired',
    ].includes(name),
});
const read = (file: string) => xml.parse(readFileSync(path.join(DEFAULT, file), 'utf8')) as Record<string, any>;

let schema: MetadataSchema;
let files: MetadataFile[];
beforeAll(() => {
  schema = loadMetadataSchema();
  files = metadataFiles();
});

const project = JSON.parse(readFileSync(path.join(SALESFORCE_PROJECT, 'sfdx-project.json'), 'utf8'));
const OBJECTS = ['Customers__x', 'Invoices__x', 'SalesOrderLines__x', 'SalesOrders__x', 'Shipments__x'];
const ROLES = ['Sales', 'Finance', 'Service'];

describe('the Salesforce DX project, as source-deploy-retrieve reads it', () => {
  it('holds the components an admin deploys, and no test files', () => {
    const byType = new Map<string, string[]>();
    for (const file of files) byType.set(file.type, [...(byType.get(file.type) ?? []), file.fullName]);
    expect(byType.get('LightningComponentBundle')?.sort()).toEqual([
      'c360AccountGraph',
      'c360CreditSummary',
      'c360Failures',
      'c360Idempotency',
      'c360QuoteSubmit',
      'c360Shipment',
    ]);
    expect(byType.get('ApexClass')).toContain('C360AccountGraphController');
    expect(byType.get('ApexClass')).toContain('C360PersistedOperations');
    expect(byType.get('CustomObject')?.sort()).toEqual(OBJECTS);
    expect(byType.get('CustomField')).toContain('Account.ERP_Customer_Id__c');
    expect(byType.get('PermissionSet')?.sort()).toEqual(['C360_Base', 'C360_Finance', 'C360_Sales', 'C360_Service']);
    expect(byType.get('CustomPermission')?.sort()).toEqual([
      'C360_Role_Finance',
      'C360_Role_Sales',
      'C360_Role_Service',
    ]);
    expect(byType.get('NamedCredential')).toEqual(['C360_Graph']);
    expect(byType.get('ExternalCredential')).toEqual(['C360_Graph_Auth']);
    expect(byType.get('ExternalDataSource')).toEqual(['C360_ERP']);
    expect(byType.get('ListView')?.length).toBeGreaterThanOrEqual(OBJECTS.length);
    // .forceignore keeps the Jest tests and their fixtures out of every deploy.
    const sources = projectComponents()
      .getSourceComponents()
      .toArray()
      .flatMap((component) => component.walkContent());
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((file) => file.includes('__tests__'))).toEqual([]);
  });

  it('converts to the Metadata API format with a package.xml, as a deploy sends it', async () => {
    const output = mkdtempSync(path.join(tmpdir(), 'c360-mdapi-'));
    try {
      const components = projectComponents();
      components.sourceApiVersion = project.sourceApiVersion;
      const result = await new MetadataConverter().convert(components, 'metadata', {
        type: 'directory',
        outputDirectory: output,
        genUniqueDir: false,
      });
      expect(result.converted?.length).toBeGreaterThan(20);
      const manifest = xml.parse(readFileSync(path.join(output, 'package.xml'), 'utf8')).Package[0];
      expect(manifest.version[0]).toBe(project.sourceApiVersion);
      const types = new Map<string, string[]>(manifest.types.map((type: any) => [type.name[0], type.members]));
      expect(types.get('ExternalDataSource')).toEqual(['C360_ERP']);
      expect(types.get('CustomObject')).toEqual(expect.arrayContaining(OBJECTS));
      // Decomposed source (one file per field) becomes one .object file per object.
      const invoices = xml.parse(readFileSync(path.join(output, 'objects/Invoices__x.object'), 'utf8')).CustomObject;
      expect(invoices.externalName).toEqual(['Invoices']);
      expect(invoices.fields.map((field: any) => field.fullName[0])).toContain('CustomerNumber__c');
      // The composed files are what the Metadata API reads: valid against its types as well (in
      // the order source-deploy-retrieve composes them: children after the object's own elements).
      for (const object of OBJECTS) {
        const composed = readFileSync(path.join(output, `objects/${object}.object`), 'utf8');
        expect(validateMetadataXml(composed, 'CustomObject', schema, { checkOrder: false }), object).toEqual([]);
      }
    } finally {
      rmSync(output, { recursive: true, force: true });
    }
  });

  it('every metadata file is valid against the Metadata API types', () => {
    const problems = files.flatMap((file) =>
      validateMetadataXml(readFileSync(file.xml, 'utf8'), file.type, schema).map(
        (problem) => `${file.fullName}: ${problem}`,
      ),
    );
    expect(problems).toEqual([]);
    expect(files.length).toBeGreaterThan(100);
  });

  it('every Apex class and component targets the project API version', () => {
    for (const file of files.filter((f) => f.type === 'ApexClass' || f.type === 'LightningComponentBundle')) {
      expect(readFileSync(file.xml, 'utf8'), file.fullName).toContain(
        `<apiVersion>${project.sourceApiVersion}</apiVersion>`,
      );
    }
  });
});

describe('the metadata validator refuses what the Metadata API refuses', () => {
  const field = (body: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">${body}</CustomField>`;

  it('accepts a valid field', () => {
    expect(
      validateMetadataXml(
        field('<fullName>A__c</fullName><label>A</label><length>20</length><type>Text</type>'),
        'CustomField',
        schema,
      ),
    ).toEqual([]);
  });

  it.each([
    ['an unknown element', '<fullName>A__c</fullName><lenght>20</lenght>', 'CustomField has no property lenght'],
    [
      'elements out of order',
      '<fullName>A__c</fullName><type>Text</type><label>A</label>',
      'out of order: <label> must come before <type>',
    ],
    ['a value outside an enumeration', '<fullName>A__c</fullName><type>Txt</type>', '"Txt" is not a FieldType'],
    ['a malformed boolean', '<fullName>A__c</fullName><externalId>yes</externalId>', '"yes" is not true or false'],
    ['a malformed number', '<fullName>A__c</fullName><length>twenty</length>', '"twenty" is not a number'],
    [
      'a single-valued element repeated',
      '<fullName>A__c</fullName><label>A</label><label>B</label>',
      'CustomField.label appears more than once',
    ],
    ['elements where text belongs', '<fullName>A__c</fullName><label><b>A</b></label>', 'holds text, not elements'],
  ])('refuses %s', (_case, body, problem) => {
    expect(validateMetadataXml(field(body), 'CustomField', schema).join('\n')).toContain(problem);
  });

  it('refuses a missing required element, a wrong root and a wrong namespace', () => {
    const permission =
      '<?xml version="1.0"?><CustomPermission xmlns="http://soap.sforce.com/2006/04/metadata"><label>X</label></CustomPermission>';
    expect(validateMetadataXml(permission, 'CustomPermission', schema)).toContain(
      'CustomPermission: CustomPermission.isLicensed is required',
    );
    expect(validateMetadataXml(permission, 'CustomField', schema).join('\n')).toContain(
      'the root element is <CustomPermission>, expected <CustomField>',
    );
    expect(
      validateMetadataXml('<CustomField><label>A</label></CustomField>', 'CustomField', schema).join('\n'),
    ).toContain('namespace is missing');
    expect(validateMetadataXml('<CustomField>', 'CustomField', schema).join('\n')).toContain('not well-formed XML');
  });
});

describe('references between components resolve', () => {
  const permissionSet = (name: string) => read(`permissionsets/${name}.permissionset-meta.xml`).PermissionSet;
  const fieldsOf = (object: string) =>
    files.filter((f) => f.type === 'CustomField' && f.fullName.startsWith(`${object}.`)).map((f) => f.fullName);

  it('C360_Base reads every external object and each of its fields, the ERP customer number, and runs the Apex', () => {
    const base = permissionSet('C360_Base');
    const readable = base.objectPermissions.filter((p: any) => p.allowRead[0] === 'true').map((p: any) => p.object[0]);
    expect(readable).toEqual(expect.arrayContaining([...OBJECTS, 'UserExternalCredential']));
    for (const permission of base.objectPermissions.filter((p: any) => OBJECTS.includes(p.object[0]))) {
      expect([permission.allowCreate[0], permission.allowEdit[0], permission.allowDelete[0]]).toEqual([
        'false',
        'false',
        'false',
      ]);
    }
    const granted = base.fieldPermissions.map((p: any) => p.field[0]);
    expect(granted.sort()).toEqual([...OBJECTS.flatMap(fieldsOf), 'Account.ERP_Customer_Id__c'].sort());
    expect(base.fieldPermissions.every((p: any) => p.readable[0] === 'true' && p.editable[0] === 'false')).toBe(true);
    expect(base.classAccesses.map((p: any) => p.apexClass[0])).toEqual(['C360AccountGraphController']);
  });

  it('each role permission set grants its custom permission and its principal, in the order Apex reads roles', () => {
    const credential = read('externalCredentials/C360_Graph_Auth.externalCredential-meta.xml').ExternalCredential;
    const principals = credential.externalCredentialParameters
      .filter((p: any) => p.parameterType[0] === 'NamedPrincipal')
      .map((p: any) => ({
        name: p.parameterName[0],
        group: p.parameterGroup[0],
        sequence: Number(p.sequenceNumber[0]),
      }))
      .sort((a: any, b: any) => a.sequence - b.sequence);
    expect(principals.map((p: any) => p.name)).toEqual(ROLES);
    expect(principals.every((p: any) => p.group === p.name)).toBe(true);
    for (const role of ROLES) {
      const set = permissionSet(`C360_${role}`);
      expect(set.customPermissions.map((p: any) => p.name[0])).toEqual([`C360_Role_${role}`]);
      expect(set.externalCredentialPrincipalAccesses.map((p: any) => p.externalCredentialPrincipal[0])).toEqual([
        `C360_Graph_Auth-${role}`,
      ]);
    }
    // C360Viewer picks a role the way Salesforce picks a principal: the lowest sequence number first.
    const viewer = readFileSync(path.join(DEFAULT, 'classes/C360Viewer.cls'), 'utf8');
    const precedence = /ROLES_BY_PRECEDENCE = new List<String>\{([^}]*)\}/
      .exec(viewer)![1]!
      .match(/'(\w+)'/g)!
      .map((role) => role.slice(1, -1));
    expect(precedence).toEqual(ROLES.map((role) => role.toLowerCase()));
    for (const role of ROLES) expect(viewer).toContain(`'${role.toLowerCase()}' => 'C360_Role_${role}'`);
  });

  it('the named credential uses the external credential, and Apex and Salesforce Connect call through it', () => {
    const named = read('namedCredentials/C360_Graph.namedCredential-meta.xml').NamedCredential;
    const authentication = named.namedCredentialParameters.find((p: any) => p.parameterType[0] === 'Authentication');
    expect(authentication.externalCredential[0]).toBe('C360_Graph_Auth');
    expect(named.namedCredentialParameters.find((p: any) => p.parameterType[0] === 'Url').parameterValue[0]).toMatch(
      /^https:\/\/[^/]+$/,
    );
    const client = readFileSync(path.join(DEFAULT, 'classes/C360GraphClient.cls'), 'utf8');
    expect(client).toContain("NAMED_CREDENTIAL = 'C360_Graph'");
    expect(client).toContain("'callout:' + NAMED_CREDENTIAL + '/graphql'");
    const source = read('dataSources/C360_ERP.dataSource-meta.xml').ExternalDataSource;
    expect(source.endpoint[0]).toBe('callout:C360_Graph/odata/v4/');
    expect(source.type[0]).toBe('OData4');
    expect(source.isWritable[0]).toBe('false');
    expect(JSON.parse(source.customConfiguration[0])).toMatchObject({ format: 'JSON', inlineCountEnabled: 'true' });
  });

  it('external objects use the data source, lookups point at objects and fields the project has', () => {
    const names = new Set(externalObjects().map((object) => object.apiName));
    const account = read('objects/Account/fields/ERP_Customer_Id__c.field-meta.xml').CustomField;
    expect([account.externalId[0], account.unique[0], account.type[0]]).toEqual(['true', 'true', 'Text']);
    for (const object of externalObjects()) {
      expect(object.externalDataSource).toBe('C360_ERP');
      for (const field of object.fields) {
        if (field.type === 'IndirectLookup') {
          expect([field.referenceTo, field.referenceTargetField], `${object.apiName}.${field.apiName}`).toEqual([
            'Account',
            'Account.ERP_Customer_Id__c',
          ]);
          expect(field.length!).toBeLessThanOrEqual(Number(account.length[0]));
        }
        if (field.type === 'ExternalLookup')
          expect(names.has(field.referenceTo!), `${object.apiName}.${field.apiName}`).toBe(true);
      }
      const apiNames = new Set(object.fields.map((field) => field.apiName));
      for (const view of object.listViews) {
        for (const column of [...view.columns, ...view.filters.map((filter) => filter.field)])
          expect(apiNames.has(column), `${object.apiName} list view ${view.name}: ${column}`).toBe(true);
      }
      // Salesforce relates every ERP object to its account: each has the indirect lookup.
      expect(
        object.fields.filter((field) => field.type === 'IndirectLookup').map((field) => field.externalName),
      ).toEqual(['CustomerNumber']);
    }
  });

  it('the components import only Apex methods the controller exposes', () => {
    const controller = readFileSync(path.join(DEFAULT, 'classes/C360AccountGraphController.cls'), 'utf8');
    const exposed = new Set(
      [...controller.matchAll(/@AuraEnabled\s+public static \w+ (\w+)\(/g)].map((match) => match[1]),
    );
    const imports = files
      .filter((file) => file.type === 'LightningComponentBundle')
      .flatMap((file) => {
        const script = readFileSync(file.xml.replace('.js-meta.xml', '.js'), 'utf8');
        return [...script.matchAll(/from '@salesforce\/apex\/(\w+)\.(\w+)'/g)].map((match) => [match[1], match[2]]);
      });
    expect(imports.length).toBeGreaterThan(0);
    for (const [apexClass, method] of imports) {
      expect(apexClass).toBe('C360AccountGraphController');
      expect(exposed.has(method), method).toBe(true);
    }
  });
});
