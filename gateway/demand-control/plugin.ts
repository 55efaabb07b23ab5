// Demand control at the gateway: every operation is measured once it is parsed, validated and
// resolved (didResolveOperation), before it is planned and before any subgraph call, and refused
// when it is nested too deep, uses too many aliases, selects too many root fields, expands to too
// many selections or is estimated to cost too much. The OData bridge's operations pass through here
// like any client's.
//
// The selection limit is what keeps the query planner's work bounded: the planner expands every
// fragment where it is spread and its time grows with the expanded operation (about 0.3 ms per
// selection when the spreads carry @include/@skip, which keeps it from merging them), so a 1 KB
// document whose fragments each spread the next one twice would cost it 2^n. Measuring is linear
// in the document (operation-shape.ts memoizes each fragment), so such a bomb of any depth is
// refused in well under a millisecond of measuring.
//
// The cheapest pathological documents never get this far: Apollo Server parses with graphql's
// `maxTokens` (server.ts passes DEMAND_MAX_TOKENS as parseOptions), so a megabyte of aliases is
// refused by the parser after a few thousand tokens, and graphql-js validation bounds fragment
// cycles (NoFragmentCycles) and introspection nesting.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Kind, type FragmentDefinitionNode } from 'graphql';
import { ErrorCode } from '../../lib/error-codes.js';
import { costDirectivesFromSchema, costDirectivesFromSdl, type CostDirectives } from './cost-directives.js';
import { jsonDepth } from './input-depth.js';
import { demandLimitError } from './limit-error.js';
import { estimateOperationCost } from './operation-cost.js';
import { measureOperationShape } from './operation-shape.js';

export interface DemandControlOptions {
  readonly maxDepth: number;
  /** Nesting of objects and lists in an argument value, written in the document or sent as a variable. */
  readonly maxInputDepth: number;
  readonly maxCost: number;
  readonly maxAliases: number;
  readonly maxRootFields: number;
  /** Selections with every fragment expanded where it is spread (operation-shape.ts). */
  readonly maxSelections: number;
  /** Size of a list field without @listSize. */
  readonly defaultListSize: number;
  /** Adds `extensions.cost` { estimated, max } to the responses of accepted operations. */
  readonly exposeCost: boolean;
}

/** @apollo/query-planner's refusals of an operation for its size (recursiveSelectionsLimit.ts, buildPlan.ts). */
const PLANNER_LIMIT_MESSAGES = [
  /^Exceeded maximum recursive selections in this operation/,
  /^Number of non-local selections exceeds limit of \d+/,
];

export function demandControlPlugin<TContext extends BaseContext>(
  options: DemandControlOptions,
): ApolloServerPlugin<TContext> {
  // Read from the schema the server runs, whenever it loads: with @apollo/gateway the directives are
  // only in the supergraph SDL (the API schema drops them).
  let directives: CostDirectives | null = null;

  return {
    async serverWillStart() {
      return {
        schemaDidLoadOrUpdate({ apiSchema, coreSupergraphSdl }) {
          directives =
            coreSupergraphSdl !== undefined
              ? costDirectivesFromSdl(coreSupergraphSdl)
              : costDirectivesFromSchema(apiSchema);
        },
      };
    },

    async requestDidStart() {
      let estimated: number | null = null;
      return {
        async didResolveOperation({ operation, document, schema, request }) {
          if (!operation) return;
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
          }

          // Cheapest first; each limit has its own code, the first one hit is reported.
          const shape = measureOperationShape(operation, fragments);
          if (shape.depth > options.maxDepth) throw demandLimitError('depth', shape.depth, options.maxDepth);
          // Before anything recursive sees the variables (graphql-js coerces them when the plan runs).
          const inputDepth = Math.max(shape.inputDepth, jsonDepth(request.variables ?? {}) - 1);
          if (inputDepth > options.maxInputDepth)
            throw demandLimitError('inputDepth', inputDepth, options.maxInputDepth);
          if (shape.aliases > options.maxAliases) throw demandLimitError('aliases', shape.aliases, options.maxAliases);
          if (shape.rootFields > options.maxRootFields)
            throw demandLimitError('rootFields', shape.rootFields, options.maxRootFields);
          if (shape.selections > options.maxSelections)
            throw demandLimitError('selections', shape.selections, options.maxSelections);

          estimated = estimateOperationCost(operation, {
            schema,
            directives: directives ?? costDirectivesFromSchema(schema),
            fragments,
            variables: request.variables ?? {},
            defaultListSize: options.defaultListSize,
          });
          if (estimated > options.maxCost) throw demandLimitError('cost', estimated, options.maxCost);
        },

        // The query planner's own limits (@apollo/query-planner: 10,000,000 recursive selections,
        // 100,000 non-local selections) refuse an operation too large to plan, with an error that
        // would answer 500: it is the client's operation, so it is answered like the limit above
        // (reached only when DEMAND_MAX_SELECTIONS is set far above its default).
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            // Not every error here is a GraphQLError with extensions (an executor's RangeError is not).
            if (!error.extensions || error.extensions.code !== undefined) continue;
            if (!PLANNER_LIMIT_MESSAGES.some((pattern) => pattern.test(error.message))) continue;
            Object.assign(error.extensions, {
              code: ErrorCode.SELECTION_LIMIT_EXCEEDED,
              limit: 'selections',
              http: { status: 400 },
            });
          }
        },

        async willSendResponse({ response }) {
          if (!options.exposeCost || estimated === null || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, cost: { estimated, max: options.maxCost } };
        },
      };
    },
  };
}
