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

/**
 * The typo budget of the contract (and of the embedded engine): exact up to 3 characters, one edit up to
 * 7, two beyond; a swap of adjacent letters counts as one edit (`fuzzy_transpositions`, on by default).
 * Plain `AUTO` is `AUTO:3,6` — one edit from 3 characters, two from 6 — which lets a 3-letter word
 * drift ("bag" finds "bat") and "cahrgr" find "charger", where the contract wants no match.
 */
export const FUZZINESS = 'AUTO:4,8';

export const RANKING = {
  /** Added to a base of 1 and multiplied into the text score: in-stock products score twice as high. */
  inStockWeight: 1,
  /** Weight of log10(1 + popularity): a tie-breaker, not a ranking signal of its own. */
  popularityWeight: 0.1,
  /** A term matched only through a typo weighs this much of an exact match (the embedded engine: 0.45). */
  typoWeight: 0.45,
  /** The last term matched as the start of a word in a name (the embedded engine: 0.375 of a full word). */
  prefixWeight: 0.375,
  exactPhraseBoost: 5,
  namePrefixBoost: 2,
  /** All terms up to three; from four terms on, a quarter may be missing. */
  recallMinimumShouldMatch: '3<-25%',
  /** A product that misses a term scores this fraction (the embedded engine: 0.35). */
  partialMatchWeight: 0.35,
  /**
   * A query of several words that finds fewer products than this is run again, matching products with at
   * least half of the terms below the full matches (long exact titles whose siblings differ by a word, a
   * word misspelt beyond the typo budget) — as the embedded engine does.
   */
  relaxBelow: 50,
  relaxedMinimumShouldMatch: '-50%',
} as const;

export const FACETS = ['category', 'brand', 'shop', 'price', 'rating', 'inStock'] as const;
export type FacetName = (typeof FACETS)[number];

export const RATING_THRESHOLDS = [4, 3, 2, 1] as const;
export const HIGHLIGHT_TAGS = { pre: '<mark>', post: '</mark>' } as const;

const boosted = (boosts: Readonly<Record<string, number>>) =>
  Object.entries(boosts).map(([f, b]) => `${f}^${b}`);

const HAN = /\p{Script=Han}/u;

/**
 * The word being typed, for the prefix match: the last whitespace-separated word, lowercased, when it is
 * Latin letters or digits (Chinese is matched by bigrams instead) of at least two characters.
 */
export function lastWordPrefix(q: string): string | null {
  const last = q.trim().split(/\s+/).at(-1)?.toLowerCase() ?? '';
  return last.length >= 2 && !HAN.test(last) && /^[\p{L}\p{N}]+$/u.test(last) ? last : null;
}

/**
 * The text part of a search, in two halves:
 *
 * - **Matching** (a filter, so it adds no score): every term, typo-tolerant, somewhere in the catch-all
 *   field, or every term with the last one as a prefix.
 * - **Scoring**: boosted per-field BM25 on the exact terms; the same with typos allowed, weighted down so
 *   a typo never outranks the word as typed; the last word as the start of a word in a name, scored by
 *   how rare that start is; the typed words as word starts in order in the names; and the whole query as
 *   a phrase in a name. A product matched only on the catch-all field (the shop name) scores 0 here and is
 *   ordered by stock and popularity below the others.
 */
/**
 * Terms found in the catch-all field, typo-tolerant, or the same with the last one as a prefix; with
 * `minimumShouldMatch` of them (all by default).
 */
function termsMatch(query: string, minimumShouldMatch: string): Query {
  return {
    bool: {
      minimum_should_match: 1,
      should: [
        {
          multi_match: {
            query,
            // `.prefix` is unstemmed: a typo in a word the stemmer shortens ("refurbisqef" is two edits
            // from "refurbished", three from its stem "refurbish") still matches there.
            fields: [SEARCH_TEXT_FIELD, `${SEARCH_TEXT_FIELD}.zh`, `${SEARCH_TEXT_FIELD}.prefix`],
            type: 'best_fields',
            fuzziness: FUZZINESS,
            minimum_should_match: minimumShouldMatch,
          },
        },
        {
          match_bool_prefix: {
            [`${SEARCH_TEXT_FIELD}.prefix`]: {
              query,
              fuzziness: FUZZINESS,
              minimum_should_match: minimumShouldMatch,
            },
          },
        },
      ],
    },
  };
}

/**
 * The words a query has for relaxing: each Latin word, and Chinese text as one (the embedded engine
 * keeps a run of Chinese words as one clause).
 */
