import { createRecommender } from '../engine';
import type { ItemInfo, Recommender, RecommenderOptions } from '../types';
import type { EventPage, StoredEvent } from './types';

/** The listing fields the recommender reads (the storefront's `product_listings` read model). */
export interface ListingLike {
  _id: string;
  sellerId: string;
  categoryId: string;
  categoryPath: string[];
  name: string;
  nameZh: string;
  brand: string;
  priceMin: number;
  inStock: boolean;
  createdAt: Date;
}

export function itemOf(listing: ListingLike): ItemInfo {
  return {
    id: listing._id,
    categoryId: listing.categoryId,
    categoryPath: listing.categoryPath,
    sellerId: listing.sellerId,
    brand: listing.brand,
    price: listing.priceMin,
    text: `${listing.name} ${listing.nameZh}`,
    attributes: {},
    available: listing.inStock,
    createdAt: new Date(listing.createdAt).getTime(),
  };
}

const SEARCHES_PER_ACTOR = 10;

/** Each actor's latest distinct searches, for the profile page; forgotten with the actor. */
export class RecentSearches {
  private readonly byActor = new Map<string, { q: string; at: number }[]>();

  add(actor: string, q: string, at: number): void {
    const list = (this.byActor.get(actor) ?? []).filter((s) => s.q !== q);
    list.push({ q, at });
    list.sort((x, y) => x.at - y.at);
    this.byActor.set(actor, list.slice(-SEARCHES_PER_ACTOR));
  }

  /** Latest first. */
  of(actor: string): { q: string; at: number }[] {
    return [...(this.byActor.get(actor) ?? [])].reverse();
  }

  merge(from: string, to: string): void {
    for (const s of this.byActor.get(from) ?? []) this.add(to, s.q, s.at);
    this.byActor.delete(from);
  }

  forget(actor: string): void {
    this.byActor.delete(actor);
  }
}

/**
 * One process's in-memory recommender and what travels with it. A full load builds a new one while the
 * old one keeps serving; the swap is one assignment.
 */
export class RecsModel {
  readonly engine: Recommender;
  readonly searches = new RecentSearches();
  /** Events applied (every type), for progress and status. */
  applied = 0;

  constructor(options?: RecommenderOptions) {
    this.engine = createRecommender(options);
  }

  applyEvent(e: StoredEvent): void {
    this.applied++;
    switch (e.t) {
      case 'view':
      case 'click':
      case 'add_to_cart':
      case 'purchase':
        if (e.i) this.engine.record({ actorId: e.a, itemId: e.i, type: e.t, at: e.at });
        return;
      case 'search':
        if (e.q) this.searches.add(e.a, e.q, e.at);
        return;
      case 'link':
        if (e.to) {
          this.engine.mergeActor(e.a, e.to);
          this.searches.merge(e.a, e.to);
        }
        return;
      case 'reset':
        this.engine.forget(e.a);
        this.searches.forget(e.a);
        return;
    }
  }

  applyPage(page: EventPage): void {
    for (const e of page.events) this.applyEvent(e);
  }

  upsertListing(listing: ListingLike): void {
    this.engine.upsertItem(itemOf(listing));
  }

  removeItem(id: string): void {
    this.engine.removeItem(id);
  }
}
