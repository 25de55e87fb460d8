import { createHttpClient, type HttpClient } from './api/http-client';
import type { Feed, HotQuery, Recommended, RecsStatus, ShopperProfile } from './api/wire';
import type { Session } from './session.svelte';

/** Products in each strip of the home page (the server renders its "hot now" strip with as many). */
export const HOME_HOT_ITEMS = 6;

/** The recommender API (`/api/rankings/hot`, `/api/recs/feed`, `/api/me/profile`, …). */
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
    path: '/api/rankings/hot' | `/api/products/${string}/${'similar' | 'bought-together'}`,
    query: Record<string, string | number | boolean | undefined>,
    signal?: AbortSignal,
  ) => (await http.get(path, { query, signal })).items;
  const product = (id: string) => `/api/products/${encodeURIComponent(id)}` as const;
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
