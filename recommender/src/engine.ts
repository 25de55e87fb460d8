import { ActorLog } from './actor-log';
import { Catalog } from './catalog';
import { ContentIndex } from './content';
import { CO_VIEW, CoOccurrence, forEachPairOf } from './cooccurrence';
import { decayRate } from './decay';
import { composeFeed } from './feed';
import { HotRankings } from './hot';
import { ItemToItem } from './item-to-item';
import { INTERACTION_TYPES, LIMITS, PURCHASE_CODE, resolveOptions } from './options';
import { buildProfile } from './profiles';
import type { Ranked } from './top-k';
import { itemTokens } from './tokenize';
import type { Interaction, Recommender, RecommenderOptions, Scored } from './types';

const TYPE_CODES = new Map(INTERACTION_TYPES.map((type, code) => [type, code]));

/**
 * The recommender: an in-memory, deterministic composition of the catalog view, hot rankings,
 * co-occurrence, content similarity and actor logs. No I/O and no clock of its own — every time comes in
 * with the call — so the same calls give the same answers, in tests and in the offline evaluation.
 */
export function createRecommender(opts?: RecommenderOptions): Recommender {
  const options = resolveOptions(opts);
  const catalog = new Catalog();
  const hot = new HotRankings(catalog, options);
  const coView = new CoOccurrence();
  const coPurchase = new CoOccurrence();
  const content = new ContentIndex();
  const itemToItem = new ItemToItem(
    coView,
    coPurchase,
    content,
    (index) => catalog.id(index),
    options.contentCacheMs,
  );
  const actors = new Map<string, ActorLog>();
  const profileLambda = decayRate(options.profileHalfLifeMs);
  let events = 0;

  /** Adds (+1) or takes out (−1) what event k of the log contributed to co-occurrence. */
  const applyEvent = (log: ActorLog, k: number, sign: number, onlyBefore = -1): void => {
    const item = log.items[k]!;
    if (onlyBefore < 0 || k < onlyBefore) {
      coView.addOccurrence(item, sign);
      if (log.types[k] === PURCHASE_CODE) coPurchase.addOccurrence(item, sign);
    }
    forEachPairOf(log, k, options.coWindowMs, (kind, a, b, p) => {
      if (onlyBefore >= 0 && k >= onlyBefore && p >= onlyBefore) return;
      (kind === CO_VIEW ? coView : coPurchase).addPair(a, b, sign);
    });
  };

  /** Keeps the log bounded: the oldest half goes, with every pair it took part in. */
  const evictOldest = (log: ActorLog): void => {
    const cut = log.length - LIMITS.actorLogEvents;
    for (let k = 0; k < log.length; k++) applyEvent(log, k, -1, cut);
    log.dropOldest(cut);
  };

  const scoredOf = (ranked: Ranked[]): Scored[] =>
    ranked.map(({ index, score, reasons }) => ({
      itemId: catalog.id(index),
      score,
      reasons: reasons.map((reason) => ({ ...reason })),
    }));

  const known = (itemId: string): number | undefined => {
    const index = catalog.indexOf(itemId);
    return index === undefined || !catalog.isKnown(index) ? undefined : index;
  };

  return {
    upsertItem(item) {
      const index = catalog.upsert(item);
      const tokens = itemTokens(item);
      if (content.set(index, tokens)) itemToItem.invalidate(index);
    },

    removeItem(itemId) {
      const index = catalog.remove(itemId);
      if (index === undefined) return;
      content.remove(index);
      itemToItem.invalidate(index);
      coView.removeItem(index);
      coPurchase.removeItem(index);
      hot.clear(index);
    },

    record(e: Interaction) {
      const code = TYPE_CODES.get(e.type);
      if (code === undefined || !Number.isFinite(e.at)) return;
      const index = catalog.ensure(e.itemId);
      hot.record(index, options.weights[code]!, e.at);
      let log = actors.get(e.actorId);
      if (!log) actors.set(e.actorId, (log = new ActorLog()));
      log.append(index, code, e.at);
      if (code === PURCHASE_CODE) {
        log.purchased.delete(index);
        log.purchased.add(index);
      }
      applyEvent(log, log.length - 1, 1);
      if (log.length >= 2 * LIMITS.actorLogEvents) evictOldest(log);
      events++;
    },

    hot(q) {
      return scoredOf(hot.rank(q));
    },

    similar(itemId, q) {
      const index = known(itemId);
      if (index === undefined) return [];
      return scoredOf(itemToItem.similar(index, q.limit, (other) => catalog.isRecommendable(other), q.now));
    },

    boughtTogether(itemId, q) {
      const index = known(itemId);
      if (index === undefined) return [];
      return scoredOf(itemToItem.boughtTogether(index, q.limit, (other) => catalog.isRecommendable(other)));
    },

    feed(actorId, q) {
      return scoredOf(
        composeFeed({ catalog, hot, itemToItem, options }, actors.get(actorId), q.now, q.limit),
      );
    },

    profile(actorId, now) {
      const log = actors.get(actorId);
      return log ? buildProfile(actorId, log, catalog, options.weights, profileLambda, now) : null;
    },

    forget(actorId) {
      const log = actors.get(actorId);
      if (!log) return;
      for (let k = 0; k < log.length; k++) applyEvent(log, k, -1);
      actors.delete(actorId);
      events -= log.total;
    },

    mergeActor(fromId, toId) {
      const from = actors.get(fromId);
      if (!from || fromId === toId) return;
      // Take the old identity's pairs out, then replay its log into the new one: the pairs found are then
      // exactly those of the merged log, so a later `forget` of the new identity stays exact.
      for (let k = 0; k < from.length; k++) applyEvent(from, k, -1);
      actors.delete(fromId);
      events -= from.total;
      let to = actors.get(toId);
      if (!to) actors.set(toId, (to = new ActorLog()));
      const order = Array.from({ length: from.length }, (_, k) => k).sort(
        (a, b) => from.times[a]! - from.times[b]! || a - b,
      );
      for (const k of order) {
        to.append(from.items[k]!, from.types[k]!, from.times[k]!);
        applyEvent(to, to.length - 1, 1);
        if (to.length >= 2 * LIMITS.actorLogEvents) evictOldest(to);
        events++;
      }
      for (const item of from.purchased) {
        to.purchased.delete(item);
        to.purchased.add(item);
      }
    },

    stats() {
      return { items: catalog.activeCount, actors: actors.size, events };
    },
  };
}
