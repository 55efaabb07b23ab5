// The gateway's configuration: the only gateway module that reads the environment
// (notes/config-contract.md fixes the variable names and defaults).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export type SubgraphName = 'salesforce' | 'erp';

export interface GatewayConfig {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** GraphQL endpoint of each subgraph; overrides the URLs recorded in the supergraph. */
  readonly subgraphUrls: Readonly<Record<SubgraphName, string>>;
  /** Deadline of one subgraph request (@apollo/gateway has none built in). */
  readonly subgraphTimeoutMs: number;
  /** Absolute path of the composed supergraph SDL. */
  readonly supergraphPath: string;
  readonly logLevel: string;
  readonly nodeEnv: string;
}

// Relative SUPERGRAPH_PATH values are taken from the repository root, not the working directory,
// so `node --import tsx gateway/main.ts` behaves the same from any folder.
const REPOSITORY_ROOT = fileURLToPath(new URL('../', import.meta.url));

const port = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a port number' })
    .int('must be an integer')
    .min(0, 'must be 0..65535')
    .max(65535, 'must be 0..65535')
    .default(fallback);

const httpUrl = (fallback: string) =>
  z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .default(fallback);

const EnvSchema = z.object({
  GATEWAY_HOST: z.string().min(1, 'must not be empty').default('127.0.0.1'),
  GATEWAY_PORT: port(4000),
  SUBGRAPH_SALESFORCE_URL: httpUrl('http://127.0.0.1:4001/graphql'),
  SUBGRAPH_ERP_URL: httpUrl('http://127.0.0.1:4002/graphql'),
  SUBGRAPH_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(600_000, 'must be at most 600000')
    .default(15_000),
  SUPERGRAPH_PATH: z.string().min(1, 'must not be empty').default('schema/supergraph.graphql'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  NODE_ENV: z.string().min(1).default('development'),
});

export class GatewayConfigError extends Error {
  override readonly name = 'GatewayConfigError';
}

/** Builds the gateway's config from an environment (process.env by default); throws GatewayConfigError naming each bad variable. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  optOutOfApolloTelemetry();
  // Empty strings mean "unset" (a `VAR=` line in a shell or .env file), so the default applies.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${String(issue.path[0])}=${JSON.stringify(present[String(issue.path[0])])}: ${issue.message}`,
    );
    throw new GatewayConfigError(`Invalid gateway configuration: ${problems.join('; ')}`);
  }
  const values = parsed.data;
  return {
    host: values.GATEWAY_HOST,
    port: values.GATEWAY_PORT,
    subgraphUrls: { salesforce: values.SUBGRAPH_SALESFORCE_URL, erp: values.SUBGRAPH_ERP_URL },
    subgraphTimeoutMs: values.SUBGRAPH_TIMEOUT_MS,
    supergraphPath: path.resolve(REPOSITORY_ROOT, values.SUPERGRAPH_PATH),
    logLevel: values.LOG_LEVEL,
    nodeEnv: values.NODE_ENV,
  };
}

// @apollo/gateway sends anonymous usage telemetry since 2.14 unless APOLLO_TELEMETRY_DISABLED is
// set, and it reads the variable from process.env when an ApolloGateway is constructed
// (shared/reference/federation-anchors.md). A gateway in front of customer data must not phone
// home by default, so this is the one place that writes process.env; an explicit value is kept.
function optOutOfApolloTelemetry(): void {
  process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
}
