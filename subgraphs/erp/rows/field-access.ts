// Filtering or sorting rows by a field reads that field, row by row: a caller may name in `where`
// and `orderBy` only fields of the row type it may select. The rules are the schema's own
// (@requiresScopes, read with schema/access.ts from the subgraph's schema), so a rule added to a
// filterable field covers its filter too. Customer.blocked is the case in point: closed to partners
// (the hold reason is derived from it), `where: { field: "blocked", op: EQ, value: "ALL" }` would
// tell a partner which of its customers are blocked how. The OData bridge refuses $filter and
// $orderby on the property for the same reason (gateway/odata/access.ts).
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { ErrorCode } from '../../../lib/error-codes.js';
import type { Identity } from '../../../lib/identity.js';
import { accessPolicyOf, fieldRule, satisfies } from '../../../schema/access.js';
import type { RowFilter, RowOrder } from '../__generated__/resolvers-types.js';

/** The GraphQL field names a `where` tree compares (its leaves' `field`). */
function fieldsOfWhere(where: RowFilter | null | undefined, out: Set<string>, depth = 0): Set<string> {
  // The depth bound only guards the walk: readWhere refuses deep filters with a proper message.
  if (where == null || depth > 64) return out;
  if (where.field != null) out.add(where.field);
  for (const child of [...(where.and ?? []), ...(where.or ?? []), ...(where.not ? [where.not] : [])])
    fieldsOfWhere(child, out, depth + 1);
  return out;
}

// Duck-typed: the subgraph schema may come from another graphql-js build (see schema/access.ts).
type Fields = Record<string, { type: unknown }>;
const fieldsOf = (type: unknown): Fields | null => {
  const getFields = (type as { getFields?: () => Fields } | null)?.getFields;
  return typeof getFields === 'function' ? getFields.call(type) : null;
};
function namedType(type: unknown): { name: string } {
  let current = type as { ofType?: unknown; name: string };
  while (current.ofType) current = current.ofType as typeof current;
  return current;
}

/**
 * Throws FORBIDDEN naming the fields when `where`, `orderBy` or the searched fields use a field of
 * the page's row type (`CustomerPage.nodes` → Customer) the caller's role may not read.
 */
export function checkRowFieldAccess(
  info: GraphQLResolveInfo,
  identity: Identity,
  args: { where?: RowFilter | null; orderBy?: readonly RowOrder[] | null },
  searched: readonly string[],
): void {
  const names = fieldsOfWhere(args.where, new Set<string>());
  for (const order of args.orderBy ?? []) names.add(order.field);
  for (const name of searched) names.add(name);
  const nodes = fieldsOf(namedType(info.returnType))?.['nodes'];
  const rowType = nodes ? namedType(nodes.type) : null;
  const rowFields = rowType ? fieldsOf(rowType) : null;
  if (!rowType || !rowFields) return;
  const { rules } = accessPolicyOf(info.schema);
  const refused = [...names].filter((name) => {
    const field = Object.hasOwn(rowFields, name) ? rowFields[name] : undefined;
    const rule = field ? fieldRule(rules, rowType.name, name, namedType(field.type).name) : null;
    return rule !== null && !satisfies(rule, identity.scopes);
  });
  if (refused.length === 0) return;
  const coordinates = refused.map((name) => `${rowType.name}.${name}`);
  throw new GraphQLError(
    `The ${identity.role} role may not filter, sort or search by ${coordinates.join(', ')} (see "Access:" in the schema documentation).`,
    {
      extensions: { code: ErrorCode.FORBIDDEN, fields: coordinates },
    },
  );
}
