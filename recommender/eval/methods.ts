/**
 * The three methods the report compares. Each returns the user's top k among items they have not
 * interacted with yet: relevant items exclude those (split.ts), so every method gets the same filter and
 * none wastes a slot on them.
 */
import type { Interaction, Recommender } from '../src/index';

export interface RankingQuery {
  actorId: string;
  now: number;
  /** Items the user interacted with before the cut. */
  seen: ReadonlySet<string>;
  /** The same items, most recent first. */
  recent: readonly string[];
}

export interface RankingMethod {
  readonly name: string;
  /** Sees every recorded event, for methods that keep their own state. */
  observe?(e: Interaction): void;
  recommend(q: RankingQuery, k: number): string[];
}

/** Most popular first: distinct users with a positive so far; ties by any interaction, then by id. */
export function popularityBaseline(isPositive: (e: Interaction) => boolean): RankingMethod {
  const positiveUsers = new Map<string, number>();
  const interactions = new Map<string, number>();
  const positivePairs = new Set<string>();
  let ranking: string[] | null = null;
  return {
    name: 'popularity (global counts)',
    observe(e) {
      interactions.set(e.itemId, (interactions.get(e.itemId) ?? 0) + 1);
      ranking = null;
      if (!isPositive(e)) return;
      const pair = `${e.actorId}\u0000${e.itemId}`;
      if (positivePairs.has(pair)) return;
      positivePairs.add(pair);
      positiveUsers.set(e.itemId, (positiveUsers.get(e.itemId) ?? 0) + 1);
    },
    recommend(q, k) {
      ranking ??= [...interactions.keys()].sort(
        (a, b) =>
          (positiveUsers.get(b) ?? 0) - (positiveUsers.get(a) ?? 0) ||
          interactions.get(b)! - interactions.get(a)! ||
          (a < b ? -1 : 1),
      );
      const out: string[] = [];
      for (const id of ranking) {
        if (out.length === k) break;
        if (!q.seen.has(id)) out.push(id);
      }
      return out;
    },
  };
}

export interface ItemToItemOptions {
  /** How many of the user's most recent items seed the neighbours. */
  anchors: number;
  /** Neighbours asked of `similar` per anchor. */
  perAnchor: number;
}

/**
 * `similar` of the user's most recent items, summed; an anchor's neighbours count 1/(1 + its recency rank),
 * so the latest interest leads. Nothing is padded in: a user whose anchors have few neighbours gets a
 * shorter list, which is what this method alone can do.
 */
export function itemToItem(
  recommender: Recommender,
  { anchors, perAnchor }: ItemToItemOptions = { anchors: 5, perAnchor: 50 },
): RankingMethod {
  return {
    name: 'item-to-item (similar)',
    recommend(q, k) {
      const scores = new Map<string, number>();
      q.recent.slice(0, anchors).forEach((anchor, rank) => {
        for (const s of recommender.similar(anchor, { now: q.now, limit: perAnchor })) {
          if (q.seen.has(s.itemId)) continue;
          scores.set(s.itemId, (scores.get(s.itemId) ?? 0) + s.score / (1 + rank));
        }
      });
      return [...scores]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, k)
        .map(([id]) => id);
    },
  };
}

/**
 * The library's personal home feed, asked for k items as the app would. The feed leaves out what the actor
 * interacted with, but only over its retained log; if older seen items had to be dropped here, it is asked
 * again for more.
 */
export function personalBlend(recommender: Recommender): RankingMethod {
  return {
    name: 'personal blend (feed)',
    recommend(q, k) {
      for (let limit = k; ; limit *= 4) {
        const list = recommender.feed(q.actorId, { now: q.now, limit });
        const out = list.map((s) => s.itemId).filter((id) => !q.seen.has(id));
        if (out.length >= k || list.length < limit || limit >= k + q.seen.size) return out.slice(0, k);
      }
    },
  };
}
