/** The public contract of the recommender: plain data in, ranked item ids with their reasons out. */

export type InteractionType = 'view' | 'click' | 'add_to_cart' | 'purchase';

export interface Interaction {
  actorId: string;
  itemId: string;
  type: InteractionType;
  /** Epoch milliseconds, UTC. */
  at: number;
}

export interface ItemInfo {
  id: string;
  /** The leaf category. */
  categoryId: string;
  /** Category ids from the root to the leaf. */
  categoryPath: string[];
  sellerId: string;
  brand: string;
  /** Integer fen. */
  price: number;
  /** Name and description. */
  text: string;
  attributes: Record<string, string>;
  available: boolean;
  createdAt: number;
}

/** Why an item was recommended, for "why am I seeing this". */
export type Reason =
  | { kind: 'hot' | 'trending' }
  | { kind: 'similar_to' | 'bought_with'; itemId: string }
  | { kind: 'affinity'; facet: 'category' | 'brand' | 'price_band'; value: string };

export interface Scored {
  itemId: string;
  score: number;
  reasons: Reason[];
}

export interface RecommenderOptions {
  /** Weight of one event per type; default view 1, click 2, add_to_cart 4, purchase 8. */
  weights?: Partial<Record<InteractionType, number>>;
  /** Half-life of hot rankings; default 6 h. */
  hotHalfLifeMs?: number;
  /** Half-life of the short (current rate) trend counter; default 1 h. */
  trendShortHalfLifeMs?: number;
  /** Half-life of the long (baseline rate) trend counter; default 7 d. */
  trendLongHalfLifeMs?: number;
  /** Half-life of profile affinities; default 14 d. */
  profileHalfLifeMs?: number;
  /** Two events of one actor at most this far apart are co-viewed; default 2 h. */
  coWindowMs?: number;
  /** Feed diversity: at most this many items of one seller per 10; default 3. */
  maxPerSeller?: number;
  /** Feed diversity: at most this many items of one leaf category per 10; default 4. */
  maxPerCategory?: number;
  /**
   * Reuse an item's content neighbours for this long (by the calls' `now`); default 0, off. The live
   * service turns it on: content changes with the catalog, and the lookup dominates the feed's cost.
   */
  contentCacheMs?: number;
  /**
   * Reuse popularity lists (hot, per category / seller / brand, and the feed's) for this long; default
   * 0, off. A global list scans every item; the live service takes lists a couple of seconds old.
   */
  rankingCacheMs?: number;
}

export interface Profile {
  actorId: string;
  /** Shares of the decayed affinity (each facet sums to 1), strongest first. */
  categories: { id: string; weight: number }[];
  brands: { name: string; weight: number }[];
  priceBands: { band: string; weight: number }[];
  /** Most recent first. */
  recentlyViewed: string[];
  /** Most recently bought first. */
  purchased: string[];
  events: number;
}

export interface HotQuery {
  now: number;
  limit: number;
  /** Includes the category's descendants. */
  categoryId?: string;
  sellerId?: string;
  /** Only items growing against their own baseline, fastest growth first. */
  trending?: boolean;
}

export interface Recommender {
  upsertItem(item: ItemInfo): void;
  removeItem(itemId: string): void;
  /** Incremental; events may arrive slightly out of order. */
  record(e: Interaction): void;
  hot(q: HotQuery): Scored[];
  /** Co-view neighbours, blended with content similarity for items with little or no history. */
  similar(itemId: string, q: { now: number; limit: number }): Scored[];
  /** Co-purchase neighbours. */
  boughtTogether(itemId: string, q: { now: number; limit: number }): Scored[];
  /** The personal blend; hot rankings for unknown actors. */
  feed(actorId: string, q: { now: number; limit: number }): Scored[];
  profile(actorId: string, now: number): Profile | null;
  /** Removes the actor's profile and their contribution to co-occurrence counts. */
  forget(actorId: string): void;
  /**
   * Moves everything known of `fromId` to `toId` (an anonymous visitor who logged in): its events join
   * the other log in time order, with their co-occurrence pairs recomputed; hot counters are untouched.
   */
  mergeActor(fromId: string, toId: string): void;
  stats(): { items: number; actors: number; events: number };
}
