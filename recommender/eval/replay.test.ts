import { describe, expect, it } from 'vitest';
import type { Interaction, ItemInfo, Recommender } from '../src/index';
import { sortByTime, type EvalDataset } from './dataset';
import { popularityBaseline, type RankingMethod } from './methods';
import { replayAndEvaluate } from './replay';
import type { EvalCase } from './split';

const item = (id: string, createdAt: number): ItemInfo => ({
  id,
  categoryId: 'c',
  categoryPath: ['c'],
  sellerId: 's',
  brand: 'b',
  price: 100,
  text: id,
  attributes: {},
  available: true,
  createdAt,
});
const buy = (actorId: string, itemId: string, at: number): Interaction => ({
  actorId,
  itemId,
  type: 'purchase',
  at,
});

/** Remembers what it was given, so the test can check what a query could have known. */
function spyRecommender() {
  const recorded: Interaction[] = [];
  const upserted: string[] = [];
  const queries: { actorId: string; now: number; recorded: number; upserted: number }[] = [];
  const unused = () => {
    throw new Error('not used by the replay');
  };
  const recommender: Recommender = {
    upsertItem: (i) => void upserted.push(i.id),
    removeItem: unused,
    record: (e) => void recorded.push(e),
    hot: unused,
    similar: () => [],
    boughtTogether: unused,
    feed: (actorId, q) => {
      queries.push({ actorId, now: q.now, recorded: recorded.length, upserted: upserted.length });
      return upserted.map((itemId) => ({ itemId, score: 1, reasons: [] }));
    },
    profile: unused,
    forget: unused,
    mergeActor: unused,
    stats: unused,
  };
  return { recommender, recorded, upserted, queries };
}

describe('replayAndEvaluate', () => {
  const dataset: EvalDataset = {
    name: 'tiny',
    description: '',
    items: [item('late', 35), item('x', 0), item('y', 0), item('z', 0)],
    events: sortByTime([
      buy('a', 'x', 10),
      buy('b', 'x', 20),
      buy('b', 'y', 30),
      buy('a', 'late', 40),
      buy('a', 'z', 50),
    ]),
    isPositive: (e) => e.type === 'purchase',
    options: {},
  };
  const cases: EvalCase[] = [
    { actorId: 'b', seq: 2, at: 30, relevant: new Set(['y']) },
    { actorId: 'a', seq: 3, at: 40, relevant: new Set(['late', 'z']) },
  ];

  it('queries each user with only the events before their cut recorded and the catalog as of then', () => {
    const spy = spyRecommender();
    const feedOnly = (r: Recommender): RankingMethod[] => [
      {
        name: 'feed',
        recommend: (q, k) =>
          r
            .feed(q.actorId, { now: q.now, limit: k })
            .map((s) => s.itemId)
            .filter((id) => !q.seen.has(id)),
      },
    ];
    const report = replayAndEvaluate(dataset, cases, () => spy.recommender, feedOnly, 2);
    expect(spy.queries).toEqual([
      { actorId: 'b', now: 30, recorded: 2, upserted: 3 },
      { actorId: 'a', now: 40, recorded: 3, upserted: 4 },
    ]);
    // The replay stops after the last cut: nothing later can matter.
    expect(report.events).toBe(4);
    expect(report.catalog).toBe(4);
    // b is shown [y, z] (x is seen) → hit at rank 1; a is shown [y, z] → z at rank 2 of two relevant.
    const [feed] = report.results;
    expect(feed!.hr).toBe(1);
    expect(feed!.ndcg).toBeCloseTo((1 + 1 / Math.log2(3) / (1 + 1 / Math.log2(3))) / 2, 12);
  });

  it('ranks the popularity baseline by distinct buyers so far, skipping what the user has seen', () => {
    const spy = spyRecommender();
    const report = replayAndEvaluate(
      dataset,
      cases,
      () => spy.recommender,
      () => [popularityBaseline(dataset.isPositive)],
      1,
    );
    // At b's cut only x was bought (b has it); at a's cut x (2 buyers) is seen, y (1 buyer) is next.
    expect(report.results[0]!.hr).toBe(0);
    expect(report.results[0]!.coverage).toBe(1 / 4);
  });
});
