import { MAX_FEN, SEGMENTS } from '@market/core/browser';
import { z } from 'zod';
import { trimmedMatching } from '../http/text';
import { DateTime, orNull } from '../schemas';

/** Schemas of the coupon API (sellers' and admins' coupons, a shopper's usable ones). */

// The same limits as the promotions service's own checks (core/src/promotions/coupon-input.ts).
const MAX_USAGE_LIMIT = 100_000;
const MAX_PER_USER_LIMIT = 100;

const Fen = (message: string) => z.number(message).int(message).min(0, message).max(MAX_FEN, message);
const IsoDate = z.iso
  .datetime({ offset: true, error: 'an ISO 8601 date-time, e.g. 2026-03-01T00:00:00Z' })
  .transform((s) => new Date(s));

/** Who may use a coupon: one customer segment of its shop (a seller's coupon) or of the platform. */
export const CouponAudienceSchema = z
  .object({ segment: z.enum(SEGMENTS, `one of ${SEGMENTS.join(', ')}`) })
  .strict()
  .meta({ id: 'CouponAudience' });

export const CouponAudienceInputSchema = z
  .object({ audience: orNull(CouponAudienceSchema) })
  .strict()
  .meta({ id: 'CouponAudienceInput' });

export const CouponInputSchema = z
  .object({
    code: trimmedMatching(
      /^[A-Za-z0-9][A-Za-z0-9_-]{2,31}$/,
      '3 to 32 letters, digits, "-" or "_", starting with a letter or digit',
    ),
    kind: z.enum(['percent', 'fixed'], 'either "percent" or "fixed"'),
    value: z.number('a whole number').int('a whole number').min(1, 'at least 1').max(MAX_FEN),
    maxDiscount: Fen('a positive whole number of fen, or null for no cap')
      .min(1, 'a positive whole number of fen, or null for no cap')
      .nullable()
      .optional(),
    minSpend: Fen('a whole number of fen, 0 or more').optional(),
    startsAt: IsoDate.optional(),
    endsAt: IsoDate.nullable().optional(),
    usageLimit: z
      .number()
      .int(`a whole number from 1 to ${MAX_USAGE_LIMIT}, or null for no limit`)
      .min(1, `a whole number from 1 to ${MAX_USAGE_LIMIT}, or null for no limit`)
      .max(MAX_USAGE_LIMIT, `a whole number from 1 to ${MAX_USAGE_LIMIT}, or null for no limit`)
      .nullable()
      .optional(),
    perUserLimit: z
      .number()
      .int(`a whole number from 1 to ${MAX_PER_USER_LIMIT}, or null for no limit`)
      .min(1, `a whole number from 1 to ${MAX_PER_USER_LIMIT}, or null for no limit`)
      .max(MAX_PER_USER_LIMIT, `a whole number from 1 to ${MAX_PER_USER_LIMIT}, or null for no limit`)
      .nullable()
      .optional(),
    description: z.string().trim().max(500, 'at most 500 characters').optional(),
    audience: orNull(CouponAudienceSchema)
      .optional()
      .describe("a customer segment of the coupon's shop (or of the platform, for an admin's coupon)"),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.kind === 'percent' && input.value > 100)
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'a whole percent from 1 to 100' });
    if (input.kind === 'fixed' && input.maxDiscount != null)
      ctx.addIssue({
        code: 'custom',
        path: ['maxDiscount'],
        message: 'only a percent coupon can have a cap',
      });
    if (input.startsAt && input.endsAt && input.endsAt <= input.startsAt)
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
  })
  .meta({ id: 'CouponInput' });

const couponFields = {
  id: z.string(),
  code: z.string(),
  kind: z.enum(['percent', 'fixed']),
  value: z.number().describe('percent (1–100) or fen'),
  maxDiscount: z.number().nullable(),
  minSpend: z.number(),
  startsAt: DateTime,
  endsAt: DateTime.nullable(),
  usageLimit: z.number().nullable(),
  perUserLimit: z.number().nullable(),
  funding: z.enum(['platform', 'seller']),
  sellerId: z.string().nullable(),
  active: z.boolean(),
  description: z.string(),
  audience: orNull(CouponAudienceSchema),
  forUserId: z
    .string()
    .nullable()
    .describe('set on a coupon given to one account (a referral’s welcome coupon): only they see and use it'),
  createdAt: DateTime,
};

export const CouponSchema = z.object(couponFields).meta({ id: 'Coupon' });
export const ManagedCouponSchema = z
  .object({ ...couponFields, redeemed: z.number().describe('redemptions held now') })
  .meta({ id: 'ManagedCoupon' });
export const AvailableCouponSchema = z
  .object({ ...couponFields, remainingForYou: z.number().describe('uses left for you') })
  .meta({ id: 'AvailableCoupon' });

export const ManagedCouponListSchema = z.object({ items: z.array(ManagedCouponSchema) });
export const AvailableCouponListSchema = z.object({ items: z.array(AvailableCouponSchema) });
