import type { ActorLog } from './actor-log';
import type { Catalog } from './catalog';
import { decayFactor, decayRate } from './decay';
import { diversify } from './diversity';
import type { HotRankings } from './hot';
import type { ItemToItem } from './item-to-item';
import type { ResolvedOptions } from './options';
import { computeAffinities, PRICE_BANDS, priceBand, priceBandIndex } from './profiles';
import { byScore, TopK, type Ranked } from './top-k';
import type { Reason } from './types';

/** Weights of the normalised sources in the blend (see README). */
const BLEND = { neighbours: 1, affinity: 0.5, hot: 0.2, priceBand: 0.25 } as const;
/** Seeds: the actor's strongest recent items, read from at most this many latest events. */
const SEED_EVENTS = 200;
const SEEDS = 20;
const NEIGHBOURS_PER_SEED = 30;
/**
 * Only the strongest seeds add content neighbours (the rest co-view alone): a content lookup is the
 * costliest step of a feed, and the weaker seeds' content neighbours barely moved the offline evaluation.
 */
const CONTENT_SEEDS = 10;
/** Candidates handed to `diversify` first, as a multiple of the limit. */
const POOL_FACTOR = 4;
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

/**
 * The candidates of one feed, in parallel arrays by slot (first-seen order), reused from call to call:
 * a feed gathers a thousand or so, and objects per candidate were most of its garbage.
 */
class Candidates {
  readonly slotOf = new Map<number, number>();
  items: number[] = [];
  neighbours = new Float64Array(1024);
  neighbourBest = new Float64Array(1024);
  neighbourReason: (Reason | undefined)[] = [];
  affinity = new Float64Array(1024);
  affinityBest = new Float64Array(1024);
  affinityReason: (Reason | undefined)[] = [];
  hot = new Float64Array(1024);
  score = new Float64Array(1024);
  /** Items the actor already had, as `seenMark[index] === mark` (a new mark per call clears it). */
  private seenMark = new Int32Array(1024);
  private mark = 0;

  get size(): number {
    return this.items.length;
  }

  /** Starts a feed over a catalog of `itemCount` indexes: no candidates, nothing seen. */
  reset(itemCount: number): void {
    if (this.seenMark.length < itemCount) {
      this.seenMark = new Int32Array(Math.max(itemCount, 2 * this.seenMark.length));
    }
    if (++this.mark === 2 ** 31 - 1) {
      this.seenMark.fill(0);
      this.mark = 1;
    }
    this.slotOf.clear();
    this.items.length = 0;
    this.neighbourReason.length = 0;
    this.affinityReason.length = 0;
  }

  markSeen(index: number): void {
    this.seenMark[index] = this.mark;
  }

  seen(index: number): boolean {
    return this.seenMark[index] === this.mark;
  }

  slot(index: number): number {
    let slot = this.slotOf.get(index);
    if (slot !== undefined) return slot;
    slot = this.items.length;
    if (slot === this.neighbours.length) this.grow();
    this.slotOf.set(index, slot);
    this.items.push(index);
    this.neighbours[slot] = 0;
    this.neighbourBest[slot] = 0;
    this.neighbourReason.push(undefined);
    this.affinity[slot] = 0;
    this.affinityBest[slot] = 0;
    this.affinityReason.push(undefined);
    this.hot[slot] = 0;
    return slot;
  }

  private grow(): void {
    const grown = (from: Float64Array) => {
      const to = new Float64Array(from.length * 2);
      to.set(from);
      return to;
    };
    this.neighbours = grown(this.neighbours);
    this.neighbourBest = grown(this.neighbourBest);
    this.affinity = grown(this.affinity);
    this.affinityBest = grown(this.affinityBest);
    this.hot = grown(this.hot);
    this.score = grown(this.score);
  }
}

