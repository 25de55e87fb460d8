import type { ActorLog } from './actor-log';
import type { Catalog } from './catalog';
import { decayFactor, decayRate } from './decay';
import { diversify } from './diversity';
import type { HotRankings } from './hot';
import type { ItemToItem } from './item-to-item';
import type { ResolvedOptions } from './options';
import { computeAffinities, priceBand } from './profiles';
import { byScore, type Ranked } from './top-k';
import type { Reason } from './types';

/** Weights of the normalised sources in the blend (see README). */
const BLEND = { neighbours: 1, affinity: 0.5, hot: 0.2, priceBand: 0.25 } as const;
/** Seeds: the actor's strongest recent items, read from at most this many latest events. */
const SEED_EVENTS = 200;
const SEEDS = 20;
const NEIGHBOURS_PER_SEED = 30;
const AFFINITY_CATEGORIES = 3;
const AFFINITY_BRANDS = 2;
/** Brand affinity counts half as much as category affinity. */
const BRAND_FACTOR = 0.5;

export interface FeedContext {
  catalog: Catalog;
  hot: HotRankings;
  itemToItem: ItemToItem;
  options: ResolvedOptions;
}

interface Candidate {
  neighbours: number;
  neighbourReason?: Reason;
  neighbourBest: number;
  affinity: number;
  affinityReason?: Reason;
  affinityBest: number;
  hot: number;
}

/**
 * The home feed. An actor without history gets the hot list. Otherwise three sources, each normalised
 * to [0, 1] by its best candidate, are blended:
 *
 *   score(j) = 1.0·N(j) + 0.5·A(j) + 0.2·H(j),  then × (1 + 0.25 · share of j's price band)
 *
 * - N, neighbours of recent activity: Σ over seeds s of w(s) · sim(s, j), seeds being the actor's
 *   strongest items (type weight × profile decay) among their latest events, sim the `similar` blend, plus
 *   co-purchase neighbours of the seeds they bought;
 * - A, affinities: Σ over the top categories c of share(c) · hot(j in c) / max hot in c, and the same at
 *   half weight for the top brands;
 * - H, global hot.
 *
 * Items the actor already interacted with (their retained log) or bought (ever), and unavailable items,
 * are left out; then `diversify` caps sellers and categories per 10.
 */
export function composeFeed(
  ctx: FeedContext,
  log: ActorLog | undefined,
  now: number,
  limit: number,
): Ranked[] {
  const { catalog, hot, options } = ctx;
  const poolSize = Math.max(3 * limit, 50);
  if (!log || (log.length === 0 && log.purchased.size === 0)) {
    const ranked = hot.rank({ now, limit: poolSize });
    return diversify(ranked, limit, catalog, options.maxPerSeller, options.maxPerCategory);
  }

  const seen = new Set<number>(log.purchased);
  for (let k = 0; k < log.length; k++) seen.add(log.items[k]!);
  const accept = (index: number): boolean => !seen.has(index) && catalog.isRecommendable(index);
  const candidates = new Map<number, Candidate>();
  const candidate = (index: number): Candidate => {
    let c = candidates.get(index);
    if (!c)
      candidates.set(index, (c = { neighbours: 0, neighbourBest: 0, affinity: 0, affinityBest: 0, hot: 0 }));
    return c;
  };

  const lambda = decayRate(options.profileHalfLifeMs);
  for (const { index: seed, weight } of seedsOf(log, options.weights, lambda, now)) {
    const lists = [ctx.itemToItem.similar(seed, NEIGHBOURS_PER_SEED, accept, now)];
    if (log.purchased.has(seed)) lists.push(ctx.itemToItem.boughtTogether(seed, NEIGHBOURS_PER_SEED, accept));
    for (const list of lists) {
      for (const { index, score, reasons } of list) {
        const c = candidate(index);
        const contribution = weight * score;
        c.neighbours += contribution;
        if (contribution > c.neighbourBest) [c.neighbourBest, c.neighbourReason] = [contribution, reasons[0]];
      }
    }
  }

  const affinities = computeAffinities(log, catalog, options.weights, lambda, now);
  const affinityLists: [Reason, number, Ranked[]][] = [
    ...affinities.categories
      .slice(0, AFFINITY_CATEGORIES)
      .map(([id, share]): [Reason, number, Ranked[]] => [
        { kind: 'affinity', facet: 'category', value: id },
        share,
        hot.rank({ now, limit: poolSize, categoryId: id, horizon: 'baseline' }, accept),
      ]),
    ...affinities.brands
      .slice(0, AFFINITY_BRANDS)
      .map(([brand, share]): [Reason, number, Ranked[]] => [
        { kind: 'affinity', facet: 'brand', value: brand },
        BRAND_FACTOR * share,
        hot.rank({ now, limit: poolSize, brand, horizon: 'baseline' }, accept),
      ]),
  ];
  for (const [reason, share, list] of affinityLists) {
    const best = list[0]?.score ?? 0;
    for (const { index, score } of list) {
      const c = candidate(index);
      const contribution = (share * score) / best;
      c.affinity += contribution;
      if (contribution > c.affinityBest) [c.affinityBest, c.affinityReason] = [contribution, reason];
    }
  }

  const hotList = hot.rank({ now, limit: poolSize }, accept);
  const hotBest = hotList[0]?.score ?? 0;
  for (const { index, score } of hotList) candidate(index).hot = score / hotBest;

  let maxNeighbours = 0;
  let maxAffinity = 0;
  for (const c of candidates.values()) {
    maxNeighbours = Math.max(maxNeighbours, c.neighbours);
    maxAffinity = Math.max(maxAffinity, c.affinity);
  }
  const bandShares = new Map(affinities.priceBands);
  const topBand = affinities.priceBands[0]?.[0];
  const ranked: Ranked[] = [];
  for (const [index, c] of candidates) {
    const parts: [number, Reason | undefined][] = [
      [maxNeighbours > 0 ? (BLEND.neighbours * c.neighbours) / maxNeighbours : 0, c.neighbourReason],
      [maxAffinity > 0 ? (BLEND.affinity * c.affinity) / maxAffinity : 0, c.affinityReason],
      [BLEND.hot * c.hot, { kind: 'hot' }],
    ];
    let score = parts.reduce((sum, [part]) => sum + part, 0);
    const reasons = parts
      .filter(([part, reason]) => part > 0 && reason)
      .sort((a, b) => b[0] - a[0])
      .map(([, reason]) => reason!);
    const info = catalog.info(index);
    if (info) {
      const band = priceBand(info.price);
      score *= 1 + BLEND.priceBand * (bandShares.get(band) ?? 0);
      if (band === topBand) reasons.push({ kind: 'affinity', facet: 'price_band', value: band });
    }
    if (score > 0) ranked.push({ index, score, reasons });
  }
  ranked.sort(byScore);
  return diversify(ranked, limit, catalog, options.maxPerSeller, options.maxPerCategory);
}

/** The actor's strongest items among their latest events: Σ type weight × profile decay, best first. */
function seedsOf(
  log: ActorLog,
  weights: Float64Array,
  lambda: number,
  now: number,
): { index: number; weight: number }[] {
  const strength = new Map<number, number>();
  for (let k = log.length - 1; k >= Math.max(0, log.length - SEED_EVENTS); k--) {
    const item = log.items[k]!;
    const weight = weights[log.types[k]!]! * decayFactor(lambda, log.times[k]!, now);
    strength.set(item, (strength.get(item) ?? 0) + weight);
  }
  return [...strength]
    .map(([index, weight]) => ({ index, weight }))
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .slice(0, SEEDS);
}
