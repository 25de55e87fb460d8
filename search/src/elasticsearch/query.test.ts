import type { estypes } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import type { SearchDocument, SearchQuery } from '../types';
import {
  buildCountQuery,
  buildFacetFilters,
  buildSearchRequest,
  FACETS,
  FIELD_BOOSTS,
  FUZZINESS,
  buildClauseCountRequest,
  CONCEPT_BOOST,
  MATCHED_AGGREGATION,
  pageWindow,
  planText,
  RANKING,
  relaxPlan,
  SYNONYM_WEIGHT,
} from './query';
import { parseDidYouMean, parseFacets, parseHits } from './response';
import { buildSuggestRequest, highlightTyped, parseSuggestions } from './suggest';

const base: SearchQuery = { q: '', filters: {}, sort: 'relevance', page: 1, pageSize: 20 };
const search = (overrides: Partial<SearchQuery>) => {
  const body = buildSearchRequest({ ...base, ...overrides }, planText(overrides.q ?? ''));
  return { ...body, sort: body.sort as estypes.SortCombinations[] };
};
type Query = estypes.QueryDslQueryContainer;

/** Every query object nested anywhere in a request, for "is there a clause like this" assertions. */
function clauses(node: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(node)) node.forEach((n) => clauses(n, out));
  else if (node && typeof node === 'object') {
    out.push(node as Record<string, unknown>);
    Object.values(node).forEach((v) => clauses(v, out));
  }
  return out;
}
const find = (node: unknown, key: string) =>
  clauses(node)
    .filter((c) => key in c)
    .map((c) => c[key]);

