// End to end: gateway → subgraphs → connectors (jsforce, OData) → emulators, all real HTTP, booted
// in-process on random ports. Checks that Salesforce and ERP data join on the ERP customer number,
// that a page of 50 accounts costs the ERP at most one request per entity kind (DESIGN.md, "ERP
// shielding": no N+1), and the input-validation promises of the foundation issue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type InProcessStack } from '../../../stack/in-process.js';
import { generateDataset, type Dataset } from '../../../emulators/seed/index.js';

const SEED_ACCOUNTS = 120;

const CUSTOMER_360 = /* GraphQL */ `
  fragment Customer360 on Account {
    id
    name
    erpCustomerNumber
    owner {
      name
    }
    contacts {
      id
      name
      email
    }
    credit {
      limit {
        amount
        currency
      }
      balance {
        amount
        currency
      }
      openOrderExposure {
        amount
        currency
      }
      available {
        amount
        currency
      }
      onHold
      holdReason
      paymentTerms {
        code
      }
      currency
    }
    openInvoices {
      number
      dueDate
      isOverdue
      remaining {
        amount
        currency
      }
    }
    orders {
      number
      status
      total {
        amount
        currency
      }
      lines {
        itemNumber
        quantity
      }
    }
    shipments {
      number
      orderNumber
      carrier
      trackingNumber
      lines {
        itemNumber
        lotNumbers
      }
    }
  }
`;

interface GraphQLResponse {
  data?: Record<string, any> | null;
  errors?: Array<{ message: string; path?: unknown[]; extensions?: { code?: string } }>;
}

let stack: InProcessStack;
let dataset: Dataset;
/** A development token of the stack's gateway: sales reads every account. */
let token: string;

async function graphql(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLResponse };
}

async function emulatorStats(baseUrl: string) {
  const res = await fetch(`${baseUrl}/__emulator/stats`);
  return (await res.json()) as {
    total: number;
    byRoute: Record<string, number>;
    recent: Array<{ correlationId: string | null }>;
  };
}

async function resetStats(baseUrl: string) {
  await fetch(`${baseUrl}/__emulator/stats`, { method: 'DELETE' });
}

beforeAll(async () => {
  stack = await startStack({ seedAccounts: SEED_ACCOUNTS });
  token = await stack.token({ role: 'sales' });
  dataset = generateDataset({ accounts: SEED_ACCOUNTS });
});

afterAll(async () => {
  await stack?.close();
});

