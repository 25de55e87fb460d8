import { createPromotionViews } from '../storefront/promotion-views';
import type { User } from '@market/core';
import { PRICE_BUCKETS, SEARCH_SORTS, type PriceBucketKey, type SearchDocument } from '@market/search';
import { z } from 'zod';
import { queryInt } from '../http/query';
import type { RouteDefiner } from '../http/route';
import { recsActor } from '../recs/actor';
import { rerankByAffinity } from '../recs/search-boost';
import { IdParam } from '../schemas';
import type { AppContext } from '../http/session';
import type { WebDeps } from '../web-deps';
import { SearchCardSchema, SearchResultSchema, SuggestionListSchema } from './search-schemas';

type SearchCard = z.output<typeof SearchCardSchema>;

const PRICE_KEYS = PRICE_BUCKETS.map((b) => b.key) as [PriceBucketKey, ...PriceBucketKey[]];

/**
 * A comma-separated list parameter, e.g. `brand=Apple,Xiaomi`, with each value checked by `item`. The
 * document says so in OpenAPI's words (an array, `style: form`, `explode: false`) with the item's own
 * schema, so a client and the fuzzer send what the server splits.
 */
const list = <T extends z.ZodType<unknown, string>>(item: T, max = 20) => {
  const { $schema: _, ...itemDoc } = z.toJSONSchema(item, { io: 'input' });
  return z
    .string()
    .max(2000)
    .transform((s) => s.split(','))
    .pipe(z.array(item).min(1).max(max, `at most ${max} values`))
    .meta({
      param: { style: 'form', explode: false },
      type: 'array',
      items: itemDoc,
      minItems: 1,
      maxItems: max,
    });
};

export const SearchQuerySchema = z
  .object({
    q: z.string().max(200, 'at most 200 characters').default(''),
    category: list(IdParam).optional(),
    brand: list(
      z
        .string()
        .max(80)
        .regex(/^[^,]+$/, 'a brand name'),
    ).optional(),
    shop: list(IdParam).optional(),
    price: list(z.enum(PRICE_KEYS)).optional(),
    rating: queryInt(1, 4).optional(),
    inStock: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    sort: z.enum(SEARCH_SORTS).default('relevance'),
    page: queryInt(1, 100, 1),
    pageSize: queryInt(1, 100, 24),
  })
  .strict();

const SuggestQuerySchema = z
  .object({ q: z.string().max(100, 'at most 100 characters'), limit: queryInt(1, 20, 8) })
  .strict();

/** The hit's document cut down to the fields of a result card. */
// `promotion` and `flash` are not the document's: they are added per page (promotion-views.ts).
const CARD_FIELDS = Object.keys(SearchCardSchema.shape).filter(
  (f) => f !== 'promotion' && f !== 'flash',
) as Exclude<keyof SearchCard, 'promotion' | 'flash'>[];
const toCard = (doc: SearchDocument): SearchCard =>
  ({
    ...Object.fromEntries(CARD_FIELDS.map((field) => [field, doc[field]])),
    // A document indexed before URL handles existed has none.
    urlHandle: doc.urlHandle ?? null,
  }) as SearchCard;

export function searchRoutes(route: RouteDefiner, deps: WebDeps) {
  const { search, requestLimits } = deps;
  const searchResults = createSearchResults(deps);

  route(
    {
      method: 'get',
      path: '/api/search',
      summary:
        'Search products: typo-tolerant, bilingual, with facets (counts use the other facets’ filters)',
      tags: ['search'],
      auth: 'public',
      query: SearchQuerySchema,
      responses: { 200: { description: 'Results', schema: SearchResultSchema } },
    },
    async (ctx, { query, user }) => {
      ctx.body = await searchResults(ctx, query, user);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/search/suggest',
      summary: 'Autocomplete suggestions for what the shopper is typing',
      tags: ['search'],
      auth: 'public',
      query: SuggestQuerySchema,
      responses: {
        200: { description: 'Suggestions', schema: SuggestionListSchema },
      },
    },
    async (ctx, { query }) => {
      await requestLimits.take('search', ctx);
      const q = query.q.trim();
      ctx.body = { suggestions: q ? await search.suggest(q, query.limit) : [] };
    },
  );
}

/**
 * What `GET /api/search` answers for a query, as one function: the route and the server-rendered results
 * page (web/src/http/storefront.ts) both call it, so both count against the same search budget, record
 * the same search event and rank alike.
 */
export function createSearchResults({ search, core, recs, requestLimits }: WebDeps) {
  const promotionViews = createPromotionViews(core);
  return async (ctx: AppContext, query: z.output<typeof SearchQuerySchema>, user: User | null) => {
    await requestLimits.take('search', ctx);
    const result = await search.search({
      q: query.q.trim(),
      filters: {
        ...(query.category && { categoryIds: query.category }),
        ...(query.brand && { brands: query.brand }),
        ...(query.shop && { shopIds: query.shop }),
        ...(query.price && { priceBuckets: query.price }),
        ...(query.rating !== undefined && { minRating: query.rating }),
        ...(query.inStock !== undefined && { inStock: query.inStock }),
      },
      sort: query.sort,
      page: query.page,
      pageSize: query.pageSize,
    });
    const q = query.q.trim();
    if (q && query.page === 1) {
      recs.record(recsActor(ctx, recs, { create: true })!, { type: 'search', q, results: result.total });
    }
    const affinity = user && q && query.sort === 'relevance' ? recs.affinity(user.id) : null;
    if (affinity) result.hits = rerankByAffinity(result.hits, affinity);
    // Facet values that are ids get display names here, so every engine returns the same shape.
    const shops = await Promise.all(result.facets.shop.map((f) => core.shops.getShop(f.value)));
    result.facets.shop = result.facets.shop.map((f, i) => ({ ...f, label: shops[i]?.name ?? f.value }));
    const categories = await core.categories.list();
    const names = new Map(categories.map((c) => [c.id, c.name]));
    result.facets.category = result.facets.category.map((f) => ({
      ...f,
      label: names.get(f.value) ?? f.value,
    }));
    const cards = await promotionViews.cards(result.hits.map((hit) => toCard(hit.document)));
    return { ...result, hits: result.hits.map((hit, i) => ({ ...hit, document: cards[i]! })) };
  };
}
