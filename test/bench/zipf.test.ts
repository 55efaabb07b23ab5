import { describe, expect, it } from 'vitest';
import { createZipfSampler, erpCustomerNumber } from '../../bench/zipf.js';

describe('bench Zipf sampler', () => {
  it('numbers customers as the seed does', () => {
    expect(erpCustomerNumber(1, 10_000)).toBe('C00001');
    expect(erpCustomerNumber(10_000, 10_000)).toBe('C10000');
    expect(erpCustomerNumber(7, 100_000)).toBe('C000007');
  });

  it('is deterministic for a seed and draws only existing customers', () => {
    const draw = (seed: number) => {
      const sampler = createZipfSampler({ accounts: 10_000, exponent: 1.1, seed });
      return Array.from({ length: 2_000 }, () => sampler.next());
    };
    const first = draw(1);
    expect(draw(1)).toEqual(first);
    expect(draw(2)).not.toEqual(first);
    for (const number of first) {
      const index = Number(number.slice(1));
      expect(index).toBeGreaterThanOrEqual(1);
      expect(index).toBeLessThanOrEqual(10_000);
    }
  });

  it('follows k^-s: the hottest rank is drawn about 1/H(N,s) of the time, rank 2 about 2^-s of that', () => {
    const accounts = 10_000;
    const exponent = 1.1;
    let harmonic = 0;
    for (let k = 1; k <= accounts; k += 1) harmonic += k ** -exponent;
    const sampler = createZipfSampler({ accounts, exponent, seed: 7 });
    const draws = 200_000;
    const counts = new Map<string, number>();
    for (let i = 0; i < draws; i += 1) {
      const number = sampler.next();
      counts.set(number, (counts.get(number) ?? 0) + 1);
    }
    const top = (counts.get(sampler.numberOfRank(1)) ?? 0) / draws;
    const second = (counts.get(sampler.numberOfRank(2)) ?? 0) / draws;
    expect(top).toBeCloseTo(1 / harmonic, 2);
    expect(second / top).toBeCloseTo(2 ** -exponent, 1);
    expect(sampler.massOfTop(1)).toBeCloseTo(1 / harmonic, 10);
    expect(sampler.massOfTop(accounts)).toBeCloseTo(1, 10);
  });

  it('spreads the hot ranks over the dataset instead of C00001..', () => {
    const sampler = createZipfSampler({ accounts: 10_000, exponent: 1.1, seed: 1 });
    const hot = Array.from({ length: 10 }, (_, i) => sampler.numberOfRank(i + 1));
    expect(new Set(hot).size).toBe(10);
    expect(hot).not.toEqual(Array.from({ length: 10 }, (_, i) => erpCustomerNumber(i + 1, 10_000)));
  });
});
