import type { estypes } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { SYNONYM_GROUPS } from '../analysis/synonyms';
import type { SearchDocument } from '../types';
import { FIELD_BOOSTS } from './query';
import { ANALYZERS, buildIndexDefinition, synonymRules } from './settings';

const { settings, mappings } = buildIndexDefinition({ synonymGroups: SYNONYM_GROUPS });
const analysis = settings.analysis!;
const analyzer = (name: string) => analysis.analyzer?.[name] as estypes.AnalysisCustomAnalyzer;
const props = mappings.properties!;
const prop = <T = estypes.MappingTextProperty>(path: string) => {
  const [field, sub] = path.split('.');
  const top = props[field!] as estypes.MappingTextProperty;
  return (sub ? top.fields?.[sub] : top) as T;
};

describe('index settings', () => {
  it('analyzes English with possessives, stop words and a light stemmer; synonyms only at search time', () => {
    expect(analyzer(ANALYZERS.englishIndex).filter).toEqual(
      expect.arrayContaining(['lowercase', 'english_possessive', 'english_stop', 'english_stemmer']),
    );
    expect(analysis.filter?.english_stemmer).toEqual({ type: 'stemmer', language: 'light_english' });
    expect(analyzer(ANALYZERS.englishIndex).filter).not.toContain('product_synonyms');
    // After the stemmer, so rule terms are stemmed the same way as query terms.
    expect(analyzer(ANALYZERS.englishSearch).filter?.slice(-2)).toEqual([
      'english_stemmer',
      'product_synonyms',
    ]);
  });

  it('analyzes Chinese with the built-in CJK bigrams by default', () => {
    expect(analyzer(ANALYZERS.chineseIndex)).toEqual({
      type: 'custom',
      tokenizer: 'standard',
      filter: ['cjk_width', 'lowercase', 'cjk_bigram'],
    });
    expect(analyzer(ANALYZERS.chineseSearch).filter).toContain('product_synonyms');
  });

  it('switches to the smartcn or IK tokenizer when asked (plugins)', () => {
    const smartcn = buildIndexDefinition({ synonymGroups: [], chinese: 'smartcn' }).settings.analysis!;
    expect((smartcn.analyzer?.[ANALYZERS.chineseIndex] as estypes.AnalysisCustomAnalyzer).tokenizer).toBe(
      'smartcn_tokenizer',
    );
    const ik = buildIndexDefinition({ synonymGroups: [], chinese: 'ik' }).settings.analysis!;
    expect((ik.analyzer?.[ANALYZERS.chineseIndex] as estypes.AnalysisCustomAnalyzer).tokenizer).toBe(
      'ik_max_word',
    );
    expect((ik.analyzer?.[ANALYZERS.chineseSearch] as estypes.AnalysisCustomAnalyzer).tokenizer).toBe(
      'ik_smart',
    );
    // No synonyms → no synonym filter referenced (an empty synonym_graph would be an error).
    expect(ik.filter?.product_synonyms).toBeUndefined();
  });

  it('carries the bilingual synonym list as lenient search-time synonym_graph rules', () => {
    const filter = analysis.filter?.product_synonyms as estypes.AnalysisSynonymGraphTokenFilter;
    expect(filter).toMatchObject({ type: 'synonym_graph', lenient: true });
    expect(filter.synonyms).toContainEqual(expect.stringMatching(/^手机, .*phone/));
    expect(filter.synonyms?.length).toBe(SYNONYM_GROUPS.filter((g) => g.length > 1).length);
  });

  it('writes one Solr rule per group, lower-cased, without rule syntax inside terms', () => {
    expect(synonymRules([['手机', 'Phone'], ['solo'], ['a,b', 'c=>d', 'C=>D']])).toEqual([
      '手机, phone',
      'a b, c  d',
    ]);
  });

  it('uses one shard and a replica wherever a second node exists', () => {
    expect(settings).toMatchObject({ number_of_shards: 1, auto_expand_replicas: '0-1' });
  });
});

describe('mappings', () => {
  it('maps every SearchDocument field explicitly and keeps unknown fields unindexed', () => {
    const documentFields: (keyof SearchDocument)[] = [
      'id',
      'name',
      'nameZh',
      'brand',
      'description',
      'descriptionZh',
      'categoryId',
      'categoryPath',
      'categoryNames',
      'shopId',
      'shopName',
      'attributes',
      'tags',
      'priceMin',
      'priceMax',
      'available',
      'inStock',
      'popularity',
      'rating',
      'createdAt',
      'version',
    ];
    for (const field of documentFields) expect(props[field], field).toBeDefined();
    expect(mappings.dynamic).toBe(false);
  });

  it('has keyword fields for facets and ids, numbers for price, popularity, rating and version', () => {
    for (const field of ['id', 'categoryId', 'categoryPath', 'shopId'])
      expect(props[field]).toEqual({ type: 'keyword' });
    expect(prop('brand.keyword')).toEqual({ type: 'keyword' });
    expect(prop('shopName.keyword')).toEqual({ type: 'keyword' });
    expect(props.priceMin).toEqual({ type: 'long' });
    expect(props.popularity).toEqual({ type: 'float' });
    expect(props.rating).toEqual({ type: 'float' });
    expect(props.inStock).toEqual({ type: 'boolean' });
    expect(props.version).toEqual({ type: 'long' });
  });

  it('analyzes English fields in English, Chinese fields as Chinese, mixed fields both ways', () => {
    expect(prop('name')).toMatchObject({
      analyzer: ANALYZERS.englishIndex,
      search_analyzer: ANALYZERS.englishSearch,
    });
    expect(prop('nameZh')).toMatchObject({
      analyzer: ANALYZERS.chineseIndex,
      search_analyzer: ANALYZERS.chineseSearch,
    });
    expect(prop('descriptionZh')).toMatchObject({ analyzer: ANALYZERS.chineseIndex });
    for (const field of ['categoryNames', 'attributes', 'tags'])
      expect(prop(`${field}.zh`)).toMatchObject({ analyzer: ANALYZERS.chineseIndex });
  });

  it('gives both names a search_as_you_type sub-field for autocomplete', () => {
    for (const field of ['name', 'nameZh'])
      expect(prop(`${field}.autocomplete`)).toEqual({
        type: 'search_as_you_type',
        analyzer: ANALYZERS.autocomplete,
      });
  });

  it('fills the catch-all and spelling fields by copy_to from the searchable text', () => {
    expect(prop('name').copy_to).toEqual(['search_text', 'spell']);
    expect(prop('description').copy_to).toEqual(['search_text']);
    expect(prop('search_text.zh')).toMatchObject({ analyzer: ANALYZERS.chineseIndex });
    expect(prop('search_text.prefix')).toMatchObject({ analyzer: ANALYZERS.autocomplete });
    expect(prop('spell')).toEqual({ type: 'text', analyzer: ANALYZERS.spell });
  });

  it('maps every boosted query field', () => {
    for (const field of Object.keys(FIELD_BOOSTS)) expect(prop(field), field).toBeDefined();
  });

  it('references only analyzers it defines', () => {
    const defined = new Set(Object.keys(analysis.analyzer ?? {}));
    const used = JSON.stringify(mappings).match(/"(search_)?analyzer":"[^"]+"/g) ?? [];
    for (const use of used) expect(defined).toContain(use.split(':')[1]!.replaceAll('"', ''));
  });
});
