// The numbers behind the default limits (gateway/config.ts DEMAND_*): every first-party operation
// (clients/operations), GraphiQL's introspection, the OData bridge's largest pages, a plain
// 200-account page and a page of 50 accounts with the customer-360 fields (the cold-page benchmark's)
// must pass; the customer-360 fields for 200 accounts and other fan-outs must not. The table is
// printed so a change of schema, operation or weights shows what it does to the margins.
import { getIntrospectionQuery, Kind, parse, print, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { COLD_PAGE } from '../../bench/queries.js';
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
    `Demand control, default limits: depth ${DEFAULT_LIMITS.maxDepth}, input depth ${DEFAULT_LIMITS.maxInputDepth}, aliases ${DEFAULT_LIMITS.maxAliases}, ` +
      `root fields ${DEFAULT_LIMITS.maxRootFields}, selections ${DEFAULT_LIMITS.maxSelections}, cost ${DEFAULT_LIMITS.maxCost} (default list size ${DEFAULT_LIMITS.defaultListSize})`,
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
    [...node]
      .map(([name, child]) =>
        (child as Map<string, unknown>).size === 0 ? name : `${name} { ${print(child as Map<string, unknown>)} }`,
      )
      .join(' ');
  return (
    `query OData($where: RowFilter, $search: String, $orderBy: [RowOrder!], $first: Int!, $skip: Int) ` +
    `{ rows: ${rootField}(where: $where, search: $search, orderBy: $orderBy, first: $first, skip: $skip) { totalCount nodes { ${print(tree)} } } }`
  );
}

/**
 * The customer-360 operation's account selection (clients/operations/customer-360.graphql, what
 * README and GraphiQL show) for a page of accounts, as test/e2e/customer-360 asks it.
 */
function customer360Page(first: number): string {
  const customer360 = firstPartyOperations().find(({ file }) => file === 'customer-360.graphql')!;
  const operation = parse(customer360.query).definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  )!;
  const account = operation.selectionSet.selections.find(
    (selection): selection is FieldNode => selection.kind === Kind.FIELD,
  )!;
  return `{ accounts(first: ${first}) { nodes ${print(account.selectionSet!)} pageInfo { hasNextPage endCursor } } }`;
}

describe('first-party operations', () => {
  for (const { file, query } of firstPartyOperations()) {
    it(`${file} passes every default limit`, () => {
      expect(record(file, measure(query))).toBeNull();
    });
  }

  it('GraphiQL introspection passes (its own depth is not counted)', () => {
    const measured = measure(
      getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        inputValueDeprecation: true,
      }),
    );
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
      const query = odataOperation(
        set.rootField,
        set.properties.map((property) => property.path),
      );
      expect(
        record(`OData ${set.name}`, measure(query, { where, first: 2000, skip: 0, orderBy: [{ field: 'number' }] })),
      ).toBeNull();
    });
  }
});

describe("the OData bridge's deep pages ($skip and next links' $skiptoken: 1 per skipped row)", () => {
  // README, "Use from Salesforce Connect": a full page with every property can start this deep.
  const DEEPEST = 30_000;
  for (const set of ENTITY_SETS) {
    it(`${set.name}: 2,000 rows ${DEEPEST.toLocaleString('en')} deep pass, 50,000 deep are refused`, () => {
      const query = odataOperation(
        set.rootField,
        set.properties.map((property) => property.path),
      );
      const at = (skip: number) => measure(query, { where: null, first: 2000, skip, orderBy: [] });
      expect(record(`OData ${set.name} at $skip=${DEEPEST}`, at(DEEPEST))).toBeNull();
      expect(at(DEEPEST).cost).toBe(at(0).cost + DEEPEST);
      expect(exceeded(at(50_000))).toBe('cost');
    });
  }

  it('a row query pays for the rows it skips, not only for those it returns', () => {
    const where = {
      and: Array.from({ length: 4 }, (_, i) => ({
        or: [
          { field: 'status', op: 'EQ', value: 'OPEN' },
          { field: 'currency', op: 'EQ', value: `C${i}` },
        ],
      })),
    };
    const query =
      'query ($where: RowFilter, $skip: Int) { orders(first: 1, skip: $skip, where: $where) { totalCount nodes { number } } }';
    expect(measure(query, { where, skip: 4998 }).cost).toBe(measure(query, { where, skip: 0 }).cost + 4998);
  });
});

describe('account pages', () => {
  it('accounts(first: 200) with a few fields passes', () => {
    const measured = measure(
      '{ accounts(first: 200) { nodes { id name industry erpCustomerNumber } pageInfo { hasNextPage endCursor } } }',
    );
    expect(record('accounts(first: 200) { id name … }', measured)).toBeNull();
    expect(measured.cost).toBe(1 + 200 + 1);
  });

  it('accounts(first: 200) with their credit passes', () => {
    const measured = measure(
      'query ($n: Int) { accounts(first: $n) { nodes { id name credit { onHold available { amount currency } } } } }',
      { n: 200 },
    );
    expect(record('accounts(first: 200) { credit }', measured)).toBeNull();
  });
});

describe('customer-360 pages', () => {
  it('a page of 50 accounts with the customer-360 fields passes', () => {
    const measured = measure(customer360Page(50));
    expect(record('accounts(first: 50) { customer-360 }', measured)).toBeNull();
    // accounts 1 + pageInfo 1 + 50 × one account's: the cost grows with the rows the page returns.
    expect(measured.cost).toBe(2 + 50 * (measure(customer360Page(1)).cost - 2));
  });

  it("the cold-page benchmark's query (bench/queries.ts) passes", () => {
    expect(record('bench COLD_PAGE (50 accounts)', measure(COLD_PAGE))).toBeNull();
  });
});

describe('fan-outs', () => {
  it('200 accounts with the customer-360 fields is refused for cost', () => {
    expect(record('accounts(first: 200) { customer-360 }', measure(customer360Page(200)))).toBe('cost');
  });

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

  it("200 accounts with their orders' shipments and shipment lines is refused for cost", () => {
    const measured = measure(
      '{ accounts(first: 200) { nodes { orders { shipments { lines { itemNumber quantity } } } } } }',
    );
    expect(record('accounts(first: 200) { orders { shipments { lines } } }', measured)).toBe('cost');
  });

  it("2,000 invoices back through their account to every order's lines is refused for cost", () => {
    const measured = measure(
      '{ invoices(first: 2000) { nodes { number order { account { orders { number lines { itemNumber } } } } } } }',
    );
    expect(record('invoices(first: 2000) { order { account { orders { lines } } } }', measured)).toBe('cost');
  });
});
