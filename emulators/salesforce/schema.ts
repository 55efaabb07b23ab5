// Object and field metadata of the eight sObjects the emulator serves: the one source for describe,
// SOQL field resolution, write validation and indexing. Field lists cover every field of
// emulators/seed/types.ts (API names, types and lengths as in a standard org), plus IsDeleted, which
// every sObject has and which queryAll exposes.
import { KEY_PREFIXES } from '../seed/salesforce-id.js';

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'reference'
  | 'double'
  | 'currency'
  | 'percent'
  | 'int'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'url'
  | 'phone'
  | 'email';

export interface FieldMeta {
  readonly name: string;
  readonly label: string;
  readonly type: FieldType;
  /** Characters for text types; 0 otherwise. */
  readonly length: number;
  readonly precision: number;
  readonly scale: number;
  readonly nillable: boolean;
  readonly createable: boolean;
  readonly updateable: boolean;
  readonly externalId: boolean;
  readonly unique: boolean;
  readonly nameField: boolean;
  readonly autoNumber: boolean;
  /** Computed by the platform on save (formula or roll-up); never writable. */
  readonly calculated: boolean;
  /** Missing or null on create (or null on update) is REQUIRED_FIELD_MISSING. */
  readonly required: boolean;
  readonly defaultValue: string | number | boolean | null;
  readonly picklistValues: readonly string[];
  readonly referenceTo: string | null;
  readonly relationshipName: string | null;
  /** For reference fields: the parent's child relationship name (e.g. Contact.AccountId → Contacts). */
  readonly childRelationshipName: string | null;
  /** Deleting the parent deletes the children (master-detail like Contacts, Opportunities). */
  readonly cascadeDelete: boolean;
  readonly custom: boolean;
}

export interface ChildRelationshipMeta {
  readonly relationshipName: string;
  readonly childSObject: string;
  readonly field: string;
  readonly cascadeDelete: boolean;
}

export interface ObjectMeta {
  readonly name: string;
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string;
  /** False for User: the integration reads users, it never writes them. */
  readonly writable: boolean;
  readonly fields: readonly FieldMeta[];
  readonly childRelationships: readonly ChildRelationshipMeta[];
  /** Case-insensitive lookups: SOQL and JSON bodies may spell names in any case. */
  field(name: string): FieldMeta | undefined;
  /** The reference field whose relationship name is `name` (e.g. 'Owner' → OwnerId). */
  parentRelationship(name: string): FieldMeta | undefined;
  childRelationship(name: string): ChildRelationshipMeta | undefined;
}

export interface Schema {
  readonly objects: readonly ObjectMeta[];
  object(name: string): ObjectMeta | undefined;
  /** The object whose ids start with this 3-character key prefix. */
  objectForKeyPrefix(prefix: string): ObjectMeta | undefined;
}

type FieldSpec = Partial<Omit<FieldMeta, 'name' | 'type'>> & { name: string; type: FieldType };

const TEXT_TYPES: ReadonlySet<FieldType> = new Set(['string', 'textarea', 'picklist', 'url', 'phone', 'email']);

function field(spec: FieldSpec): FieldMeta {
  const system = spec.type === 'id';
  const calculated = spec.calculated ?? false;
  const autoNumber = spec.autoNumber ?? false;
  const createable = spec.createable ?? !(system || calculated || autoNumber);
  return {
    label:
      spec.label ??
      spec.name
        .replace(/__c$/, '')
        .replace(/_/g, ' ')
        .replace(/([a-z])([A-Z])/g, '$1 $2'),
    length: spec.length ?? (TEXT_TYPES.has(spec.type) ? 255 : spec.type === 'id' || spec.type === 'reference' ? 18 : 0),
    precision: spec.precision ?? 0,
    scale: spec.scale ?? 0,
    nillable: spec.nillable ?? !(system || spec.required || spec.type === 'boolean'),
    createable,
    updateable: spec.updateable ?? createable,
    externalId: spec.externalId ?? false,
    unique: spec.unique ?? false,
    nameField: spec.nameField ?? false,
    autoNumber,
    calculated,
    required: spec.required ?? false,
    defaultValue: spec.defaultValue ?? null,
    picklistValues: spec.picklistValues ?? [],
    referenceTo: spec.referenceTo ?? null,
    relationshipName: spec.relationshipName ?? null,
    childRelationshipName: spec.childRelationshipName ?? null,
    cascadeDelete: spec.cascadeDelete ?? false,
    custom: spec.name.endsWith('__c'),
    ...spec,
  };
}