export function relaxableWords(q: string): number {
  const words = q.trim().split(/\s+/).filter(Boolean);
  const latin = words.filter((w) => !HAN.test(w)).length;
  return latin + (words.length > latin ? 1 : 0);
}

/**
 * @param relaxed  match products with at least half of the terms (the second try of a query of several
 *   words that found fewer than `RANKING.relaxBelow`), ranked below those with all of them.
 */
export function buildTextQuery(q: string, relaxed = false): Query {
  const query = q.trim();
  const prefix = lastWordPrefix(query);
  const fields = boosted(FIELD_BOOSTS);
  const scored: Query = {
    bool: {
      filter: [
        termsMatch(query, relaxed ? RANKING.relaxedMinimumShouldMatch : RANKING.recallMinimumShouldMatch),
      ],
      should: [
        { multi_match: { query, fields, type: 'best_fields', tie_breaker: 0.3 } },
        {
          multi_match: {
            query,
            fields,
            type: 'best_fields',
            tie_breaker: 0.3,
            fuzziness: FUZZINESS,
            boost: RANKING.typoWeight,
          },
        },
        ...(prefix
          ? [
              {
                // A scored prefix: on a search_as_you_type field it becomes a term query on the field's
                // edge n-grams, so a rare start ("goog") outweighs a common one ("ca").
                prefix: {
                  'name.autocomplete': {
                    value: prefix,
                    rewrite: 'top_terms_1',
                    boost: FIELD_BOOSTS.name! * RANKING.prefixWeight,
                  },
                },
              },
            ]
          : []),
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
  // From four terms on (or relaxed), a product may miss some; it then ranks below the full matches.
  if (!relaxed && query.split(/\s+/).length < 4) return scored;
  return {
    function_score: {
      query: scored,
      functions: [
        { filter: { bool: { must_not: [termsMatch(query, '100%')] } }, weight: RANKING.partialMatchWeight },
      ],
      score_mode: 'multiply',
      boost_mode: 'multiply',
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

const HIGHLIGHTED_FIELDS = ['name', 'nameZh', 'brand', 'description'];

/**
 * `<mark>` the query's words in the names, brand and description. The highlighter gets a query of its own
 * over just these fields — the words as typed, with typos, and the last as a prefix — rather than the
 * search query: highlighting the catch-all field's fuzzy and prefix terms across other fields
 * (`require_field_match: false`) cost twice as much as the search itself on OpenSearch 2.19.
 */
export function buildHighlight(q: string): estypes.SearchHighlight {
  const query = q.trim();
  return {
    pre_tags: [HIGHLIGHT_TAGS.pre],
    post_tags: [HIGHLIGHT_TAGS.post],
    // Escapes the text around the tags, so highlights can be rendered as HTML.
    encoder: 'html',
    require_field_match: true,
    highlight_query: {
      bool: {
        should: [
          { multi_match: { query, fields: HIGHLIGHTED_FIELDS, fuzziness: FUZZINESS } },
          { multi_match: { query, fields: HIGHLIGHTED_FIELDS, type: 'bool_prefix' } },
        ],
      },
    },
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

export const MATCHED_AGGREGATION = 'matched';

/** SearchQuery → the body of one `_search` request: hits, total, facets and a spelling suggestion. */
export function buildSearchRequest(query: SearchQuery, options: { relaxed?: boolean } = {}): SearchBody {
  const text = query.q.trim();
  const facetFilters = buildFacetFilters(query.filters);
  const selected = allFilters(facetFilters);
  return {
    query: withRanking(text ? buildTextQuery(text, options.relaxed) : { match_all: {} }),
    ...(selected.length ? { post_filter: { bool: { filter: selected } } } : {}),
    // `matched`: products matching the text before the facet selections (post_filter) narrow them —
    // what decides whether a query is relaxed, as in the embedded engine.
    aggs: { ...buildFacetAggregations(facetFilters), [MATCHED_AGGREGATION]: { filter: { match_all: {} } } },
    sort: buildSort(query.sort),
    ...pageWindow(query.page, query.pageSize),
    track_total_hits: true,
    ...(text ? { highlight: buildHighlight(text), suggest: buildDidYouMean(text) } : {}),
  };
}

/** Counts what a query would find with the same filters: used to check a correction before offering it. */
export function buildCountQuery(q: string, filters: SearchFilters): Query {
  return { bool: { must: [buildTextQuery(q)], filter: allFilters(buildFacetFilters(filters)) } };
}
