import type { estypes } from '@elastic/elasticsearch';
import { PRICE_BUCKETS, type SearchFilters, type SearchQuery, type SearchSort } from '../types';
import {
  DISCRIMINATING_TYPES,
  isLexiconWord,
  parseQuery,
  phrasesOfConcepts,
  type QueryClause,
} from '../analysis';
import { CONCEPTS_FIELD, SEARCH_TEXT_FIELD, SPELL_FIELD } from './settings';

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
  /** A product that misses a term scores this fraction (the embedded engine: 0.35). */
  partialMatchWeight: 0.35,
  /**
   * A query of several words that finds fewer products than this is run again, matching products with at
   * least half of the terms below the full matches (long exact titles whose siblings differ by a word, a
   * word misspelt beyond the typo budget) — as the embedded engine does.
   */
  relaxBelow: 50,
} as const;

export const FACETS = ['category', 'brand', 'shop', 'price', 'rating', 'inStock'] as const;
export type FacetName = (typeof FACETS)[number];

export const RATING_THRESHOLDS = [4, 3, 2, 1] as const;
export const HIGHLIGHT_TAGS = { pre: '<mark>', post: '</mark>' } as const;

const boosted = (boosts: Readonly<Record<string, number>>, factor = 1) =>
  Object.entries(boosts).map(([f, b]) => `${f}^${Math.round(b * factor * 1000) / 1000}`);

const HAN = /\p{Script=Han}/u;
const isHanText = (text: string) => HAN.test(text);

/** The scored fields of each language: Chinese text is only meaningful on the Chinese-analysed ones. */
const CHINESE_FIELDS = new Set(['nameZh', 'categoryNames.zh', 'attributes.zh', 'tags.zh', 'descriptionZh']);
const fieldsFor = (han: boolean, withDescription = true) =>
  Object.fromEntries(
    Object.entries(FIELD_BOOSTS).filter(
      ([f]) =>
        CHINESE_FIELDS.has(f) === han && (withDescription || (f !== 'description' && f !== 'descriptionZh')),
    ),
  );

/**
 * A synonym or translation weighs this much of the typed word, shared among its words ("power adapter"
 * for "charger" must not outscore "charger" by having two words) — as in the embedded engine.
 */
export const SYNONYM_WEIGHT = 0.5;
/** A lexicon concept of the product (`^kind:phone`) met by a query phrase, per concept. */
export const CONCEPT_BOOST = 1.5;
/** A last word used this often in the catalog is complete: it is not expanded as a prefix. */
export const KNOWN_WORD_DOCUMENTS = 3;

/**
 * A query read by the shared analysis (`parseQuery`): clauses that must all match, each by its own words,
 * a synonym or translation from the lexicon, or a lexicon concept of the product.
 */
export interface TextPlan {
  /** The query as typed, trimmed: phrases and highlights use it. */
  q: string;
  clauses: QueryClause[];
  /** The last word is matched as the start of a word: it is not yet a complete word. */
  lastIsPrefix: boolean;
  /**
   * The second try of a query of several words that found few products: the clauses that match anything
   * (`live`), those that must (`required`: the brands and kinds among them), and how many must in all.
   */
  relaxed?: { live: number[]; required: number[]; minimum: number };
}

/** The word the prefix match uses: a single Latin word typed last, when the query lets it be a prefix. */
export function prefixWord(plan: Pick<TextPlan, 'clauses'>): string | null {
  const last = plan.clauses.at(-1);
  return last?.prefix && last.typed.length >= 2 ? last.typed : null;
}

/**
 * A plan for `q`; `isComplete` says whether the last word is a complete word (the engine asks the index),
 * in which case it is not expanded as a prefix ("plans" is not "plantronics", "case" not "casetify").
 */
export function planText(q: string, isComplete: (word: string) => boolean = () => false): TextPlan | null {
  const parsed = parseQuery(q);
  if (!parsed.clauses.length) return null;
  const word = prefixWord(parsed);
  return {
    q: q.trim(),
    clauses: parsed.clauses,
    lastIsPrefix: !!word && !isLexiconWord(word) && !isComplete(word),
  };
}

