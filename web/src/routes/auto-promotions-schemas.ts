import { MAX_FEN } from '@market/core/browser';
import { z } from 'zod';
import { DateTime, orNull } from '../schemas';

/** Schemas of the automatic promotions API (sellers' own, admins' platform-funded ones). */

// The same limits as the service's own checks (core/src/promotions/auto-input.ts).
const MAX_TIERS = 5;
const KINDS = ['spend_and_save', 'percent_off', 'sale_price', 'buy_n_get_m', 'bundle'] as const;
const MIN_BUNDLE_SKUS = 2;
const MAX_BUNDLE_SKUS = 5;
const BUNDLE_SKUS = `${MIN_BUNDLE_SKUS} to ${MAX_BUNDLE_SKUS} different SKUs`;
const Units = z
  .number('a whole number of units from 1 to 99')
  .int('a whole number of units from 1 to 99')
  .min(1, 'a whole number of units from 1 to 99')
  .max(99, 'a whole number of units from 1 to 99');

const Fen = (message: string) => z.number(message).int(message).min(1, message).max(MAX_FEN, message);
const IsoDate = z.iso
  .datetime({ offset: true, error: 'an ISO 8601 date-time, e.g. 2026-03-01T00:00:00Z' })
  .transform((s) => new Date(s));

export const SpendTierSchema = z
  .object({
    threshold: Fen('a positive whole number of fen').describe('fen the items must reach'),
    off: Fen('a positive whole number of fen').describe('fen off once reached'),
  })
  .strict()
  .meta({ id: 'SpendTier' });

export const BundleItemSchema = z
  .object({
    sku: z.string(),
    productId: z.string(),
    name: z.string().describe("the product's name when the bundle was created"),
    price: z.number().int().describe('list price, fen, when the bundle was created'),
  })
  .meta({ id: 'BundleItem' });

export const AutoPromotionInputSchema = z
  .object({
    kind: z.enum(KINDS, `one of ${KINDS.join(', ')}`),
    title: z.string('1 to 80 characters').trim().min(1, '1 to 80 characters').max(80, '1 to 80 characters'),
    shopId: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .nullable()
      .optional()
      .describe("admins only: one shop's items (null or absent: platform-wide); ignored for a seller"),
    categoryId: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .nullable()
      .optional()
      .describe('percent_off, buy_n_get_m: a category'),
    sku: z.string().trim().min(1).max(64).nullable().optional().describe('sale_price: the variant'),
    salePrice: Fen('a positive whole number of fen').nullable().optional().describe('sale_price: fen'),
    percent: z
      .number('a whole percent from 1 to 99')
      .int('a whole percent from 1 to 99')
      .min(1, 'a whole percent from 1 to 99')
      .max(99, 'a whole percent from 1 to 99')
      .nullable()
      .optional(),
    maxDiscount: Fen('a positive whole number of fen, or null for no cap')
      .nullable()
      .optional()
      .describe('percent_off: the most it takes off one checkout'),
    buyQty: Units.nullable().optional().describe('buy_n_get_m: units to buy'),
    freeQty: Units.nullable().optional().describe('buy_n_get_m: units then free (the cheapest)'),
    skus: z
      .array(z.string('a SKU').trim().min(1, 'a SKU').max(64, 'a SKU'), BUNDLE_SKUS)
      .min(MIN_BUNDLE_SKUS, BUNDLE_SKUS)
      .max(MAX_BUNDLE_SKUS, BUNDLE_SKUS)
      .nullable()
      .optional()
      .describe("bundle: the SKUs of one set, all of one shop's"),
    bundlePrice: Fen('a positive whole number of fen')
      .nullable()
      .optional()
      .describe("bundle: fen for one complete set, below the SKUs' list prices together"),
    tiers: z
      .array(SpendTierSchema)
      .min(1, `1 to ${MAX_TIERS} tiers`)
      .max(MAX_TIERS, `1 to ${MAX_TIERS} tiers`)
      .nullable()
      .optional()
      .describe('spend_and_save: thresholds and savings ascending'),
    startsAt: IsoDate.optional(),
    endsAt: IsoDate,
  })
  .strict()
  .superRefine((input, ctx) => {
    const need = (field: keyof typeof input, message: string) => {
      if (input[field] == null) ctx.addIssue({ code: 'custom', path: [field], message });
    };
    const only = (field: keyof typeof input, kind: (typeof KINDS)[number]) => {
      if (input.kind !== kind && input[field] != null)
        ctx.addIssue({ code: 'custom', path: [field], message: `only for ${kind} promotions` });
    };
    if (input.kind === 'sale_price') {
      need('sku', 'the SKU of the variant on sale');
      need('salePrice', 'a positive whole number of fen');
    }
    if (input.kind === 'percent_off') need('percent', 'a whole percent from 1 to 99');
    if (input.kind === 'spend_and_save') need('tiers', `1 to ${MAX_TIERS} tiers`);
    if (input.kind === 'buy_n_get_m') {
      need('buyQty', 'a whole number of units from 1 to 99');
      need('freeQty', 'a whole number of units from 1 to 99');
    }
    if (input.kind === 'bundle') {
      need('skus', BUNDLE_SKUS);
      need('bundlePrice', 'a positive whole number of fen');
    }
    input.skus?.forEach((sku, i) => {
      if (input.skus!.indexOf(sku) < i)
        ctx.addIssue({ code: 'custom', path: ['skus', i], message: 'each SKU once' });
    });
    only('skus', 'bundle');
    only('bundlePrice', 'bundle');
    only('sku', 'sale_price');
    only('salePrice', 'sale_price');
    only('percent', 'percent_off');
    only('maxDiscount', 'percent_off');
    if (input.kind !== 'percent_off' && input.kind !== 'buy_n_get_m' && input.categoryId != null)
      ctx.addIssue({
        code: 'custom',
        path: ['categoryId'],
        message: 'only for percent_off or buy_n_get_m promotions',
      });
    only('buyQty', 'buy_n_get_m');
    only('freeQty', 'buy_n_get_m');
    only('tiers', 'spend_and_save');
    input.tiers?.forEach((t, i) => {
      if (t.off >= t.threshold)
        ctx.addIssue({ code: 'custom', path: ['tiers', i, 'off'], message: 'less than the threshold' });
      const before = input.tiers![i - 1];
      if (before && (t.threshold <= before.threshold || t.off <= before.off))
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', i],
          message: 'each tier needs a higher threshold and a bigger saving than the one before',
        });
    });
    if (input.startsAt && input.endsAt <= input.startsAt)
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
  })
  .meta({ id: 'AutoPromotionInput' });

