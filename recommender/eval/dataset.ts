import type { Interaction, ItemInfo, RecommenderOptions } from '../src/index';

/** An interaction log and its catalog, ready for the temporal split (split.ts) and the replay (replay.ts). */
export interface EvalDataset {
  name: string;
  /** What the log is and how it was mapped onto the library's types, for the report. */
  description: string;
  items: ItemInfo[];
  /** Every interaction, sorted by time; ties keep the order of the source log. */
  events: Interaction[];
  /** The interactions that make an item relevant when they fall after a user's cut. */
  isPositive(e: Interaction): boolean;
  /** Library options for this log, when its pace differs from a shop's (see README "Offline evaluation"). */
  options: RecommenderOptions;
}

/** Stable sort by time, so that equal timestamps keep the order the source wrote them in. */
export function sortByTime(events: Interaction[]): Interaction[] {
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at - b.e.at || a.i - b.i)
    .map(({ e }) => e);
}
