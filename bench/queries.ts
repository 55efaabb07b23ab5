// The operations the scenarios send. CUSTOMER_360 is the customer-360 operation GraphiQL opens with
// (and README.md shows); the
// cold page asks the same ERP fields for a page of 50 accounts; the outage variant adds the
// freshness fields (`asOf`, `stale`) of the ERP-backed types when the served schema has them.
import { CUSTOMER_360_QUERY } from '../gateway/graphiql-examples.js';

export const CUSTOMER_360 = CUSTOMER_360_QUERY;

/** The Salesforce-owned fields of CUSTOMER_360 (schema/salesforce.graphql): what must survive an ERP outage. */
export const SALESFORCE_FIELDS = ['id', 'name', 'industry', 'owner', 'contacts'] as const;
/** The ERP-owned fields of CUSTOMER_360 (schema/erp.graphql). */
export const ERP_FIELDS = ['credit', 'openInvoices', 'orders', 'shipments'] as const;

/** The ERP-backed types CUSTOMER_360 selects, by the field that selects them. */
export const ERP_TYPES_BY_FIELD: Readonly<Record<(typeof ERP_FIELDS)[number], string>> = {
  credit: 'Credit',
  openInvoices: 'Invoice',
  orders: 'Order',
  shipments: 'Shipment',
};

export const FRESHNESS_FIELD_NAMES = ['asOf', 'stale'] as const;

/** Per ERP-backed type, the freshness fields the served schema has (possibly none). */
export type FreshnessFields = Readonly<Record<string, readonly string[]>>;

/**
 * CUSTOMER_360 with each ERP-backed type also selecting its freshness fields. With none in the
 * schema it is CUSTOMER_360 itself.
 */
export function customer360WithFreshness(freshness: FreshnessFields): string {
  let query = CUSTOMER_360;
  for (const [field, type] of Object.entries(ERP_TYPES_BY_FIELD)) {
    const extra = freshness[type] ?? [];
    if (extra.length === 0) continue;
    // `credit {` and the one-line selections `openInvoices { ...`: add the fields right after the brace.
    query = query.replace(new RegExp(`(\\n    ${field} \\{)`), `$1 ${extra.join(' ')}`);
  }
  return query;
}

/** Asks the gateway which freshness fields each ERP-backed type has (introspection is on outside production). */
export const FRESHNESS_INTROSPECTION = `query BenchFreshnessFields {
  ${Object.values(ERP_TYPES_BY_FIELD)
    .map((type) => `${type.toLowerCase()}: __type(name: "${type}") { name fields { name } }`)
    .join('\n  ')}
}`;

export function freshnessFromIntrospection(
  data: Record<string, { name: string; fields: { name: string }[] | null } | null>,
): FreshnessFields {
  const result: Record<string, string[]> = {};
  for (const entry of Object.values(data)) {
    if (!entry) continue;
    const names = new Set((entry.fields ?? []).map((field) => field.name));
    result[entry.name] = FRESHNESS_FIELD_NAMES.filter((name) => names.has(name));
  }
  return result;
}

/** Issue 3's cold page: 50 accounts with credit, open invoices, orders and shipments. */
export const COLD_PAGE = `query ColdPage {
  accounts(first: 50) {
    nodes {
      id
      name
      erpCustomerNumber
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
      orders { number status orderDate total { amount currency } lines { itemNumber description quantity } }
      shipments { number carrier trackingNumber shipmentDate lines { itemNumber quantity lotNumbers } }
    }
  }
}`;

export function customer360Body(query: string, erpCustomerNumber: string): string {
  return JSON.stringify({ operationName: 'Customer360', query, variables: { erp: erpCustomerNumber } });
}
