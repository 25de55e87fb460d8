import { describe, expect, it } from 'vitest';
import { createRecommender } from './engine';
import { HOUR, T0, event, item } from './test-fixtures';

describe('mergeActor', () => {
  const query = { now: T0 + 2 * HOUR, limit: 10 };

  it('gives the account the visitor’s history, as if it had been recorded under the account', () => {
    const merged = createRecommender();
    const direct = createRecommender();
    for (const rec of [merged, direct]) for (const id of ['a', 'b', 'c', 'd']) rec.upsertItem(item(id));
    merged.record(event('anon_1', 'a', T0));
    merged.record(event('anon_1', 'b', T0 + 60_000, 'purchase'));
    merged.record(event('usr_1', 'c', T0 + HOUR));
    merged.mergeActor('anon_1', 'usr_1');
    direct.record(event('usr_1', 'c', T0 + HOUR));
    direct.record(event('usr_1', 'a', T0));
    direct.record(event('usr_1', 'b', T0 + 60_000, 'purchase'));

    expect(merged.profile('anon_1', query.now)).toBeNull();
    expect(merged.profile('usr_1', query.now)).toEqual(direct.profile('usr_1', query.now));
    expect(merged.feed('usr_1', query)).toEqual(direct.feed('usr_1', query));
    for (const id of ['a', 'b', 'c']) expect(merged.similar(id, query)).toEqual(direct.similar(id, query));
    expect(merged.stats()).toEqual({ items: 4, actors: 1, events: 3 });
  });

  it('leaves nothing of the visitor behind when the account is forgotten', () => {
    const rec = createRecommender();
    const untouched = createRecommender();
    for (const id of ['a', 'b', 'c']) [rec, untouched].forEach((r) => r.upsertItem(item(id)));
    rec.record(event('anon_1', 'a', T0));
    rec.record(event('anon_1', 'b', T0 + 1000, 'purchase'));
    rec.record(event('usr_1', 'c', T0 + 2000, 'purchase'));
    rec.mergeActor('anon_1', 'usr_1');
    expect(rec.boughtTogether('b', query).map((s) => s.itemId)).toEqual(['c']);
    rec.forget('usr_1');
    for (const id of ['a', 'b', 'c']) {
      // Content similarity (the items' texts) stays; every co-view and co-purchase is gone.
      expect(rec.similar(id, query)).toEqual(untouched.similar(id, query));
      expect(rec.boughtTogether(id, query)).toEqual([]);
    }
    expect(rec.stats()).toEqual({ items: 3, actors: 0, events: 0 });
  });

  it('ignores an unknown visitor', () => {
    const rec = createRecommender();
    rec.record(event('usr_1', 'a', T0));
    rec.mergeActor('anon_none', 'usr_1');
    expect(rec.stats()).toEqual({ items: 1, actors: 1, events: 1 });
  });
});