/** One per process: `composeFeed` is synchronous, so calls never share it. */
const scratch = new Candidates();
const HOT_REASON: Reason = { kind: 'hot' };

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
 * are left out; then `diversify` caps sellers and categories per 10. Reasons are built for the items
 * returned only.
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

  const c = scratch;
  c.reset(catalog.size);
  for (const index of log.purchased) c.markSeen(index);
  for (let k = 0; k < log.length; k++) c.markSeen(log.items[k]!);
  const accept = (index: number): boolean => !c.seen(index) && catalog.isRecommendable(index);

  const lambda = decayRate(options.profileHalfLifeMs);
  let rank = 0;
  for (const { index: seed, weight } of seedsOf(log, options.weights, lambda, now)) {
    const withContent = rank++ < CONTENT_SEEDS;
    const lists = [ctx.itemToItem.similar(seed, NEIGHBOURS_PER_SEED, accept, now, withContent)];
    if (log.purchased.has(seed)) lists.push(ctx.itemToItem.boughtTogether(seed, NEIGHBOURS_PER_SEED, accept));
    for (const list of lists) {
      for (const { index, score, reasons } of list) {
        const slot = c.slot(index);
        const contribution = weight * score;
        c.neighbours[slot]! += contribution;
        if (contribution > c.neighbourBest[slot]!) {
          c.neighbourBest[slot] = contribution;
          c.neighbourReason[slot] = reasons[0];
        }
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
        hot.rank({ now, limit: poolSize, categoryId: id, horizon: 'baseline' }, accept, false),
      ]),
    ...affinities.brands
      .slice(0, AFFINITY_BRANDS)
      .map(([brand, share]): [Reason, number, Ranked[]] => [
        { kind: 'affinity', facet: 'brand', value: brand },
        BRAND_FACTOR * share,
        hot.rank({ now, limit: poolSize, brand, horizon: 'baseline' }, accept, false),
      ]),
  ];
  for (const [reason, share, list] of affinityLists) {
    const best = list[0]?.score ?? 0;
    for (const { index, score } of list) {
      const slot = c.slot(index);
      const contribution = (share * score) / best;
      c.affinity[slot]! += contribution;
      if (contribution > c.affinityBest[slot]!) {
        c.affinityBest[slot] = contribution;
        c.affinityReason[slot] = reason;
      }
    }
  }

  const hotList = hot.rank({ now, limit: poolSize }, accept, false);
  const hotBest = hotList[0]?.score ?? 0;
  for (const { index, score } of hotList) c.hot[c.slot(index)] = score / hotBest;

  let maxNeighbours = 0;
  let maxAffinity = 0;
  for (let slot = 0; slot < c.size; slot++) {
    maxNeighbours = Math.max(maxNeighbours, c.neighbours[slot]!);
    maxAffinity = Math.max(maxAffinity, c.affinity[slot]!);
  }
  const bandShares = new Float64Array(PRICE_BANDS.length);
  for (const [band, share] of affinities.priceBands) bandShares[PRICE_BANDS.indexOf(band)] = share;
  const topBand = affinities.priceBands[0]?.[0];
  const parts = (slot: number): [number, number, number] => [
    maxNeighbours > 0 ? (BLEND.neighbours * c.neighbours[slot]!) / maxNeighbours : 0,
    maxAffinity > 0 ? (BLEND.affinity * c.affinity[slot]!) / maxAffinity : 0,
    BLEND.hot * c.hot[slot]!,
  ];
  // Scores go into a heap of the best few times `limit`, which nearly always gives `diversify` enough;
  // when it does not (the caps skipped too many), the list is redone from every candidate.
  const top = new TopK(POOL_FACTOR * limit);
  let positive = 0;
  for (let slot = 0; slot < c.size; slot++) {
    const index = c.items[slot]!;
    // As the sum of `parts(slot)`, in that order, without the tuple.
    let score = 0 + (maxNeighbours > 0 ? (BLEND.neighbours * c.neighbours[slot]!) / maxNeighbours : 0);
    score += maxAffinity > 0 ? (BLEND.affinity * c.affinity[slot]!) / maxAffinity : 0;
    score += BLEND.hot * c.hot[slot]!;
    const info = catalog.info(index);
    if (info) score *= 1 + BLEND.priceBand * bandShares[priceBandIndex(info.price)]!;
    c.score[slot] = score;
    if (score > 0) {
      positive++;
      top.offer(index, score);
    }
  }
  const ranked: Ranked[] = top.drain().map(({ index, score }) => ({ index, score, reasons: NO_REASONS }));
  let feed = diversify(ranked, limit, catalog, options.maxPerSeller, options.maxPerCategory);
  if (feed.length < limit && positive > ranked.length) {
    const all: Ranked[] = [];
    for (let slot = 0; slot < c.size; slot++) {
      if (c.score[slot]! > 0) all.push({ index: c.items[slot]!, score: c.score[slot]!, reasons: NO_REASONS });
    }
    all.sort(byScore);
    feed = diversify(all, limit, catalog, options.maxPerSeller, options.maxPerCategory);
  }
  // Reasons, strongest source first (ties in source order), for the items shown.
  return feed.map(({ index, score }) => {
    const slot = c.slotOf.get(index)!;
    const [neighbours, affinity, hotPart] = parts(slot);
    const reasons = (
      [
        [neighbours, c.neighbourReason[slot]],
        [affinity, c.affinityReason[slot]],
        [hotPart, HOT_REASON],
      ] as [number, Reason | undefined][]
    )
      .filter(([part, reason]) => part > 0 && reason)
      .sort((a, b) => b[0] - a[0])
      .map(([, reason]) => reason!);
    const info = catalog.info(index);
    if (info) {
      const band = priceBand(info.price);
      if (band === topBand) reasons.push({ kind: 'affinity', facet: 'price_band', value: band });
    }
    return { index, score, reasons };
  });
}

const NO_REASONS: Reason[] = [];

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
