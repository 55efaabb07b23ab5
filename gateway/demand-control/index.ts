// Demand control's public surface: the plugin server.ts installs, and the measurements it makes
// (tests print the first-party operations' numbers with them).
export { demandControlPlugin, type DemandControlOptions } from './plugin.js';
export {
  costDirectivesFromSchema,
  costDirectivesFromSdl,
  type CostDirectives,
  type ListSize,
} from './cost-directives.js';
export { estimateOperationCost, type CostContext } from './operation-cost.js';
export { measureOperationShape, type OperationShape } from './operation-shape.js';
export { jsonDepth, literalDepth } from './input-depth.js';
export { demandLimitError, type DemandLimit } from './limit-error.js';
