import { describe, expect, it } from 'vitest';
import { splitProportionally } from './money';

describe('splitProportionally', () => {
  it('splits by the largest remainder so parts sum exactly', () => {
    expect(splitProportionally(100, { a: 1, b: 1, c: 1 })).toEqual({ a: 34, b: 33, c: 33 });
    expect(splitProportionally(10, { a: 0, b: 5 })).toEqual({ a: 0, b: 10 });
    expect(splitProportionally(0, { a: 5 })).toEqual({ a: 0 });
    expect(splitProportionally(5, { a: 0, b: 0 })).toEqual({ a: 0, b: 0 });
    expect(splitProportionally(7, {})).toEqual({});
  });

  it('gives ties to the larger weight, then the earlier key', () => {
    expect(splitProportionally(1, { b: 1, a: 1 })).toEqual({ a: 1, b: 0 });
    expect(splitProportionally(2, { a: 1, b: 2, c: 1 })).toEqual({ a: 1, b: 1, c: 0 });
    expect(splitProportionally(3, { a: 1, b: 3 })).toEqual({ a: 1, b: 2 });
  });

  it('holds on random inputs, including amounts beyond 2^53 when multiplied', () => {
    for (let round = 0; round < 500; round++) {
      const weights: Record<string, number> = {};
      const n = 1 + Math.floor(Math.random() * 8);
      for (let i = 0; i < n; i++) weights[`s${i}`] = Math.floor(Math.random() * 10_000_000_000);
      const sum = Object.values(weights).reduce((a, b) => a + b, 0);
      const total = Math.floor(Math.random() * Math.min(sum + 1, 10_000_000_000));
      const parts = splitProportionally(total, weights);
      expect(Object.values(parts).reduce((a, b) => a + b, 0)).toBe(sum === 0 ? 0 : total);
      for (const [key, part] of Object.entries(parts)) {
        expect(Number.isInteger(part)).toBe(true);
        const exact = sum === 0 ? 0 : (total * weights[key]!) / sum;
        expect(Math.abs(part - exact)).toBeLessThan(1.000001);
      }
    }
  });
});
