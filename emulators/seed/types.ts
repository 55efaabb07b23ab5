// The demo dataset both emulators serve: one manufacturer's customers seen from Salesforce (system of
// engagement) and from the ERP (system of record for money, stock and fulfilment). Generated
// deterministically by generate.ts from a seed, so the two emulators, each generating its own copy,
// agree record for record: every Account.ERP_Customer_Id__c is an ERP customer number, every
// Product2.ProductCode an ERP item number.
//
// Field names are the backends' own: Salesforce API names on one side, Business Central API v2.0
// property names on the other. Money is a JS number rounded to cents (both wire formats send JSON
// numbers); dates are 'YYYY-MM-DD', date-times ISO 8601 UTC.

export interface SeedOptions {
  /** Number of accounts/customers. Default 200; benchmarks ask for 10,000. */
  accounts: number;
  /** Seed for the pseudo-random generator. */
  seed: number;
  /** The "today" dates are relative to ('YYYY-MM-DD'), so overdue invoices stay overdue. */
  today: string;
  /**
   * Accounts of a second company (a second legal entity served by its own ERP, Tryton), generated
   * beside the first company's: see second-company.ts. Absent or 0: one company, and the dataset is
   * exactly the single-company one.
   */
  secondCompanyAccounts?: number;
}

// ---------------------------------------------------------------- Salesforce (API names)

/** Common to every sObject record: 18-character id. */
export interface SfRecordBase {
  Id: string;
  CreatedDate: string;
  LastModifiedDate: string;
}

export interface SfUser extends SfRecordBase {
  Name: string;
  FirstName: string;
  LastName: string;
  Username: string;
  Email: string;
  Title: string | null;
  IsActive: boolean;
}

export interface SfAccount extends SfRecordBase {
  Name: string;
  /** 'Customer - Direct' | 'Customer - Channel' | 'Channel Partner / Reseller' | 'Prospect' | 'Other' */
  Type: string | null;
  /** Picklist: 'Manufacturing' | 'Machinery' | 'Automotive' | 'Electronics' | 'Chemicals' | ... */
  Industry: string | null;
  Phone: string | null;
  Website: string | null;
  OwnerId: string;
  /** External id (unique): the ERP customer number; written only by the integration. */
  ERP_Customer_Id__c: string | null;
  /**
   * Which ERP serves the account ('business-central' or 'tryton'), mirrored from the ERP side like
   * the customer number. Only in a two-company dataset (absent otherwise).
   */
  ERP_System__c?: string | null;
  /** The legal entity (ERP company) whose customer the account is. Only in a two-company dataset. */
  ERP_Company__c?: string | null;
  /** Read-only mirror of the ERP's billing address (ERP owns it). */
  BillingStreet: string | null;
  BillingCity: string | null;
  BillingState: string | null;
  BillingPostalCode: string | null;
  BillingCountry: string | null;
  AnnualRevenue: number | null;
  NumberOfEmployees: number | null;
  Description: string | null;
}

export interface SfContact extends SfRecordBase {
  AccountId: string;
  FirstName: string;
  LastName: string;
  Name: string;
  Title: string | null;
  Email: string | null;
  Phone: string | null;
}

export interface SfOpportunity extends SfRecordBase {
  AccountId: string;
  Name: string;
  /** 'Prospecting' | 'Qualification' | 'Proposal/Price Quote' | 'Negotiation/Review' | 'Closed Won' | 'Closed Lost' */
  StageName: string;
  Amount: number | null;
  CloseDate: string;
  Probability: number;
  IsClosed: boolean;
  IsWon: boolean;
  OwnerId: string;
}

export interface SfProduct2 extends SfRecordBase {
  Name: string;
  /** The ERP item number. */
  ProductCode: string;
  Family: string | null;
  IsActive: boolean;
  QuantityUnitOfMeasure: string | null;
  Description: string | null;
}

