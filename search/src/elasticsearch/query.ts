import type { estypes } from '@elastic/elasticsearch';
import { PRICE_BUCKETS, type SearchFilters, type SearchQuery, type SearchSort } from '../types';
import { SEARCH_TEXT_FIELD, SPELL_FIELD } from './settings';

/** The search request without its target index (the engine adds the alias). */
export type SearchBody = Omit<estypes.SearchRequest, 'index'>;
type Query = estypes.QueryDslQueryContainer;

/** Field boosts: name over brand and category over attributes/tags over description (issue 3, relevance). */
export const FIELD_BOOSTS: Readonly<Record<string, number>> = {
  name: 4,
  nameZh: 4,
  brand: 2,
  categoryNames: 2,
  'categoryNames.zh': 2,
  attributes: 1.5,
  'attributes.zh': 1.5,
  tags: 1.5,
  'tags.zh': 1.5,
  description: 1,
  descriptionZh: 1,
};

export const RANKING = {
  /** Added to a base of 1 and multiplied into the text score: in-stock products score twice as high. */
  inStockWeight: 1,
  /** Weight of log10(1 + popularity): a tie-breaker, not a ranking signal of its own. */
  popularityWeight: 0.1,
  exactPhraseBoost: 5,
  namePrefixBoost: 2,
  /** All terms up to three; from four terms on, a quarter may be missing. */
  recallMinimumShouldMatch: '3<-25%',
} as const;

export const FACETS = ['category', 'brand', 'shop', 'price', 'rating', 'inStock'] as const;
export type FacetName = (typeof FACETS)[number];

export const RATING_THRESHOLDS = [4, 3, 2, 1] as const;
export const HIGHLIGHT_TAGS = { pre: '<mark>', post: '</mark>' } as const;

const boosted = (boosts: Readonly<Record<string, number>>) =>
  Object.entries(boosts).map(([f, b]) => `${f}^${b}`);

/**
 * The text part of a search. A document must match every term (typo-tolerant) somewhere in the catch-all
 * field, or every term with the last one as a prefix; scoring then comes from the per-field clauses, so
 * the boosts decide ranking without narrowing recall (brand in `brand`, model in `name` still matches).
 */
export function buildTextQuery(q: string): Query {
  const query = q.trim();
  return {
    bool: {
      must: [
        {
          bool: {
            minimum_should_match: 1,
            should: [
              {
                multi_match: {
                  query,
                  fields: [SEARCH_TEXT_FIELD, `${SEARCH_TEXT_FIELD}.zh`],
                  type: 'best_fields',
                  // AUTO: exact up to 2 characters, one edit up to 5, two beyond.
                  fuzziness: 'AUTO',
                  minimum_should_match: RANKING.recallMinimumShouldMatch,
                },
              },
              {
                match_bool_prefix: {
                  [`${SEARCH_TEXT_FIELD}.prefix`]: {
                    query,
                    fuzziness: 'AUTO',
                    minimum_should_match: RANKING.recallMinimumShouldMatch,
                  },
                },
              },
            ],
          },
        },
      ],
      should: [
        {
          multi_match: {
            query,
            fields: boosted(FIELD_BOOSTS),
            type: 'best_fields',
            tie_breaker: 0.3,
            fuzziness: 'AUTO',
          },
        },
        {
          multi_match: {
            query,
            type: 'bool_prefix',
            fields: [
              'name.autocomplete',
              'name.autocomplete._2gram',
              'name.autocomplete._3gram',
              'nameZh.autocomplete',
              'nameZh.autocomplete._2gram',
              'nameZh.autocomplete._3gram',
            ],
            boost: RANKING.namePrefixBoost,
          },
        },
        { match_phrase: { name: { query, boost: RANKING.exactPhraseBoost } } },
        { match_phrase: { nameZh: { query, boost: RANKING.exactPhraseBoost } } },
      ],
    },
  };
}

/** In stock first, popularity as a tie-breaker; applied to browsing (no text) as well. */
export function withRanking(query: Query): Query {
  return {
    function_score: {
      query,
      functions: [
        { weight: 1 },
        { filter: { term: { inStock: true } }, weight: RANKING.inStockWeight },
        {
          field_value_factor: { field: 'popularity', modifier: 'log1p', missing: 0 },
          weight: RANKING.popularityWeight,
        },
      ],
      score_mode: 'sum',
      boost_mode: 'multiply',
    },
  };
}

/** One filter per facet (null when the facet has no selection): OR inside a facet, AND across facets. */
export function buildFacetFilters(filters: SearchFilters): Record<FacetName, Query | null> {
  const priceRanges = PRICE_BUCKETS.filter((b) => filters.priceBuckets?.includes(b.key)).map((b): Query => ({
    range: { priceMin: { gte: b.from, lt: b.to } },
  }));
  return {
    // categoryPath holds the leaf and its ancestors, so a category matches its descendants.
    category: filters.categoryIds?.length ? { terms: { categoryPath: filters.categoryIds } } : null,
    brand: filters.brands?.length ? { terms: { 'brand.keyword': filters.brands } } : null,
    shop: filters.shopIds?.length ? { terms: { shopId: filters.shopIds } } : null,
    price: priceRanges.length ? { bool: { should: priceRanges, minimum_should_match: 1 } } : null,
    rating: filters.minRating != null ? { range: { rating: { gte: filters.minRating } } } : null,
    inStock: typeof filters.inStock === 'boolean' ? { term: { inStock: filters.inStock } } : null,
  };
}

