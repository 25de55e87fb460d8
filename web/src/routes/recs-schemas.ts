import { z } from 'zod';
import { queryInt } from '../http/query';
import { requiredText } from '../http/text';
import { DateTime, IdParam, UrlHandle } from '../schemas';

/** Schemas of the recommender routes; each is also a named component of the OpenAPI document. */

export const MAX_EVENTS_PER_REQUEST = 50;
export const MAX_EVENTS_BYTES = 64 * 1024;

const eventFields = {
  id: z
    .string()
    .regex(/^[\w-]{8,64}$/, '8 to 64 letters, digits, "_" or "-"')
    .optional()
    .describe('Chosen by the client; the same id is stored once (a retried beacon)'),
  at: z
    .number()
    .int('epoch milliseconds')
    .min(0)
    .max(8.64e15)
    .optional()
    .describe('When it happened (epoch ms); trusted within 10 minutes of the server clock'),
};
const SearchText = requiredText(200).describe('What was searched for');
const EventProductId = z
  .string('required for view and click')
  .min(1)
  .max(64)
  .regex(/^[\w-]+$/, 'not a valid id');

/** One interaction; which fields it needs depends on its type (a oneOf in the document). */
export const ClientEventSchema = z
  .discriminatedUnion('type', [
    z
      .object({
        ...eventFields,
        type: z.enum(['view', 'click']),
        productId: EventProductId,
        q: SearchText.optional().describe('The search that led to a click'),
      })
      .strict(),
    z
      .object({
        ...eventFields,
        type: z.literal('search'),
        q: requiredText(200, 'required for search').describe('What was searched for'),
        productId: IdParam.optional(),
      })
      .strict(),
  ])
  .describe('Cart adds and purchases are recorded by the API')
  .meta({ id: 'ClientEvent' });

export const EventBatchSchema = z
  .object({ events: z.array(ClientEventSchema).min(1, 'at least one event').max(MAX_EVENTS_PER_REQUEST) })
  .strict()
  .meta({ id: 'EventBatch' });

export const EventBatchResultSchema = z
  .object({
    accepted: z.number().describe('Queued for the store (repeats across processes are dropped there)'),
    duplicates: z.number().describe('Repeats of an event this process saw within the dedupe window'),
  })
  .meta({ id: 'EventBatchResult' });

export const HotQuerySchema = z
  .object({
    limit: queryInt(1, 50, 12),
    category: IdParam.optional(),
    seller: IdParam.optional(),
    trending: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
  })
  .strict();

export const LimitQuerySchema = z.object({ limit: queryInt(1, 50, 12) }).strict();

export const ProductSummarySchema = z
  .object({
    id: z.string(),
    urlHandle: UrlHandle,
    name: z.string(),
    nameZh: z.string(),
    brand: z.string(),
    categoryId: z.string(),
    shopId: z.string(),
    shopName: z.string(),
    shopNameZh: z.string(),
    sellerId: z.string(),
    priceMin: z.number(),
    priceMax: z.number(),
    options: z
      .array(z.string())
      .describe('the options a shopper picks from (up to 7), empty for one variant'),
    currency: z.literal('CNY'),
    imageUrl: z.string(),
    available: z.number(),
    inStock: z.boolean(),
    popularity: z.number(),
  })
  .meta({ id: 'ProductSummary' });

export const ReasonSchema = z
  .object({
    kind: z.enum(['hot', 'trending', 'similar_to', 'bought_with', 'affinity']),
    itemId: z.string().optional().describe('similar_to / bought_with: the product it relates to'),
    facet: z.enum(['category', 'brand', 'price_band']).optional(),
    value: z.string().optional().describe('affinity: category id, brand or price band (yuan)'),
    name: z.string().optional(),
    nameZh: z.string().optional(),
  })
  .meta({ id: 'RecommendationReason' });

export const RecommendedSchema = z
  .object({ product: ProductSummarySchema, score: z.number(), reasons: z.array(ReasonSchema) })
  .meta({ id: 'RecommendedProduct' });

export const RecommendedListSchema = z
  .object({ items: z.array(RecommendedSchema) })
  .meta({ id: 'RecommendedList' });

export const FeedSchema = z
  .object({
    personal: z.boolean().describe('False for a visitor without history: the items are the hot list'),
    items: z.array(RecommendedSchema),
    becauseYouViewed: z
      .object({ product: ProductSummarySchema, items: z.array(RecommendedSchema) })
      .nullable(),
  })
  .meta({ id: 'Feed' });

export const ProfileSchema = z
  .object({
    actorId: z.string(),
    events: z.number(),
    categories: z.array(
      z.object({ id: z.string(), name: z.string(), nameZh: z.string(), weight: z.number() }),
    ),
    brands: z.array(z.object({ name: z.string(), weight: z.number() })),
    priceBands: z.array(z.object({ band: z.string(), weight: z.number() })),
    recentlyViewed: z.array(ProductSummarySchema),
    purchased: z.array(ProductSummarySchema),
    recentSearches: z.array(z.object({ q: z.string(), at: DateTime })),
    recommendations: z.array(RecommendedSchema),
  })
  .meta({ id: 'ShopperProfile' });

export const ProfileResetSchema = z
  .object({ reset: z.literal(true), eraseJobId: z.string() })
  .meta({ id: 'ProfileReset' });

const NodeStatusSchema = z.object({
  id: z.string(),
  host: z.string(),
  pid: z.number(),
  live: z.boolean(),
  state: z.enum(['loading', 'ready', 'stopped']),
  phase: z.string(),
  progress: z.number(),
  generation: z.number(),
  heartbeatAt: DateTime,
  loadedAt: DateTime.nullable(),
  loadMs: z.number().nullable(),
  loadedEvents: z.number(),
  items: z.number(),
  actors: z.number(),
  events: z.number(),
  buffered: z.number(),
  dropped: z.number(),
  lastSeq: z.number(),
  rss: z.number().describe('bytes'),
  heapUsed: z.number().describe('bytes'),
});

export const RecsStatusSchema = z
  .object({
    thisNode: z.string(),
    retentionDays: z.number(),
    cache: z.enum(['memory', 'redis']),
    generation: z.number(),
    nodes: z.array(NodeStatusSchema),
    rebuild: z.object({
      jobId: z.string().nullable(),
      requestedAt: DateTime.nullable(),
      status: z.string().nullable(),
      result: z.unknown(),
      lastError: z.string().nullable(),
    }),
  })
  .meta({ id: 'RecommenderStatus' });

export const RecsRebuildJobSchema = z
  .object({ jobId: z.string(), status: z.string() })
  .meta({ id: 'RecsRebuildJob' });
