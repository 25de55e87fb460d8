import { describe, expect, it } from 'vitest';
import { createRecommender } from './engine';
import { priceBand } from './profiles';
import { DAY, T0, event, item } from './test-fixtures';

describe('price bands', () => {
  it('are log-scale bands in yuan over prices in fen', () => {
    expect(
      [0, 4_999, 5_000, 9_999, 10_000, 19_999, 45_000, 99_900, 150_000, 200_000, 9_999_900].map(priceBand),
    ).toEqual([
      '<50',
      '<50',
      '50-100',
      '50-100',
      '100-200',
      '100-200',
      '200-500',
      '500-1000',
      '1000-2000',
      '2000+',
      '2000+',
    ]);
  });
});

describe('profiles', () => {
  function shop() {
    const rec = createRecommender({ profileHalfLifeMs: 14 * DAY });
    rec.upsertItem(item('phone', { categoryId: 'phones', brand: 'Huawei', price: 299_900 }));
    rec.upsertItem(item('case', { categoryId: 'cases', brand: 'Acme', price: 3_900 }));
    rec.upsertItem(item('dress', { categoryId: 'dresses', brand: 'Mode', price: 29_900 }));
    return rec;
  }

  it('weigh affinities by event type and recency, as shares per facet', () => {
    const rec = shop();
    const now = T0 + 28 * DAY;
    // Two dress views four weeks ago (each worth 1/4 now) against one phone view today.
    rec.record(event('u', 'dress', T0));
    rec.record(event('u', 'dress', T0));
    rec.record(event('u', 'phone', now));
    let profile = rec.profile('u', now)!;
    expect(profile.categories.map((c) => c.id)).toEqual(['phones', 'dresses']);
    expect(profile.categories[0]!.weight).toBeCloseTo(1 / 1.5, 12);
    expect(profile.categories[1]!.weight).toBeCloseTo(0.5 / 1.5, 12);
    expect(profile.brands.map((b) => b.name)).toEqual(['Huawei', 'Mode']);
    expect(profile.priceBands.map((b) => b.band)).toEqual(['2000+', '200-500']);
    // Read at the time of the old views, the dresses lead.
    profile = rec.profile('u', T0)!;
    expect(profile.categories[0]!.id).toBe('dresses');

    // A purchase weighs 8 views.
    rec.record(event('u', 'case', now, 'purchase'));
    profile = rec.profile('u', now)!;
    expect(profile.categories[0]).toEqual({ id: 'cases', weight: 8 / 9.5 });
    expect(profile.categories.reduce((sum, c) => sum + c.weight, 0)).toBeCloseTo(1, 12);
  });

  it('list recently viewed (by event time) and purchased items, most recent first', () => {
    const rec = shop();
    rec.record(event('u', 'phone', T0 + 2));
    rec.record(event('u', 'dress', T0 + 1)); // arrives late
    rec.record(event('u', 'case', T0 + 3, 'purchase'));
    rec.record(event('u', 'phone', T0 + 4, 'purchase'));
    rec.record(event('u', 'case', T0 + 5, 'add_to_cart'));
    const profile = rec.profile('u', T0 + 10)!;
    expect(profile.recentlyViewed).toEqual(['case', 'phone', 'dress']);
    expect(profile.purchased).toEqual(['phone', 'case']);
    expect(profile.events).toBe(5);
    expect(rec.profile('nobody', T0)).toBeNull();
  });
});
