import { describe, expect, it } from 'vitest';
import { createRecommender } from './engine';
import { DAY, HOUR, T0, event, item } from './test-fixtures';

describe('trend detection', () => {
  /** 28 days of `perHour` views every hour for an item, ending at `end`. */
  function steady(rec: ReturnType<typeof createRecommender>, itemId: string, perHour: number, end: number) {
    for (let at = end - 28 * DAY; at < end; at += HOUR) {
      for (let i = 0; i < perHour; i++) rec.record(event(`steady-${i}`, itemId, at + i));
    }
  }

  it('flags an item whose last-hour rate jumps against its own baseline, not a steadily popular one', () => {
    const rec = createRecommender();
    const now = T0 + 30 * DAY;
    steady(rec, 'steady', 20, now);
    steady(rec, 'jumping', 2, now - HOUR);
    for (let i = 0; i < 60; i++) rec.record(event(`burst-${i}`, 'jumping', now - HOUR + i * 60_000));

    const trending = rec.hot({ now, limit: 10, trending: true });
    expect(trending.map((s) => s.itemId)).toEqual(['jumping']);
    expect(trending[0]!.reasons).toEqual([{ kind: 'trending' }]);
    expect(trending[0]!.score).toBeGreaterThan(3);

    // The steady item is still the hottest; the jumping one is hot and says it is trending.
    const hot = rec.hot({ now, limit: 10 });
    expect(hot.map((s) => s.itemId)).toEqual(['steady', 'jumping']);
    expect(hot[0]!.reasons).toEqual([{ kind: 'hot' }]);
    expect(hot[1]!.reasons).toEqual([{ kind: 'hot' }, { kind: 'trending' }]);
  });

  it('does not call one view (or one purchase) of a cold item a trend, but a burst of them is one', () => {
    const rec = createRecommender();
    const now = T0 + 10 * DAY;
    rec.record(event('a', 'cold-view', now - 60_000));
    rec.record(event('a', 'cold-purchase', now - 60_000, 'purchase'));
    expect(rec.hot({ now, limit: 10, trending: true })).toEqual([]);
    for (let i = 0; i < 20; i++) rec.record(event(`v${i}`, 'cold-view', now - 30 * 60_000 + i));
    expect(rec.hot({ now, limit: 10, trending: true }).map((s) => s.itemId)).toEqual(['cold-view']);
  });

  it('lets a trend fade once the burst is over', () => {
    const rec = createRecommender();
    for (let i = 0; i < 30; i++) rec.record(event(`v${i}`, 'x', T0 + i));
    expect(rec.hot({ now: T0 + HOUR, limit: 10, trending: true })).toHaveLength(1);
    expect(rec.hot({ now: T0 + 12 * HOUR, limit: 10, trending: true })).toEqual([]);
  });
});

describe('hot rankings', () => {
  it('decay with the hot half-life and weigh event types', () => {
    const rec = createRecommender({ hotHalfLifeMs: 6 * HOUR });
    rec.record(event('a', 'old', T0));
    rec.record(event('a', 'old', T0));
    rec.record(event('a', 'old', T0));
    rec.record(event('b', 'bought', T0 + 6 * HOUR, 'purchase'));
    rec.record(event('c', 'viewed', T0 + 6 * HOUR));
    const hot = rec.hot({ now: T0 + 6 * HOUR, limit: 10 });
    expect(hot.map((s) => [s.itemId, s.score])).toEqual([
      ['bought', 8],
      ['old', 1.5],
      ['viewed', 1],
    ]);
  });

  it('rank per category including descendants, per seller, and never unavailable items', () => {
    const rec = createRecommender();
    rec.upsertItem(item('phone', { categoryId: 'phones', categoryPath: ['electronics', 'phones'] }));
    rec.upsertItem(
      item('earbuds', {
        categoryId: 'earbuds',
        categoryPath: ['electronics', 'audio', 'earbuds'],
        sellerId: 'seller-2',
      }),
    );
    rec.upsertItem(item('dress', { categoryId: 'dresses', categoryPath: ['fashion', 'dresses'] }));
    rec.upsertItem(item('sold-out', { available: false }));
    const counts = { phone: 3, earbuds: 2, dress: 5, 'sold-out': 9 };
    for (const [id, n] of Object.entries(counts)) {
      for (let i = 0; i < n; i++) rec.record(event(`a${i}`, id, T0));
    }
    const ids = (q: Parameters<typeof rec.hot>[0]) => rec.hot(q).map((s) => s.itemId);
    expect(ids({ now: T0, limit: 10 })).toEqual(['dress', 'phone', 'earbuds']);
    expect(ids({ now: T0, limit: 10, categoryId: 'electronics' })).toEqual(['phone', 'earbuds']);
    expect(ids({ now: T0, limit: 10, categoryId: 'audio' })).toEqual(['earbuds']);
    expect(ids({ now: T0, limit: 10, sellerId: 'seller-1' })).toEqual(['dress', 'phone']);
    expect(ids({ now: T0, limit: 10, sellerId: 'seller-2', categoryId: 'fashion' })).toEqual([]);
    expect(ids({ now: T0, limit: 2 })).toEqual(['dress', 'phone']);

    // Moving an item to another category moves it between scopes.
    rec.upsertItem(item('phone', { categoryId: 'dresses', categoryPath: ['fashion', 'dresses'] }));
    expect(ids({ now: T0, limit: 10, categoryId: 'electronics' })).toEqual(['earbuds']);
    expect(ids({ now: T0, limit: 10, categoryId: 'fashion' })).toEqual(['dress', 'phone']);
    rec.removeItem('dress');
    expect(ids({ now: T0, limit: 10 })).toEqual(['phone', 'earbuds']);
  });
});
