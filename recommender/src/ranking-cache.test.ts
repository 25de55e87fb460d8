import { describe, expect, it } from 'vitest';
import { createRecommender } from './engine';
import { HOUR, T0, event, item } from './test-fixtures';
import type { Scored } from './types';

/** Scores decayed from the cached value differ from a fresh read in the last bit only. */
const rounded = (list: Scored[]) => list.map((s) => ({ ...s, score: Number(s.score.toPrecision(12)) }));

describe('popularity list cache (rankingCacheMs)', () => {
  const build = (rankingCacheMs?: number) => {
    const rec = createRecommender({ rankingCacheMs });
    for (let k = 0; k < 8; k++) rec.upsertItem(item(`i${k}`, { categoryId: k < 4 ? 'phones' : 'cases' }));
    for (let k = 0; k < 8; k++)
      for (let n = 0; n <= k; n++) rec.record(event(`a${n}`, `i${k}`, T0 - HOUR + n));
    return rec;
  };

  it('answers as without it until events arrive, and decays cached scores exactly', () => {
    const cached = build(2000);
    const plain = build();
    for (const now of [T0, T0 + 1000]) {
      expect(rounded(cached.hot({ now, limit: 5 }))).toEqual(rounded(plain.hot({ now, limit: 5 })));
      expect(rounded(cached.hot({ now, limit: 3, categoryId: 'phones' }))).toEqual(
        rounded(plain.hot({ now, limit: 3, categoryId: 'phones' })),
      );
    }
    expect(rounded(cached.feed('a1', { now: T0 + 1500, limit: 4 }))).toEqual(
      rounded(plain.feed('a1', { now: T0 + 1500, limit: 4 })),
    );
  });

  it('is at most rankingCacheMs behind, and drops unavailable items on read', () => {
    const cached = build(2000);
    expect(cached.hot({ now: T0, limit: 1 })[0]!.itemId).toBe('i7');
    for (let n = 0; n < 20; n++) cached.record(event(`b${n}`, 'i0', T0 + 100));
    expect(cached.hot({ now: T0 + 500, limit: 1 })[0]!.itemId).toBe('i7');
    expect(cached.hot({ now: T0 + 2500, limit: 1 })[0]!.itemId).toBe('i0');
    cached.upsertItem(item('i0', { available: false }));
    expect(cached.hot({ now: T0 + 2600, limit: 1 })[0]!.itemId).toBe('i7');
  });
});
