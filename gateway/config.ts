// The gateway's configuration: the only gateway module that reads the environment
// (the README's configuration table lists the variables and their defaults).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isRole, ROLES, type Role } from '../lib/identity.js';
import { fetchablePort, fetchableUrl } from '../lib/fetch-ports.js';
import { DEFAULT_READINESS_INTERVAL_S, readinessIntervalSchema } from '../lib/readiness.js';
import { forwardingKeySource, forwardingSecretSchema, type ForwardingKeySource } from '../lib/forwarding-key.js';
import { authIssuersSchema, clockSkewSchema, type AuthConfig } from './auth/issuer-config.js';
import { DEFAULT_DEV_TOKEN_HOSTS, devTokenHostsSchema } from './auth/dev-token-hosts.js';
import { corsOriginsSchema, DEFAULT_CORS_ORIGINS } from './cors.js';

export type SubgraphName = 'salesforce' | 'erp';

export interface GatewayConfig {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** GraphQL endpoint of each subgraph; overrides the URLs recorded in the supergraph. */
  readonly subgraphUrls: Readonly<Record<SubgraphName, string>>;
  /** Deadline of one subgraph request (@apollo/gateway has none built in). */
  readonly subgraphTimeoutMs: number;
  /** READINESS_CHECK_INTERVAL_S in ms: /readyz asks each subgraph's /readyz at most this often (health.ts). */
  readonly readinessIntervalMs: number;
  /** Absolute path of the composed supergraph SDL. */
  readonly supergraphPath: string;
  readonly logLevel: string;
  readonly nodeEnv: string;
  /** Demand control (gateway/demand-control): limits an operation must stay within before it runs. */
  readonly demandControl: DemandControlConfig;
  /** Persisted operations (gateway/persisted-operations): the first-party manifest and APQ. */
  readonly persistedOperations: PersistedOperationsConfig;
  /** DATA_DIR (absolute): the development issuer's key and the forwarding key live in its auth/ folder. */
  readonly dataDir: string;
  /** Who may call: trusted token issuers, or the development issuer (AUTH_ISSUERS, AUTH_CLOCK_SKEW_S). */
  readonly auth: AuthConfig;
  /**
   * DEV_TOKEN_HOSTS: the Host names (any port) GraphiQL and /app/dev-token hand development tokens
   * to while the development issuer is on; loopback only by default (gateway/auth/dev-token-hosts.ts).
   */
  readonly devTokenHosts: readonly string[];
  /** The key identities forwarded to the subgraphs are signed with (IDENTITY_FORWARDING_SECRET or DATA_DIR). */
  readonly identityForwardingKey: ForwardingKeySource;
  /** CORS_ORIGINS: origins (and *. subdomain wildcards) browsers may call /graphql and /odata from. */
  readonly corsOrigins: readonly string[];
  /** GRAPHQL_INTROSPECTION: on by default, off by default when NODE_ENV=production. */
  readonly introspection: boolean;
  /**
   * ODATA_PUBLIC_URL: the OData service root as clients reach it (behind a proxy or TLS terminator),
   * the base of @odata.context and next links; unset: taken from each request's Host header.
   */
  readonly odataPublicUrl: string | undefined;
}

export interface DemandControlConfig {
  readonly maxDepth: number;
  /** Objects and lists nested in one argument value (a literal or a variable). */
  readonly maxInputDepth: number;
  readonly maxCost: number;
  readonly maxAliases: number;
  readonly maxRootFields: number;
  /** Selections, every fragment expanded where it is spread: what bounds the query planner's work. */
  readonly maxSelections: number;
  /** Parser token budget (graphql `maxTokens`): a pathological document is refused while parsing. */
  readonly maxTokens: number;
  /** Assumed size of a list field without @listSize (Apollo Router's `list_size`). */
  readonly defaultListSize: number;
  /** Adds `extensions.cost` { estimated, max } to responses (off by default: it helps probing the limits). */
  readonly exposeCost: boolean;
}

export interface PersistedOperationsConfig {
  /** Absolute path of the codegen manifest (hash → document). */
  readonly manifestPath: string;
  /** Whether clients may register operations of their own (Apollo's automatic persisted queries). */
  readonly apq: boolean;
  /** At most this many APQ registrations are kept (least recently used go first). */
  readonly apqMaxEntries: number;
  /** Roles that may run only operations of the manifest. */
  readonly requiredRoles: readonly Role[];
}

