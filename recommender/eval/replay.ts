/**
 * Replays a log through the library in time order and evaluates every method at each user's cut, with
 * only the events before the cut recorded (split.ts). Items enter the catalog at their `createdAt`.
 */
import type { Recommender, RecommenderOptions } from '../src/index';
import type { EvalDataset } from './dataset';
import type { RankingMethod } from './methods';
import { MetricsAccumulator, selfInformation, type MethodScores } from './metrics';
import type { EvalCase } from './split';

export interface MethodResult extends MethodScores {
  method: string;
  /** Total time spent in this method's queries. */
  queryMs: number;
}

export interface ReplayReport {
  results: MethodResult[];
  /** Events recorded (the whole log is replayed, so later cuts see earlier users' test events). */
  events: number;
  recordMs: number;
  /** Catalog size at the last query: the denominator of coverage. */
  catalog: number;
}

/** Most-recent-first distinct items per user, capped: what item-to-item needs as anchors. */
const RECENT_KEPT = 20;

export function replayAndEvaluate(
  dataset: EvalDataset,
  cases: readonly EvalCase[],
  createRecommender: (opts: RecommenderOptions) => Recommender,
  methodsFor: (recommender: Recommender) => RankingMethod[],
  k = 10,
): ReplayReport {
  const recommender = createRecommender(dataset.options);
  const methods = methodsFor(recommender);
  const accumulators = methods.map(() => new MetricsAccumulator(k));
  const queryMs = methods.map(() => 0);
  const items = [...dataset.items].sort((a, b) => a.createdAt - b.createdAt);
  const seen = new Map<string, Set<string>>();
  const recent = new Map<string, string[]>();
  const actorsWithItem = new Map<string, number>();
  let nextItem = 0;
  let nextCase = 0;
  let recordMs = 0;
  let catalog = 0;

  const lastSeq = cases.length ? cases[cases.length - 1]!.seq : -1;
  for (let seq = 0; seq < dataset.events.length && seq <= lastSeq; seq++) {
    const e = dataset.events[seq]!;
    while (nextItem < items.length && items[nextItem]!.createdAt <= e.at) {
      recommender.upsertItem(items[nextItem++]!);
    }
    while (nextCase < cases.length && cases[nextCase]!.seq === seq) {
      const c = cases[nextCase++]!;
      const q = { actorId: c.actorId, now: c.at, seen: seen.get(c.actorId)!, recent: recent.get(c.actorId)! };
      const actors = seen.size;
      const novelty = (id: string) => selfInformation(actorsWithItem.get(id) ?? 0, actors);
      methods.forEach((m, i) => {
        const t0 = performance.now();
        const ranked = m.recommend(q, k);
        queryMs[i]! += performance.now() - t0;
        accumulators[i]!.add(ranked, c.relevant, novelty);
      });
      catalog = nextItem;
    }

    const t0 = performance.now();
    recommender.record(e);
    recordMs += performance.now() - t0;
    for (const m of methods) m.observe?.(e);
    let userItems = seen.get(e.actorId);
    if (!userItems) {
      seen.set(e.actorId, (userItems = new Set()));
      recent.set(e.actorId, []);
    }
    if (!userItems.has(e.itemId)) {
      userItems.add(e.itemId);
      actorsWithItem.set(e.itemId, (actorsWithItem.get(e.itemId) ?? 0) + 1);
    }
    const list = recent.get(e.actorId)!;
    const at = list.indexOf(e.itemId);
    if (at !== 0) {
      if (at > 0) list.splice(at, 1);
      list.unshift(e.itemId);
      if (list.length > RECENT_KEPT) list.pop();
    }
  }

  return {
    results: methods.map((m, i) => ({
      method: m.name,
      ...accumulators[i]!.result(catalog),
      queryMs: queryMs[i]!,
    })),
    events: Math.min(dataset.events.length, lastSeq + 1),
    recordMs,
    catalog,
  };
}
