import type { estypes } from '@elastic/elasticsearch';

/**
 * How Chinese text is tokenized. `cjk` (overlapping bigrams: 蓝牙耳机 → 蓝牙 牙耳 耳机) is built into every
 * Elasticsearch distribution, so it is the default. `smartcn` (analysis-smartcn plugin) and `ik`
 * (elasticsearch-analysis-ik) segment into dictionary words instead; pick them only on a cluster that has
 * the plugin installed, or index creation fails with "unknown tokenizer".
 */
export type ChineseAnalysis = 'cjk' | 'smartcn' | 'ik';

export interface IndexDefinitionOptions {
  chinese?: ChineseAnalysis;
}

export interface IndexDefinition {
  settings: estypes.IndicesIndexSettings;
  mappings: estypes.MappingTypeMapping;
}

/** Analyzer names, shared with the query builder so the two cannot drift apart. */
export const ANALYZERS = {
  englishIndex: 'en_index',
  englishSearch: 'en_search',
  chineseIndex: 'zh_index',
  chineseSearch: 'zh_search',
  autocomplete: 'autocomplete',
  spell: 'spell_shingle',
} as const;

function chineseTokenization(chinese: ChineseAnalysis): {
  index: { tokenizer: string; filter: string[] };
  search: { tokenizer: string; filter: string[] };
} {
  switch (chinese) {
    case 'smartcn':
      return {
        index: { tokenizer: 'smartcn_tokenizer', filter: ['cjk_width', 'lowercase'] },
        search: { tokenizer: 'smartcn_tokenizer', filter: ['cjk_width', 'lowercase'] },
      };
    case 'ik':
      // ik_max_word indexes every dictionary word it can find; ik_smart picks one segmentation at query time.
      return {
        index: { tokenizer: 'ik_max_word', filter: ['cjk_width', 'lowercase'] },
        search: { tokenizer: 'ik_smart', filter: ['cjk_width', 'lowercase'] },
      };
    case 'cjk':
      return {
        index: { tokenizer: 'standard', filter: ['cjk_width', 'lowercase', 'cjk_bigram'] },
        search: { tokenizer: 'standard', filter: ['cjk_width', 'lowercase', 'cjk_bigram'] },
      };
  }
}

/**
 * Index settings: analyzers for English and Chinese. No synonym filter: the lexicon's synonyms and
 * translations are clauses of the query (`query.ts`), scored below the word the shopper typed — a
 * `synonym_graph` filter would score "case" exactly like "cover" — and its concepts are indexed per
 * product in the `concepts` keyword field (`conceptsOf`).
 */
export function buildIndexSettings(options: IndexDefinitionOptions = {}): estypes.IndicesIndexSettings {
  const zh = chineseTokenization(options.chinese ?? 'cjk');
  const englishBase = [
    'cjk_width',
    'english_possessive',
    'lowercase',
    'asciifolding',
    'english_stop',
    'english_stemmer',
  ];
  return {
    // One shard: a catalog of a few hundred thousand products fits easily, and one shard keeps BM25
    // statistics identical for every query. One replica wherever a second node exists.
    number_of_shards: 1,
    auto_expand_replicas: '0-1',
    analysis: {
      filter: {
        english_possessive: { type: 'stemmer', language: 'possessive_english' },
        english_stop: { type: 'stop', stopwords: '_english_' },
        // KStem: "headphones" → "headphone", "batteries" → "battery"; gentler than Porter, which keeps
        // prefixes of stems recognisable for the last-term prefix match.
        english_stemmer: { type: 'stemmer', language: 'light_english' },
        spell_shingles: { type: 'shingle', min_shingle_size: 2, max_shingle_size: 3, output_unigrams: true },
      },
      analyzer: {
        [ANALYZERS.englishIndex]: { type: 'custom', tokenizer: 'standard', filter: englishBase },
        [ANALYZERS.englishSearch]: { type: 'custom', tokenizer: 'standard', filter: englishBase },
        [ANALYZERS.chineseIndex]: { type: 'custom', ...zh.index },
        [ANALYZERS.chineseSearch]: { type: 'custom', ...zh.search },
        // No stemming: autocomplete matches what people type. The standard tokenizer splits Chinese into
        // single characters, and search_as_you_type's shingles turn those into 2- and 3-character runs.
        [ANALYZERS.autocomplete]: {
          type: 'custom',
          tokenizer: 'standard',
          filter: ['cjk_width', 'lowercase', 'asciifolding'],
        },
        [ANALYZERS.spell]: {
          type: 'custom',
          tokenizer: 'standard',
          filter: ['cjk_width', 'lowercase', 'spell_shingles'],
        },
      },
    },
  };
}

