import type { estypes } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import type { SearchDocument } from '../types';
import { FIELD_BOOSTS } from './query';
import { ANALYZERS, buildIndexDefinition } from './settings';

const { settings, mappings } = buildIndexDefinition();
const analysis = settings.analysis!;
const analyzer = (name: string) => analysis.analyzer?.[name] as estypes.AnalysisCustomAnalyzer;
const props = mappings.properties!;
const prop = <T = estypes.MappingTextProperty>(path: string) => {
  const [field, sub] = path.split('.');
  const top = props[field!] as estypes.MappingTextProperty;
  return (sub ? top.fields?.[sub] : top) as T;
};

describe('index settings', () => {
  it('analyzes English with possessives, stop words and a light stemmer; no synonym filter anywhere', () => {
    expect(analyzer(ANALYZERS.englishIndex).filter).toEqual(
      expect.arrayContaining(['lowercase', 'english_possessive', 'english_stop', 'english_stemmer']),
    );
    expect(analysis.filter?.english_stemmer).toEqual({ type: 'stemmer', language: 'light_english' });
    // The lexicon's synonyms are query clauses scored below the typed word (query.ts): a synonym filter
    // would score them exactly alike.
    expect(analyzer(ANALYZERS.englishSearch).filter).toEqual(analyzer(ANALYZERS.englishIndex).filter);
    expect(Object.values(analysis.filter ?? {}).map((f) => (f as { type: string }).type)).not.toContain(
      'synonym_graph',
    );
  });

  it('analyzes Chinese with the built-in CJK bigrams by default', () => {
    expect(analyzer(ANALYZERS.chineseIndex)).toEqual({
      type: 'custom',
      tokenizer: 'standard',
      filter: ['cjk_width', 'lowercase', 'cjk_bigram'],
    });
    expect(analyzer(ANALYZERS.chineseSearch).filter).toEqual(analyzer(ANALYZERS.chineseIndex).filter);
  });

  it('switches to the smartcn or IK tokenizer when asked (plugins)', () => {
    const smartcn = buildIndexDefinition({ chinese: 'smartcn' }).settings.analysis!;
    expect((smartcn.analyzer?.[ANALYZERS.chineseIndex] as estypes.AnalysisCustomAnalyzer).tokenizer).toBe(
      'smartcn_tokenizer',
    );
    const ik = buildIndexDefinition({ chinese: 'ik' }).settings.analysis!;
    expect((ik.analyzer?.[ANALYZERS.chineseIndex] as estypes.AnalysisCustomAnalyzer).tokenizer).toBe(
      'ik_max_word',
    );
    expect((ik.analyzer?.[ANALYZERS.chineseSearch] as estypes.AnalysisCustomAnalyzer).tokenizer).toBe(
      'ik_smart',
    );
  });

  it("keeps each product's lexicon concepts as keywords", () => {
    expect(props.concepts).toEqual({ type: 'keyword' });
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
