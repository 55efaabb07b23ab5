// Access rules in the documentation (issue 5: "the schema's ownership and access rules visible in
// the docs"): composition appends "Access: ..." to the descriptions GraphiQL shows, derived from the
// same @requiresScopes the gateway enforces.
import { buildSchema, parse, print, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { withAccessDocs } from '../../schema/access.js';
import { composeSupergraph } from '../../schema/compose-supergraph.js';

const composition = composeSupergraph();
if (!composition.ok) throw new Error(`composition failed: ${composition.errors.join('; ')}`);
const schema = buildSchema(composition.supergraph, { assumeValidSDL: true });
const field = (type: string, name: string) =>
  (schema.getType(type) as GraphQLObjectType).getFields()[name]!.description ?? '';

describe('access in the composed documentation', () => {
  it('ends restricted fields’ descriptions with who may read them, after the owner', () => {
    expect(field('Credit', 'limit')).toBe('Access: sales, service, finance, integration.');
    expect(field('Credit', 'balance')).toBe(
      'Open receivables (balance due).\n\nAccess: sales, service, finance, integration.',
    );
    expect(field('Mutation', 'submitQuote')).toMatch(
      /Owner: this graph \(computed here, stored in neither system\)\.\n\nAccess: sales, integration\.$/,
    );
    expect(field('Mutation', 'updateAccount')).toMatch(/\n\nAccess: sales, service, integration\.$/);
    expect(field('Query', 'validateQuote')).toMatch(/\n\nAccess: sales, finance, integration\.$/);
  });

  it('documents fields restricted through their return type, and the types themselves', () => {
    expect(field('Account', 'contacts')).toBe('Owner: Salesforce.\n\nAccess: sales, service, finance, integration.');
    expect(field('Order', 'quote')).toMatch(/Access: sales, service, finance, integration\.$/);
    expect(field('Query', 'quote')).toMatch(/Access: sales, service, finance, integration\.$/);
    expect(schema.getType('Quote')!.description).toMatch(
      /Owner: Salesforce\.\n\nAccess: sales, service, finance, integration\.$/,
    );
  });

  it('says "any signed-in role" on open root fields and nothing on other open fields', () => {
    expect(field('Query', 'accountByErpNumber')).toMatch(/\n\nAccess: any signed-in role\.$/);
    expect(field('Query', 'customers')).toMatch(/Access: any signed-in role\.$/);
    expect(field('Credit', 'onHold')).not.toContain('Access:');
    expect(field('Account', 'name')).not.toContain('Access:');
    expect(schema.getType('Account')!.description ?? '').not.toContain('Access:');
  });

  it('annotates each subgraph document, reading rules across documents and keeping shared types consistent', () => {
    const [salesforce, erp] = withAccessDocs([
      parse(`type Query { quote: Quote }  "A quote." type Quote @requiresScopes(scopes: [["sales"]]) { id: ID }`),
      parse(
        `type Order { quote: Quote @requiresScopes(scopes: [["sales"], ["finance"]]) }  type Quote @requiresScopes(scopes: [["sales"]]) { id: ID }`,
      ),
    ]);
    expect(print(salesforce!)).toContain('"""\nA quote.\n\nAccess: sales.\n"""\ntype Quote');
    expect(print(salesforce!)).toContain('"""Access: sales."""\n  quote: Quote');
    // The ERP's Quote has no description of its own: composition takes the Salesforce one.
    expect(print(erp!)).not.toMatch(/"""[^"]*"""\s*type Quote/);
    expect(print(erp!)).toContain('"""Access: sales."""\n  quote: Quote');
  });
});
