import { TooManyRequestsError } from '@market/core';
import type { RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';

/**
 * Login throttling: failed attempts are counted per (IP, email) and per IP. The memory store is the
 * embedded default; a multi-node deployment passes Redis-backed limiters (same interface).
 */
export interface LoginLimiter {
  /** Throws TooManyRequestsError while the caller is blocked. */
  check(ip: string, email: string): Promise<void>;
  recordFailure(ip: string, email: string): Promise<void>;
  recordSuccess(ip: string, email: string): Promise<void>;
}

export function createLoginLimiter(opts: {
  maxAttempts: number;
  windowSeconds: number;
  perIp?: RateLimiterAbstract;
  perAccount?: RateLimiterAbstract;
}): LoginLimiter {
  const perAccount =
    opts.perAccount ?? new RateLimiterMemory({ points: opts.maxAttempts, duration: opts.windowSeconds });
  const perIp =
    opts.perIp ?? new RateLimiterMemory({ points: opts.maxAttempts * 10, duration: opts.windowSeconds });
  const key = (ip: string, email: string) => `${ip}|${email.trim().toLowerCase()}`;

  function blocked(res: RateLimiterRes | null): never | void {
    if (res && res.remainingPoints <= 0) {
      const retry = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      throw new TooManyRequestsError(`Too many login attempts; try again in ${retry} s`, retry);
    }
  }

  return {
    async check(ip, email) {
      blocked(await perAccount.get(key(ip, email)));
      blocked(await perIp.get(ip));
    },
    async recordFailure(ip, email) {
      await Promise.all([perAccount.penalty(key(ip, email), 1), perIp.penalty(ip, 1)]);
    },
    async recordSuccess(ip, email) {
      await perAccount.delete(key(ip, email));
    },
  };
}
