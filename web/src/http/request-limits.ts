import {
  TooManyRequestsError,
  type Config,
  type Logger,
  type RateLimitedAction,
  type Redis,
} from '@market/core';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { AppContext } from './session';

/**
 * Budgets for the requests scripts abuse: registrations, checkouts, coupon tries and searches. Each
 * request takes one point from its client address's budget and, when signed in, one from its account's;
 * running out of either answers 429 with `Retry-After` (seconds) until the window turns over. Budgets are
 * set so a person never meets them (`Config.rateLimits`, documented in the README).
 *
 * With Redis every node shares one count (a script cannot multiply its budget by the node count); if
 * Redis fails, each node falls back to its own in-memory count rather than refusing or waving through.
 */
export interface RequestLimits {
  /**
   * Takes a point for this request; throws TooManyRequestsError when a budget is spent. `subject`
   * (an email or phone number asked about) takes the account's place when there is no session.
   */
  take(action: RateLimitedAction, ctx: AppContext, subject?: string): Promise<void>;
}

const WHAT: Record<RateLimitedAction, string> = {
  register: 'registrations',
  checkout: 'checkouts',
  coupon: 'coupon attempts',
  search: 'searches',
  passwordCheck: 'password checks',
  passwordReset: 'password reset requests',
  smsCode: 'text messages with a code',
  flashClaim: 'flash-sale claims',
};

function limiter(
  redis: Redis | null,
  keyPrefix: string,
  points: number,
  duration: number,
): RateLimiterAbstract | null {
  if (points <= 0) return null;
  const memory = new RateLimiterMemory({ keyPrefix, points, duration });
  return redis
    ? new RateLimiterRedis({ storeClient: redis, keyPrefix, points, duration, insuranceLimiter: memory })
    : memory;
}

export function createRequestLimits(deps: {
  budgets: Config['rateLimits'];
  redis: Redis | null;
  log: Logger;
}): RequestLimits {
  const limiters = Object.fromEntries(
    Object.entries(deps.budgets).map(([action, budget]) => [
      action,
      {
        perIp: limiter(deps.redis, `rl:${action}:ip`, budget.perIp, budget.windowSeconds),
        perUser: limiter(deps.redis, `rl:${action}:user`, budget.perUser, budget.windowSeconds),
      },
    ]),
  ) as Record<RateLimitedAction, { perIp: RateLimiterAbstract | null; perUser: RateLimiterAbstract | null }>;

  return {
    async take(action, ctx, subject) {
      const { perIp, perUser } = limiters[action];
      const userId = subject ?? ctx.state.user?.id;
      const results = await Promise.allSettled([
        perIp?.consume(ctx.ip),
        userId ? perUser?.consume(userId) : undefined,
      ]);
      let waitMs = 0;
      for (const result of results) {
        if (result.status === 'fulfilled') continue;
        // rate-limiter-flexible rejects with a RateLimiterRes when the budget is spent, with an Error when
        // its store failed (and the insurance limiter too): a broken store must not block shoppers.
        if (result.reason instanceof RateLimiterRes) waitMs = Math.max(waitMs, result.reason.msBeforeNext);
        else deps.log.error({ err: result.reason, action }, 'rate limiter failed; request let through');
      }
      if (waitMs > 0) {
        const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
        throw new TooManyRequestsError(`Too many ${WHAT[action]}; try again in ${retryAfter} s`, retryAfter);
      }
    },
  };
}