/** The lexicon phrases a clause also accepts: every phrase of its entries but the words typed. */
export function synonymsOf(clause: QueryClause): string[] {
  const own = clause.surface.toLowerCase();
  return phrasesOfConcepts(clause.concepts).filter((p) => p.toLowerCase() !== own);
}

/**
 * Whether a product matches one clause (unscored): the words as typed, typo-tolerant, on the catch-all
 * field; or the last word as the start of a word; or a synonym; or one of the clause's lexicon concepts.
 */
export function clauseMatch(clause: QueryClause, asPrefix: boolean): Query {
  const own: Query = clause.han
    ? { match: { [`${SEARCH_TEXT_FIELD}.zh`]: { query: clause.surface, operator: 'and' } } }
    : {
        multi_match: {
          query: clause.surface,
          // `.prefix` is unstemmed: a typo in a word the stemmer shortens ("refurbisqef" is two edits
          // from "refurbished", three from its stem "refurbish") still matches there.
          fields: [SEARCH_TEXT_FIELD, `${SEARCH_TEXT_FIELD}.prefix`],
          type: 'best_fields',
          operator: 'and',
          ...(clause.fuzzy ? { fuzziness: FUZZINESS } : {}),
        },
      };
  const should: Query[] = [own];
  if (asPrefix) should.push({ prefix: { [`${SEARCH_TEXT_FIELD}.prefix`]: { value: clause.typed } } });
  for (const phrase of synonymsOf(clause)) {
    const field = isHanText(phrase) ? `${SEARCH_TEXT_FIELD}.zh` : SEARCH_TEXT_FIELD;
    should.push({ match: { [field]: { query: phrase, operator: 'and' } } });
  }
  if (clause.concepts.length) should.push({ terms: { [CONCEPTS_FIELD]: clause.concepts } });
  return { bool: { should, minimum_should_match: 1 } };
}

/** The scoring of one clause: the typed words on the boosted fields, then typos, synonyms and concepts below. */
function clauseScore(clause: QueryClause): Query[] {
  const fields = boosted(fieldsFor(clause.han));
  const scored: Query[] = [
    { multi_match: { query: clause.surface, fields, type: 'best_fields', tie_breaker: 0.3 } },
  ];
  if (clause.fuzzy)
    scored.push({
      multi_match: {
        query: clause.surface,
        fields,
        type: 'best_fields',
        tie_breaker: 0.3,
        fuzziness: FUZZINESS,
        boost: RANKING.typoWeight,
      },
    });
  // Synonyms skip the description (they widen recall where it matters) and weigh below the typed word.
  for (const phrase of synonymsOf(clause)) {
    const words = phrase.trim().split(/\s+/).length;
    scored.push({
      multi_match: {
        query: phrase,
        fields: boosted(fieldsFor(isHanText(phrase), false), SYNONYM_WEIGHT / words),
        type: 'best_fields',
        tie_breaker: 0.3,
        operator: 'and',
      },
    });
  }
  for (const concept of clause.concepts)
    scored.push({ term: { [CONCEPTS_FIELD]: { value: concept, boost: CONCEPT_BOOST } } });
  return scored;
}

/** Products with every clause (or, relaxed, the required ones and enough of the others). */
function clausesMatch(plan: TextPlan): Query {
  const last = plan.clauses.length - 1;
  const matches = plan.clauses.map((c, i) => clauseMatch(c, plan.lastIsPrefix && i === last));
  if (!plan.relaxed) return { bool: { filter: matches } };
  const { live, required, minimum } = plan.relaxed;
  return {
    bool: {
      filter: required.map((i) => matches[i]!),
      should: live.map((i) => matches[i]!),
      minimum_should_match: minimum,
    },
  };
}

/**
 * The text part of a search, in two halves:
 *
 * - **Matching** (a filter, so it adds no score): every clause of the query (see `clauseMatch`), or when
 *   relaxed the brands and kinds and at least half of the clauses that match anything.
 * - **Scoring**: per clause, boosted per-field BM25 on the words as typed; the same with typos allowed,
 *   weighted down; the lexicon's synonyms and translations at half weight shared among their words; the
 *   product's lexicon concepts. Then the last word as the start of a word in a name (while it is not a
 *   complete word), scored by how rare that start is; the typed words as word starts in order in the
 *   names; and the whole query as a phrase in a name. A product matched only on the catch-all field (the
 *   shop name) scores 0 here and is ordered by stock and popularity below the others.
 */
