/**
 * Temporal splits. Both produce one evaluation case per user: a cut (a position in the time-ordered log),
 * the items that are relevant after it, and nothing else. The replay (replay.ts) asks for recommendations
 * at the cut with only the events before it recorded — from every user, not only this one — so no method
 * ever sees the future, whichever split is used.
 */
import type { EvalDataset } from './dataset';
import { createRandom } from '@market/demo/random';

export interface EvalCase {
  actorId: string;
  /** Index into `dataset.events`: the query runs before this event is recorded. */
  seq: number;
  /** The query's `now`: the time of event `seq`. */
  at: number;
  /** Items with a positive at or after the cut that the user had not interacted with before it. */
  relevant: Set<string>;
}

/** First index whose event is at or after `at` (events are sorted by time). */
function firstIndexAtOrAfter(dataset: EvalDataset, at: number): number {
  let lo = 0;
  let hi = dataset.events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (dataset.events[mid]!.at < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Builds the cases from each user's cut time: their events before it are their history, and their
 * positives from it on (ties included, so a view and a purchase at the same instant stay together) are the
 * relevant items, less anything in the history. Users with no history or nothing relevant are dropped.
 */
function casesFromCuts(dataset: EvalDataset, cutTimes: ReadonlyMap<string, number>): EvalCase[] {
  const history = new Map<string, Set<string>>();
  const relevant = new Map<string, Set<string>>();
  for (const e of dataset.events) {
    const cut = cutTimes.get(e.actorId);
    if (cut === undefined) continue;
    if (e.at < cut) {
      let items = history.get(e.actorId);
      if (!items) history.set(e.actorId, (items = new Set()));
      items.add(e.itemId);
    } else if (dataset.isPositive(e)) {
      let items = relevant.get(e.actorId);
      if (!items) relevant.set(e.actorId, (items = new Set()));
      items.add(e.itemId);
    }
  }
  const cases: EvalCase[] = [];
  for (const [actorId, at] of cutTimes) {
    const seen = history.get(actorId);
    if (!seen) continue;
    const targets = new Set([...(relevant.get(actorId) ?? [])].filter((id) => !seen.has(id)));
    if (targets.size === 0) continue;
    cases.push({ actorId, seq: firstIndexAtOrAfter(dataset, at), at, relevant: targets });
  }
  return cases.sort((a, b) => a.seq - b.seq || (a.actorId < b.actorId ? -1 : 1));
}

/** One cut for everyone: the last `testShare` of all positives, by time, are the test part. */
export function globalTimeCut(dataset: EvalDataset, testShare: number): EvalCase[] {
  const positives = dataset.events.filter((e) => dataset.isPositive(e));
  if (!positives.length) return [];
  const cut = positives[Math.min(positives.length - 1, Math.floor(positives.length * (1 - testShare)))]!.at;
  const cutTimes = new Map<string, number>();
  for (const e of dataset.events) cutTimes.set(e.actorId, cut);
  return casesFromCuts(dataset, cutTimes);
}

/**
 * A cut per user: the last `testShare` of each user's positives (at least one, and never all of them), by
 * time. Replayed in global time order, this is still leak-free (see the module comment).
 */
export function perUserLastPositives(dataset: EvalDataset, testShare: number): EvalCase[] {
  const positiveTimes = new Map<string, number[]>();
  for (const e of dataset.events) {
    if (!dataset.isPositive(e)) continue;
    let times = positiveTimes.get(e.actorId);
    if (!times) positiveTimes.set(e.actorId, (times = []));
    times.push(e.at);
  }
  const cutTimes = new Map<string, number>();
  for (const [actorId, times] of positiveTimes) {
    if (times.length < 2) continue;
    const test = Math.min(times.length - 1, Math.max(1, Math.round(times.length * testShare)));
    cutTimes.set(actorId, times[times.length - test]!);
  }
  return casesFromCuts(dataset, cutTimes);
}

/** At most `max` cases, chosen by a seeded shuffle, back in replay order. */
export function sampleCases(cases: readonly EvalCase[], max: number, seed: number): EvalCase[] {
  if (cases.length <= max) return [...cases];
  return createRandom(seed)
    .shuffled(cases)
    .slice(0, max)
    .sort((a, b) => a.seq - b.seq || (a.actorId < b.actorId ? -1 : 1));
}
