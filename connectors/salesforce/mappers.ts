// Salesforce records (API names, JSON numbers) → the connector's domain records (camelCase, decimals
// as strings, ISO 8601 UTC date-times). A record that lacks a required field or has the wrong type is
// an 'invalid_response', named by field, never a crash further up.
import Big from 'big.js';
import { BackendError } from '../../lib/backend-error.js';
import type { SfRecord } from './call.js';
import { normalizeSalesforceId } from './ids.js';
import type {
  Address,
  Decimal,
  SfAccountRecord,
  SfCaseRecord,
  SfContactRecord,
  SfOpportunityRecord,
  SfQuoteLineRecord,
  SfQuoteRecord,
  SfUserRecord,
} from './types.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

class RecordReader {
  constructor(
    private readonly record: SfRecord,
    private readonly objectName: string,
  ) {}

  private fail(field: string, expected: string): never {
    throw new BackendError(
      'salesforce',
      'invalid_response',
      `Salesforce ${this.objectName}.${field}: expected ${expected}, got ${JSON.stringify(this.record[field]) ?? 'nothing'}`,
      { operation: `read ${this.objectName}` },
    );
  }

  private value(field: string): unknown {
    return this.record[field] ?? null;
  }

  optString(field: string): string | null {
    const v = this.value(field);
    if (v === null) return null;
    return typeof v === 'string' ? v : this.fail(field, 'a string');
  }

  string(field: string): string {
    return this.optString(field) ?? this.fail(field, 'a string');
  }

  optId(field: string): string | null {
    const v = this.optString(field);
    if (v === null) return null;
    return normalizeSalesforceId(v) ?? this.fail(field, 'a Salesforce id');
  }

  id(field: string): string {
    return this.optId(field) ?? this.fail(field, 'a Salesforce id');
  }

  optNumber(field: string): number | null {
    const v = this.value(field);
    if (v === null) return null;
    return typeof v === 'number' && Number.isFinite(v) ? v : this.fail(field, 'a number');
  }

  number(field: string): number {
    return this.optNumber(field) ?? this.fail(field, 'a number');
  }

  boolean(field: string): boolean {
    const v = this.value(field);
    return typeof v === 'boolean' ? v : this.fail(field, 'a boolean');
  }

  /**
   * Money as a decimal string with at least 2 decimals and never fewer than Salesforce sent. Big
   * parses the JSON number's shortest round-trip text, so no binary-float digits leak in.
   */
  optDecimal(field: string): Decimal | null {
    const v = this.value(field);
    if (v === null) return null;
    if (typeof v !== 'number' && typeof v !== 'string') return this.fail(field, 'a decimal');
    let big: Big;
    try {
      big = new Big(v);
    } catch {
      return this.fail(field, 'a decimal');
    }
    const places = big.toFixed().split('.')[1]?.length ?? 0;
    return big.toFixed(Math.max(2, places));
  }

  decimal(field: string): Decimal {
    return this.optDecimal(field) ?? this.fail(field, 'a decimal');
  }

  optDate(field: string): string | null {
    const v = this.optString(field);
    if (v === null) return null;
    return DATE.test(v) ? v : this.fail(field, 'a date (YYYY-MM-DD)');
  }

  date(field: string): string {
    return this.optDate(field) ?? this.fail(field, 'a date');
  }

  /** Salesforce sends "2024-05-01T10:00:00.000+0000"; the graph gets ISO 8601 UTC. */
  optDateTime(field: string): string | null {
    const v = this.optString(field);
    if (v === null) return null;
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? this.fail(field, 'a date-time') : new Date(ms).toISOString();
  }

  dateTime(field: string): string {
    return this.optDateTime(field) ?? this.fail(field, 'a date-time');
  }

  /** A parent-relationship object (e.g. Product2 on a quote line); null when the lookup is empty. */
  parent(relationship: string, objectName: string): RecordReader | null {
    const v = this.value(relationship);
    if (v === null) return null;
    return typeof v === 'object' && !Array.isArray(v)
      ? new RecordReader(v as SfRecord, objectName)
      : this.fail(relationship, 'a related record');
  }
}

function address(r: RecordReader): Address | null {
  const parts: Address = {
    street: r.optString('BillingStreet'),
    city: r.optString('BillingCity'),
    state: r.optString('BillingState'),
    postalCode: r.optString('BillingPostalCode'),
    country: r.optString('BillingCountry'),
  };
  return Object.values(parts).every((part) => part === null) ? null : parts;
}

