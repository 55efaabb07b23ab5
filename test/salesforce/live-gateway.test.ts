// The Salesforce project against the live gateway (the whole stack in process, development
// tokens): the external objects Salesforce Connect would create agree with the OData service's
// $metadata, field by field (every property mapped, the Salesforce type, length, precision and
// scale of Salesforce Connect's OData 4.0 type mapping, nullability where Salesforce cares, the
// filter and sort restrictions); their list views' and related lists' requests are answered; and
// the requests the Apex sends (persisted operations by the hashes of C360PersistedOperations.cls)
// run, with the role rules the permission sets rely on.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type InProcessStack } from '../../stack/in-process.js';
import {
  externalObjects,
  type ExternalField,
  type ExternalListView,
  type ExternalObject,
} from '../../salesforce/tools/external-objects.js';
import { APEX_OPERATIONS_FILE } from '../../salesforce/tools/persisted-operations-apex.js';

interface ODataProperty {
  readonly type: string;
  readonly nullable: boolean;
  readonly maxLength?: number;
  readonly precision?: number;
  readonly scale?: number;
}

interface ODataEntitySet {
  readonly key: readonly string[];
  readonly properties: ReadonlyMap<string, ODataProperty>;
  readonly nonFilterable: ReadonlySet<string>;
  readonly nonSortable: ReadonlySet<string>;
}

const ROOT = path.resolve(import.meta.dirname, '../..');
const objects = externalObjects();
const ACCOUNT_FIELD = path.join(
  ROOT,
  'salesforce/force-app/main/default/objects/Account/fields/ERP_Customer_Id__c.field-meta.xml',
);

let stack: InProcessStack;
let sales: Record<string, string>;
let entitySets: Map<string, ODataEntitySet>;

beforeAll(async () => {
  // A first submitQuote opens the ERP subgraph's embedded store (PGlite): on a busy two-core
  // machine that alone can pass the gateway's default 15 s subgraph deadline.
  stack = await startStack({ seedAccounts: 20, subgraphTimeoutMs: 60_000 });
  sales = { authorization: `Bearer ${await stack.token({ role: 'sales' })}` };
  const response = await fetch(`${stack.gatewayUrl}/odata/v4/$metadata`, { headers: sales });
  expect(response.status).toBe(200);
  entitySets = parseMetadata(await response.text());
});

afterAll(async () => {
  await stack?.close();
});

function parseMetadata(xml: string): Map<string, ODataEntitySet> {
  const list = new Set([
    'EntityType',
    'EntitySet',
    'Property',
    'PropertyRef',
    'Annotation',
    'PropertyPath',
    'PropertyValue',
  ]);
  const document = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name, _path, _leaf, isAttribute) => !isAttribute && list.has(name),
  }).parse(xml);
  const schema = document['edmx:Edmx']['edmx:DataServices'].Schema;
  const types = new Map<string, any>(schema.EntityType.map((type: any) => [`${schema.Namespace}.${type.Name}`, type]));
  const restricted = (set: any, term: string, property: string) => {
    const annotation = (set.Annotation ?? []).find((a: any) => a.Term === `Org.OData.Capabilities.V1.${term}`);
    const value = annotation?.Record.PropertyValue.find((p: any) => p.Property === property);
    return new Set<string>(value?.Collection.PropertyPath ?? []);
  };
  return new Map(
    schema.EntityContainer.EntitySet.map((set: any) => {
      const type = types.get(set.EntityType);
      const properties = new Map<string, ODataProperty>(
        type.Property.map((p: any) => [
          p.Name,
          {
            type: p.Type,
            nullable: p.Nullable !== 'false',
            ...(p.MaxLength && { maxLength: Number(p.MaxLength) }),
            ...(p.Precision && { precision: Number(p.Precision) }),
            ...(p.Scale && { scale: Number(p.Scale) }),
          },
        ]),
      );
      return [
        set.Name,
        {
          key: type.Key.PropertyRef.map((ref: any) => ref.Name),
          properties,
          nonFilterable: restricted(set, 'FilterRestrictions', 'NonFilterableProperties'),
          nonSortable: restricted(set, 'SortRestrictions', 'NonSortableProperties'),
        },
      ];
    }),
  );
}

/**
 * What a field of this Salesforce type may map (Salesforce Connect's OData 4.0 type mapping:
 * Salesforce Help, "OData 4.0 and 4.01 Type Mapping"), and what its facets must then be.
 */
