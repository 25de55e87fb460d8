import { describe, expect, it } from 'vitest';
import {
  MetricsAccumulator,
  catalogCoverage,
  hitRateAt,
  ndcgAt,
  pairedDifference,
  selfInformation,
} from './metrics';

const rel = (...ids: string[]) => new Set(ids);

describe('hitRateAt', () => {
  it('is 1 when a relevant item is in the top k and 0 otherwise', () => {
    expect(hitRateAt(3, ['a', 'b', 'c', 'd'], rel('c'))).toBe(1);
    expect(hitRateAt(3, ['a', 'b', 'c', 'd'], rel('d'))).toBe(0);
    expect(hitRateAt(10, [], rel('a'))).toBe(0);
    expect(hitRateAt(10, ['a'], rel())).toBe(0);
  });
});

describe('ndcgAt', () => {
  it('is 1 for a relevant item ranked first and discounts lower ranks by log2', () => {
    expect(ndcgAt(10, ['a', 'b'], rel('a'))).toBe(1);
    expect(ndcgAt(10, ['x', 'a'], rel('a'))).toBeCloseTo(1 / Math.log2(3), 12);
    expect(ndcgAt(10, ['x', 'y', 'z', 'a'], rel('a'))).toBeCloseTo(1 / Math.log2(5), 12);
  });

  it('normalises by the best possible list of min(|relevant|, k) items', () => {
    // Two relevant, found at ranks 1 and 3: (1 + 1/log2 4) / (1 + 1/log2 3).
    expect(ndcgAt(10, ['a', 'x', 'b'], rel('a', 'b'))).toBeCloseTo(1.5 / (1 + 1 / Math.log2(3)), 12);
    // Twelve relevant items cannot all fit in the top 2: a perfect top 2 still scores 1.
    const many = rel(...Array.from({ length: 12 }, (_, i) => `r${i}`));
    expect(ndcgAt(2, ['r0', 'r1'], many)).toBe(1);
  });

  it('ignores relevant items past k and is 0 without relevant items', () => {
    expect(ndcgAt(2, ['x', 'y', 'a'], rel('a'))).toBe(0);
    expect(ndcgAt(10, ['a'], rel())).toBe(0);
  });
});

describe('catalogCoverage and selfInformation', () => {
  it('coverage is the share of the catalog recommended to anyone', () => {
    expect(catalogCoverage(rel('a', 'b'), 8)).toBe(0.25);
    expect(catalogCoverage(rel(), 0)).toBe(0);
  });

  it('self-information grows as popularity falls, with add-one smoothing', () => {
    expect(selfInformation(99, 99)).toBe(0);
    expect(selfInformation(0, 1023)).toBe(10);
    expect(selfInformation(1, 1023)).toBeLessThan(selfInformation(0, 1023));
  });
});

describe('MetricsAccumulator', () => {
  it('averages hit rate and NDCG per user, novelty per slot, and counts distinct recommended items', () => {
    const acc = new MetricsAccumulator(2);
    const bits: Record<string, number> = { a: 1, b: 3, c: 5 };
    acc.add(['a', 'b', 'c'], rel('a'), (id) => bits[id]!);
    acc.add(['c', 'a'], rel('b'), (id) => bits[id]!);
    const scores = acc.result(10);
    expect(scores.users).toBe(2);
    expect(scores.hr).toBe(0.5);
    expect(scores.hits).toEqual([1, 0]);
    expect(scores.ndcg).toBe(0.5);
    expect(scores.coverage).toBe(0.3); // a, b, c — 'c' of the first list was past k
    expect(scores.novelty).toBe((1 + 3 + 5 + 1) / 4);
  });
});

describe('pairedDifference', () => {
  it('is the mean per-user difference with a 1.96-standard-error half width', () => {
    const { mean, halfWidth } = pairedDifference([1, 1, 0, 1], [0, 1, 0, 0]);
    expect(mean).toBe(0.5);
    // differences 1, 0, 0, 1: sample variance 1/3, standard error sqrt(1/12)
    expect(halfWidth).toBeCloseTo(1.96 * Math.sqrt(1 / 12), 12);
    expect(pairedDifference([], [])).toEqual({ mean: 0, halfWidth: 0 });
    expect(() => pairedDifference([1], [])).toThrow();
  });
});