// Relative SUPERGRAPH_PATH values are taken from the repository root, not the working directory,
// so `node --import tsx gateway/main.ts` behaves the same from any folder.
const REPOSITORY_ROOT = fileURLToPath(new URL('../', import.meta.url));

// Ports and URLs on the Fetch standard's bad-port list are refused here (lib/fetch-ports.ts).
const port = (fallback: number) =>
  fetchablePort(
    z.coerce
      .number({ error: 'must be a port number' })
      .int('must be an integer')
      .min(0, 'must be 0..65535')
      .max(65535, 'must be 0..65535'),
  ).default(fallback);

const httpUrl = (fallback: string) =>
  fetchableUrl(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })).default(fallback);

const limit = (min: number, fallback: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(min, `must be at least ${min}`)
    .max(Number.MAX_SAFE_INTEGER, 'is too large')
    .default(fallback);

const onOff = (fallback: 'true' | 'false') =>
  z.enum(['true', 'false'], { error: 'must be true or false' }).default(fallback);

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
  READINESS_CHECK_INTERVAL_S: readinessIntervalSchema.default(DEFAULT_READINESS_INTERVAL_S),
  SUPERGRAPH_PATH: z.string().min(1, 'must not be empty').default('schema/supergraph.graphql'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  NODE_ENV: z.string().min(1).default('development'),
  // Demand control: the defaults are measured in test/demand-control/first-party-costs.test.ts (the
  // first-party operations and the OData bridge's 2,000-row pages pass; 200-account fan-outs do not).
  DEMAND_MAX_DEPTH: limit(1, 10),
  // The OData bridge's filters nest about 7 levels (an and of ors of value lists, inside a partner's
  // scope); 20 allows ten levels of and/or alternation, keeps the query planner's cost of a literal
  // to milliseconds (it is exponential in nested lists) and graphql-js's coercion of a variable far
  // from the stack's end.
  DEMAND_MAX_INPUT_DEPTH: limit(1, 20),
  // Cost: the largest first-party screen is a page of 50 accounts with the customer-360 fields, 518
  // per account under the schema's assumed list sizes, 25,902 for the page (the cold-page benchmark's).
  // 50,000 leaves it room to grow by about as much again, is 2.8 times the largest OData page
  // (18,024), and stops the customer-360 fields at 96 accounts: 200 of them cost 103,602.
  DEMAND_MAX_COST: limit(1, 50_000),
  DEMAND_MAX_ALIASES: limit(0, 30),
  DEMAND_MAX_ROOT_FIELDS: limit(1, 10),
  // The largest first-party operation expands to 85 selections (the console's account 360), the
  // largest OData page to 35; 500 leaves ad-hoc operations six times that, while the query planner's
  // worst case stays near a tenth of a second (a fragment bomb whose spreads carry @include/@skip,
  // the slowest shape for the planner; `npm run bench -- planner-bombs`).
  DEMAND_MAX_SELECTIONS: limit(1, 500),
  DEMAND_MAX_TOKENS: limit(100, 5_000),
  DEMAND_DEFAULT_LIST_SIZE: limit(0, 10),
  DEMAND_EXPOSE_COST: onOff('false'),
  PERSISTED_OPERATIONS_MANIFEST: z
    .string()
    .min(1, 'must not be empty')
    .default('clients/__generated__/persisted-documents.json'),
  PERSISTED_OPERATIONS_APQ: onOff('true'),
  PERSISTED_OPERATIONS_APQ_MAX_ENTRIES: limit(1, 1_000),
  // Comma-separated roles, or `none` (an empty value means unset, so the default applies).
  PERSISTED_OPERATIONS_REQUIRED_ROLES: z
    .string()
    .default('partner')
    .transform((text) => (text.trim() === 'none' ? [] : text.split(',').map((role) => role.trim())))
    .refine((roles) => roles.every(isRole), { error: `must be comma-separated roles (${ROLES.join(', ')}) or none` })
    .transform((roles) => roles.filter(isRole)),
  // Relative to the working directory, as the subgraphs read it (subgraphs/shared/store-env.ts).
  DATA_DIR: z.string().min(1, 'must not be empty').default('./data'),
  AUTH_ISSUERS: authIssuersSchema.optional(),
  AUTH_CLOCK_SKEW_S: clockSkewSchema,
  DEV_TOKEN_HOSTS: devTokenHostsSchema.optional(),
  IDENTITY_FORWARDING_SECRET: forwardingSecretSchema.optional(),
  CORS_ORIGINS: corsOriginsSchema.optional(),
  GRAPHQL_INTROSPECTION: z.enum(['on', 'off'], { error: 'must be on or off' }).optional(),
  ODATA_PUBLIC_URL: fetchableUrl(z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' })).optional(),
});

// Never echoed in an error message.
const SECRET_VARIABLES = new Set(['IDENTITY_FORWARDING_SECRET']);

/** `NAME="value"` for a bad variable, `NAME[0].field` for a bad part of a JSON one (its value may be long). */
function describeProblem(path: readonly PropertyKey[], present: Record<string, string | undefined>): string {
  const name = String(path[0]);
  if (path.length > 1)
    return `${name}${path
      .slice(1)
      .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
      .join('')}`;
  return SECRET_VARIABLES.has(name) ? `${name}=(hidden)` : `${name}=${JSON.stringify(present[name])}`;
}

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
    const problems = parsed.error.issues.map((issue) => `${describeProblem(issue.path, present)}: ${issue.message}`);
    throw new GatewayConfigError(`Invalid gateway configuration: ${problems.join('; ')}`);
  }
  const values = parsed.data;
  const isProduction = values.NODE_ENV === 'production';
  if (isProduction && values.AUTH_ISSUERS === undefined) {
    throw new GatewayConfigError(
      'Invalid gateway configuration: AUTH_ISSUERS: required when NODE_ENV=production (the embedded development issuer is for development only)',
    );
  }
  return {
    host: values.GATEWAY_HOST,
    port: values.GATEWAY_PORT,
    subgraphUrls: { salesforce: values.SUBGRAPH_SALESFORCE_URL, erp: values.SUBGRAPH_ERP_URL },
    subgraphTimeoutMs: values.SUBGRAPH_TIMEOUT_MS,
    readinessIntervalMs: values.READINESS_CHECK_INTERVAL_S * 1000,
    supergraphPath: path.resolve(REPOSITORY_ROOT, values.SUPERGRAPH_PATH),
    logLevel: values.LOG_LEVEL,
    nodeEnv: values.NODE_ENV,
    demandControl: {
      maxDepth: values.DEMAND_MAX_DEPTH,
      maxInputDepth: values.DEMAND_MAX_INPUT_DEPTH,
      maxCost: values.DEMAND_MAX_COST,
      maxAliases: values.DEMAND_MAX_ALIASES,
      maxRootFields: values.DEMAND_MAX_ROOT_FIELDS,
      maxSelections: values.DEMAND_MAX_SELECTIONS,
      maxTokens: values.DEMAND_MAX_TOKENS,
      defaultListSize: values.DEMAND_DEFAULT_LIST_SIZE,
      exposeCost: values.DEMAND_EXPOSE_COST === 'true',
    },
    persistedOperations: {
      // Relative to the repository root, like SUPERGRAPH_PATH.
      manifestPath: path.resolve(REPOSITORY_ROOT, values.PERSISTED_OPERATIONS_MANIFEST),
      apq: values.PERSISTED_OPERATIONS_APQ === 'true',
      apqMaxEntries: values.PERSISTED_OPERATIONS_APQ_MAX_ENTRIES,
      requiredRoles: values.PERSISTED_OPERATIONS_REQUIRED_ROLES,
    },
    dataDir: path.resolve(values.DATA_DIR),
    auth: {
      issuers: values.AUTH_ISSUERS ?? [],
      devIssuer: values.AUTH_ISSUERS === undefined,
      clockSkewS: values.AUTH_CLOCK_SKEW_S,
    },
    devTokenHosts: values.DEV_TOKEN_HOSTS ?? DEFAULT_DEV_TOKEN_HOSTS,
    identityForwardingKey: forwardingKeySource(values.IDENTITY_FORWARDING_SECRET, values.DATA_DIR),
    corsOrigins: values.CORS_ORIGINS ?? DEFAULT_CORS_ORIGINS,
    // GraphiQL's docs and autocompletion need introspection; production hides the schema unless asked.
    introspection: values.GRAPHQL_INTROSPECTION !== undefined ? values.GRAPHQL_INTROSPECTION === 'on' : !isProduction,
    odataPublicUrl: values.ODATA_PUBLIC_URL,
  };
}

// @apollo/gateway sends anonymous usage telemetry since 2.14 unless APOLLO_TELEMETRY_DISABLED is
// set, and it reads the variable from process.env when an ApolloGateway is constructed (its
// constructor, @apollo/gateway 2.14.4). A gateway in front of customer data must not phone home by
// default, so this is the one place that writes process.env; an explicit value is kept.
function optOutOfApolloTelemetry(): void {
  process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
}