function allFilters(facetFilters: Record<FacetName, Query | null>, except?: FacetName): Query[] {
  return FACETS.filter((f) => f !== except)
    .map((f) => facetFilters[f])
    .filter((q): q is Query => q !== null);
}

const facetValues: Record<FacetName, estypes.AggregationsAggregationContainer> = {
  category: { terms: { field: 'categoryPath', size: 500 } },
  brand: { terms: { field: 'brand.keyword', size: 200 } },
  shop: {
    terms: { field: 'shopId', size: 200 },
    aggs: { label: { terms: { field: 'shopName.keyword', size: 1 } } },
  },
  price: {
    range: {
      field: 'priceMin',
      ranges: PRICE_BUCKETS.map((b) =>
        b.to >= Number.MAX_SAFE_INTEGER
          ? { key: b.key, from: b.from }
          : { key: b.key, from: b.from, to: b.to },
      ),
    },
  },
  rating: {
    range: { field: 'rating', ranges: RATING_THRESHOLDS.map((r) => ({ key: String(r), from: r })) },
  },
  inStock: { terms: { field: 'inStock', size: 2 } },
};

/**
 * Each facet counts documents that pass the text query and every *other* facet's selection: the
 * selections themselves go to `post_filter` (they narrow hits, not aggregations), and each facet's
 * `filter` aggregation re-applies all selections but its own.
 */
export function buildFacetAggregations(
  facetFilters: Record<FacetName, Query | null>,
): Record<FacetName, estypes.AggregationsAggregationContainer> {
  const aggs = {} as Record<FacetName, estypes.AggregationsAggregationContainer>;
  for (const facet of FACETS) {
    const others = allFilters(facetFilters, facet);
    aggs[facet] = {
      filter: others.length ? { bool: { filter: others } } : { match_all: {} },
      aggs: { values: facetValues[facet] },
    };
  }
  return aggs;
}

export function buildSort(sort: SearchSort): estypes.SortCombinations[] {
  // `id` last: a total order, so pages neither repeat nor skip documents with equal keys.
  const tieBreak: estypes.SortCombinations = { id: { order: 'asc' } };
  const score: estypes.SortCombinations = { _score: { order: 'desc' } };
  switch (sort) {
    case 'relevance':
      return [score, { popularity: { order: 'desc' } }, tieBreak];
    case 'price_asc':
      return [{ priceMin: { order: 'asc' } }, score, tieBreak];
    case 'price_desc':
      return [{ priceMin: { order: 'desc' } }, score, tieBreak];
    case 'newest':
      return [{ createdAt: { order: 'desc' } }, score, tieBreak];
    case 'popular':
      return [{ popularity: { order: 'desc' } }, score, tieBreak];
  }
}

export function buildHighlight(): estypes.SearchHighlight {
  return {
    pre_tags: [HIGHLIGHT_TAGS.pre],
    post_tags: [HIGHLIGHT_TAGS.post],
    // Escapes the text around the tags, so highlights can be rendered as HTML.
    encoder: 'html',
    // Matching runs on the catch-all field; highlight its terms wherever they occur in these fields.
    require_field_match: false,
    fields: {
      name: { number_of_fragments: 0 },
      nameZh: { number_of_fragments: 0 },
      brand: { number_of_fragments: 0 },
      description: { fragment_size: 160, number_of_fragments: 1 },
    },
  };
}

/** A phrase suggester over the shingled `spell` field: the source of "did you mean". */
export function buildDidYouMean(q: string): estypes.SearchSuggester {
  return {
    text: q.trim(),
    did_you_mean: {
      phrase: {
        field: SPELL_FIELD,
        size: 1,
        gram_size: 3,
        max_errors: 2,
        direct_generator: [{ field: SPELL_FIELD, suggest_mode: 'always', min_word_length: 3 }],
      },
    },
  };
}

export function pageWindow(page: number, pageSize: number): { from: number; size: number } {
  const size = Math.max(0, Math.floor(pageSize));
  return { from: (Math.max(1, Math.floor(page)) - 1) * size, size };
}

/** SearchQuery → the body of one `_search` request: hits, total, facets and a spelling suggestion. */
export function buildSearchRequest(query: SearchQuery): SearchBody {
  const text = query.q.trim();
  const facetFilters = buildFacetFilters(query.filters);
  const selected = allFilters(facetFilters);
  return {
    query: withRanking(text ? buildTextQuery(text) : { match_all: {} }),
    ...(selected.length ? { post_filter: { bool: { filter: selected } } } : {}),
    aggs: buildFacetAggregations(facetFilters),
    sort: buildSort(query.sort),
    ...pageWindow(query.page, query.pageSize),
    track_total_hits: true,
    ...(text ? { highlight: buildHighlight(), suggest: buildDidYouMean(text) } : {}),
  };
}

/** Counts what a query would find with the same filters: used to check a correction before offering it. */
export function buildCountQuery(q: string, filters: SearchFilters): Query {
  return { bool: { must: [buildTextQuery(q)], filter: allFilters(buildFacetFilters(filters)) } };
}
