// The Lightning Web Components' Jest tests mock Apex with the graph's answers
// (salesforce/force-app/main/default/lwc/c360AccountGraph/__tests__/graphAnswers.js). Here each
// fixture is run through its operation against the supergraph's API schema: what comes back must
// be the fixture itself, so a fixture can hold no field the operation does not select, miss none it
// does, and use no value the schema refuses (an enum value, a null where the schema has none).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execute, parse } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiSchema } from '../demand-control/supergraph-operations.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.join(ROOT, 'salesforce/force-app/main/default/lwc/c360AccountGraph/__tests__/graphAnswers.js');
const operation = (file: string) => parse(readFileSync(path.join(ROOT, 'clients/operations', file), 'utf8'));

/** The fixture module's builders (plain JavaScript, loaded as it is for Jest). */
interface Fixtures {
  account360(overrides?: object): Record<string, unknown>;
  credit(overrides?: object): Record<string, unknown>;
  invoice(overrides?: object): Record<string, unknown>;
  order(overrides?: object): Record<string, unknown>;
  quote(overrides?: object): Record<string, unknown>;
  validation(overrides?: object): Record<string, unknown>;
  submission(overrides?: object): Record<string, unknown>;
}

let fixtures: Fixtures;
beforeAll(async () => {
  fixtures = (await import(pathToFileURL(FIXTURES).href)) as Fixtures;
});

/** Runs the operation with the fixture as its root field's value and returns what the graph would send. */
async function through(file: string, field: string, value: unknown, variables: Record<string, unknown>) {
  const result = await execute({
    schema: apiSchema,
    document: operation(file),
    rootValue: { [field]: value },
    variableValues: variables,
  });
  return {
    errors: result.errors?.map((error) => `${error.path?.join('.')}: ${error.message}`) ?? [],
    data: JSON.parse(JSON.stringify(result.data ?? null)),
  };
}

describe('the LWC tests answer as the graph does', () => {
  it('account 360 fixtures are SalesforceAccount360 results', async () => {
    const variants = [
      fixtures.account360(),
      fixtures.account360({ credit: null, openInvoices: null, orders: null, erpCustomerNumber: null }),
      fixtures.account360({ credit: fixtures.credit({ onHold: true, holdReason: 'Blocked', stale: true }) }),
    ];
    for (const account of variants) {
      const { errors, data } = await through('salesforce-account-360.graphql', 'account', account, { id: account.id });
      expect(errors).toEqual([]);
      expect(data.account).toEqual(account);
    }
  });

  it('validation fixtures are SalesforceValidateQuote results', async () => {
    const rejected = fixtures.validation({
      verdict: 'REJECTED',
      reasonCodes: ['CREDIT_HOLD'],
      reasons: [{ code: 'CREDIT_HOLD', message: 'Blocked.', lineNumber: null, itemNumber: null }],
    });
    for (const validation of [fixtures.validation(), rejected]) {
      const { errors, data } = await through('salesforce-validate-quote.graphql', 'validateQuote', validation, {
        quoteId: validation.quoteId,
      });
      expect(errors).toEqual([]);
      expect(data.validateQuote).toEqual(validation);
    }
  });

  it('submission fixtures are SalesforceSubmitQuote results', async () => {
    const pending = fixtures.submission({
      status: 'PENDING_ERP',
      reasonCode: 'ERP_OUTCOME_UNKNOWN',
      reasonCodes: ['ERP_OUTCOME_UNKNOWN'],
      order: null,
      quote: null,
    });
    for (const submission of [fixtures.submission(), pending]) {
      const { errors, data } = await through('salesforce-submit-quote.graphql', 'submitQuote', submission, {
        quoteId: 'q',
        idempotencyKey: 'k',
      });
      expect(errors).toEqual([]);
      expect(data.submitQuote).toEqual(submission);
    }
  });

  it('a fixture the operation does not match is caught', async () => {
    const extra = { ...fixtures.account360(), website: 'https://example.com' };
    expect((await through('salesforce-account-360.graphql', 'account', extra, { id: 'x' })).data.account).not.toEqual(
      extra,
    );
    const badEnum = fixtures.account360({ orders: [fixtures.order({ status: 'SHIPPED' })] });
    expect((await through('salesforce-account-360.graphql', 'account', badEnum, { id: 'x' })).errors.join()).toMatch(
      /OrderStatus|SHIPPED/,
    );
    const missing = fixtures.account360({ name: null });
    expect((await through('salesforce-account-360.graphql', 'account', missing, { id: 'x' })).errors.join()).toMatch(
      /non-nullable|Cannot return null/,
    );
  });
});
