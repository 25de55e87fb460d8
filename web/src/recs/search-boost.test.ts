import { describe, expect, it } from 'vitest';
import { AFFINITY_BOOST, rerankByAffinity } from './search-boost';

const hit = (id: string, score: number, categoryId: string) => ({ id, score, document: { categoryId } });

describe('rerankByAffinity', () => {
  const hits = [hit('a', 10, 'phones'), hit('b', 9.5, 'shoes'), hit('c', 5, 'shoes'), hit('d', 4.9, 'bags')];

  it('lifts results the shopper likes by at most AFFINITY_BOOST × affinity, within the page', () => {
    const ranked = rerankByAffinity(hits, (doc) => (doc.categoryId === 'shoes' ? 1 : 0));
    expect(ranked.map((h) => h.id)).toEqual(['b', 'a', 'c', 'd']);
    expect(ranked[0]!.score).toBeCloseTo(9.5 * (1 + AFFINITY_BOOST));
    // A far better match is not overtaken: c (5 → 5.75) stays below a (10).
    expect(ranked.findIndex((h) => h.id === 'c')).toBeGreaterThan(ranked.findIndex((h) => h.id === 'a'));
  });

  it('keeps the engine order when nothing matches, ties included', () => {
    const tied = [hit('x', 1, 'a'), hit('y', 1, 'b'), hit('z', 1, 'c')];
    expect(rerankByAffinity(tied, () => 0).map((h) => h.id)).toEqual(['x', 'y', 'z']);
    expect(rerankByAffinity(hits, () => 0)).toEqual(hits);
  });
});