/** Fields every sObject has. */
function systemFields(): FieldSpec[] {
  return [
    { name: 'Id', type: 'id', label: 'Record ID', unique: true },
    { name: 'IsDeleted', type: 'boolean', label: 'Deleted', createable: false, updateable: false },
    {
      name: 'CreatedDate',
      type: 'datetime',
      label: 'Created Date',
      createable: false,
      updateable: false,
      nillable: false,
    },
    {
      name: 'LastModifiedDate',
      type: 'datetime',
      label: 'Last Modified Date',
      createable: false,
      updateable: false,
      nillable: false,
    },
  ];
}

const ref = (
  name: string,
  referenceTo: string,
  relationshipName: string,
  extra: Partial<FieldSpec> = {},
): FieldSpec => ({
  name,
  type: 'reference',
  referenceTo,
  relationshipName,
  ...extra,
});

const OWNER = ref('OwnerId', 'User', 'Owner', { label: 'Owner ID', nillable: false });

const INDUSTRIES = [
  'Agriculture',
  'Apparel',
  'Automotive',
  'Banking',
  'Chemicals',
  'Construction',
  'Electronics',
  'Energy',
  'Engineering',
  'Machinery',
  'Manufacturing',
  'Retail',
  'Technology',
  'Transportation',
  'Utilities',
  'Other',
];
const STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Value Proposition',
  'Id. Decision Makers',
  'Perception Analysis',
  'Proposal/Price Quote',
  'Negotiation/Review',
  'Closed Won',
  'Closed Lost',
];
const QUOTE_STATUSES = [
  'Draft',
  'Needs Review',
  'In Review',
  'Approved',
  'Rejected',
  'Presented',
  'Accepted',
  'Denied',
];

