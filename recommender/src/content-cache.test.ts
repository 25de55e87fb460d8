import { describe, expect, it } from 'vitest';
import { createRecommender } from './engine';
import { HOUR, T0, event, item } from './test-fixtures';

describe('content neighbour cache (contentCacheMs)', () => {
  const texts = ['red wool scarf', 'red wool hat', 'blue wool scarf', 'red cotton scarf', 'green silk tie'];
  const build = (contentCacheMs?: number) => {
    const rec = createRecommender({ contentCacheMs });
    texts.forEach((text, k) => rec.upsertItem(item(`i${k}`, { text })));
    return rec;
  };
  const query = { now: T0, limit: 4 };

  it('answers as without it', () => {
    const cached = build(10 * 60_000);
    const plain = build();
    for (let k = 0; k < texts.length; k++) {
      expect(cached.similar(`i${k}`, query)).toEqual(plain.similar(`i${k}`, query));
      expect(cached.similar(`i${k}`, query)).toEqual(plain.similar(`i${k}`, query));
    }
    cached.record(event('a', 'i0', T0));
    plain.record(event('a', 'i0', T0));
    expect(cached.feed('a', query)).toEqual(plain.feed('a', query));
  });

  it('filters availability on read, and recomputes an item whose content changed or after the TTL', () => {
    const cached = build(10 * 60_000);
    expect(cached.similar('i0', query)[0]!.itemId).toBe('i1');
    cached.upsertItem(item('i1', { text: 'red wool hat', available: false }));
    expect(cached.similar('i0', query).map((s) => s.itemId)).not.toContain('i1');

    cached.upsertItem(item('i0', { text: 'green silk tie' }));
    expect(cached.similar('i0', query)[0]!.itemId).toBe('i4');

    // i2's list was cached before i0 changed: within the TTL it is kept, after it recomputed.
    const before = cached.similar('i2', { now: T0 - 1, limit: 4 });
    cached.upsertItem(item('i3', { text: 'blue wool scarf' }));
    expect(cached.similar('i2', { now: T0, limit: 4 })).toEqual(before);
    expect(cached.similar('i2', { now: T0 + HOUR, limit: 4 })[0]!.itemId).toBe('i3');
  });
});
