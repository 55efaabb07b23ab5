// The `npm start` launcher's configuration: the only stack module that reads the environment. It
// reads the port, latency and seed variables (docs/configuration.md) to compute the URLs it hands to
// each child; everything else in the environment is passed through to the children.
import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_TRYTON_PORT } from '../connectors/erp/tryton/defaults.js';
import { fetchablePort } from '../lib/fetch-ports.js';

/** The embedded stack always binds loopback (docs/architecture.md: the embedded default). */
export const STACK_HOST = '127.0.0.1';

export interface StackPorts {
  readonly gateway: number;
  readonly salesforceSubgraph: number;
  readonly erpSubgraph: number;
  readonly salesforceEmulator: number;
  readonly erpEmulator: number;
}

export interface StackConfig {
  readonly ports: StackPorts;
  readonly salesforceLatencyMs: number;
  readonly erpLatencyMs: number;
  readonly seedAccounts: number;
  readonly seed: number;
  /**
   * ERP_TRYTON=on: a real Tryton server for the second company (tryton/, port TRYTON_PORT) and its
   * accounts in the Salesforce emulator; null when off (the default).
   */
  readonly tryton: { readonly port: number; readonly accounts: number } | null;
  /**
   * DATA_DIR, absolute: the subgraphs' stores, the development issuer's key and the identity
   * forwarding key. Every child gets this one folder (in inheritedEnv), so gateway and subgraphs
   * share the forwarding key and `npm run token` (same default) signs with the gateway's key.
   */
  readonly dataDir: string;
  /** The launcher's own environment, inherited by every child (LOG_LEVEL, NODE_ENV, …). */
  readonly inheritedEnv: Readonly<Record<string, string | undefined>>;
}

// Children listen on fixed ports so the launcher knows their URLs before they start: no port 0 here,
// and none on the Fetch standard's bad-port list (lib/fetch-ports.ts): the services call each other
// with fetch.
const port = (fallback: number) =>
  fetchablePort(
    z.coerce
      .number({ error: 'must be a port number' })
      .int('must be an integer')
      .min(1, 'must be 1..65535')
      .max(65535, 'must be 1..65535'),
  ).default(fallback);
const count = (min: number, fallback: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(min, `must be at least ${min}`)
    .default(fallback);

const EnvSchema = z.object({
  GATEWAY_PORT: port(4000),
  SUBGRAPH_SALESFORCE_PORT: port(4001),
  SUBGRAPH_ERP_PORT: port(4002),
  EMULATOR_SALESFORCE_PORT: port(4010),
  EMULATOR_ERP_PORT: port(4020),
  EMULATOR_SALESFORCE_LATENCY_MS: count(0, 0),
  EMULATOR_ERP_LATENCY_MS: count(0, 0),
  EMULATOR_SEED_ACCOUNTS: count(1, 200),
  EMULATOR_SEED: count(0, 42),
  DATA_DIR: z.string().min(1).default('./data'),
  ERP_TRYTON: z.enum(['on', 'off'], { error: 'must be on or off' }).default('off'),
  TRYTON_PORT: port(DEFAULT_TRYTON_PORT),
  EMULATOR_SEED_TRYTON_ACCOUNTS: count(1, 20),
});

export class StackConfigError extends Error {
  override readonly name = 'StackConfigError';
}

export function loadStackConfig(env: Readonly<Record<string, string | undefined>> = process.env): StackConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${String(issue.path[0])}=${JSON.stringify(present[String(issue.path[0])])}: ${issue.message}`,
    );
    throw new StackConfigError(`Invalid stack configuration: ${problems.join('; ')}`);
  }
  const values = parsed.data;
  const ports: StackPorts = {
    gateway: values.GATEWAY_PORT,
    salesforceSubgraph: values.SUBGRAPH_SALESFORCE_PORT,
    erpSubgraph: values.SUBGRAPH_ERP_PORT,
    salesforceEmulator: values.EMULATOR_SALESFORCE_PORT,
    erpEmulator: values.EMULATOR_ERP_PORT,
  };
  const tryton =
    values.ERP_TRYTON === 'on' ? { port: values.TRYTON_PORT, accounts: values.EMULATOR_SEED_TRYTON_ACCOUNTS } : null;
  const listening: Record<string, number> = { ...ports, ...(tryton ? { tryton: tryton.port } : {}) };
  const taken = new Map<number, string>();
  for (const [service, value] of Object.entries(listening)) {
    const other = taken.get(value);
    if (other)
      throw new StackConfigError(
        `Invalid stack configuration: ${service} and ${other} would both listen on port ${value}`,
      );
    taken.set(value, service);
  }
  return {
    ports,
    salesforceLatencyMs: values.EMULATOR_SALESFORCE_LATENCY_MS,
    erpLatencyMs: values.EMULATOR_ERP_LATENCY_MS,
    seedAccounts: values.EMULATOR_SEED_ACCOUNTS,
    seed: values.EMULATOR_SEED,
    tryton,
    dataDir: resolve(values.DATA_DIR),
    // Inherited rather than set per child, so a caller (the benchmark) can still put its own on top.
    inheritedEnv: { ...env, DATA_DIR: resolve(values.DATA_DIR) },
  };
}