export function toAccount(record: SfRecord): SfAccountRecord {
  const r = new RecordReader(record, 'Account');
  return {
    id: r.id('Id'),
    name: r.string('Name'),
    type: r.optString('Type'),
    industry: r.optString('Industry'),
    phone: r.optString('Phone'),
    website: r.optString('Website'),
    ownerId: r.optId('OwnerId'),
    erpCustomerNumber: r.optString('ERP_Customer_Id__c'),
    billingAddress: address(r),
    annualRevenue: r.optDecimal('AnnualRevenue'),
    numberOfEmployees: r.optNumber('NumberOfEmployees'),
    description: r.optString('Description'),
    createdAt: r.dateTime('CreatedDate'),
    updatedAt: r.dateTime('LastModifiedDate'),
  };
}

export function toUser(record: SfRecord): SfUserRecord {
  const r = new RecordReader(record, 'User');
  return { id: r.id('Id'), name: r.string('Name'), email: r.optString('Email'), title: r.optString('Title') };
}

export function toContact(record: SfRecord): SfContactRecord {
  const r = new RecordReader(record, 'Contact');
  return {
    id: r.id('Id'),
    accountId: r.id('AccountId'),
    firstName: r.optString('FirstName'),
    lastName: r.string('LastName'),
    name: r.string('Name'),
    title: r.optString('Title'),
    email: r.optString('Email'),
    phone: r.optString('Phone'),
  };
}

export function toOpportunity(record: SfRecord): SfOpportunityRecord {
  const r = new RecordReader(record, 'Opportunity');
  return {
    id: r.id('Id'),
    accountId: r.id('AccountId'),
    name: r.string('Name'),
    stage: r.string('StageName'),
    amount: r.optDecimal('Amount'),
    closeDate: r.date('CloseDate'),
    probability: r.optNumber('Probability'),
    isClosed: r.boolean('IsClosed'),
    isWon: r.boolean('IsWon'),
    ownerId: r.optId('OwnerId'),
  };
}

export function toQuote(record: SfRecord): SfQuoteRecord {
  const r = new RecordReader(record, 'Quote');
  return {
    id: r.id('Id'),
    number: r.string('QuoteNumber'),
    name: r.string('Name'),
    accountId: r.optId('AccountId'),
    opportunityId: r.optId('OpportunityId'),
    status: r.string('Status'),
    expirationDate: r.optDate('ExpirationDate'),
    currency: r.string('CurrencyIsoCode'),
    totalPrice: r.decimal('TotalPrice'),
    grandTotal: r.decimal('GrandTotal'),
    erpOrderNumber: r.optString('ERP_Order_Number__c'),
    erpSyncStatus: r.optString('ERP_Sync_Status__c'),
    erpSyncMessage: r.optString('ERP_Sync_Message__c'),
    erpLastSyncAt: r.optDateTime('ERP_Last_Sync_At__c'),
    updatedAt: r.dateTime('LastModifiedDate'),
  };
}

export function toQuoteLine(record: SfRecord): SfQuoteLineRecord {
  const r = new RecordReader(record, 'QuoteLineItem');
  const product = r.parent('Product2', 'Product2');
  return {
    id: r.id('Id'),
    quoteId: r.id('QuoteId'),
    productId: r.id('Product2Id'),
    productCode: product?.optString('ProductCode') ?? null,
    productName: product?.optString('Name') ?? null,
    lineNumber: r.string('LineNumber'),
    description: r.optString('Description'),
    quantity: r.number('Quantity'),
    unitPrice: r.decimal('UnitPrice'),
    discount: r.optNumber('Discount'),
    totalPrice: r.decimal('TotalPrice'),
  };
}

export function toCase(record: SfRecord): SfCaseRecord {
  const r = new RecordReader(record, 'Case');
  return {
    id: r.id('Id'),
    accountId: r.id('AccountId'),
    contactId: r.optId('ContactId'),
    number: r.string('CaseNumber'),
    subject: r.string('Subject'),
    status: r.string('Status'),
    priority: r.string('Priority'),
    origin: r.optString('Origin'),
    isClosed: r.boolean('IsClosed'),
    createdAt: r.dateTime('CreatedDate'),
    closedAt: r.optDateTime('ClosedDate'),
  };
}
