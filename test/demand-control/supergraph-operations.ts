// Measuring operations against the real supergraph without starting anything: the API schema
// @apollo/gateway serves, the @cost/@listSize it was composed with, and the gateway's default limits.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { loadGatewayConfig } from '../../gateway/config.js';
import {
  costDirectivesFromSdl,
  estimateOperationCost,
  jsonDepth,
  measureOperationShape,
} from '../../gateway/demand-control/index.js';
import { readSupergraphSdl } from '../../gateway/supergraph.js';

export const REPOSITORY_ROOT = path.resolve(import.meta.dirname, '../..');
export const OPERATIONS_DIR = path.join(REPOSITORY_ROOT, 'clients/operations');

const supergraphSdl = readSupergraphSdl(path.join(REPOSITORY_ROOT, 'schema/supergraph.graphql'));
export const apiSchema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
const directives = costDirectivesFromSdl(supergraphSdl);

/** The limits a gateway started without DEMAND_* variables enforces. */
export const DEFAULT_LIMITS = loadGatewayConfig({}).demandControl;

export interface Measured {
  readonly depth: number;
  /** Literals and variables alike (the plugin measures both). */
  readonly inputDepth: number;
  readonly aliases: number;
  readonly rootFields: number;
  readonly selections: number;
  readonly cost: number;
}

export function measure(
  query: string,
  variables: Record<string, unknown> = {},
  defaultListSize = DEFAULT_LIMITS.defaultListSize,
): Measured {
  const document = parse(query);
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (!operation) throw new Error('no operation');
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const shape = measureOperationShape(operation, fragments);
  const cost = estimateOperationCost(operation, {
    schema: apiSchema,
    directives,
    fragments,
    variables,
    defaultListSize,
  });
  return { ...shape, inputDepth: Math.max(shape.inputDepth, jsonDepth(variables) - 1), cost };
}

/** Which default limit an operation's measurements exceed, if any. */
export function exceeded(measured: Measured): string | null {
  if (measured.depth > DEFAULT_LIMITS.maxDepth) return 'depth';
  if (measured.inputDepth > DEFAULT_LIMITS.maxInputDepth) return 'inputDepth';
  if (measured.aliases > DEFAULT_LIMITS.maxAliases) return 'aliases';
  if (measured.rootFields > DEFAULT_LIMITS.maxRootFields) return 'rootFields';
  if (measured.selections > DEFAULT_LIMITS.maxSelections) return 'selections';
  if (measured.cost > DEFAULT_LIMITS.maxCost) return 'cost';
  return null;
}

/** Every first-party operation file (clients/operations/*.graphql), by file name. */
export function firstPartyOperations(): { file: string; query: string }[] {
  return readdirSync(OPERATIONS_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => ({ file, query: readFileSync(path.join(OPERATIONS_DIR, file), 'utf8') }));
}
