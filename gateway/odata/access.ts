// Which properties a caller may read through OData. The rule is the graph's own (contracts.md
// "Access rules"): the @requiresScopes rules of the fields behind a property, read from the
// supergraph with schema/access.ts (model.ts) and checked with its `satisfies`, as the gateway's
// access plugin checks an operation. A property the caller may not read is left out of the GraphQL
// operation, so the graph never refuses the whole request for it, and is served as null (partners:
// the credit internals). Filtering or sorting on it is refused with 403: a filter on a hidden value
// would reveal it row by row. The graph still enforces its rules on the operation we send; this only
// keeps the OData view in step with them.
import type { Identity } from '../../lib/identity.js';
import { satisfies } from '../../schema/access.js';
import type { EntitySet, ModelProperty } from './model.js';

export function canRead(identity: Identity, property: ModelProperty): boolean {
  return property.requires.every((rule) => satisfies(rule, identity.scopes));
}

/** The names of the set's properties this caller may read. */
export function readableProperties(identity: Identity, set: EntitySet): ReadonlySet<string> {
  return new Set(set.properties.filter((property) => canRead(identity, property)).map((property) => property.name));
}