const english = {
  type: 'text',
  analyzer: ANALYZERS.englishIndex,
  search_analyzer: ANALYZERS.englishSearch,
} as const;
const chinese = {
  type: 'text',
  analyzer: ANALYZERS.chineseIndex,
  search_analyzer: ANALYZERS.chineseSearch,
} as const;
const keyword = { type: 'keyword' } as const;
/** Text that may be in either language: English analysis plus a `.zh` sub-field. */
const bilingual = (copyTo: string[]): estypes.MappingProperty => ({
  ...english,
  copy_to: copyTo,
  fields: { zh: chinese },
});

/** Catch-all fields filled by `copy_to`; not in `_source`. */
export const SEARCH_TEXT_FIELD = 'search_text';
export const SPELL_FIELD = 'spell';
/** Written by the adapter beside the document (`bulk.ts`), left out of the hits' `_source`. */
export const CONCEPTS_FIELD = 'concepts';

/**
 * Explicit mappings. `dynamic: false` keeps any field the document gains later in `_source` (so hits
 * return it) without indexing it under a guessed type.
 */
export function buildMappings(): estypes.MappingTypeMapping {
  const catchAll = [SEARCH_TEXT_FIELD, SPELL_FIELD];
  return {
    dynamic: false,
    properties: {
      id: keyword,
      name: {
        ...english,
        copy_to: catchAll,
        fields: { autocomplete: { type: 'search_as_you_type', analyzer: ANALYZERS.autocomplete } },
      },
      nameZh: {
        ...chinese,
        copy_to: catchAll,
        fields: { autocomplete: { type: 'search_as_you_type', analyzer: ANALYZERS.autocomplete } },
      },
      brand: { ...english, copy_to: catchAll, fields: { keyword } },
      description: { ...english, copy_to: [SEARCH_TEXT_FIELD] },
      descriptionZh: { ...chinese, copy_to: [SEARCH_TEXT_FIELD] },
      categoryId: keyword,
      categoryPath: keyword,
      categoryNames: bilingual(catchAll),
      shopId: keyword,
      shopName: { ...english, copy_to: [SEARCH_TEXT_FIELD], fields: { keyword } },
      attributes: bilingual(catchAll),
      tags: bilingual(catchAll),
      priceMin: { type: 'long' },
      priceMax: { type: 'long' },
      available: { type: 'integer' },
      inStock: { type: 'boolean' },
      popularity: { type: 'float' },
      rating: { type: 'float' },
      createdAt: { type: 'date' },
      // The lexicon entries the product is (`^brand:apple`, `^kind:phone`), computed when it is written.
      [CONCEPTS_FIELD]: keyword,
      // Also the external `_version` of each document; stored as a field so `versions()` can read it from
      // doc values without loading `_source`.
      version: { type: 'long' },
      // `.prefix` is unstemmed and without synonyms: the last-term prefix match runs on it.
      [SEARCH_TEXT_FIELD]: {
        ...english,
        fields: { zh: chinese, prefix: { type: 'text', analyzer: ANALYZERS.autocomplete } },
      },
      [SPELL_FIELD]: { type: 'text', analyzer: ANALYZERS.spell },
    },
  };
}

export function buildIndexDefinition(options: IndexDefinitionOptions = {}): IndexDefinition {
  return { settings: buildIndexSettings(options), mappings: buildMappings() };
}
