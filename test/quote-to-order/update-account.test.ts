// updateAccount end to end: Salesforce-owned fields are written (audited, cache dropped); any field the
// ERP owns refuses the whole write with FIELD_OWNED_BY_OTHER_SYSTEM and its owner, and then not a
// single write reaches the Salesforce emulator. The stores are on PostgreSQL (no embedded store to
// create for one audit table).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { QuoteStack } from './support/stack.js';

const UPDATE = /* GraphQL */ `
  mutation UpdateAccount($input: UpdateAccountInput!) {
    updateAccount(input: $input) {
      updatedFields
      correlationId
      account {
        id
        name
        phone
        website
        numberOfEmployees
        erpCustomerNumber
      }
    }
  }
`;

const ERP_OWNED: Record<string, unknown> = {
  erpCustomerNumber: 'C99999',
  billingAddress: { line1: '1 Main St', city: 'Springfield' },
  paymentTerms: '30 DAYS',
  creditLimit: { amount: '1000000.00', currency: 'USD' },
  currency: 'EUR',
};

let database: TestDatabase;
let stack: QuoteStack;
let accountId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  stack = await QuoteStack.start({ databaseUrl: database.url, seedAccounts: 20 });
  accountId = stack.dataset.salesforce.Account[2]!.Id;
});

afterAll(async () => {
  await stack?.close();
  await database?.drop();
});

const update = (input: Record<string, unknown>, correlationId?: string) =>
  stack.gql(UPDATE, { input }, correlationId ? { correlationId } : {});

/** Requests that would change something in Salesforce (anything but reads and logins). */
function salesforceWrites() {
  return stack.sf.emulator.traffic.stats().recent.filter((r) => r.method !== 'GET' && r.route !== 'token');
}

describe('updateAccount', () => {
  it('writes Salesforce-owned fields, audits the write and serves the new values at once', async () => {
    const read = () => stack.gql(`query ($id: ID!) { account(id: $id) { name phone } }`, { id: accountId });
    await read(); // now cached by the Salesforce subgraph
    const { body } = await update(
      { id: accountId, name: 'Acme Renamed', phone: '+1 555 0100', numberOfEmployees: 42 },
      'corr-update-1',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.updateAccount).toMatchObject({
      updatedFields: ['name', 'phone', 'numberOfEmployees'],
      correlationId: 'corr-update-1',
      account: { id: accountId, name: 'Acme Renamed', phone: '+1 555 0100', numberOfEmployees: 42 },
    });
    expect(stack.sf.emulator.store.get('Account', accountId)).toMatchObject({
      Name: 'Acme Renamed',
      Phone: '+1 555 0100',
    });
    expect((await read()).body.data.account).toEqual({ name: 'Acme Renamed', phone: '+1 555 0100' });
    const [entry] = await stack.sfStore.audit.list({ correlationId: 'corr-update-1' });
    expect(entry).toMatchObject({
      system: 'salesforce',
      operation: 'updateAccount',
      target: accountId,
      caller: stack.caller,
      status: 'succeeded',
      request: { name: 'Acme Renamed', phone: '+1 555 0100', numberOfEmployees: 42 },
    });
  });

  it.each(Object.keys(ERP_OWNED))('refuses %s (owned by the ERP) with nothing written to Salesforce', async (field) => {
    const before = { ...stack.sf.emulator.store.get('Account', accountId) };
    stack.resetTraffic();
    const { body } = await update({ id: accountId, name: 'Must Not Be Written', [field]: ERP_OWNED[field] });
    expect(body.data).toBeNull();
    expect(body.errors?.[0]?.extensions).toEqual({
      code: 'FIELD_OWNED_BY_OTHER_SYSTEM',
      fields: [{ field, owner: 'ERP' }],
    });
    expect(salesforceWrites()).toEqual([]);
    expect(stack.sf.emulator.store.get('Account', accountId)).toEqual(before);
  });

  it('lists every foreign field at once, and counts a field given as null (clearing is writing)', async () => {
    stack.resetTraffic();
    const { body } = await update({ id: accountId, phone: '+1 555 0199', ...ERP_OWNED, erpCustomerNumber: null });
    expect(body.errors?.[0]?.extensions?.fields).toEqual(
      Object.keys(ERP_OWNED).map((field) => ({ field, owner: 'ERP' })),
    );
    expect(salesforceWrites()).toEqual([]);
    expect(await stack.sfStore.audit.list({ target: accountId, system: 'salesforce' })).toHaveLength(1);
  });

  it('BAD_USER_INPUT for a malformed id, an empty name or an empty input; NOT_FOUND for an unknown account', async () => {
    stack.resetTraffic();
    for (const input of [
      { id: 'nope', name: 'x' },
      { id: accountId, name: '' },
      { id: accountId, name: null },
      { id: accountId },
    ]) {
      const { body } = await update(input);
      expect(body.errors?.[0]?.extensions?.code, JSON.stringify(input)).toBe('BAD_USER_INPUT');
    }
    expect(salesforceWrites()).toEqual([]);
    const { body } = await update({ id: '001000000000000AAA', name: 'Ghost' });
    expect(body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
