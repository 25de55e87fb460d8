import type { SearchDocument } from '../types';
import { conceptTerm, LEXICON, type LexiconType } from './lexicon';
import { lexiconEntriesIn } from './query';
import { splitTitle } from './tokenize';

const ATTRIBUTE_TYPES: ReadonlySet<LexiconType> = new Set(['colour', 'material']);
const PRODUCT_TYPES: ReadonlySet<LexiconType> = new Set([
  'kind',
  'colour',
  'material',
  'condition',
  'feature',
]);
const BRAND_TYPES: ReadonlySet<LexiconType> = new Set(['brand']);

/**
 * The lexicon entries a product *is*, as index terms (`^brand:apple`, `^kind:phone`): its brand (from the
 * brand field), its kind, condition and features (from the product part of its title and its leaf
 * category), its colours and materials (from the variant attributes). Never from the devices it fits or
 * the description, which mention other products. Both engines index these (the embedded engine in its
 * `concepts` field, Elasticsearch in a `concepts` keyword field); a query's lexicon phrases meet them.
 */
export function conceptsOf(doc: SearchDocument): string[] {
  const leaf = doc.categoryNames.slice(-2).join(' \n ');
  const entries = [
    ...lexiconEntriesIn(doc.brand, BRAND_TYPES),
    ...lexiconEntriesIn(splitTitle(doc.name).product, PRODUCT_TYPES),
    ...lexiconEntriesIn(splitTitle(doc.nameZh).product, PRODUCT_TYPES),
    ...lexiconEntriesIn(leaf, PRODUCT_TYPES),
    ...lexiconEntriesIn(doc.attributes.join(' \n '), ATTRIBUTE_TYPES),
  ];
  return [...new Set(entries.map(conceptTerm))];
}

const phrasesByConcept = new Map<string, readonly string[]>();
for (const entry of LEXICON) {
  const term = conceptTerm(entry);
  phrasesByConcept.set(term, [...(phrasesByConcept.get(term) ?? []), ...entry.phrases]);
}

/**
 * Every phrase of the lexicon entries named by these concept terms, as written in the lexicon (each once):
 * what an engine that analyses text itself (Elasticsearch) searches as a clause's synonyms.
 */
export function phrasesOfConcepts(concepts: readonly string[]): string[] {
  return [...new Set(concepts.flatMap((c) => phrasesByConcept.get(c) ?? []))];
}