describe('buildSearchRequest: text relevance', () => {
  const body = search({ q: 'wireless headphnes' });
  const functionScore = body.query?.function_score as estypes.QueryDslFunctionScoreQuery;
  const text = functionScore?.query as Query;

  it('wraps the query in function_score: a base weight, in-stock boost and log1p popularity', () => {
    expect(functionScore?.boost_mode).toBe('multiply');
    expect(functionScore?.score_mode).toBe('sum');
    expect(functionScore?.functions).toEqual(
      expect.arrayContaining([
        { weight: 1 },
        { filter: { term: { inStock: true } }, weight: expect.any(Number) },
        expect.objectContaining({
          field_value_factor: { field: 'popularity', modifier: 'log1p', missing: 0 },
        }),
      ]),
    );
  });

  it('boosts name over brand and category over attributes and tags over description', () => {
    const fields = find(text, 'multi_match')
      .map((m) => (m as estypes.QueryDslMultiMatchQuery).fields as string[])
      .find((f) => f.includes('name^4'));
    expect(fields).toEqual(
      expect.arrayContaining([
        'name^4',
        'brand^2',
        'categoryNames^2',
        'attributes^1.5',
        'tags^1.5',
        'description^1',
      ]),
    );
    // Chinese words are scored on the Chinese-analysed fields only.
    const zh = find(search({ q: '耳机' }).query, 'multi_match')
      .map((m) => (m as estypes.QueryDslMultiMatchQuery).fields as string[])
      .find((f) => f.includes('nameZh^4'));
    expect(zh).not.toContain('name^4');
    expect(FIELD_BOOSTS.name).toBeGreaterThan(FIELD_BOOSTS.brand!);
    expect(FIELD_BOOSTS.brand).toBeGreaterThan(FIELD_BOOSTS.attributes!);
    expect(FIELD_BOOSTS.attributes).toBeGreaterThan(FIELD_BOOSTS.description!);
  });

  it('requires every word (typo-tolerant), the last also as a plain prefix, without scoring them', () => {
    expect(text.bool?.must).toBeUndefined();
    const required = (text.bool?.filter as Query[])[0]?.bool?.filter as Query[];
    expect(required).toHaveLength(2);
    const last = required[1]?.bool;
    expect(last?.minimum_should_match).toBe(1);
    const [typos, prefix] = last?.should as Query[];
    expect(typos?.multi_match).toMatchObject({ query: 'headphnes', fuzziness: FUZZINESS, operator: 'and' });
    expect(typos?.multi_match?.fields).toContain('search_text.prefix');
    // No typos on the prefix: "plans" must not become "plant…".
    expect(prefix?.prefix).toEqual({ 'search_text.prefix': { value: 'headphnes' } });
  });

  it('accepts a lexicon synonym, translation or concept for a word, scored below the word as typed', () => {
    const body = search({ q: '苹果 cover' });
    const scored = (body.query?.function_score as estypes.QueryDslFunctionScoreQuery).query as Query;
    const required = (scored.bool?.filter as Query[])[0]?.bool?.filter as Query[];
    const apple = required[0]?.bool?.should as Query[];
    expect(apple).toEqual(
      expect.arrayContaining([
        { match: { 'search_text.zh': { query: '苹果', operator: 'and' } } },
        { match: { search_text: { query: 'apple', operator: 'and' } } },
        { terms: { concepts: ['^brand:apple'] } },
      ]),
    );
    const scoring = (scored.bool?.should as Query[]).map((c) => c.multi_match);
    const typed = scoring.find((m) => m?.query === 'cover');
    const synonym = scoring.find((m) => m?.query === 'case');
    expect(typed?.fields).toContain('name^4');
    expect(synonym?.fields).toContain(`name^${4 * SYNONYM_WEIGHT}`);
    expect(synonym?.fields).not.toContain('description^1');
    expect(find(body.query, 'term')).toContainEqual({
      concepts: { value: '^brand:apple', boost: CONCEPT_BOOST },
    });
  });

  it('expands the last word as a prefix only while it is not a complete word', () => {
    expect(planText('iphone ca')?.lastIsPrefix).toBe(true);
    expect(planText('plantr')?.lastIsPrefix).toBe(true);
    expect(planText('case')?.lastIsPrefix).toBe(false); // a lexicon word
    expect(planText('plans', (w) => w === 'plans')?.lastIsPrefix).toBe(false); // the catalog's word
    expect(planText('plantr ')?.lastIsPrefix).toBe(false); // a space typed after it
    expect(planText('蓝牙耳机')?.lastIsPrefix).toBe(false);
    const complete = search({ q: 'case' });
    expect(find(complete.query, 'prefix')).toEqual([]);
    expect(find(text, 'prefix')).toEqual(
      expect.arrayContaining([
        { 'name.autocomplete': expect.objectContaining({ value: 'headphnes', rewrite: 'top_terms_1' }) },
      ]),
    );
  });

  it('scores typos below exact words', () => {
    const scoring = (text.bool?.should as Query[])
      .map((c) => c.multi_match)
      .filter((m) => m?.query === 'headphnes' && m.type === 'best_fields');
    expect(scoring.map((m) => [m?.fuzziness, m?.boost])).toEqual([
      [undefined, undefined],
      [FUZZINESS, RANKING.typoWeight],
    ]);
  });

  it('relaxes a narrow query: words that match nothing are reported, brands and kinds kept', () => {
    expect(text.function_score).toBeUndefined();
    const plan = planText('诺基亚 耳机 wireless')!;
    const counts = buildClauseCountRequest(plan);
    expect(counts).toMatchObject({ size: 0, query: { match_all: {} } });
    expect(Object.keys(counts.aggs!).sort()).toEqual(['brand2', 'clause0', 'clause1', 'clause2']);
    const { plan: relaxed, ignored } = relaxPlan(plan, {
      clause0: { doc_count: 0 },
      clause1: { doc_count: 12 },
      clause2: { doc_count: 40 },
      brand2: { doc_count: 0 },
    });
    expect(ignored).toEqual(['诺基亚']);
    expect(relaxed.relaxed).toEqual({ live: [1, 2], required: [1], minimum: 1 });
    const body = buildSearchRequest({ ...base, q: plan.q }, relaxed);
    const ranked = (body.query?.function_score as estypes.QueryDslFunctionScoreQuery).query as Query;
    const partial = ranked.function_score as estypes.QueryDslFunctionScoreQuery;
    expect(partial.functions).toEqual([
      expect.objectContaining({ weight: RANKING.partialMatchWeight, filter: expect.anything() }),
    ]);
    const recall = ((partial.query as Query).bool?.filter as Query[])[0]?.bool;
    expect(recall?.filter).toHaveLength(1);
    expect(recall?.should).toHaveLength(2);
    expect(recall?.minimum_should_match).toBe(1);
    // Relaxing depends on the text matches before the facet selections narrow them.
    expect(search({ q: 'apple laptop', filters: { inStock: true } }).aggs?.[MATCHED_AGGREGATION]).toEqual({
      filter: { match_all: {} },
    });
  });

  it('boosts exact phrases on the names', () => {
    const phrases = find(text, 'match_phrase') as Record<string, { query: string; boost: number }>[];
    expect(phrases.map((p) => Object.keys(p)[0])).toEqual(['name', 'nameZh']);
    expect(phrases[0]?.name).toMatchObject({ query: 'wireless headphnes', boost: expect.any(Number) });
  });

  it('asks for <mark> highlights with HTML escaping and a phrase suggestion', () => {
    expect(body.highlight).toMatchObject({ pre_tags: ['<mark>'], post_tags: ['</mark>'], encoder: 'html' });
    expect(Object.keys(body.highlight!.fields)).toEqual(['name', 'nameZh', 'brand', 'description']);
    expect(body.suggest).toMatchObject({
      text: 'wireless headphnes',
      did_you_mean: { phrase: { field: 'spell' } },
    });
    expect(body.track_total_hits).toBe(true);
  });

  it('browses without text: match_all under the same ranking, no highlight, no suggester', () => {
    const browse = search({ q: '  ' });
    expect((browse.query?.function_score as estypes.QueryDslFunctionScoreQuery).query).toEqual({
      match_all: {},
    });
    expect(browse.highlight).toBeUndefined();
    expect(browse.suggest).toBeUndefined();
  });
});

