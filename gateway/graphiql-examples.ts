// The operations GraphiQL opens with, one tab each. They run against the embedded demo data:
// customer C00001 always exists there (emulators/seed is deterministic).
export interface ExampleOperation {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
}

export const EXAMPLE_OPERATIONS: readonly ExampleOperation[] = [
  {
    query: `# One customer, both systems: CRM fields from Salesforce, credit, invoices, orders and shipments from the ERP.
query Customer360($erp: String!) {
  accountByErpNumber(erpCustomerNumber: $erp) {
    id
    name
    industry
    owner { name }
    contacts { name email }
    credit {
      limit { amount currency }
      balance { amount currency }
      openOrderExposure { amount currency }
      available { amount currency }
      onHold
      holdReason
      paymentTerms { code name }
    }
    openInvoices { number dueDate isOverdue remaining { amount currency } }
    orders {
      number
      status
      orderDate
      total { amount currency }
      lines { itemNumber description quantity }
    }
    shipments {
      number
      carrier
      trackingNumber
      shipmentDate
      lines { itemNumber quantity lotNumbers }
    }
  }
}
`,
    variables: { erp: 'C00001' },
  },
  {
    query: `# A page of accounts with their credit position; pass pageInfo.endCursor as $after for the next page.
query AccountsPage($after: String) {
  accounts(first: 50, after: $after) {
    nodes {
      id
      name
      industry
      erpCustomerNumber
      credit { available { amount currency } onHold }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`,
  },
];
