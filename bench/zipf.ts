// Zipf-distributed customer numbers for the load: rank k of N is drawn with probability
// k^-s / H(N, s) (issue 3: s about 1.1 over the 10,000 ERP numbers). The CDF is computed once and
// searched per draw; ranks map to ERP numbers through a fixed shuffle, so the hot accounts are
// spread over the dataset instead of being C00001..C00010.
import { mulberry32 } from './prng.js';

export interface ZipfSampler {
  /** The next ERP customer number, e.g. "C04711". */
  next(): string;
  /** The customer number of popularity rank `rank` (1 = hottest). */
  numberOfRank(rank: number): string;
  /** Probability of the `rank` hottest accounts together. */
  massOfTop(rank: number): number;
}

/** The seed's numbering (emulators/seed/customer.ts): C00001, …, wider than 5 digits only past 99,999 accounts. */
export function erpCustomerNumber(index: number, accounts: number): string {
  return `C${String(index).padStart(Math.max(5, String(accounts).length), '0')}`;
}

export function createZipfSampler(options: { accounts: number; exponent: number; seed: number }): ZipfSampler {
  const { accounts, exponent } = options;
  if (!Number.isInteger(accounts) || accounts < 1)
    throw new RangeError(`accounts must be a positive integer, got ${accounts}`);
  if (!(exponent > 0)) throw new RangeError(`exponent must be positive, got ${exponent}`);

  const cdf = new Float64Array(accounts);
  let sum = 0;
  for (let k = 1; k <= accounts; k += 1) {
    sum += k ** -exponent;
    cdf[k - 1] = sum;
  }
  for (let i = 0; i < accounts; i += 1) cdf[i] = cdf[i]! / sum;

  // Rank -> 1-based account index, by a Fisher-Yates shuffle with its own stream of the seed.
  const shuffle = mulberry32(options.seed ^ 0x9e3779b9);
  const indexOfRank = Array.from({ length: accounts }, (_, i) => i + 1);
  for (let i = accounts - 1; i > 0; i -= 1) {
    const j = Math.floor(shuffle() * (i + 1));
    [indexOfRank[i], indexOfRank[j]] = [indexOfRank[j]!, indexOfRank[i]!];
  }

  const random = mulberry32(options.seed);
  const rankOf = (u: number): number => {
    // First rank whose cumulative probability exceeds u.
    let low = 0;
    let high = accounts - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (cdf[mid]! > u) high = mid;
      else low = mid + 1;
    }
    return low + 1;
  };
  const numberOfRank = (rank: number) => erpCustomerNumber(indexOfRank[rank - 1]!, accounts);

  return {
    next: () => numberOfRank(rankOf(random())),
    numberOfRank,
    massOfTop: (rank) => (rank < 1 ? 0 : cdf[Math.min(rank, accounts) - 1]!),
  };
}
