import { randomInt, timingSafeEqual } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyRequestsError, ValidationError } from '../errors';

const CODE_TRIES = 5;
const CODE_WINDOW_SECONDS = 15 * 60;

/** A fresh six-digit code: the one the shopper gives the courier, or shows at the pickup point. */
export const sixDigits = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

function sameCode(given: string, expected: string): boolean {
  const a = Buffer.from(given.trim());
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks a code given as proof of delivery or of collection. Wrong codes are limited per delivery (five
 * in fifteen minutes), so that six digits cannot be tried one after another.
 */
export function createCodeCheck() {
  const wrongTries = new RateLimiterMemory({
    keyPrefix: 'delivery-code',
    points: CODE_TRIES,
    duration: CODE_WINDOW_SECONDS,
  });

  return async function checkCode(deliveryId: string, given: string, expected: string, field: string) {
    if (sameCode(given, expected)) return;
    try {
      await wrongTries.consume(deliveryId);
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      const seconds = Math.ceil(res.msBeforeNext / 1000);
      throw new TooManyRequestsError(`Too many wrong codes; try again in ${seconds} s`, seconds);
    }
    throw new ValidationError([{ field, message: 'does not match the code the shopper has' }], 'Wrong code');
  };
}

export type CodeCheck = ReturnType<typeof createCodeCheck>;
