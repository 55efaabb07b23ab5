// The benchmark's settings: the only bench module that reads the environment. The defaults are the
// benchmarks' reference conditions (ERP 50 ms, Salesforce 20 ms, 10,000 accounts, 50 clients for
// 60 s, ten times that for the spike); the BENCH_* variables shorten runs while developing, e.g.
// `BENCH_DURATION_S=10 npm run bench -- erp-shield`.
import { resolve } from 'node:path';
import { z } from 'zod';
import { badPortReason } from '../lib/fetch-ports.js';

/** Where the benchmark stack's services listen, from BENCH_PORT_BASE (see BenchConfig.portBase). */
export const BENCH_PORT_OFFSETS = [0, 1, 2, 10, 20] as const;

export interface BenchConfig {
  /** Ports of the benchmark's own stack: gateway at base, subgraphs base+1/+2, emulators base+10/+20. */
  readonly portBase: number;
  readonly seedAccounts: number;
  readonly seed: number;
  readonly erpLatencyMs: number;
  readonly salesforceLatencyMs: number;
  /** erp-shield (each of the two runs) and erp-outage run length. */
  readonly durationS: number;
  readonly connections: number;
  readonly spikeConnections: number;
  readonly spikeDurationS: number;
  /** The concurrency-1 warm latency measurement after the cached erp-shield run. */
  readonly warmDurationS: number;
  readonly zipfExponent: number;
  readonly samplerSeed: number;
  /** The ERP bulkhead cap the subgraphs run with (SHIELD_ERP_MAX_IN_FLIGHT, the subgraphs' default 8). */
  readonly erpMaxInFlight: number;
  readonly salesforceMaxInFlight: number;
  /** Breaker state poll period during erp-outage. */
  readonly metricsPollMs: number;
  /**
   * Sales invoices in the ERP while the odata scenario runs (EMULATOR_SEED_INVOICES, paid history
   * skewed towards the first customers: emulators/erp/invoice-history.ts); other scenarios keep
   * the seed's own (about 2 per account).
   */
  readonly odataInvoices: number;
  /**
   * cold-page's Tryton run: the second company's accounts (EMULATOR_SEED_TRYTON_ACCOUNTS, the stack's
   * default, so the seeded copy `npm start` made is reused) and where Tryton's files live (DATA_DIR/tryton).
   */
  readonly trytonAccounts: number;
  readonly trytonDirectory: string;
  /** The caller's environment, inherited by the stack's children (SHIELD_* tuning passes through). */
  readonly inheritedEnv: Readonly<Record<string, string | undefined>>;
}

const int = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

const EnvSchema = z.object({
  BENCH_PORT_BASE: int(1024, 65_000, 4100).superRefine((base, ctx) => {
    // None of the stack's ports may be one Node's fetch refuses (lib/fetch-ports.ts).
    for (const offset of BENCH_PORT_OFFSETS) {
      const reason = badPortReason(base + offset);
      if (reason) ctx.addIssue({ code: 'custom', message: `BENCH_PORT_BASE + ${offset}: ${reason}` });
    }
  }),
  BENCH_SEED_ACCOUNTS: int(100, 1_000_000, 10_000),
  BENCH_SEED: int(0, 2 ** 31 - 1, 42),
  BENCH_ERP_LATENCY_MS: int(0, 10_000, 50),
  BENCH_SALESFORCE_LATENCY_MS: int(0, 10_000, 20),
  BENCH_DURATION_S: int(3, 3_600, 60),
  BENCH_CONNECTIONS: int(1, 10_000, 50),
  BENCH_SPIKE_CONNECTIONS: int(1, 10_000, 500),
  BENCH_SPIKE_DURATION_S: int(1, 3_600, 10),
  BENCH_WARM_DURATION_S: int(1, 600, 10),
  BENCH_ZIPF_S: z.coerce
    .number({ error: 'must be a number' })
    .min(0.01, 'must be positive')
    .max(10, 'must be at most 10')
    .default(1.1),
  BENCH_SAMPLER_SEED: int(0, 2 ** 31 - 1, 1),
  BENCH_METRICS_POLL_MS: int(50, 1_000, 200),
  BENCH_ODATA_INVOICES: int(0, 2_000_000, 100_000),
  EMULATOR_SEED_TRYTON_ACCOUNTS: int(1, 2_000, 20),
  DATA_DIR: z.string().min(1).default('./data'),
  SHIELD_ERP_MAX_IN_FLIGHT: int(1, 10_000, 8),
  SHIELD_SALESFORCE_MAX_IN_FLIGHT: int(1, 10_000, 16),
});

export class BenchConfigError extends Error {
  override readonly name = 'BenchConfigError';
}

export function loadBenchConfig(env: Readonly<Record<string, string | undefined>> = process.env): BenchConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${String(issue.path[0])}=${JSON.stringify(present[String(issue.path[0])])}: ${issue.message}`,
    );
    throw new BenchConfigError(`Invalid benchmark configuration: ${problems.join('; ')}`);
  }
  const v = parsed.data;
  return {
    portBase: v.BENCH_PORT_BASE,
    seedAccounts: v.BENCH_SEED_ACCOUNTS,
    seed: v.BENCH_SEED,
    erpLatencyMs: v.BENCH_ERP_LATENCY_MS,
    salesforceLatencyMs: v.BENCH_SALESFORCE_LATENCY_MS,
    durationS: v.BENCH_DURATION_S,
    connections: v.BENCH_CONNECTIONS,
    spikeConnections: v.BENCH_SPIKE_CONNECTIONS,
    spikeDurationS: v.BENCH_SPIKE_DURATION_S,
    warmDurationS: v.BENCH_WARM_DURATION_S,
    zipfExponent: v.BENCH_ZIPF_S,
    samplerSeed: v.BENCH_SAMPLER_SEED,
    erpMaxInFlight: v.SHIELD_ERP_MAX_IN_FLIGHT,
    salesforceMaxInFlight: v.SHIELD_SALESFORCE_MAX_IN_FLIGHT,
    metricsPollMs: v.BENCH_METRICS_POLL_MS,
    odataInvoices: v.BENCH_ODATA_INVOICES,
    trytonAccounts: v.EMULATOR_SEED_TRYTON_ACCOUNTS,
    trytonDirectory: resolve(v.DATA_DIR, 'tryton'),
    inheritedEnv: { ...env },
  };
}
