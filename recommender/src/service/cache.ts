import type { Redis } from '@market/core';

/**
 * A small cache port for ready-made answers (hot lists with their product cards), shared by every app
 * node when Redis is configured. Values are strings; entries expire after their TTL. Errors are the
 * caller's to swallow: a cache that is down must only make answers slower, never fail them.
 */
export interface RecsCache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  readonly kind: 'memory' | 'redis';
}

/** The embedded default: one process, a bounded map with expiry times. */
export function createMemoryCache(maxEntries = 1000, clock: () => number = Date.now): RecsCache {
  const entries = new Map<string, { value: string; expiresAt: number }>();
  return {
    kind: 'memory',
    async get(key) {
      const entry = entries.get(key);
      if (!entry) return null;
      if (entry.expiresAt <= clock()) {
        entries.delete(key);
        return null;
      }
      return entry.value;
    },
    async set(key, value, ttlMs) {
      entries.delete(key);
      entries.set(key, { value, expiresAt: clock() + ttlMs });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
  };
}

/** Redis (REDIS_URL): `SET key value PX ttl`, under a prefix of its own. */
export function createRedisCache(redis: Redis, prefix = 'recs:'): RecsCache {
  return {
    kind: 'redis',
    get: (key) => redis.get(prefix + key),
    async set(key, value, ttlMs) {
      await redis.set(prefix + key, value, 'PX', Math.max(1, Math.round(ttlMs)));
    },
  };
}
