// Demand control at the gateway (issue 5, item 4): every operation is measured once it is parsed,
// validated and resolved (didResolveOperation), before it is planned and before any subgraph call,
// and refused when it is nested too deep, uses too many aliases, selects too many root fields or is
// estimated to cost too much. The OData bridge's operations pass through here like any client's.
//
// The cheapest pathological documents never get this far: Apollo Server parses with graphql's
// `maxTokens` (server.ts passes DEMAND_MAX_TOKENS as parseOptions), so a megabyte of aliases is
// refused by the parser after a few thousand tokens, and graphql-js validation bounds fragment
// cycles (NoFragmentCycles), fragment expansion work and introspection nesting.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Kind, type FragmentDefinitionNode } from 'graphql';
import { costDirectivesFromSchema, costDirectivesFromSdl, type CostDirectives } from './cost-directives.js';
import { demandLimitError } from './limit-error.js';
import { estimateOperationCost } from './operation-cost.js';
import { measureOperationShape } from './operation-shape.js';

export interface DemandControlOptions {
  readonly maxDepth: number;
  readonly maxCost: number;
  readonly maxAliases: number;
  readonly maxRootFields: number;
  /** Size of a list field without @listSize. */
  readonly defaultListSize: number;
  /** Adds `extensions.cost` { estimated, max } to the responses of accepted operations. */
  readonly exposeCost: boolean;
}

export function demandControlPlugin<TContext extends BaseContext>(options: DemandControlOptions): ApolloServerPlugin<TContext> {
  // Read from the schema the server runs, whenever it loads: with @apollo/gateway the directives are
  // only in the supergraph SDL (the API schema drops them).
  let directives: CostDirectives | null = null;

  return {
    async serverWillStart() {
      return {
        schemaDidLoadOrUpdate({ apiSchema, coreSupergraphSdl }) {
          directives = coreSupergraphSdl !== undefined ? costDirectivesFromSdl(coreSupergraphSdl) : costDirectivesFromSchema(apiSchema);
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
          if (shape.aliases > options.maxAliases) throw demandLimitError('aliases', shape.aliases, options.maxAliases);
          if (shape.rootFields > options.maxRootFields) throw demandLimitError('rootFields', shape.rootFields, options.maxRootFields);

          estimated = estimateOperationCost(operation, {
            schema,
            directives: directives ?? costDirectivesFromSchema(schema),
            fragments,
            variables: request.variables ?? {},
            defaultListSize: options.defaultListSize,
          });
          if (estimated > options.maxCost) throw demandLimitError('cost', estimated, options.maxCost);
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