describe('buildSearchRequest: filters and facets', () => {
  const filters = {
    categoryIds: ['c-phones'],
    brands: ['Apple', 'Samsung'],
    shopIds: ['s1'],
    priceBuckets: ['100-500' as const, '5000+' as const],
    minRating: 4,
    inStock: true,
  };
  const body = search({ q: 'phone', filters });
  const facetFilters = buildFacetFilters(filters);

  it('puts every selection in post_filter, none in the scored query', () => {
    expect(body.post_filter).toEqual({ bool: { filter: FACETS.map((f) => facetFilters[f]) } });
    // The only `terms` in the scored query is the text's lexicon concept (`phone` is a kind).
    expect(find(body.query, 'terms')).toEqual([{ concepts: ['^kind:phone'] }]);
    expect(find(body.query, 'range')).toEqual([]);
  });

  it('builds OR inside a facet and matches a category by its path (descendants included)', () => {
    expect(facetFilters.category).toEqual({ terms: { categoryPath: ['c-phones'] } });
    expect(facetFilters.brand).toEqual({ terms: { 'brand.keyword': ['Apple', 'Samsung'] } });
    expect(facetFilters.price).toEqual({
      bool: {
        minimum_should_match: 1,
        should: [
          { range: { priceMin: { gte: 10_000, lt: 50_000 } } },
          { range: { priceMin: { gte: 500_000, lt: Number.MAX_SAFE_INTEGER } } },
        ],
      },
    });
    expect(facetFilters.rating).toEqual({ range: { rating: { gte: 4 } } });
    expect(facetFilters.inStock).toEqual({ term: { inStock: true } });
  });

  it("computes each facet with every other facet's filter but not its own", () => {
    for (const facet of FACETS) {
      const agg = body.aggs?.[facet];
      const applied = (agg?.filter?.bool?.filter as Query[]) ?? [];
      expect(applied).not.toContainEqual(facetFilters[facet]);
      for (const other of FACETS.filter((f) => f !== facet))
        expect(applied).toContainEqual(facetFilters[other]);
      expect(agg?.aggs?.values).toBeDefined();
    }
  });

  it('aggregates the facet fields: category path, brand keyword, shop with its name, fixed price buckets', () => {
    expect(body.aggs?.category?.aggs?.values?.terms?.field).toBe('categoryPath');
    expect(body.aggs?.brand?.aggs?.values?.terms?.field).toBe('brand.keyword');
    expect(body.aggs?.shop?.aggs?.values?.aggs?.label?.terms?.field).toBe('shopName.keyword');
    expect(body.aggs?.price?.aggs?.values?.range?.ranges?.map((r) => r.key)).toEqual([
      '0-100',
      '100-500',
      '500-1000',
      '1000-5000',
      '5000+',
    ]);
    expect(body.aggs?.rating?.aggs?.values?.range?.ranges).toEqual([
      { key: '4', from: 4 },
      { key: '3', from: 3 },
      { key: '2', from: 2 },
      { key: '1', from: 1 },
    ]);
  });

  it('without selections: no post_filter, facets over everything that matches the text', () => {
    const plain = search({ q: 'phone' });
    expect(plain.post_filter).toBeUndefined();
    expect(plain.aggs?.brand?.filter).toEqual({ match_all: {} });
  });

  it('checks a correction with the same filters as the search', () => {
    const count = buildCountQuery('phone', filters);
    expect(count.bool?.filter).toEqual(FACETS.map((f) => facetFilters[f]));
  });
});

describe('buildSearchRequest: sort and pagination', () => {
  it('sorts with a unique tie-breaker last', () => {
    expect(search({ sort: 'relevance' }).sort).toEqual([
      { _score: { order: 'desc' } },
      { popularity: { order: 'desc' } },
      { id: { order: 'asc' } },
    ]);
    expect(search({ sort: 'price_asc' }).sort?.[0]).toEqual({ priceMin: { order: 'asc' } });
    expect(search({ sort: 'price_desc' }).sort?.[0]).toEqual({ priceMin: { order: 'desc' } });
    expect(search({ sort: 'newest' }).sort?.[0]).toEqual({ createdAt: { order: 'desc' } });
    expect(search({ sort: 'popular' }).sort?.[0]).toEqual({ popularity: { order: 'desc' } });
    for (const sort of ['relevance', 'price_asc', 'price_desc', 'newest', 'popular'] as const)
      expect(search({ sort }).sort?.at(-1)).toEqual({ id: { order: 'asc' } });
  });

  it('pages 1-based', () => {
    expect(search({ page: 3, pageSize: 20 })).toMatchObject({ from: 40, size: 20 });
    expect(pageWindow(0, 10)).toEqual({ from: 0, size: 10 });
  });
});

