import { TooManyRequestsError, type Redis } from '@market/core';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

/** Events one actor may send through `POST /api/events` per minute; Redis-backed across nodes when configured. */
export interface EventLimiter {
  /** Throws TooManyRequestsError (429 with Retry-After) when `count` more events would pass the limit. */
  consume(actorId: string, count: number): Promise<void>;
}

export function createEventLimiter(opts: { eventsPerMinute: number; redis?: Redis | null }): EventLimiter {
  const settings = { points: opts.eventsPerMinute, duration: 60, keyPrefix: 'recs-events' };
  const limiter: RateLimiterAbstract = opts.redis
    ? new RateLimiterRedis({ ...settings, storeClient: opts.redis })
    : new RateLimiterMemory(settings);
  return {
    async consume(actorId, count) {
      try {
        await limiter.consume(actorId, count);
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        const retry = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        throw new TooManyRequestsError(`Too many events; try again in ${retry} s`, retry);
      }
    },
  };
}
