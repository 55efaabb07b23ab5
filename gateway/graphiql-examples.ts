// The operations GraphiQL opens with, one tab each. They run against the embedded demo data:
// customer C00001 always exists there (emulators/seed is deterministic).
/**
 * A quote of the demo dataset (seed 42, 200 accounts: `npm start`) that validates ACCEPTABLE, so the
 * quote examples show a submission going through. The seed is deterministic but the quote's fate is
 * not obvious from it, so test/quote-to-order/submit-quote.test.ts checks it against a live stack.
 */
export const DEMO_QUOTE_ID = '0Q08d000000001CCAQ';

/**
 * The customer-360 operation: one customer, both systems. README.md shows it; the benchmarks send
 * it (bench/queries.ts) so the figures are about what a newcomer runs first.
 */
export const CUSTOMER_360_QUERY = `query Customer360($erp: String!) {
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
`;

export interface ExampleOperation {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
}

export const EXAMPLE_OPERATIONS: readonly ExampleOperation[] = [
  {
    query: `# One customer, both systems: CRM fields from Salesforce, credit, invoices, orders and shipments from the ERP.
${CUSTOMER_360_QUERY}`,
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
  {
    query: `# Validate a quote: the ERP checks each line's price and availability to promise and the
# customer's credit, and gives a verdict with reason codes. Reads only; changes nothing.
query ValidateQuote($quoteId: ID!) {
  validateQuote(quoteId: $quoteId) {
    verdict
    reasonCodes
    reasons { code message lineNumber }
    quote { number name account { name } }
    credit { verdict available { amount currency } required { amount currency } onHold }
    lines {
      lineNumber
      itemNumber
      quantity
      quotedUnitPrice { amount currency }
      erpUnitPrice { amount currency }
      availability { availableToPromise sufficient nextAvailableDate }
      reasonCodes
    }
    existingOrder { number status }
  }
}
`,
    variables: { quoteId: DEMO_QUOTE_ID },
  },
  {
    query: `# Submit a quote: ONE ERP sales order, its number written back to the Salesforce quote.
# Run it again with the same idempotencyKey: the first result comes back, replayed: true, and
# nothing is sent again. Another key for the same quote confirms the same order (the ERP order is
# found by its external document number, SFQ-<quote id>). Keys are kept for 24 hours in the
# embedded store under ./data, while the emulators start afresh with every \`npm start\`: after a
# restart, use a new key.
mutation SubmitQuote($quoteId: ID!, $idempotencyKey: String!) {
  submitQuote(input: { quoteId: $quoteId, idempotencyKey: $idempotencyKey }) {
    status
    reasonCode
    message
    replayed
    correlationId
    order {
      number
      status
      externalDocumentNumber
      total { amount currency }
      lines { itemNumber quantity unitPrice { amount currency } }
    }
    quote { number name erpSync { orderNumber status message lastSyncAt } }
  }
}
`,
    variables: { quoteId: DEMO_QUOTE_ID, idempotencyKey: 'graphiql-demo-0001' },
  },
];