export interface SfQuote extends SfRecordBase {
  Name: string;
  /** Auto-number, e.g. '00000123'. */
  QuoteNumber: string;
  AccountId: string;
  OpportunityId: string | null;
  /** 'Draft' | 'Needs Review' | 'In Review' | 'Approved' | 'Rejected' | 'Presented' | 'Accepted' | 'Denied' */
  Status: string;
  ExpirationDate: string | null;
  CurrencyIsoCode: string;
  /** Sum of line TotalPrice. */
  TotalPrice: number;
  GrandTotal: number;
  /** Written back by the integration (issue: quote to order). */
  ERP_Order_Number__c: string | null;
  /** 'Not Submitted' | 'Pending' | 'Accepted' | 'Rejected' | 'Error' */
  ERP_Sync_Status__c: string | null;
  ERP_Sync_Message__c: string | null;
  ERP_Last_Sync_At__c: string | null;
}

export interface SfQuoteLineItem extends SfRecordBase {
  QuoteId: string;
  Product2Id: string;
  LineNumber: string;
  Description: string | null;
  Quantity: number;
  /** The quoted unit price (sales may deviate from the ERP's price; the ERP validates it). */
  UnitPrice: number;
  Discount: number | null;
  /** Quantity * UnitPrice * (1 - Discount/100), rounded to cents. */
  TotalPrice: number;
}

export interface SfCase extends SfRecordBase {
  AccountId: string;
  ContactId: string | null;
  CaseNumber: string;
  Subject: string;
  Description: string | null;
  /** 'New' | 'Working' | 'Escalated' | 'Closed' */
  Status: string;
  /** 'Low' | 'Medium' | 'High' */
  Priority: string;
  /** 'Phone' | 'Email' | 'Web' */
  Origin: string;
  IsClosed: boolean;
  ClosedDate: string | null;
}

export interface SalesforceDataset {
  /** Organization id (00D...), used in the OAuth identity URL. */
  organizationId: string;
  /** The integration user the OAuth flows log in as (first of `users`). */
  integrationUserId: string;
  User: SfUser[];
  Account: SfAccount[];
  Contact: SfContact[];
  Opportunity: SfOpportunity[];
  Product2: SfProduct2[];
  Quote: SfQuote[];
  QuoteLineItem: SfQuoteLineItem[];
  Case: SfCase[];
}

// ---------------------------------------------------------------- ERP (Business Central API v2.0)

export type BcBlocked = ' ' | 'Ship' | 'Invoice' | 'All';

export interface BcCompany {
  id: string;
  name: string;
  displayName: string;
}

export interface BcPaymentTerm {
  id: string;
  code: string;
  displayName: string;
  /** e.g. '30D' */
  dueDateCalculation: string;
  discountDateCalculation: string;
  discountPercent: number;
}

export interface BcCustomer {
  id: string;
  /** 'C00001' ... */
  number: string;
  displayName: string;
  type: 'Company';
  addressLine1: string;
  addressLine2: string;
  city: string;
  state: string;
  country: string;
  postalCode: string;
  phoneNumber: string;
  email: string;
  website: string;
  taxLiable: boolean;
  currencyCode: string;
  paymentTermsId: string;
  blocked: BcBlocked;
  /** Sum of open invoices' remainingAmount. */
  balanceDue: number;
  creditLimit: number;
  lastModifiedDateTime: string;
}

export interface BcCustomerFinancialDetail {
  /** Same id as the customer. */
  id: string;
  number: string;
  balance: number;
  totalSalesExcludingTax: number;
  /** Sum of remainingAmount of open invoices past their due date. */
  overdueAmount: number;
}

export interface BcItem {
  id: string;
  /** The item number, e.g. '1000-A'; Product2.ProductCode on the Salesforce side. */
  number: string;
  displayName: string;
  type: 'Inventory' | 'Service' | 'Non-Inventory';
  itemCategoryCode: string;
  blocked: boolean;
  baseUnitOfMeasureCode: string;
  unitPrice: number;
  unitCost: number;
  /** Quantity on hand. */
  inventory: number;
  lastModifiedDateTime: string;
}

