import { createHttpClient, type HttpClient } from './api/http-client';
import type { ProductCard } from './api/types';
import type { Session } from './session.svelte';

/** Shapes of the recommender API (`/api/rankings/hot`, `/api/recs/feed`, `/api/me/profile`, …). */

export interface RecReason {
  kind: 'hot' | 'trending' | 'similar_to' | 'bought_with' | 'affinity';
  itemId?: string;
  facet?: 'category' | 'brand' | 'price_band';
  value?: string;
  name?: string;
  nameZh?: string;
}

export interface Recommended {
  product: ProductCard & { sellerId: string };
  score: number;
  reasons: RecReason[];
}

export interface Feed {
  personal: boolean;
  items: Recommended[];
  becauseYouViewed: { product: ProductCard; items: Recommended[] } | null;
}

export interface ShopperProfile {
  actorId: string;
  events: number;
  categories: { id: string; name: string; nameZh: string; weight: number }[];
  brands: { name: string; weight: number }[];
  priceBands: { band: string; weight: number }[];
  recentlyViewed: ProductCard[];
  purchased: ProductCard[];
  recentSearches: { q: string; at: string }[];
  recommendations: Recommended[];
}

export interface RecsNodeStatus {
  id: string;
  host: string;
  pid: number;
  live: boolean;
  state: 'loading' | 'ready' | 'stopped';
  phase: string;
  progress: number;
  generation: number;
  heartbeatAt: string;
  loadedAt: string | null;
  loadMs: number | null;
  loadedEvents: number;
  items: number;
  actors: number;
  events: number;
  buffered: number;
  dropped: number;
  /** Bytes. */
  rss: number;
  heapUsed: number;
}

export interface RecsStatus {
  thisNode: string;
  retentionDays: number;
  cache: 'memory' | 'redis';
  generation: number;
  nodes: RecsNodeStatus[];
  rebuild: {
    jobId: string | null;
    requestedAt: string | null;
    status: string | null;
    lastError: string | null;
  };
}

export interface HotQuery {
  limit?: number;
  category?: string;
  seller?: string;
  trending?: boolean;
}

export interface RecsApi {
  hot(query: HotQuery, signal?: AbortSignal): Promise<Recommended[]>;
  similar(productId: string, limit: number, signal?: AbortSignal): Promise<Recommended[]>;
  boughtTogether(productId: string, limit: number, signal?: AbortSignal): Promise<Recommended[]>;
  feed(limit: number, signal?: AbortSignal): Promise<Feed>;
  profile(signal?: AbortSignal): Promise<ShopperProfile>;
  resetProfile(): Promise<void>;
  /** Admins: another shopper's profile. */
  profileOf(userId: string, signal?: AbortSignal): Promise<ShopperProfile>;
  status(signal?: AbortSignal): Promise<RecsStatus>;
  rebuild(): Promise<{ jobId: string; status: string }>;
}

export function createRecsApi(http: HttpClient): RecsApi {
  const items = async (
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    signal?: AbortSignal,
  ) => (await http.get<{ items: Recommended[] }>(path, { query, signal })).items;
  const product = (id: string) => `/api/products/${encodeURIComponent(id)}`;
  return {
    hot: (query, signal) => items('/api/rankings/hot', { ...query }, signal),
    similar: (id, limit, signal) => items(`${product(id)}/similar`, { limit }, signal),
    boughtTogether: (id, limit, signal) => items(`${product(id)}/bought-together`, { limit }, signal),
    feed: (limit, signal) => http.get('/api/recs/feed', { query: { limit }, signal }),
    profile: (signal) => http.get('/api/me/profile', { signal }),
    resetProfile: async () => {
      await http.send('DELETE', '/api/me/profile');
    },
    profileOf: (userId, signal) =>
      http.get(`/api/admin/users/${encodeURIComponent(userId)}/profile`, { signal }),
    status: (signal) => http.get('/api/admin/recs/status', { signal }),
    rebuild: () => http.send('POST', '/api/admin/recs/rebuild'),
  };
}

const apis = new WeakMap<Session, RecsApi>();

/** The recommender API over the app's session (its CSRF token), made once per session. */
export function recsApiFor(session: Session): RecsApi {
  let api = apis.get(session);
  if (!api) {
    api = createRecsApi(
      createHttpClient({ csrfToken: () => session.csrfToken(), refreshCsrfToken: () => session.refresh() }),
    );
    apis.set(session, api);
  }
  return api;
}
