// The numbers behind the default limits (gateway/config.ts DEMAND_*): every first-party operation
// (clients/operations), GraphiQL's introspection, the OData bridge's largest pages and a plain
// 200-account page must pass; fan-outs across 200 accounts must not. The table is printed so a
// change of schema, operation or weights shows what it does to the margins.
import { getIntrospectionQuery } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { ENTITY_SETS } from '../../gateway/odata/entity-model.js';
import { DEFAULT_LIMITS, exceeded, firstPartyOperations, measure, type Measured } from './supergraph-operations.js';

const rows: Record<string, Measured & { verdict: string }> = {};
function record(name: string, measured: Measured): string | null {
  const over = exceeded(measured);
  rows[name] = { ...measured, verdict: over === null ? 'accepted' : `refused (${over})` };
  return over;
}

afterAll(() => {
  console.log(
    `Demand control, default limits: depth ${DEFAULT_LIMITS.maxDepth}, aliases ${DEFAULT_LIMITS.maxAliases}, ` +
      `root fields ${DEFAULT_LIMITS.maxRootFields}, cost ${DEFAULT_LIMITS.maxCost} (default list size ${DEFAULT_LIMITS.defaultListSize})`,
  );
  console.table(rows);
});

/** The OData bridge's operation for a page of an entity set (gateway/odata/row-query.ts), every property selected. */
function odataOperation(rootField: string, paths: readonly (readonly string[])[]): string {
  const tree = new Map<string, Map<string, unknown>>();
  for (const path of paths) {
    let node: Map<string, unknown> = tree;
    for (const segment of path) {
      if (!node.has(segment)) node.set(segment, new Map());
      node = node.get(segment) as Map<string, unknown>;
    }
  }
  const print = (node: Map<string, unknown>): string =>
    [...node].map(([name, child]) => ((child as Map<string, unknown>).size === 0 ? name : `${name} { ${print(child as Map<string, unknown>)} }`)).join(' ');
  return (
    `query OData($where: RowFilter, $search: String, $orderBy: [RowOrder!], $first: Int!, $skip: Int) ` +
    `{ rows: ${rootField}(where: $where, search: $search, orderBy: $orderBy, first: $first, skip: $skip) { totalCount nodes { ${print(tree)} } } }`
  );
}

describe('first-party operations', () => {
  for (const { file, query } of firstPartyOperations()) {
    it(`${file} passes every default limit`, () => {
      expect(record(file, measure(query))).toBeNull();
    });
  }

  it('GraphiQL introspection passes (its own depth is not counted)', () => {
    const measured = measure(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, inputValueDeprecation: true }));
    expect(record('GraphiQL introspection', measured)).toBeNull();
    expect(measured.cost).toBe(0);
  });
});

describe("the OData bridge's pages (2,000 rows, every property, counted, filtered)", () => {
  // A filter as Salesforce Connect sends them: ten alternatives and a date range.
  const where = {
    and: [
      { or: Array.from({ length: 10 }, (_, i) => ({ field: 'customerNumber', op: 'EQ', value: `C0000${i}` })) },
      { field: 'number', op: 'IS_NOT_NULL' },
    ],
  };
  for (const set of ENTITY_SETS) {
    it(`${set.name} passes`, () => {
      const query = odataOperation(set.rootField, set.properties.map((property) => property.path));
      expect(record(`OData ${set.name}`, measure(query, { where, first: 2000, skip: 0, orderBy: [{ field: 'number' }] }))).toBeNull();
    });
  }
});

describe('account pages', () => {
  it('accounts(first: 200) with a few fields passes', () => {
    const measured = measure('{ accounts(first: 200) { nodes { id name industry erpCustomerNumber } pageInfo { hasNextPage endCursor } } }');
    expect(record('accounts(first: 200) { id name … }', measured)).toBeNull();
    expect(measured.cost).toBe(1 + 200 + 1);
  });

  it('accounts(first: 200) with their credit passes', () => {
    const measured = measure('query ($n: Int) { accounts(first: $n) { nodes { id name credit { onHold available { amount currency } } } } }', { n: 200 });
    expect(record('accounts(first: 200) { credit }', measured)).toBeNull();
  });
});

describe('fan-outs', () => {
  it('200 accounts with their orders, order lines and open invoices is refused for cost', () => {
    const measured = measure(`{
      accounts(first: 200) {
        nodes {
          name
          orders { number total { amount currency } lines { itemNumber quantity amount { amount currency } } }
          openInvoices { number remaining { amount currency } }
        }
      }
    }`);
    expect(record('accounts(first: 200) { orders { lines } openInvoices }', measured)).toBe('cost');
  });

  it('200 accounts with their orders and order lines is refused for cost', () => {
    const measured = measure('{ accounts(first: 200) { nodes { orders { lines { itemNumber quantity } } } } }');
    expect(record('accounts(first: 200) { orders { lines } }', measured)).toBe('cost');
  });

  it("2,000 invoices with their orders' lines is refused for cost", () => {
    const measured = measure('{ invoices(first: 2000) { nodes { number order { lines { itemNumber unitPrice { amount } } } } } }');
    expect(record('invoices(first: 2000) { order { lines } }', measured)).toBe('cost');
  });
});