export const AutoPromotionSchema = z
  .object({
    id: z.string(),
    kind: z.enum(KINDS),
    title: z.string(),
    funding: z.enum(['platform', 'seller']),
    sellerId: z.string().nullable(),
    shopId: z.string().nullable(),
    categoryId: z.string().nullable(),
    sku: z.string().nullable(),
    productId: z.string().nullable().describe("sale_price: the SKU's product"),
    salePrice: z.number().nullable(),
    percent: z.number().nullable(),
    maxDiscount: z.number().nullable(),
    buyQty: z.number().nullable(),
    freeQty: z.number().nullable(),
    skus: z.array(z.string()).describe('bundle: the SKUs of one set (empty for other kinds)'),
    bundlePrice: z.number().nullable().describe('bundle: fen for one set'),
    bundleItems: z
      .array(BundleItemSchema)
      .describe('bundle: per SKU its product and list price when the bundle was created'),
    tiers: z.array(SpendTierSchema),
    startsAt: DateTime,
    endsAt: DateTime,
    active: z.boolean(),
    createdAt: DateTime,
  })
  .meta({ id: 'AutoPromotion' });

export const ManagedAutoPromotionSchema = AutoPromotionSchema.extend({
  live: z.boolean().describe('active and within its dates now'),
}).meta({ id: 'ManagedAutoPromotion' });

export const ManagedAutoPromotionListSchema = z.object({ items: z.array(ManagedAutoPromotionSchema) });

/** What an order or a quote records of one automatic promotion. */
export const AppliedPromotionSchema = z
  .object({
    promotionId: z.string(),
    kind: z.enum(KINDS),
    title: z.string(),
    funding: z.enum(['platform', 'seller']),
    amount: z.number().int().describe('fen it took off'),
  })
  .meta({ id: 'AppliedPromotion' });

export const SpendNudgeSchema = z
  .object({
    promotionId: z.string(),
    title: z.string(),
    shopId: orNull(z.string()).describe("whose items count toward it; null for the platform's"),
    spendMore: z.number().int(),
    save: z.number().int(),
  })
  .meta({ id: 'SpendNudge' });
