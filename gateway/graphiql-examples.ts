// The operations GraphiQL opens with, one tab each. Their text is the first-party operations in
// clients/operations/*.graphql (the same documents graphql-codegen hashes into the persisted
// manifest, so what a developer runs here is what the clients run). They run against the embedded
// demo data: customer C00001 always exists there (emulators/seed is deterministic), and belongs to
// the demo partner P-NORTHWIND (gateway/auth/dev-partners.ts).
import { readFileSync } from 'node:fs';

const OPERATIONS_DIR = new URL('../clients/operations/', import.meta.url);

function operation(file: string): string {
  return readFileSync(new URL(file, OPERATIONS_DIR), 'utf8');
}

/** The document without its leading comment lines: what goes on the wire in benchmarks. */
function withoutLeadingComments(document: string): string {
  return document.replace(/^(?:#[^\n]*\n)+/, '');
}

/**
 * A quote of the demo dataset (seed 42, 200 accounts: `npm start`) in status Approved (the only
 * status submitted by default) that validates ACCEPTABLE, so the quote examples show a submission
 * going through. The seed is deterministic but the quote's fate is
 * not obvious from it, so test/quote-to-order/submit-quote.test.ts checks it against a live stack.
 */
export const DEMO_QUOTE_ID = '0Q08d0000000019CAA';

/** The demo partner whose token the partner-view tab carries, and a customer of its scope. */
export const DEMO_PARTNER_ID = 'P-NORTHWIND';

/**
 * The customer-360 operation (clients/operations/customer-360.graphql): one customer, both systems.
 * README.md shows it; the benchmarks send it (bench/queries.ts) so the figures are about what a
 * newcomer runs first.
 */
export const CUSTOMER_360_QUERY = withoutLeadingComments(operation('customer-360.graphql'));

/** Whose development token a tab carries in its headers (only while the development issuer is on). */
export type ExampleIdentity = { readonly role: 'sales' } | { readonly role: 'partner'; readonly partnerId: string };

export interface ExampleOperation {
  /** The tab's text: the .graphql file as it is, comments included. */
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  /** The tab runs as this identity: a development token in its Authorization header (graphiql.ts). */
  readonly identity: ExampleIdentity;
}

const SALES: ExampleIdentity = { role: 'sales' };

export const EXAMPLE_OPERATIONS: readonly ExampleOperation[] = [
  { query: operation('customer-360.graphql'), variables: { erp: 'C00001' }, identity: SALES },
  { query: operation('accounts-page.graphql'), identity: SALES },
  { query: operation('validate-quote.graphql'), variables: { quoteId: DEMO_QUOTE_ID }, identity: SALES },
  {
    query: operation('submit-quote.graphql'),
    variables: { quoteId: DEMO_QUOTE_ID, idempotencyKey: 'graphiql-demo-0001' },
    identity: SALES,
  },
  {
    query: operation('partner-view.graphql'),
    variables: { erp: 'C00001' },
    identity: { role: 'partner', partnerId: DEMO_PARTNER_ID },
  },
];