describe('response parsing', () => {
  it('maps facet buckets, drops empty ones and labels shops', () => {
    const facets = parseFacets({
      brand: { doc_count: 3, values: { buckets: [{ key: 'Apple', doc_count: 3 }] } },
      shop: {
        doc_count: 3,
        values: {
          buckets: [{ key: 's1', doc_count: 3, label: { buckets: [{ key: 'Shop One', doc_count: 3 }] } }],
        },
      },
      price: {
        doc_count: 3,
        values: {
          buckets: [
            { key: '0-100', doc_count: 0 },
            { key: '100-500', doc_count: 3 },
          ],
        },
      },
      inStock: { doc_count: 3, values: { buckets: [{ key: 1, key_as_string: 'true', doc_count: 2 }] } },
    } as unknown as Record<string, estypes.AggregationsAggregate>);
    expect(facets.brand).toEqual([{ value: 'Apple', count: 3 }]);
    expect(facets.shop).toEqual([{ value: 's1', count: 3, label: 'Shop One' }]);
    expect(facets.price).toEqual([{ value: '100-500', count: 3 }]);
    expect(facets.inStock).toEqual([{ value: 'true', count: 2 }]);
    expect(facets.category).toEqual([]);
  });

  it('maps hits with joined highlight fragments', () => {
    const doc = { id: 'p1', name: 'Phone' } as SearchDocument;
    const [hit] = parseHits([
      {
        _index: 'i',
        _id: 'p1',
        _score: 2.5,
        _source: doc,
        highlight: { name: ['<mark>Phone</mark>'], description: ['a', 'b'] },
      },
    ]);
    expect(hit).toEqual({
      id: 'p1',
      score: 2.5,
      document: doc,
      highlights: { name: '<mark>Phone</mark>', description: 'a … b' },
    });
  });

  it('offers a correction only when it differs from the query', () => {
    const suggest = (text: string) => ({
      did_you_mean: [{ text: 'x', offset: 0, length: 1, options: [{ text, score: 1 }] }],
    });
    expect(parseDidYouMean(suggest('iphone'), 'iphnoe')).toBe('iphone');
    expect(parseDidYouMean(suggest('iphone'), 'iPhone')).toBeNull();
    expect(parseDidYouMean(undefined, 'x')).toBeNull();
  });
});

describe('suggest', () => {
  it('prefix-matches the search_as_you_type fields of both names and tolerates whole-word typos', () => {
    const body = buildSuggestRequest('wireless hea', 5);
    const prefix = find(body.query, 'multi_match')[0] as estypes.QueryDslMultiMatchQuery;
    expect(prefix).toMatchObject({ type: 'bool_prefix', query: 'wireless hea', operator: 'and' });
    expect(prefix.fields).toEqual(
      expect.arrayContaining(['name.autocomplete._2gram', 'nameZh.autocomplete._3gram']),
    );
    expect(find(body.query, 'match')).toContainEqual({
      'name.autocomplete': expect.objectContaining({ fuzziness: FUZZINESS }),
    });
    expect(body.query?.function_score).toBeDefined();
  });

  it('returns query completions, then one suggestion per name, Chinese names for Chinese input, with the typed words marked', () => {
    const hits = [
      { _index: 'i', _id: 'a', _source: { id: 'a', name: 'Apple iPhone 15', nameZh: '苹果手机 15' } },
      { _index: 'i', _id: 'b', _source: { id: 'b', name: 'apple iphone 15', nameZh: '苹果手机 15' } },
      { _index: 'i', _id: 'c', _source: { id: 'c', name: 'Apple <Watch>', nameZh: '苹果手表' } },
    ];
    expect(parseSuggestions(hits, 'apple i', 5)).toEqual([
      { text: 'apple iphone', highlighted: '<mark>apple i</mark>phone' },
      { text: 'Apple iPhone 15', productId: 'a', highlighted: '<mark>Apple</mark> <mark>i</mark>Phone 15' },
      { text: 'Apple <Watch>', productId: 'c', highlighted: '<mark>Apple</mark> &lt;Watch&gt;' },
    ]);
    expect(parseSuggestions(hits, '手机', 1)).toEqual([
      { text: '苹果手机 15', productId: 'a', highlighted: '苹果<mark>手机</mark> 15' },
    ]);
    expect(highlightTyped('Pineapple', 'apple')).toBe('Pineapple');
  });
});