describe('customer 360 for one account', () => {
  it('joins Salesforce and ERP data on the ERP customer number', async () => {
    const sfAccount = dataset.salesforce.Account[7]!;
    const erpNumber = sfAccount.ERP_Customer_Id__c!;
    const customer = dataset.erp.customers.find((c) => c.number === erpNumber)!;

    const { status, body } = await graphql(
      `
        ${CUSTOMER_360}
        query ($id: ID!) {
          account(id: $id) {
            ...Customer360
          }
        }
      `,
      { id: sfAccount.Id },
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const account = body.data!.account;

    expect(account.id).toBe(sfAccount.Id);
    expect(account.name).toBe(sfAccount.Name);
    expect(account.erpCustomerNumber).toBe(erpNumber);

    const contacts = dataset.salesforce.Contact.filter((c) => c.AccountId === sfAccount.Id);
    expect(account.contacts.map((c: { id: string }) => c.id).sort()).toEqual(contacts.map((c) => c.Id).sort());
    const owner = dataset.salesforce.User.find((u) => u.Id === sfAccount.OwnerId)!;
    expect(account.owner.name).toBe(owner.Name);

    expect(account.credit.limit).toEqual({ amount: customer.creditLimit.toFixed(2), currency: customer.currencyCode });
    expect(account.credit.balance.amount).toBe(customer.balanceDue.toFixed(2));
    expect(account.credit.onHold).toBe(customer.blocked !== ' ');
    expect(account.credit.currency).toBe(customer.currencyCode);

    const openInvoices = dataset.erp.salesInvoices.filter((i) => i.customerNumber === erpNumber && i.status === 'Open');
    expect(account.openInvoices.map((i: { number: string }) => i.number).sort()).toEqual(
      openInvoices.map((i) => i.number).sort(),
    );
    const orders = dataset.erp.salesOrders.filter((o) => o.customerNumber === erpNumber);
    expect(account.orders.map((o: { number: string }) => o.number).sort()).toEqual(orders.map((o) => o.number).sort());
    for (const order of account.orders as Array<{ number: string; lines: unknown[]; total: { amount: string } }>) {
      const expected = orders.find((o) => o.number === order.number)!;
      expect(order.lines).toHaveLength(expected.salesOrderLines.length);
      expect(order.total.amount).toBe(expected.totalAmountIncludingTax.toFixed(2));
    }
    const shipments = dataset.erp.salesShipments.filter((s) => s.customerNumber === erpNumber);
    expect(account.shipments.map((s: { number: string }) => s.number).sort()).toEqual(
      shipments.map((s) => s.number).sort(),
    );
  });

  it('finds the same account by ERP number', async () => {
    const sfAccount = dataset.salesforce.Account[3]!;
    const { body } = await graphql(
      `
        query ($erp: String!) {
          accountByErpNumber(erpCustomerNumber: $erp) {
            id
            name
          }
        }
      `,
      {
        erp: sfAccount.ERP_Customer_Id__c,
      },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.accountByErpNumber).toEqual({ id: sfAccount.Id, name: sfAccount.Name });
  });

  it('accepts the 15-character form of an id', async () => {
    const sfAccount = dataset.salesforce.Account[5]!;
    const { body } = await graphql(
      `
        query ($id: ID!) {
          account(id: $id) {
            id
          }
        }
      `,
      { id: sfAccount.Id.slice(0, 15) },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.account.id).toBe(sfAccount.Id);
  });

  it('returns null for an unknown account and BAD_USER_INPUT for a malformed id', async () => {
    const unknown = await graphql(`
      {
        account(id: "001000000000000AAA") {
          id
          name
        }
      }
    `);
    expect(unknown.body.errors).toBeUndefined();
    expect(unknown.body.data!.account).toBeNull();

    for (const bad of ["001' OR Name != '", 'not-an-id', '001000000000000ZZZ', '']) {
      const { status, body } = await graphql(
        `
          query ($id: ID!) {
            account(id: $id) {
              id
            }
          }
        `,
        { id: bad },
      );
      expect(status).toBe(200);
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(body.data?.account ?? null).toBeNull();
    }
  });

  it('never lets input reach SOQL or OData unescaped', async () => {
    const total = dataset.salesforce.Account.length;
    const attacks = ["x' OR Name != '", "%' OR Name LIKE '%", "\\' OR Id != null --", "C00001' or number ne '"];
    for (const attack of attacks) {
      const byName = await graphql(
        `
          query ($f: AccountFilter) {
            accounts(first: 200, filter: $f) {
              nodes {
                id
              }
            }
          }
        `,
        {
          f: { nameContains: attack },
        },
      );
      expect(byName.body.errors).toBeUndefined();
      expect(byName.body.data!.accounts.nodes.length).toBeLessThan(total);
      expect(byName.body.data!.accounts.nodes).toEqual([]);

      const byErp = await graphql(
        `
          query ($e: String!) {
            accountByErpNumber(erpCustomerNumber: $e) {
              id
            }
          }
        `,
        { e: attack },
      );
      // Either rejected as malformed or simply not found: never a match, never a backend error.
      if (byErp.body.errors) expect(byErp.body.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      else expect(byErp.body.data!.accountByErpNumber).toBeNull();
    }
  });
});

describe('customer 360 for a page of 50 accounts', () => {
  it('costs the ERP at most one request per entity kind and joins every account', async () => {
    // Warm the connectors' tokens and company discovery so the count is about the page only.
    await graphql(`
      {
        accounts(first: 1) {
          nodes {
            credit {
              onHold
            }
          }
        }
      }
    `);
    await resetStats(stack.erpEmulatorUrl);
    await resetStats(stack.salesforceEmulatorUrl);

    const { body } = await graphql(`
      ${CUSTOMER_360}
      {
        accounts(first: 50) {
          nodes {
            ...Customer360
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    `);
    expect(body.errors).toBeUndefined();
    const nodes = body.data!.accounts.nodes as Array<Record<string, any>>;
    expect(nodes).toHaveLength(50);
    expect(body.data!.accounts.pageInfo.hasNextPage).toBe(true);

    for (const node of nodes) {
      const customer = dataset.erp.customers.find((c) => c.number === node.erpCustomerNumber)!;
      expect(customer.displayName).toBe(node.name);
      expect(node.credit.limit.amount).toBe(customer.creditLimit.toFixed(2));
      const openCount = dataset.erp.salesInvoices.filter(
        (i) => i.customerNumber === customer.number && i.status === 'Open',
      ).length;
      expect(node.openInvoices).toHaveLength(openCount);
    }

    const erp = await emulatorStats(stack.erpEmulatorUrl);
    const perKind = Object.entries(erp.byRoute);
    expect(perKind.length).toBeGreaterThan(0);
    for (const [route, count] of perKind) expect({ route, count }).toEqual({ route, count: 1 });

    const sf = await emulatorStats(stack.salesforceEmulatorUrl);
    for (const [route, count] of Object.entries(sf.byRoute)) expect({ route, count }).toEqual({ route, count: 1 });
  });

  it('pages through every account exactly once', async () => {
    const seen = new Set<string>();
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const { body }: { body: GraphQLResponse } = await graphql(
        `
          query ($after: String) {
            accounts(first: 50, after: $after) {
              nodes {
                id
              }
              pageInfo {
                hasNextPage
                endCursor
              }
            }
          }
        `,
        { after },
      );
      expect(body.errors).toBeUndefined();
      for (const node of body.data!.accounts.nodes as Array<{ id: string }>) {
        expect(seen.has(node.id)).toBe(false);
        seen.add(node.id);
      }
      if (!body.data!.accounts.pageInfo.hasNextPage) break;
      after = body.data!.accounts.pageInfo.endCursor;
    }
    expect(seen.size).toBe(SEED_ACCOUNTS);
  });
});

describe('correlation', () => {
  it('carries the client correlation id to both backends and back', async () => {
    const correlationId = `e2e-${Date.now()}`;
    const account = dataset.salesforce.Account[11]!;
    const { headers, body } = await graphql(
      `
        query ($id: ID!) {
          account(id: $id) {
            name
            credit {
              onHold
            }
          }
        }
      `,
      { id: account.Id },
      { 'x-correlation-id': correlationId },
    );
    expect(body.errors).toBeUndefined();
    expect(headers.get('x-correlation-id')).toBe(correlationId);
    const [sf, erp] = await Promise.all([
      emulatorStats(stack.salesforceEmulatorUrl),
      emulatorStats(stack.erpEmulatorUrl),
    ]);
    expect(sf.recent.some((r) => r.correlationId === correlationId)).toBe(true);
    expect(erp.recent.some((r) => r.correlationId === correlationId)).toBe(true);
  });
});
