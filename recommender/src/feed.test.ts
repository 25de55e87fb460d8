import { describe, expect, it } from 'vitest';
import { createRecommender } from './engine';
import { T0, event, item } from './test-fixtures';
import type { Recommender } from './types';

/** A small shop: phones and cases from several sellers, dresses, and popularity for all of them. */
function shop(): Recommender {
  const rec = createRecommender();
  for (let i = 0; i < 8; i++) {
    rec.upsertItem(
      item(`phone-${i}`, { categoryId: 'phones', sellerId: `s${i % 4}`, text: `phone model ${i}` }),
    );
    rec.upsertItem(
      item(`case-${i}`, { categoryId: 'cases', sellerId: `s${i % 4}`, text: `phone case ${i}` }),
    );
    rec.upsertItem(
      item(`dress-${i}`, {
        categoryId: 'dresses',
        categoryPath: ['fashion', 'dresses'],
        sellerId: 'fashion-house',
        text: `dress ${i}`,
        brand: 'Mode',
      }),
    );
  }
  // Dresses are the most popular items overall.
  for (let i = 0; i < 8; i++)
    for (let n = 0; n < 20 + i; n++) rec.record(event(`crowd-${n}`, `dress-${i}`, T0 - 1000));
  for (let i = 0; i < 8; i++)
    for (let n = 0; n < 5 + i; n++) rec.record(event(`crowd-${n}`, `phone-${i}`, T0 - 900_000_000));
  for (let i = 0; i < 8; i++)
    for (let n = 0; n < 2; n++) rec.record(event(`crowd-${n}`, `case-${i}`, T0 - 900_000_000));
  // Shoppers who look at phone-0 then at case-3.
  for (let n = 0; n < 10; n++) {
    rec.record(event(`pair-${n}`, 'phone-0', T0 - 500));
    rec.record(event(`pair-${n}`, 'case-3', T0 - 400));
  }
  return rec;
}

describe('feed', () => {
  it('gives a new visitor the hot list, diversified', () => {
    const rec = shop();
    const feed = rec.feed('new-visitor', { now: T0, limit: 10 });
    expect(feed).toHaveLength(10);
    expect(feed[0]!.itemId).toBe('dress-7');
    expect(feed[0]!.reasons[0]).toEqual({ kind: 'hot' });
    // One seller and one category cap the dresses at 3 per 10.
    expect(feed.filter((s) => s.itemId.startsWith('dress')).length).toBe(3);
  });

  it('puts neighbours of recent activity and affinities first for a known shopper, with reasons', () => {
    const rec = shop();
    rec.record(event('me', 'phone-0', T0));
    const feed = rec.feed('me', { now: T0 + 1, limit: 10 });
    expect(feed[0]!.itemId).toBe('case-3');
    expect(feed[0]!.reasons[0]).toEqual({ kind: 'similar_to', itemId: 'phone-0' });
    const phones = feed.filter((s) => s.itemId.startsWith('phone'));
    expect(phones.length).toBeGreaterThan(0);
    expect(phones.every((s) => s.reasons.some((r) => r.kind === 'affinity' && r.facet === 'category'))).toBe(
      true,
    );
    expect(feed.map((s) => s.itemId)).not.toContain('phone-0'); // already seen
  });

  it('excludes already bought and unavailable items', () => {
    const rec = shop();
    rec.record(event('me', 'phone-0', T0));
    rec.record(event('me', 'case-3', T0 + 1, 'purchase'));
    rec.upsertItem(item('phone-7', { categoryId: 'phones', sellerId: 's3', available: false }));
    const ids = rec.feed('me', { now: T0 + 2, limit: 30 }).map((s) => s.itemId);
    expect(ids).not.toContain('case-3');
    expect(ids).not.toContain('phone-7');
    expect(ids.length).toBeGreaterThan(10);
  });

  it('never puts more than maxPerSeller of a seller or maxPerCategory of a category in any 10', () => {
    const rec = createRecommender({ maxPerSeller: 2, maxPerCategory: 3 });
    for (let i = 0; i < 40; i++) {
      rec.upsertItem(item(`i${i}`, { sellerId: `s${i % 3}`, categoryId: `c${i % 5}` }));
      for (let n = 0; n < 40 - i; n++) rec.record(event(`crowd-${n}`, `i${i}`, T0));
    }
    rec.record(event('me', 'i0', T0));
    for (const actor of ['me', 'stranger']) {
      const feed = rec.feed(actor, { now: T0, limit: 25 });
      expect(feed.length).toBeGreaterThan(0);
      for (let start = 0; start + 10 <= feed.length; start++) {
        const window = feed.slice(start, start + 10).map((s) => Number(s.itemId.slice(1)));
        for (let k = 0; k < 3; k++) expect(window.filter((i) => i % 3 === k).length).toBeLessThanOrEqual(2);
        for (let k = 0; k < 5; k++) expect(window.filter((i) => i % 5 === k).length).toBeLessThanOrEqual(3);
      }
    }
  });

  it('is deterministic', () => {
    const a = shop();
    const b = shop();
    a.record(event('me', 'phone-2', T0));
    b.record(event('me', 'phone-2', T0));
    expect(a.feed('me', { now: T0, limit: 20 })).toEqual(b.feed('me', { now: T0, limit: 20 }));
  });
});
