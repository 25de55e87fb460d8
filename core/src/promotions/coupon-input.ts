import { SEGMENTS } from '../analytics/rfm';
import { ValidationError, type FieldIssue } from '../errors';
import { MAX_FEN } from '../money';
import { MAX_PER_USER_LIMIT, MAX_USAGE_LIMIT, type CouponAudience, type CouponInput } from './types';

const CODE_PATTERN = /^[A-Z0-9][A-Z0-9_-]{2,31}$/;

export type NormalizedCouponInput = Required<Omit<CouponInput, 'startsAt'>> & { startsAt: Date };

const isWhole = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/**
 * Checks and completes a coupon author's input. The HTTP layer validates the same rules with zod; this
 * is the service's own guard for every other caller. Fields are named as in the request body.
 */
export function normalizeCouponInput(input: CouponInput, now: Date): NormalizedCouponInput {
  const issues: FieldIssue[] = [];
  const bad = (field: string, message: string) => issues.push({ field: `body.${field}`, message });

  const code = typeof input.code === 'string' ? input.code.trim().toUpperCase() : '';
  if (!CODE_PATTERN.test(code))
    bad('code', '3 to 32 letters, digits, "-" or "_", starting with a letter or digit');

  if (input.kind !== 'percent' && input.kind !== 'fixed') bad('kind', 'either "percent" or "fixed"');
  if (input.kind === 'percent' && !isWhole(input.value, 1, 100))
    bad('value', 'a whole percent from 1 to 100');
  if (input.kind === 'fixed' && !isWhole(input.value, 1, MAX_FEN))
    bad('value', 'a positive whole number of fen');

  const maxDiscount = input.maxDiscount ?? null;
  if (maxDiscount !== null && !isWhole(maxDiscount, 1, MAX_FEN))
    bad('maxDiscount', 'a positive whole number of fen, or null for no cap');
  if (maxDiscount !== null && input.kind === 'fixed')
    bad('maxDiscount', 'only a percent coupon can have a cap');

  const minSpend = input.minSpend ?? 0;
  if (!isWhole(minSpend, 0, MAX_FEN)) bad('minSpend', 'a whole number of fen, 0 or more');

  const startsAt = input.startsAt ?? now;
  const endsAt = input.endsAt ?? null;
  if (!(startsAt instanceof Date) || Number.isNaN(startsAt.getTime())) bad('startsAt', 'not a valid date');
  if (endsAt !== null && (!(endsAt instanceof Date) || Number.isNaN(endsAt.getTime())))
    bad('endsAt', 'not a valid date');
  else if (endsAt !== null && endsAt <= startsAt) bad('endsAt', 'must be after startsAt');
  else if (endsAt !== null && endsAt <= now) bad('endsAt', 'must be in the future');

  const usageLimit = input.usageLimit ?? null;
  if (usageLimit !== null && !isWhole(usageLimit, 1, MAX_USAGE_LIMIT))
    bad('usageLimit', `a whole number from 1 to ${MAX_USAGE_LIMIT}, or null for no limit`);
  const perUserLimit = input.perUserLimit === undefined ? 1 : input.perUserLimit;
  if (perUserLimit !== null && !isWhole(perUserLimit, 1, MAX_PER_USER_LIMIT))
    bad('perUserLimit', `a whole number from 1 to ${MAX_PER_USER_LIMIT}, or null for no limit`);

  const description = (input.description ?? '').trim();
  if (description.length > 500) bad('description', 'at most 500 characters');

  const audience = input.audience ?? null;
  if (audience !== null && !isAudience(audience)) bad('audience.segment', `one of ${SEGMENTS.join(', ')}`);

  if (issues.length) throw new ValidationError(issues);
  return {
    code,
    kind: input.kind,
    value: input.value,
    maxDiscount,
    minSpend,
    startsAt,
    endsAt,
    usageLimit,
    perUserLimit,
    description,
    audience: audience && { segment: audience.segment },
  };
}

export function isAudience(value: unknown): value is CouponAudience {
  const segment = (value as { segment?: unknown } | null)?.segment;
  return typeof segment === 'string' && (SEGMENTS as readonly string[]).includes(segment);
}
