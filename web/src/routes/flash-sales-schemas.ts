import { MAX_FEN } from '@market/core/browser';
import { z } from 'zod';
import { DateTime, SkuParam } from '../schemas';

/** Schemas of the flash-sale API (sellers' and admins' sales, the public list, the claim answer). */

const IsoDate = z.iso
  .datetime({ offset: true, error: 'an ISO 8601 date-time, e.g. 2026-03-01T00:00:00Z' })
  .transform((s) => new Date(s));
const Count = (max: number) =>
  z
    .number(`a whole number from 1 to ${max}`)
    .int(`a whole number from 1 to ${max}`)
    .min(1, `a whole number from 1 to ${max}`)
    .max(max, `a whole number from 1 to ${max}`);

export const FlashSaleInputSchema = z
  .object({
    sku: SkuParam,
    salePrice: z
      .number('whole fen below the normal price')
      .int('whole fen below the normal price')
      .min(1, 'whole fen below the normal price')
      .max(MAX_FEN, 'whole fen below the normal price'),
    quantity: Count(100_000),
    perPersonLimit: Count(100).optional(),
    startsAt: IsoDate,
    endsAt: IsoDate,
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.endsAt <= input.startsAt)
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
  })
  .meta({ id: 'FlashSaleInput' });

const saleFields = {
  id: z.string(),
  sku: z.string(),
  productId: z.string(),
  sellerId: z.string(),
  salePrice: z.number().describe('fen'),
  normalPrice: z.number().describe('fen, the variant price when the sale was made'),
  quantity: z.number(),
  perPersonLimit: z.number(),
  startsAt: DateTime,
  endsAt: DateTime,
  status: z.enum(['open', 'closed']),
  cancelled: z.boolean(),
  createdBy: z.string(),
  createdAt: DateTime,
};

export const FlashSaleSchema = z.object(saleFields).meta({ id: 'FlashSale' });
export const FlashSaleListSchema = z.object({ items: z.array(FlashSaleSchema) });
export const PublicFlashSaleListSchema = z.object({
  serverNow: DateTime.describe('the server time, for countdowns'),
  items: z.array(
    z
      .object({ ...saleFields, remaining: z.number().describe('units still to win now') })
      .meta({ id: 'PublicFlashSale' }),
  ),
});

export const ClaimInputSchema = z
  .object({ qty: Count(100).optional() })
  .strict()
  .meta({ id: 'FlashClaimInput' });

export const ClaimAnswerSchema = z
  .object({
    status: z.enum(['won', 'already_claimed', 'queued', 'sold_out']),
    remaining: z.number(),
    token: z.string().optional().describe('the claim token (won only): pass it to checkout'),
    qty: z.number().optional(),
    expiresAt: DateTime.optional().describe('pay before this or the units go back to the pool'),
    serverNow: DateTime,
  })
  .meta({ id: 'FlashClaimAnswer' });
