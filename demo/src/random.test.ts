import { describe, expect, it } from 'vitest';
import { createRandom, mixSeed } from './random';

const draws = (n: number, draw: () => number) => Array.from({ length: n }, draw);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('the seeded random source', () => {
  it('is mulberry32: the published sequence for seed 1, so generated data stays what it was', () => {
    const random = createRandom(1);
    expect(draws(3, random.next)).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
  });

  it('repeats for a seed, differs across seeds, and stays in [0, 1)', () => {
    const a = createRandom(9);
    const b = createRandom(9);
    const other = draws(1000, createRandom(10).next);
    const xs = draws(1000, a.next);
    expect(draws(1000, b.next)).toEqual(xs);
    expect(xs).not.toEqual(other);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mean(xs)).toBeGreaterThan(0.45);
    expect(mean(xs)).toBeLessThan(0.55);
  });

  it('draws integers from both ends of an inclusive range, and nothing outside it', () => {
    const random = createRandom(3);
    const seen = new Set(draws(2000, () => random.int(1, 6)));
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(draws(50, () => random.int(4, 4))).toEqual(Array(50).fill(4));
  });

  it('picks by weight, never an item of weight zero, with or without the total given', () => {
    const weights = new Float64Array([1, 0, 3]);
    const counts = [0, 0, 0];
    const random = createRandom(4);
    for (let i = 0; i < 4000; i++) counts[random.weightedIndex(weights)]!++;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.5);
    expect(counts[2]! / counts[0]!).toBeLessThan(3.5);
    // The total only saves the sum: the same seed picks the same indices.
    const a = createRandom(5);
    const b = createRandom(5);
    expect(draws(100, () => a.weightedIndex([2, 5, 1]))).toEqual(
      draws(100, () => b.weightedIndex([2, 5, 1], 8)),
    );
  });

  it('samples distinct items (clamped to the list) and shuffles a copy into a permutation', () => {
    const random = createRandom(6);
    const items = Array.from({ length: 20 }, (_, i) => i);
    const sample = random.sample(items, 8);
    expect(new Set(sample).size).toBe(8);
    expect(sample.every((x) => items.includes(x))).toBe(true);
    expect(random.sample(items, 50)).toHaveLength(20);
    const shuffled = random.shuffled(items);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((x, y) => x - y)).toEqual(items);
    expect(items).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('refuses to pick from an empty list', () => {
    expect(() => createRandom(1).pick([])).toThrow(/empty/);
    expect(() => createRandom(1).chance(0.5)).not.toThrow();
  });

  it('draws normal, log-normal and exponential quantities with the right centre', () => {
    const random = createRandom(8);
    const normals = draws(20_000, random.normal);
    expect(Math.abs(mean(normals))).toBeLessThan(0.05);
    expect(Math.sqrt(mean(normals.map((x) => x * x)))).toBeCloseTo(1, 1);
    const logNormals = draws(20_000, () => random.logNormal(Math.log(3), 0.2)).sort((x, y) => x - y);
    expect(logNormals[10_000]).toBeCloseTo(3, 0);
    expect(mean(draws(20_000, () => random.exponential(4)))).toBeCloseTo(0.25, 1);
  });

  it('mixes seeds into independent sub-streams', () => {
    expect(mixSeed(1, 2)).toBe(mixSeed(1, 2));
    expect(mixSeed(1, 2)).not.toBe(mixSeed(2, 1));
    expect(createRandom(mixSeed(7, 1)).next()).not.toBe(createRandom(mixSeed(7, 2)).next());
  });
});
