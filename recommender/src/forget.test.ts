import { describe, expect, it } from 'vitest';
import { createRecommender } from './engine';
import { LIMITS } from './options';
import { createRandom } from '@market/demo/random';
import { T0, event } from './test-fixtures';
import type { Interaction } from './types';

describe('forget', () => {
  const items = Array.from({ length: 30 }, (_, i) => `item-${i}`);
  const query = { now: T0, limit: 30 };

  /** Co-views and co-purchases of several ordinary shoppers. */
  function ordinary(): Interaction[] {
    const random = createRandom(1).next;
    const events: Interaction[] = [];
    for (let a = 0; a < 10; a++) {
      for (let k = 0; k < 20; k++) {
        const type = random() < 0.2 ? 'purchase' : 'view';
        events.push(
          event(`shopper-${a}`, items[Math.floor(random() * items.length)]!, T0 + k * 60_000, type),
        );
      }
    }
    return events;
  }

  it('takes out every co-occurrence the actor added, even after their log was trimmed', () => {
    const random = createRandom(2).next;
    const withHeavy = createRecommender();
    const without = createRecommender();
    const base = ordinary();
    // The heavy actor's events go through several log evictions.
    const heavy: Interaction[] = Array.from({ length: 5 * LIMITS.actorLogEvents + 17 }, (_, k) =>
      event(
        'heavy',
        items[Math.floor(random() * items.length)]!,
        T0 + k * 1000,
        random() < 0.3 ? 'purchase' : 'view',
      ),
    );
    for (const e of [...base.slice(0, 100), ...heavy, ...base.slice(100)]) withHeavy.record(e);
    for (const e of base) without.record(e);
    expect(withHeavy.similar('item-0', query)).not.toEqual(without.similar('item-0', query));

    withHeavy.forget('heavy');
    for (const id of items) {
      expect(withHeavy.similar(id, query)).toEqual(without.similar(id, query));
      expect(withHeavy.boughtTogether(id, query)).toEqual(without.boughtTogether(id, query));
    }
    expect(withHeavy.profile('heavy', T0)).toBeNull();
    expect(withHeavy.stats()).toEqual({ items: 30, actors: 10, events: base.length });
  });

  it('leaves nothing behind when everyone is forgotten', () => {
    const rec = createRecommender();
    for (const e of ordinary()) rec.record(e);
    for (let a = 0; a < 10; a++) rec.forget(`shopper-${a}`);
    for (const id of items) {
      expect(rec.similar(id, query)).toEqual([]);
      expect(rec.boughtTogether(id, query)).toEqual([]);
    }
    expect(rec.stats()).toEqual({ items: 30, actors: 0, events: 0 });
    // The actor is a new visitor again: hot rankings (anonymous aggregates) are kept.
    expect(rec.feed('shopper-0', { now: T0, limit: 5 })[0]!.reasons[0]).toEqual({ kind: 'hot' });
  });
});
