// The error an operation over a demand-control limit gets: one code per limit, HTTP 400 (the
// operation as sent cannot run; sending it again will not help), and in `extensions` which limit,
// its maximum and what the operation measured, so a client can tell what to cut.
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../lib/error-codes.js';

export type DemandLimit = 'depth' | 'inputDepth' | 'aliases' | 'rootFields' | 'selections' | 'cost';

const LIMITS: Record<DemandLimit, { readonly code: ErrorCode; readonly describe: (actual: number) => string }> = {
  depth: {
    code: ErrorCode.DEPTH_LIMIT_EXCEEDED,
    describe: (n) => `Depth limit exceeded: the operation nests fields ${n} levels deep`,
  },
  // The same code as field nesting (one "too deep" for clients to handle); `limit` tells them apart.
  inputDepth: {
    code: ErrorCode.DEPTH_LIMIT_EXCEEDED,
    describe: (n) =>
      `Depth limit exceeded: an argument value (in the document or a variable) nests objects and lists ${n} levels deep`,
  },
  aliases: {
    code: ErrorCode.ALIAS_LIMIT_EXCEEDED,
    describe: (n) => `Alias limit exceeded: the operation uses ${n} aliases`,
  },
  rootFields: {
    code: ErrorCode.ROOT_FIELD_LIMIT_EXCEEDED,
    describe: (n) => `Root field limit exceeded: the operation selects ${n} root fields`,
  },
  selections: {
    code: ErrorCode.SELECTION_LIMIT_EXCEEDED,
    describe: (n) =>
      `Selection limit exceeded: the operation expands to ${n} selections (each fragment counted where it is spread)`,
  },
  cost: {
    code: ErrorCode.COST_LIMIT_EXCEEDED,
    describe: (n) => `Cost limit exceeded: the operation's estimated cost is ${n}`,
  },
};

export function demandLimitError(limit: DemandLimit, actual: number, max: number): GraphQLError {
  const { code, describe } = LIMITS[limit];
  return new GraphQLError(`${describe(actual)}, more than the maximum of ${max}.`, {
    extensions: { code, limit, max, actual, http: { status: 400 } },
  });
}
