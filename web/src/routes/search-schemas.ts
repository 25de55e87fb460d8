import { z } from 'zod';
import { CardFlashSaleSchema, CardPromotionSchema, DateTime, UrlHandle } from '../schemas';

/** Schemas of the search API's answers, each a named OpenAPI component. */

export const SearchDocumentSchema = z
  .object({
    id: z.string(),
    urlHandle: UrlHandle,
    name: z.string(),
    nameZh: z.string(),
    brand: z.string(),
    description: z.string(),
    descriptionZh: z.string(),
    categoryId: z.string().describe('the leaf category'),
    categoryPath: z.array(z.string()).describe('category ids from the root to the leaf'),
    categoryNames: z.array(z.string()),
    shopId: z.string(),
    shopName: z.string(),
    attributes: z.array(z.string()).describe('variant attribute values'),
    tags: z.array(z.string()),
    priceMin: z.number(),
    priceMax: z.number(),
    available: z.number(),
    inStock: z.boolean(),
    popularity: z.number(),
    rating: z.number().nullable().describe('average review rating 1–5; null while unrated'),
    createdAt: DateTime,
    version: z.number(),
  })
  .meta({ id: 'SearchDocument' });

/**
 * What a result card shows: the search document without its descriptions, tags and index bookkeeping,
 * so a page of 24 hits does not carry 24 product descriptions.
 */
export const SearchCardSchema = SearchDocumentSchema.pick({
  id: true,
  urlHandle: true,
  name: true,
  nameZh: true,
  brand: true,
  categoryId: true,
  shopId: true,
  shopName: true,
  attributes: true,
  priceMin: true,
  priceMax: true,
  available: true,
  inStock: true,
  popularity: true,
  rating: true,
})
  .extend({ promotion: CardPromotionSchema.optional(), flash: CardFlashSaleSchema.optional() })
  .meta({ id: 'SearchCard' });

const FacetValueSchema = z.object({
  value: z.string(),
  count: z.number(),
  label: z.string().optional().describe('display name where the value is an id (category, shop)'),
});

export const SearchResultSchema = z
  .object({
    total: z.number(),
    hits: z.array(
      z.object({
        id: z.string(),
        score: z.number(),
        document: SearchCardSchema,
        highlights: z
          .object({
            name: z.string().optional(),
            nameZh: z.string().optional(),
            brand: z.string().optional(),
            description: z
              .string()
              .optional()
              .describe('a passage of about 160 characters around the first match'),
          })
          .describe('field → text with matches wrapped in <mark>…</mark> (HTML-escaped otherwise)'),
      }),
    ),
    facets: z.object({
      category: z.array(FacetValueSchema),
      brand: z.array(FacetValueSchema),
      shop: z.array(FacetValueSchema),
      price: z.array(FacetValueSchema),
      rating: z.array(FacetValueSchema),
      inStock: z.array(FacetValueSchema),
    }),
    didYouMean: z
      .string()
      .nullable()
      .describe('a corrected query, when this one found nothing and the correction finds something'),
    correctedQuery: z
      .string()
      .nullable()
      .describe(
        'the query as understood when typo tolerance found these results through corrected words ("showing results for …"); null when every word was found as typed',
      ),
    ignored: z
      .array(z.string())
      .describe('query words no product matched, left out of the search ("no results for 苹果; showing …")'),
    tookMs: z.number(),
  })
  .meta({ id: 'SearchResult' });

export const SuggestionListSchema = z.object({
  suggestions: z.array(
    z.object({ text: z.string(), productId: z.string().optional(), highlighted: z.string() }),
  ),
});
