// The ownership matrix (DESIGN.md "Systems of record") as the composed supergraph carries it: every
// field of every object type has an owner (this test fails when one is added without), the matrix
// says what DESIGN.md says, the supergraph carries @owner itself (@composeDirective) and the docs
// show it, and updateAccount's write check derives from it.
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { composeSupergraph } from '../../schema/compose-supergraph.js';
import { ownershipOf, OWNERSHIP_SPEC_URL, type FieldCoordinate } from '../../schema/ownership.js';
import {
  accountWriteOwnership,
  OwnershipConfigurationError,
  UPDATE_ACCOUNT_TARGETS,
} from '../../subgraphs/salesforce/account-ownership.js';

const composition = composeSupergraph();
if (!composition.ok) throw new Error(`composition failed: ${composition.errors.join('; ')}`);
const supergraph = parse(composition.supergraph);
const matrix = ownershipOf(supergraph);

describe('ownership in the composed supergraph', () => {
  it('gives every field of every object type an owner', () => {
    const unowned = [...matrix.fields].filter(([, owner]) => owner === null).map(([coordinate]) => coordinate);
    expect(unowned).toEqual([]);
    expect(matrix.fields.size).toBeGreaterThan(150);
  });

  it('notices a field without an owner', () => {
    const document = parse(`
      directive @owner(system: OwnershipSystem!, mirroredIn: OwnershipSystem, note: String) on FIELD_DEFINITION | OBJECT
      enum OwnershipSystem { SALESFORCE ERP INTEGRATION INHERITED }
      type Owned @owner(system: ERP) { a: String b: String @owner(system: SALESFORCE) }
      type Partly { c: String @owner(system: ERP) d: String }
    `);
    const fields = ownershipOf(document).fields;
    expect(fields.get('Owned.a')?.system).toBe('ERP');
    expect(fields.get('Owned.b')?.system).toBe('SALESFORCE');
    expect(fields.get('Partly.d')).toBeNull();
  });

  it('says what the DESIGN.md matrix says', () => {
    const expected: Record<string, [string, string | null]> = {
      'Account.name': ['SALESFORCE', null],
      'Account.industry': ['SALESFORCE', null],
      'Account.contacts': ['SALESFORCE', null],
      'Account.erpCustomerNumber': ['ERP', 'SALESFORCE'],
      'Account.billingAddress': ['ERP', 'SALESFORCE'],
      'Account.credit': ['ERP', null],
      'Credit.limit': ['ERP', null],
      'Credit.paymentTerms': ['ERP', null],
      'Credit.currency': ['ERP', null],
      'Product.unitPrice': ['ERP', null],
      'Product.inventory': ['ERP', null],
      'Quote.lines': ['SALESFORCE', null],
      'QuoteLine.unitPrice': ['SALESFORCE', null],
      'Quote.erpSync': ['ERP', 'SALESFORCE'],
      'Order.status': ['ERP', null],
      'Shipment.trackingNumber': ['ERP', null],
      'Invoice.remaining': ['ERP', null],
      'Case.status': ['SALESFORCE', null],
      'Money.amount': ['INHERITED', null],
      'Mutation.submitQuote': ['INTEGRATION', null],
      'Mutation.updateAccount': ['SALESFORCE', null],
      'Query.validateQuote': ['INTEGRATION', null],
    };
    for (const [coordinate, [system, mirroredIn]] of Object.entries(expected)) {
      expect(matrix.ownerOf(coordinate as FieldCoordinate), coordinate).toMatchObject({ system, mirroredIn });
    }
  });

  it('carries @owner in the supergraph itself, and the owner in every owned field’s documentation', () => {
    expect(composition.supergraph).toContain(`@link(url: "${OWNERSHIP_SPEC_URL}", import: ["@owner"])`);
    expect(composition.supergraph).toMatch(/directive @owner\(system: OwnershipSystem!/);
    expect(composition.supergraph).toMatch(
      /erpCustomerNumber: String [^\n]*@owner\(system: ERP, mirroredIn: SALESFORCE/,
    );
    expect(composition.supergraph).toMatch(
      /Owner: the ERP\. Mirrored read-only in Salesforce, written only by the integration\. Assigned by the ERP/,
    );
  });
});

describe('updateAccount’s write check', () => {
  it('derives from the matrix: exactly the ERP-owned input fields are refused', () => {
    const ownership = accountWriteOwnership(matrix);
    const everything = Object.fromEntries(Object.keys(UPDATE_ACCOUNT_TARGETS).map((field) => [field, null]));
    expect(ownership.foreignFields(everything)).toEqual([
      { field: 'erpCustomerNumber', owner: 'ERP' },
      { field: 'billingAddress', owner: 'ERP' },
      { field: 'paymentTerms', owner: 'ERP' },
      { field: 'creditLimit', owner: 'ERP' },
      { field: 'currency', owner: 'ERP' },
    ]);
    expect(ownership.foreignFields({ name: 'x', phone: null })).toEqual([]);
  });

  it('refuses to start when an input field writes a field without owner', () => {
    const withoutCredit = {
      ...matrix,
      ownerOf: (c: FieldCoordinate) => (c === 'Credit.limit' ? null : matrix.ownerOf(c)),
    };
    expect(() => accountWriteOwnership(withoutCredit)).toThrow(OwnershipConfigurationError);
  });
});
