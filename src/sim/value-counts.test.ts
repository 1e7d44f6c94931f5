import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/seeded-random.ts';
import { quantile } from '../reports/intervals.ts';
import { ValueCounts } from './value-counts.ts';

describe('counts of values', () => {
  it('give_the_quantiles_of_the_sorted_values_exactly_with_repeats_and_fractions', () => {
    const random = seededRandom(3);
    for (const n of [1, 2, 3, 10, 101, 5000]) {
      const values = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? Math.round(random() * 600) : Math.round(random() * 600_000) / 1000));
      const counts = new ValueCounts();
      for (const v of values) counts.add(v);
      const sorted = [...values].sort((a, b) => a - b);
      for (const q of [0, 0.1, 0.5, 0.9, 0.99, 1]) expect(counts.quantile(q), `n=${n} q=${q}`).toBe(quantile(sorted, q));
      expect(counts.n).toBe(n);
      expect(counts.sumOfValues).toBe(values.reduce((a, b) => a + b, 0));
      expect(counts.atMost(240)).toBe(values.filter((v) => v <= 240).length);
    }
  });

  it('have_no_quantile_when_empty', () => {
    expect(new ValueCounts().quantile(0.5)).toBeNull();
  });

  it('keep_one_entry_per_distinct_value', () => {
    const counts = new ValueCounts();
    for (let i = 0; i < 100_000; i++) counts.add(i % 7);
    expect(counts.quantile(0.5)).toBe(3);
    expect(counts.atMost(0)).toBe(Math.ceil(100_000 / 7));
  });
});

describe('counts of values beyond whole seconds', () => {
  it('order_negative_large_and_fractional_values_among_whole_ones', () => {
    const values = [-3, 0, 0.5, 1, 1, 70_000, 65_535, 2.25, -0.5, 100_000.5, 7];
    const counts = new ValueCounts();
    for (const v of values) counts.add(v);
    const sorted = [...values].sort((a, b) => a - b);
    for (let i = 0; i <= 20; i++) expect(counts.quantile(i / 20)).toBe(quantile(sorted, i / 20));
    expect(counts.atMost(1)).toBe(6);
  });
});
