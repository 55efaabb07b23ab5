// The customer-360 workload: request bodies for accounts drawn from the Zipf sampler, remembering
// which accounts were asked for (the cold misses a cache cannot avoid).
import type { BenchConfig } from './config.js';
import { customer360Body } from './queries.js';
import { createZipfSampler, type ZipfSampler } from './zipf.js';

export interface Workload {
  readonly sampler: ZipfSampler;
  nextBody(): string;
  /** Distinct customer numbers sent so far. */
  distinctAccounts(): number;
}

export function zipfWorkload(config: BenchConfig, query: string): Workload {
  const sampler = createZipfSampler({
    accounts: config.seedAccounts,
    exponent: config.zipfExponent,
    seed: config.samplerSeed,
  });
  const seen = new Set<string>();
  return {
    sampler,
    nextBody() {
      const number = sampler.next();
      seen.add(number);
      return customer360Body(query, number);
    },
    distinctAccounts: () => seen.size,
  };
}

/** Round-robin over the `count` hottest accounts: every request a cache hit once they were asked once. */
export function hotAccountsWorkload(
  config: BenchConfig,
  query: string,
  count: number,
): { accounts: string[]; nextBody(): string } {
  const sampler = createZipfSampler({
    accounts: config.seedAccounts,
    exponent: config.zipfExponent,
    seed: config.samplerSeed,
  });
  const accounts = Array.from({ length: Math.min(count, config.seedAccounts) }, (_, i) => sampler.numberOfRank(i + 1));
  let next = 0;
  return {
    accounts,
    nextBody() {
      const number = accounts[next % accounts.length]!;
      next += 1;
      return customer360Body(query, number);
    },
  };
}
