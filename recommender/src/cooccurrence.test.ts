import { describe, expect, it } from 'vitest';
import { CoOccurrence } from './cooccurrence';
import { createRecommender } from './engine';
import { HOUR, T0, event } from './test-fixtures';

describe('co-occurrence similarity', () => {
  it('damps popularity: a hub seen with everything does not dominate', () => {
    const rec = createRecommender();
    // 20 shoppers look at A then the hub; 5 look at A then B; 1000 more look at the hub with other items.
    for (let i = 0; i < 20; i++) {
      rec.record(event(`h${i}`, 'A', T0));
      rec.record(event(`h${i}`, 'hub', T0 + 60_000));
    }
    for (let i = 0; i < 5; i++) {
      rec.record(event(`b${i}`, 'A', T0));
      rec.record(event(`b${i}`, 'B', T0 + 60_000));
    }
    for (let i = 0; i < 1000; i++) {
      rec.record(event(`o${i}`, `other-${i % 100}`, T0));
      rec.record(event(`o${i}`, 'hub', T0 + 60_000));
    }
    const similar = rec.similar('A', { now: T0, limit: 5 });
    expect(similar.map((s) => s.itemId)).toEqual(['B', 'hub']);
    expect(similar[0]!.reasons).toEqual([{ kind: 'similar_to', itemId: 'A' }]);
  });

  it('computes the damped cosine c/√(n·n) · c/(c+2)', () => {
    const co = new CoOccurrence();
    for (let i = 0; i < 4; i++) co.addOccurrence(0, 1);
    for (let i = 0; i < 9; i++) co.addOccurrence(1, 1);
    co.addPair(0, 1, 2);
    expect(co.similarity(0, 1)).toBeCloseTo((2 / Math.sqrt(36)) * (2 / 4), 12);
    expect(co.similarity(1, 0)).toBeCloseTo(co.similarity(0, 1), 12);
    co.addPair(0, 1, -2);
    expect(co.similarity(0, 1)).toBe(0);
    expect(co.neighbours(0, 5, () => true)).toEqual([]);
  });

  it('pairs views of one actor only within the co-view window', () => {
    const rec = createRecommender({ coWindowMs: 2 * HOUR });
    rec.record(event('a', 'X', T0));
    rec.record(event('a', 'Y', T0 + HOUR));
    rec.record(event('a', 'Z', T0 + 4 * HOUR));
    rec.record(event('b', 'W', T0)); // another actor: never paired with a's items
    expect(rec.similar('X', { now: T0, limit: 5 }).map((s) => s.itemId)).toEqual(['Y']);
    expect(rec.similar('Z', { now: T0, limit: 5 })).toEqual([]);
  });

  it('keeps co-purchase apart from co-view, at any distance in time', () => {
    const rec = createRecommender();
    for (let i = 0; i < 3; i++) {
      rec.record(event(`p${i}`, 'phone', T0, 'purchase'));
      rec.record(event(`p${i}`, 'case', T0 + 10 * 24 * HOUR, 'purchase'));
      rec.record(event(`p${i}`, 'charger', T0 + 10 * 24 * HOUR + 1));
    }
    const together = rec.boughtTogether('phone', { now: T0, limit: 5 });
    expect(together.map((s) => s.itemId)).toEqual(['case']);
    expect(together[0]!.reasons).toEqual([{ kind: 'bought_with', itemId: 'phone' }]);
    expect(rec.similar('phone', { now: T0, limit: 5 })).toEqual([]);
    expect(rec.boughtTogether('unknown', { now: T0, limit: 5 })).toEqual([]);
  });

  it('keeps neighbour lists bounded', () => {
    const rec = createRecommender();
    for (let i = 0; i < 1000; i++) {
      rec.record(event(`a${i}`, 'hub', T0));
      rec.record(event(`a${i}`, `item-${i}`, T0 + 1));
    }
    expect(rec.similar('hub', { now: T0, limit: 1000 }).length).toBeLessThanOrEqual(200);
  });
});