const OBJECT_SPECS: {
  name: keyof typeof KEY_PREFIXES;
  label: string;
  labelPlural: string;
  writable?: boolean;
  fields: FieldSpec[];
}[] = [
  {
    name: 'User',
    label: 'User',
    labelPlural: 'Users',
    writable: false,
    fields: [
      {
        name: 'Name',
        type: 'string',
        label: 'Full Name',
        length: 121,
        createable: false,
        updateable: false,
        nameField: true,
      },
      { name: 'FirstName', type: 'string', length: 40 },
      { name: 'LastName', type: 'string', length: 80, required: true },
      { name: 'Username', type: 'string', length: 80, required: true, unique: true },
      { name: 'Email', type: 'email', length: 128, required: true },
      { name: 'Title', type: 'string', length: 80 },
      { name: 'IsActive', type: 'boolean', label: 'Active', defaultValue: true },
    ],
  },
  {
    name: 'Account',
    label: 'Account',
    labelPlural: 'Accounts',
    fields: [
      { name: 'Name', type: 'string', label: 'Account Name', required: true, nameField: true },
      {
        name: 'Type',
        type: 'picklist',
        label: 'Account Type',
        length: 40,
        picklistValues: ['Customer - Direct', 'Customer - Channel', 'Channel Partner / Reseller', 'Prospect', 'Other'],
      },
      { name: 'Industry', type: 'picklist', length: 40, picklistValues: INDUSTRIES },
      { name: 'Phone', type: 'phone', label: 'Account Phone', length: 40 },
      { name: 'Website', type: 'url' },
      OWNER,
      {
        name: 'ERP_Customer_Id__c',
        type: 'string',
        label: 'ERP Customer Id',
        length: 20,
        externalId: true,
        unique: true,
      },
      // Which ERP (and legal entity) serves the account, mirrored like the customer number; empty in
      // a one-ERP org.
      {
        name: 'ERP_System__c',
        type: 'picklist',
        label: 'ERP System',
        length: 40,
        picklistValues: ['business-central', 'tryton'],
      },
      { name: 'ERP_Company__c', type: 'string', label: 'ERP Company', length: 80 },
      { name: 'BillingStreet', type: 'textarea' },
      { name: 'BillingCity', type: 'string', length: 40 },
      { name: 'BillingState', type: 'string', length: 80 },
      { name: 'BillingPostalCode', type: 'string', label: 'Billing Zip/Postal Code', length: 20 },
      { name: 'BillingCountry', type: 'string', length: 80 },
      { name: 'AnnualRevenue', type: 'currency', precision: 18, scale: 0 },
      { name: 'NumberOfEmployees', type: 'int', label: 'Employees', precision: 8 },
      { name: 'Description', type: 'textarea', label: 'Account Description', length: 32000 },
    ],
  },
  {
    name: 'Contact',
    label: 'Contact',
    labelPlural: 'Contacts',
    fields: [
      ref('AccountId', 'Account', 'Account', {
        label: 'Account ID',
        childRelationshipName: 'Contacts',
        cascadeDelete: true,
      }),
      { name: 'FirstName', type: 'string', length: 40 },
      { name: 'LastName', type: 'string', length: 80, required: true },
      // Compound name: Salesforce derives it from FirstName and LastName and never accepts it on write.
      {
        name: 'Name',
        type: 'string',
        label: 'Full Name',
        length: 121,
        createable: false,
        updateable: false,
        nameField: true,
      },
      { name: 'Title', type: 'string', length: 128 },
      { name: 'Email', type: 'email', length: 80 },
      { name: 'Phone', type: 'phone', label: 'Business Phone', length: 40 },
    ],
  },
  {
    name: 'Opportunity',
    label: 'Opportunity',
    labelPlural: 'Opportunities',
    fields: [
      ref('AccountId', 'Account', 'Account', {
        label: 'Account ID',
        childRelationshipName: 'Opportunities',
        cascadeDelete: true,
      }),
      { name: 'Name', type: 'string', length: 120, required: true, nameField: true },
      { name: 'StageName', type: 'picklist', label: 'Stage', required: true, picklistValues: STAGES },
      { name: 'Amount', type: 'currency', precision: 16, scale: 2 },
      { name: 'CloseDate', type: 'date', required: true },
      { name: 'Probability', type: 'percent', label: 'Probability (%)', precision: 3, scale: 0 },
      { name: 'IsClosed', type: 'boolean', label: 'Closed', calculated: true },
      { name: 'IsWon', type: 'boolean', label: 'Won', calculated: true },
      OWNER,
    ],
  },
  {
    name: 'Product2',
    label: 'Product',
    labelPlural: 'Products',
    fields: [
      { name: 'Name', type: 'string', label: 'Product Name', required: true, nameField: true },
      { name: 'ProductCode', type: 'string' },
      { name: 'Family', type: 'picklist', label: 'Product Family' },
      { name: 'IsActive', type: 'boolean', label: 'Active', defaultValue: false },
      { name: 'QuantityUnitOfMeasure', type: 'picklist', label: 'Quantity Unit Of Measure' },
      { name: 'Description', type: 'textarea', label: 'Product Description', length: 4000 },
    ],
  },
  {
    name: 'Quote',
    label: 'Quote',
    labelPlural: 'Quotes',
    fields: [
      { name: 'Name', type: 'string', label: 'Quote Name', required: true, nameField: true },
      { name: 'QuoteNumber', type: 'string', length: 30, autoNumber: true, nillable: false, unique: true },
      ref('AccountId', 'Account', 'Account', {
        label: 'Account ID',
        childRelationshipName: 'Quotes',
        cascadeDelete: true,
      }),
      ref('OpportunityId', 'Opportunity', 'Opportunity', {
        label: 'Opportunity ID',
        childRelationshipName: 'Quotes',
        cascadeDelete: true,
      }),
      { name: 'Status', type: 'picklist', length: 40, defaultValue: 'Draft', picklistValues: QUOTE_STATUSES },
      { name: 'ExpirationDate', type: 'date' },
      {
        name: 'CurrencyIsoCode',
        type: 'picklist',
        label: 'Quote Currency',
        length: 3,
        nillable: false,
        defaultValue: 'USD',
        picklistValues: ['USD', 'EUR', 'GBP', 'CHF', 'CAD', 'JPY'],
      },
      { name: 'TotalPrice', type: 'currency', label: 'Total Price', precision: 16, scale: 2, calculated: true },
      { name: 'GrandTotal', type: 'currency', label: 'Grand Total', precision: 16, scale: 2, calculated: true },
      // An ERP order number may be written back to several quotes (re-quotes of one order), so the
      // external id is not unique: upserting by it can match several records (300 Multiple Choices).
      { name: 'ERP_Order_Number__c', type: 'string', label: 'ERP Order Number', length: 30, externalId: true },
      {
        name: 'ERP_Sync_Status__c',
        type: 'picklist',
        label: 'ERP Sync Status',
        length: 40,
        picklistValues: ['Not Submitted', 'Pending', 'Accepted', 'Rejected', 'Error'],
      },
      { name: 'ERP_Sync_Message__c', type: 'string', label: 'ERP Sync Message' },
      { name: 'ERP_Last_Sync_At__c', type: 'datetime', label: 'ERP Last Sync At' },
    ],
  },
  {
    name: 'QuoteLineItem',
    label: 'Quote Line Item',
    labelPlural: 'Quote Line Items',
    fields: [
      ref('QuoteId', 'Quote', 'Quote', {
        label: 'Quote ID',
        required: true,
        updateable: false,
        childRelationshipName: 'QuoteLineItems',
        cascadeDelete: true,
      }),
      ref('Product2Id', 'Product2', 'Product2', {
        label: 'Product ID',
        required: true,
        updateable: false,
        childRelationshipName: 'QuoteLineItems',
      }),
      {
        name: 'LineNumber',
        type: 'string',
        label: 'Line Item Number',
        length: 30,
        autoNumber: true,
        nillable: false,
        nameField: true,
      },
      { name: 'Description', type: 'string', label: 'Line Item Description' },
      { name: 'Quantity', type: 'double', precision: 16, scale: 2, required: true },
      { name: 'UnitPrice', type: 'currency', label: 'Sales Price', precision: 16, scale: 2, required: true },
      { name: 'Discount', type: 'percent', precision: 5, scale: 2 },
      { name: 'TotalPrice', type: 'currency', label: 'Total Price', precision: 16, scale: 2, calculated: true },
    ],
  },
  {
    name: 'Case',
    label: 'Case',
    labelPlural: 'Cases',
    fields: [
      ref('AccountId', 'Account', 'Account', {
        label: 'Account ID',
        childRelationshipName: 'Cases',
        cascadeDelete: true,
      }),
      ref('ContactId', 'Contact', 'Contact', { label: 'Contact ID', childRelationshipName: 'Cases' }),
      {
        name: 'CaseNumber',
        type: 'string',
        label: 'Case Number',
        length: 30,
        autoNumber: true,
        nillable: false,
        nameField: true,
        unique: true,
      },
      { name: 'Subject', type: 'string' },
      { name: 'Description', type: 'textarea', length: 32000 },
      {
        name: 'Status',
        type: 'picklist',
        length: 40,
        defaultValue: 'New',
        picklistValues: ['New', 'Working', 'Escalated', 'Closed'],
      },
      {
        name: 'Priority',
        type: 'picklist',
        length: 40,
        defaultValue: 'Medium',
        picklistValues: ['Low', 'Medium', 'High'],
      },
      { name: 'Origin', type: 'picklist', label: 'Case Origin', length: 40, picklistValues: ['Phone', 'Email', 'Web'] },
      { name: 'IsClosed', type: 'boolean', label: 'Closed', calculated: true },
      { name: 'ClosedDate', type: 'datetime', label: 'Closed Date', calculated: true },
    ],
  },
];