export function buildTextQuery(plan: TextPlan): Query {
  const query = plan.q;
  const prefix = plan.lastIsPrefix ? prefixWord(plan) : null;
  const scored: Query = {
    bool: {
      filter: [clausesMatch(plan)],
      should: [
        ...plan.clauses.flatMap(clauseScore),
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
              } satisfies Query,
            ]
          : []),
        { match_phrase: { name: { query, boost: RANKING.exactPhraseBoost } } },
        { match_phrase: { nameZh: { query, boost: RANKING.exactPhraseBoost } } },
      ],
    },
  };
  if (!plan.relaxed) return scored;
  // Relaxed: a product that misses a clause ranks below those with all of them.
  return {
    function_score: {
      query: scored,
      functions: [
        {
          filter: { bool: { must_not: [clausesMatch({ ...plan, relaxed: undefined })] } },
          weight: RANKING.partialMatchWeight,
        },
      ],
      score_mode: 'multiply',
      boost_mode: 'multiply',
    },
  };
}

/**
 * A size-0 request counting, over the whole index, the products each clause matches (`clause<i>`) and,
 * for a clause of one Latin word, those whose brand it is (`brand<i>`): what a relaxed query needs to know
 * which words to leave out (they match nothing) and which to keep (brands and kinds).
 */
export function buildClauseCountRequest(plan: TextPlan): SearchBody {
  const last = plan.clauses.length - 1;
  const aggs: Record<string, estypes.AggregationsAggregationContainer> = {};
  plan.clauses.forEach((clause, i) => {
    aggs[`clause${i}`] = { filter: clauseMatch(clause, plan.lastIsPrefix && i === last) };
    if (!clause.han && clause.terms.length === 1)
      aggs[`brand${i}`] = { filter: { match: { brand: { query: clause.surface, operator: 'and' } } } };
  });
  return { size: 0, track_total_hits: false, query: { match_all: {} }, aggs };
}

/** Reads the counts of `buildClauseCountRequest` into a relaxed plan and the words it leaves out. */
export function relaxPlan(
  plan: TextPlan,
  aggregations: Record<string, unknown> | undefined,
): { plan: TextPlan; ignored: string[] } {
  const count = (name: string) =>
    (aggregations?.[name] as { doc_count?: number } | undefined)?.doc_count ?? 0;
  const live = plan.clauses.flatMap((_, i) => (count(`clause${i}`) > 0 ? [i] : []));
  const ignored = plan.clauses.filter((_, i) => count(`clause${i}`) === 0).map((c) => c.surface);
  const required = live.filter((i) => {
    const clause = plan.clauses[i]!;
    return (clause.type && DISCRIMINATING_TYPES.has(clause.type)) || count(`brand${i}`) > 0;
  });
  const minimum = Math.max(1, Math.ceil(live.length / 2));
  return { plan: { ...plan, relaxed: { live, required, minimum } }, ignored };
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

/** Phrase suggesters over the shingled `spell` field: the source of "did you mean" and of corrections. */
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
    // "Showing results for …" when typo tolerance found results: only words the index does not know.
    corrected: {
      phrase: {
        field: SPELL_FIELD,
        size: 1,
        gram_size: 3,
        max_errors: 2,
        direct_generator: [{ field: SPELL_FIELD, suggest_mode: 'missing', min_word_length: 3 }],
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
export function buildSearchRequest(query: SearchQuery, plan: TextPlan | null): SearchBody {
  const text = plan?.q ?? '';
  const facetFilters = buildFacetFilters(query.filters);
  const selected = allFilters(facetFilters);
  return {
    query: withRanking(plan ? buildTextQuery(plan) : { match_all: {} }),
    // The concepts are for matching; hits carry the document as written.
    _source: { excludes: [CONCEPTS_FIELD] },
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
  const plan = planText(q);
  return {
    bool: {
      must: [plan ? buildTextQuery(plan) : { match_all: {} }],
      filter: allFilters(buildFacetFilters(filters)),
    },
  };
}