function typeProblems(field: ExternalField, property: ODataProperty): string[] {
  const problems: string[] = [];
  const expect = (condition: boolean, problem: string) => {
    if (!condition) problems.push(problem);
  };
  switch (property.type) {
    case 'Edm.String':
      expect(
        ['Text', 'IndirectLookup', 'ExternalLookup'].includes(field.type),
        `a string maps to Text (or a lookup on it), not ${field.type}`,
      );
      expect(
        property.maxLength !== undefined && property.maxLength <= 255,
        'a string needs a MaxLength of at most 255 to stay Text',
      );
      expect(
        field.length === property.maxLength,
        `length ${field.length} differs from MaxLength ${property.maxLength}`,
      );
      break;
    case 'Edm.Decimal':
      expect(field.type === 'Number', `a decimal maps to Number, not ${field.type}`);
      expect(
        field.precision === property.precision && field.scale === property.scale,
        `Number(${field.precision},${field.scale}) differs from Precision ${property.precision}, Scale ${property.scale}`,
      );
      break;
    case 'Edm.Int16':
    case 'Edm.Int32':
    case 'Edm.Int64':
      expect(
        field.type === 'Number' && field.scale === 0,
        `an integer maps to Number with scale 0, not ${field.type}(${field.precision},${field.scale})`,
      );
      expect(
        (field.precision ?? 0) >= { 'Edm.Int16': 5, 'Edm.Int32': 10, 'Edm.Int64': 18 }[property.type],
        `precision ${field.precision} cannot hold every ${property.type}`,
      );
      break;
    case 'Edm.Double':
      // Quantities and percentages with decimals (Business Central keeps up to 5).
      expect(
        field.type === 'Number' && (field.scale ?? 0) >= 5 && field.precision === 18,
        `a double maps to Number(18, 5 or more), not ${field.type}(${field.precision},${field.scale})`,
      );
      break;
    case 'Edm.Date':
    case 'Edm.DateTimeOffset':
      expect(field.type === 'DateTime', `${property.type} maps to DateTime, not ${field.type}`);
      break;
    case 'Edm.Boolean':
      expect(field.type === 'Checkbox', `a boolean maps to Checkbox, not ${field.type}`);
      // A checkbox cannot show "unknown": a null would read as false.
      expect(!property.nullable, 'a nullable boolean cannot be a Checkbox');
      break;
    default:
      problems.push(`${property.type} has no Salesforce Connect mapping`);
  }
  if (field.required) expect(!property.nullable, 'required, but the property may be null');
  if (field.isNameField)
    expect(!property.nullable && property.type === 'Edm.String', 'the name field must be a string every row has');
  return problems;
}