function buildObject(spec: (typeof OBJECT_SPECS)[number], children: ChildRelationshipMeta[]): ObjectMeta {
  const fields = [...systemFields(), ...spec.fields].map(field);
  const byName = new Map(fields.map((f) => [f.name.toLowerCase(), f]));
  const byRelationship = new Map(
    fields.filter((f) => f.relationshipName).map((f) => [f.relationshipName!.toLowerCase(), f]),
  );
  const byChild = new Map(children.map((c) => [c.relationshipName.toLowerCase(), c]));
  return {
    name: spec.name,
    label: spec.label,
    labelPlural: spec.labelPlural,
    keyPrefix: KEY_PREFIXES[spec.name],
    writable: spec.writable ?? true,
    fields,
    childRelationships: children,
    field: (name) => byName.get(name.toLowerCase()),
    parentRelationship: (name) => byRelationship.get(name.toLowerCase()),
    childRelationship: (name) => byChild.get(name.toLowerCase()),
  };
}

export function createSchema(): Schema {
  const children = new Map<string, ChildRelationshipMeta[]>();
  for (const spec of OBJECT_SPECS) {
    for (const f of spec.fields) {
      if (f.type !== 'reference' || !f.childRelationshipName || !f.referenceTo) continue;
      const list = children.get(f.referenceTo) ?? [];
      list.push({
        relationshipName: f.childRelationshipName,
        childSObject: spec.name,
        field: f.name,
        cascadeDelete: f.cascadeDelete ?? false,
      });
      children.set(f.referenceTo, list);
    }
  }
  const objects = OBJECT_SPECS.map((spec) => buildObject(spec, children.get(spec.name) ?? []));
  const byName = new Map(objects.map((o) => [o.name.toLowerCase(), o]));
  const byPrefix = new Map(objects.map((o) => [o.keyPrefix, o]));
  return {
    objects,
    object: (name) => byName.get(name.toLowerCase()),
    objectForKeyPrefix: (prefix) => byPrefix.get(prefix),
  };
}
