import {
  MODERATION_REASON_MAX,
  REPLY_BODY_MAX,
  REVIEW_BODY_MAX,
  REVIEW_TITLE_MAX,
} from '@market/core/browser';
import { z } from 'zod';
import { requiredText } from './http/text';
import { DateTime, IdParam } from './schemas';

/** Schemas of the reviews API, each a named OpenAPI component. Dates travel as ISO strings. */

/** `<buyerId>:<productId>`. */
export const ReviewIdParam = z
  .string()
  .min(3)
  .max(130)
  .regex(/^[\w-]+:[\w-]+$/, 'not a valid review id');

const Text = (max: number) => requiredText(max);

export const ReviewInputSchema = z
  .object({
    orderId: IdParam,
    rating: z
      .number('a whole number of stars from 1 to 5')
      .int('a whole number of stars from 1 to 5')
      .min(1, 'a whole number of stars from 1 to 5')
      .max(5, 'a whole number of stars from 1 to 5'),
    title: Text(REVIEW_TITLE_MAX),
    body: z.string().trim().max(REVIEW_BODY_MAX, `at most ${REVIEW_BODY_MAX} characters`).default(''),
  })
  .strict()
  .meta({ id: 'ReviewInput' });

export const ReplyInputSchema = z
  .object({ body: Text(REPLY_BODY_MAX) })
  .strict()
  .meta({ id: 'ReviewReplyInput' });

export const HideInputSchema = z
  .object({ reason: Text(MODERATION_REASON_MAX) })
  .strict()
  .meta({ id: 'ReviewHideInput' });

export const RatingSummarySchema = z
  .object({
    average: z.number(),
    count: z.number().int(),
    histogram: z.object({
      '1': z.number().int(),
      '2': z.number().int(),
      '3': z.number().int(),
      '4': z.number().int(),
      '5': z.number().int(),
    }),
  })
  .meta({ id: 'RatingSummary' });

export const ReviewSchema = z
  .object({
    id: z.string(),
    productId: z.string(),
    rating: z.number().int(),
    title: z.string(),
    body: z.string(),
    authorName: z.string(),
    variantTitle: z.string(),
    reply: z.object({ body: z.string(), createdAt: DateTime, updatedAt: DateTime }).nullable(),
    hidden: z.boolean(),
    hiddenReason: z.string().nullable(),
    mine: z.boolean(),
    createdAt: DateTime,
  })
  .meta({ id: 'Review' });

export const SupportReviewSchema = ReviewSchema.extend({
  buyerId: z.string(),
  orderId: z.string(),
  sellerId: z.string(),
  sku: z.string(),
  productName: z.string(),
  productNameZh: z.string(),
  hiddenAt: DateTime.nullable(),
  hiddenBy: z.string().nullable(),
}).meta({ id: 'SupportReview' });

export const ReviewPageSchema = z
  .object({
    summary: RatingSummarySchema,
    items: z.array(ReviewSchema),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'ReviewPage' });

export const ReviewableProductSchema = z
  .object({
    orderId: z.string(),
    orderNumber: z.string(),
    productId: z.string(),
    sku: z.string(),
    name: z.string(),
    nameZh: z.string(),
    variantTitle: z.string(),
    image: z.string().nullable(),
    deliveredAt: DateTime,
  })
  .meta({ id: 'ReviewableProduct' });

export const ReviewableListSchema = z.object({ items: z.array(ReviewableProductSchema) });

export const SupportReviewPageSchema = z.object({
  items: z.array(SupportReviewSchema),
  nextCursor: z.string().nullable(),
});