describe('external objects against the live $metadata', () => {
  it('every external object maps an entity set, and every property of it', () => {
    expect(objects.map((object) => object.externalName).sort()).toEqual([
      'Customers',
      'Invoices',
      'SalesOrderLines',
      'SalesOrders',
      'Shipments',
    ]);
    for (const object of objects) {
      const set = entitySets.get(object.externalName);
      expect(set, object.apiName).toBeDefined();
      expect(object.fields.map((field) => field.externalName).sort(), object.apiName).toEqual(
        [...set!.properties.keys()].sort(),
      );
      for (const field of object.fields)
        expect(field.apiName, `${object.apiName}: Salesforce names a synced field after its property`).toBe(
          `${field.externalName}__c`,
        );
    }
  });

  it('every field has the type, length, precision and scale Salesforce Connect gives its property, and respects its nullability', () => {
    const problems = objects.flatMap((object) =>
      object.fields.flatMap((field) => {
        const property = entitySets.get(object.externalName)!.properties.get(field.externalName)!;
        return typeProblems(field, property).map((problem) => `${object.apiName}.${field.apiName}: ${problem}`);
      }),
    );
    expect(problems).toEqual([]);
  });

  it('filtering and sorting are off exactly where the service refuses them', () => {
    for (const object of objects) {
      const set = entitySets.get(object.externalName)!;
      for (const field of object.fields) {
        expect(field.isFilteringDisabled, `${object.apiName}.${field.apiName} filterable`).toBe(
          set.nonFilterable.has(field.externalName),
        );
        expect(field.isSortingDisabled, `${object.apiName}.${field.apiName} sortable`).toBe(
          set.nonSortable.has(field.externalName),
        );
      }
    }
  });

  it('lookups stand on properties every row has: the customer number to Account, order numbers to sales orders', () => {
    const account = readFileSync(ACCOUNT_FIELD, 'utf8');
    const accountLength = Number(/<length>(\d+)<\/length>/.exec(account)![1]);
    for (const object of objects) {
      const set = entitySets.get(object.externalName)!;
      for (const field of object.fields.filter((f) => f.type === 'IndirectLookup')) {
        const property = set.properties.get(field.externalName)!;
        expect(property.nullable, `${object.apiName}.${field.apiName}`).toBe(false);
        expect(property.maxLength!).toBeLessThanOrEqual(accountLength);
      }
      for (const field of object.fields.filter((f) => f.type === 'ExternalLookup')) {
        // An external lookup holds the parent's External ID: the parent's one-property key.
        const parent = objects.find((candidate) => candidate.apiName === field.referenceTo)!;
        const parentSet = entitySets.get(parent.externalName)!;
        expect(parentSet.key, `${field.referenceTo} key`).toHaveLength(1);
        const parentKey = parentSet.properties.get(parentSet.key[0]!)!;
        const property = set.properties.get(field.externalName)!;
        expect([property.type, property.maxLength], `${object.apiName}.${field.apiName}`).toEqual([
          parentKey.type,
          parentKey.maxLength,
        ]);
      }
    }
  });

  /** The request Salesforce Connect sends for a 25-row list view (README, "Use from Salesforce Connect"). */
  function listViewRequest(object: ExternalObject, view: ExternalListView, extraFilter?: string): string {
    const byApiName = new Map(object.fields.map((field) => [field.apiName, field]));
    const filters = view.filters.map((filter) => {
      const field = byApiName.get(filter.field)!;
      expect(filter.operation, `${object.apiName} ${view.name}`).toBe('equals');
      const value =
        field.type === 'Checkbox' ? (filter.value === '1' ? 'true' : 'false') : `'${filter.value.replace(/'/g, "''")}'`;
      return `${field.externalName} eq ${value}`;
    });
    if (extraFilter) filters.push(extraFilter);
    const select = view.columns.map((column) => byApiName.get(column)!.externalName).join(',');
    const query = new URLSearchParams({
      $select: select,
      $top: '26',
      $count: 'true',
      ...(filters.length > 0 && { $filter: filters.join(' and ') }),
    });
    return `${stack.gatewayUrl}/odata/v4/${object.externalName}?${query}`;
  }

  it('every list view filters on filterable fields, and the service answers its request', async () => {
    for (const object of objects) {
      const set = entitySets.get(object.externalName)!;
      expect(
        object.listViews.map((view) => view.name),
        object.apiName,
      ).toContain('All');
      for (const view of object.listViews) {
        for (const filter of view.filters) {
          const field = object.fields.find((f) => f.apiName === filter.field)!;
          expect(set.nonFilterable.has(field.externalName), `${object.apiName} ${view.name}: ${filter.field}`).toBe(
            false,
          );
        }
        const response = await fetch(listViewRequest(object, view), { headers: sales });
        const body = (await response.json()) as any;
        expect(response.status, `${object.apiName} ${view.name}: ${JSON.stringify(body)}`).toBe(200);
        expect(typeof body['@odata.count']).toBe('number');
        for (const row of body.value) {
          for (const column of view.columns)
            expect(row, `${object.apiName} ${view.name}`).toHaveProperty(
              object.fields.find((f) => f.apiName === column)!.externalName,
            );
        }
      }
    }
  });

  it("an account's related lists (the indirect lookup on CustomerNumber) bring that customer's rows only", async () => {
    for (const object of objects) {
      const all = object.listViews.find((view) => view.name === 'All')!;
      const response = await fetch(listViewRequest(object, all, "CustomerNumber eq 'C00001'"), { headers: sales });
      const body = (await response.json()) as any;
      expect(response.status, `${object.apiName}: ${JSON.stringify(body)}`).toBe(200);
      expect(body['@odata.count'], object.apiName).toBeGreaterThan(0);
      const lookup = object.fields.find((field) => field.type === 'IndirectLookup')!;
      if (all.columns.includes(lookup.apiName)) for (const row of body.value) expect(row.CustomerNumber).toBe('C00001');
    }
  });
});

