import { REASON_CODES } from '@market/core/browser';
import { z } from 'zod';
import { DateTime } from '../schemas';

/** Schemas of the photo API (a product's photos with their checks, support's queue). */

const ReasonSchema = z.object({
  code: z.enum(REASON_CODES),
  severity: z.enum(['info', 'review', 'reject']),
  value: z.number(),
  threshold: z.number().nullable(),
  message: z.string(),
  detail: z.string().optional(),
  photoId: z.string().optional(),
  productId: z.string().optional(),
});

const UrlsSchema = z.object({ thumb: z.string(), medium: z.string(), large: z.string() });

export const PhotoSchema = z
  .object({
    id: z.string(),
    productId: z.string(),
    sellerId: z.string(),
    shopId: z.string(),
    fileName: z.string(),
    format: z.string(),
    bytes: z.number(),
    sha256: z.string(),
    status: z.enum(['checking', 'pass', 'needs_review', 'reject']),
    public: z.boolean(),
    main: z.boolean(),
    reasons: z.array(ReasonSchema),
    metrics: z
      .object({
        width: z.number(),
        height: z.number(),
        sharpness: z.number(),
        meanLuminance: z.number(),
        highlightClip: z.number(),
        shadowClip: z.number(),
        aspectRatio: z.number(),
        backgroundShare: z.number(),
        productFill: z.number(),
      })
      .nullable(),
    findings: z
      .object({
        text: z.object({
          boxes: z.array(
            z.object({
              x: z.number(),
              y: z.number(),
              width: z.number(),
              height: z.number(),
              text: z.string(),
              confidence: z.number(),
            }),
          ),
          coverage: z.number(),
          contacts: z.array(z.object({ kind: z.string(), text: z.string() })),
        }),
        nsfwScore: z.number(),
        category: z.object({
          matches: z.boolean().nullable(),
          score: z.number(),
          topLabels: z.array(z.object({ label: z.string(), score: z.number() })),
        }),
      })
      .nullable(),
    analysisWidth: z.number(),
    analysisHeight: z.number(),
    duplicates: z.array(
      z.object({ photoId: z.string(), productId: z.string(), sellerId: z.string(), distance: z.number() }),
    ),
    review: z
      .object({
        decision: z.enum(['approved', 'rejected']),
        by: z.string(),
        note: z.string(),
        at: DateTime,
      })
      .nullable(),
    urls: UrlsSchema.nullable(),
    checks: z.number(),
    checkedAt: DateTime.nullable(),
    createdAt: DateTime,
  })
  .meta({ id: 'Photo' });

export const ProductPhotosSchema = z
  .object({
    mainPhotoId: z.string().nullable(),
    items: z.array(PhotoSchema),
    limits: z.object({
      perProduct: z.number(),
      perSeller: z.number(),
      sellerUsed: z.number(),
      maxBytes: z.number(),
    }),
  })
  .meta({ id: 'ProductPhotos' });

/** Photos waiting for support's decision, oldest first, and how many wait in all. */
export const PhotoReviewQueueSchema = z.object({ items: z.array(PhotoSchema), total: z.number() });