export interface BcSalesOrderLine {
  id: string;
  documentId: string;
  sequence: number;
  itemId: string;
  lineType: 'Item';
  /** The item number. */
  lineObjectNumber: string;
  description: string;
  unitOfMeasureCode: string;
  quantity: number;
  unitPrice: number;
  discountPercent: number;
  amountExcludingTax: number;
  netAmount: number;
  shippedQuantity: number;
  invoicedQuantity: number;
  shipmentDate: string;
}

export interface BcSalesOrder {
  id: string;
  /** 'SO-100001' ... */
  number: string;
  /** For orders created from a Salesforce quote: derived from the quote (see the quote-to-order issue). */
  externalDocumentNumber: string;
  orderDate: string;
  requestedDeliveryDate: string;
  customerId: string;
  customerNumber: string;
  customerName: string;
  currencyCode: string;
  /** 'Draft' | 'In Review' | 'Open' | 'Released' */
  status: string;
  fullyShipped: boolean;
  totalAmountExcludingTax: number;
  totalTaxAmount: number;
  totalAmountIncludingTax: number;
  lastModifiedDateTime: string;
  salesOrderLines: BcSalesOrderLine[];
}

export interface BcSalesShipmentLine {
  id: string;
  documentId: string;
  sequence: number;
  lineObjectNumber: string;
  description: string;
  unitOfMeasureCode: string;
  quantity: number;
  /** Lot numbers of the shipped quantity (an extension of BC's line: item tracking). */
  lotNumbers: string[];
}

export interface BcSalesShipment {
  id: string;
  /** 'SS-100001' ... */
  number: string;
  orderNumber: string;
  customerNumber: string;
  customerName: string;
  shipmentDate: string;
  /** Carrier: BC's shipping agent code ('UPS', 'FEDEX', 'DHL', 'DB SCHENKER'). */
  shippingAgentCode: string;
  /** BC's "Package Tracking No." */
  packageTrackingNo: string;
  lastModifiedDateTime: string;
  salesShipmentLines: BcSalesShipmentLine[];
}

export interface BcSalesInvoice {
  id: string;
  /** 'SI-100001' ... */
  number: string;
  externalDocumentNumber: string;
  invoiceDate: string;
  postingDate: string;
  dueDate: string;
  customerNumber: string;
  customerName: string;
  orderNumber: string;
  currencyCode: string;
  /** 'Draft' | 'In Review' | 'Open' | 'Paid' | 'Canceled' | 'Corrective' */
  status: string;
  totalAmountExcludingTax: number;
  totalTaxAmount: number;
  totalAmountIncludingTax: number;
  remainingAmount: number;
  lastModifiedDateTime: string;
}

export interface ErpDataset {
  company: BcCompany;
  paymentTerms: BcPaymentTerm[];
  customers: BcCustomer[];
  customerFinancialDetails: BcCustomerFinancialDetail[];
  items: BcItem[];
  salesOrders: BcSalesOrder[];
  salesShipments: BcSalesShipment[];
  salesInvoices: BcSalesInvoice[];
}

/** The ERP systems accounts can be served by (Account.ERP_System__c). */
export type ErpSystem = 'business-central' | 'tryton';

/**
 * The second company's ERP records, in the same (Business Central API v2.0) shapes as the first's.
 * Customer numbers carry their own prefix, so they are unique across both ERPs; the item catalogue
 * is the same (item numbers = Product2.ProductCode); Salesforce records of its accounts are in
 * Dataset.salesforce with the first company's.
 */
export interface SecondCompanyDataset {
  erpSystem: 'tryton';
  erp: ErpDataset;
}

export interface Dataset {
  options: SeedOptions;
  salesforce: SalesforceDataset;
  erp: ErpDataset;
  /** Present only with options.secondCompanyAccounts > 0. */
  secondCompany?: SecondCompanyDataset;
}