describe("the Apex's requests on the live gateway", () => {
  const operations = new Map(
    [
      ...readFileSync(path.join(ROOT, APEX_OPERATIONS_FILE), 'utf8').matchAll(
        /new Operation\('(\w+)', '([0-9a-f]{64})'\)/g,
      ),
    ].map((match) => [match[1]!, match[2]!]),
  );

  /** Exactly what C360GraphClient.execute sends. */
  async function asApex(operationName: string, variables: Record<string, unknown>, headers: Record<string, string>) {
    const correlationId = 'sf-005000000000001AAA-0123456789abcdef';
    const response = await fetch(`${stack.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        'x-correlation-id': correlationId,
      },
      body: JSON.stringify({
        operationName,
        variables,
        extensions: { persistedQuery: { version: 1, sha256Hash: operations.get(operationName) } },
      }),
    });
    expect(response.headers.get('x-correlation-id'), 'the gateway keeps the Apex correlation id').toBe(correlationId);
    return { status: response.status, body: (await response.json()) as any };
  }

  async function anAccountWithQuotes(): Promise<{ id: string; quoteId: string }> {
    const response = await fetch(`${stack.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { ...sales, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ accounts(first: 20) { nodes { id erpCustomerNumber quotes { id } } } }' }),
    });
    const nodes = ((await response.json()) as any).data.accounts.nodes;
    const account = nodes.find((node: any) => node.erpCustomerNumber && node.quotes?.length > 0);
    return { id: account.id, quoteId: account.quotes[0].id };
  }

  it('runs the record page operation by its hash alone, for every role of the permission sets', async () => {
    expect([...operations.keys()].sort()).toEqual([
      'SalesforceAccount360',
      'SalesforceSubmitQuote',
      'SalesforceValidateQuote',
    ]);
    const { id } = await anAccountWithQuotes();
    for (const role of ['sales', 'finance', 'service'] as const) {
      const headers = { authorization: `Bearer ${await stack.token({ role })}` };
      const { status, body } = await asApex('SalesforceAccount360', { id }, headers);
      expect(status, role).toBe(200);
      expect(body.errors, role).toBeUndefined();
      expect(body.data.account.id).toBe(id);
      expect(body.data.account.credit.limit.amount).toMatch(/^-?\d+(\.\d+)?$/);
      expect(Array.isArray(body.data.account.orders)).toBe(true);
    }
  });

  it(
    'validates for sales and finance, submits for sales only, as C360Viewer offers',
    { timeout: 180_000 },
    async () => {
      const { quoteId } = await anAccountWithQuotes();
      const token = async (role: 'sales' | 'finance' | 'service') => ({
        authorization: `Bearer ${await stack.token({ role })}`,
      });

      for (const role of ['sales', 'finance'] as const) {
        const { status, body } = await asApex('SalesforceValidateQuote', { quoteId }, await token(role));
        expect(status, role).toBe(200);
        expect(['ACCEPTABLE', 'REJECTED']).toContain(body.data.validateQuote.verdict);
      }
      const refusedValidation = await asApex('SalesforceValidateQuote', { quoteId }, await token('service'));
      expect(refusedValidation.body.errors[0].extensions.code).toBe('FORBIDDEN');

      for (const role of ['finance', 'service'] as const) {
        const refused = await asApex(
          'SalesforceSubmitQuote',
          { quoteId, idempotencyKey: `sf-test-${role}-0001` },
          await token(role),
        );
        expect(refused.body.errors[0].extensions.code, role).toBe('FORBIDDEN');
      }
      // Retried with the same key while the first call is still running, as c360QuoteSubmit does: on a
      // busy machine the first submission (which opens the ERP subgraph's store) can outlast its lease.
      let submitted = await asApex(
        'SalesforceSubmitQuote',
        { quoteId, idempotencyKey: 'sf-test-sales-0001' },
        await token('sales'),
      );
      for (
        let attempt = 0;
        attempt < 10 && submitted.body.errors?.[0]?.extensions?.code === 'IDEMPOTENCY_KEY_IN_PROGRESS';
        attempt++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        submitted = await asApex(
          'SalesforceSubmitQuote',
          { quoteId, idempotencyKey: 'sf-test-sales-0001' },
          await token('sales'),
        );
      }
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
      expect(submitted.body.data?.submitQuote, JSON.stringify(submitted.body)).toBeTruthy();
      expect(['ACCEPTED_BY_ERP', 'REJECTED_BY_ERP', 'RETRY_REQUIRED', 'PENDING_ERP']).toContain(
        submitted.body.data.submitQuote.status,
      );
    },
  );

  it('a hash the gateway does not publish is refused, not run', async () => {
    const response = await fetch(`${stack.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { ...sales, 'content-type': 'application/json' },
      body: JSON.stringify({
        operationName: 'SalesforceAccount360',
        variables: { id: '001000000000001AAA' },
        extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } },
      }),
    });
    const body = (await response.json()) as any;
    expect(body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});
