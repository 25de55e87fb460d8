import MiniSearch, { type Query, type SearchOptions } from 'minisearch';
import { adjacentTranspositions, type ParsedQuery, tokenizeForIndex } from '../analysis';
import type { SearchDocument } from '../types';
import { decodeTerm, encodeTerm } from './han-encoding';

/**
 * Field boosts: a word in the name counts most, then brand and category words, then attributes and tags,
 * then the description. Chinese and English of a field share its boost.
 */
export const FIELD_BOOSTS = {
  name: 4,
  nameZh: 4,
  brand: 2.5,
  categoryNames: 2,
  attributes: 1.3,
  description: 1,
} as const;
type IndexedField = keyof typeof FIELD_BOOSTS;
const FIELDS = Object.keys(FIELD_BOOSTS) as IndexedField[];
const SYNONYM_FIELDS: IndexedField[] = FIELDS.filter((f) => f !== 'description');
/** Fields autocomplete looks at: what a shopper types the beginning of. */
export const SUGGEST_FIELDS: IndexedField[] = ['name', 'nameZh', 'brand', 'categoryNames'];

function fieldText(doc: SearchDocument, field: IndexedField): string {
  switch (field) {
    case 'attributes':
      return [...doc.attributes, ...doc.tags].join(' \n ');
    case 'description':
      return `${doc.description} \n ${doc.descriptionZh}`;
    case 'categoryNames':
      return doc.categoryNames.join(' \n ');
    default:
      return doc[field];
  }
}

/** How often a word must occur in the catalog to be trusted as spelled right (no fuzzy expansion). */
const KNOWN_WORD_OCCURRENCES = 3;
/** Below this many all-words matches, partial matches are added (see `search`). */
const RELAX_BELOW = 50;
/** Partial matches score at most this fraction of their BM25 score, so full matches stay on top. */
const RELAXED_SCORE = 0.35;

export interface TextMatch {
  score: number;
  /** Index terms that matched in this document (after fuzzy/prefix expansion), for highlighting. */
  terms: string[];
}

/**
 * The full-text half of the engine: a MiniSearch inverted index over the analyzed fields plus a term
 * vocabulary with frequencies (for swapped-letter typos and "did you mean"). Documents themselves live
 * in the engine; MiniSearch stores no fields, which keeps 100k products in a few hundred MB.
 */
export class TextIndex {
  private mini: MiniSearch<SearchDocument>;
  /** term → occurrences. Counts only grow until the next rebuild: a stale term costs one failed lookup. */
  readonly vocabulary: Map<string, number>;

  constructor(mini?: MiniSearch<SearchDocument>, vocabulary?: Map<string, number>) {
    this.vocabulary = vocabulary ?? new Map();
    this.mini = mini ?? new MiniSearch<SearchDocument>(TextIndex.options(this.vocabulary));
  }

  static options(vocabulary: Map<string, number>) {
    return {
      fields: FIELDS,
      storeFields: [],
      extractField: (doc: SearchDocument, field: string) =>
        field === 'id' ? doc.id : fieldText(doc, field as IndexedField),
      tokenize: (text: string, field?: string) => {
        const terms = tokenizeForIndex(text, { unigrams: field !== 'description' });
        for (let i = 0; i < terms.length; i++) {
          const term = terms[i]!;
          const encoded = encodeTerm(term);
          // Only Latin terms feed typo handling and "did you mean".
          if (encoded === term) vocabulary.set(term, (vocabulary.get(term) ?? 0) + 1);
          terms[i] = encoded;
        }
        return terms;
      },
      processTerm: (term: string) => term,
      searchOptions: {
        // Query strings handed to MiniSearch are single, already analyzed terms.
        tokenize: (text: string) => [text],
        processTerm: (term: string) => term,
        boost: FIELD_BOOSTS,
      },
    };
  }

  static fromJSON(json: string, vocabulary: Map<string, number>): TextIndex {
    return new TextIndex(
      MiniSearch.loadJSON<SearchDocument>(json, TextIndex.options(vocabulary)),
      vocabulary,
    );
  }

  toJSON(): string {
    return JSON.stringify(this.mini);
  }

  get documentCount(): number {
    return this.mini.documentCount;
  }

  has(id: string): boolean {
    return this.mini.has(id);
  }

  /** Replaces a document; `discard` is lazy removal (no re-tokenizing of the old version). */
  put(doc: SearchDocument): void {
    if (this.mini.has(doc.id)) this.mini.discard(doc.id);
    this.mini.add(doc);
  }

  putMany(docs: SearchDocument[]): void {
    const fresh: SearchDocument[] = [];
    for (const doc of docs) {
      if (this.mini.has(doc.id)) this.put(doc);
      else fresh.push(doc);
    }
    if (fresh.length) this.mini.addAll(fresh);
  }

  delete(id: string): void {
    if (this.mini.has(id)) this.mini.discard(id);
  }

  clear(): void {
    this.mini.removeAll();
    this.vocabulary.clear();
  }

  /**
   * Runs a parsed query. Every clause must match (AND), a clause by its terms or any synonym
   * alternative. When that finds few documents for a query of several words (long exact titles whose
   * siblings differ by a word, a word misspelt beyond the typo budget), documents matching at least
   * half of the clauses are added below them with a reduced score, as a search box user expects.
   */
  search(parsed: ParsedQuery, fields?: IndexedField[]): Map<string, TextMatch> {
    const out = new Map<string, TextMatch>();
    if (!parsed.clauses.length) return out;
    const clauses = parsed.clauses.map((clause) => this.clauseQuery(clause));
    const options: SearchOptions = fields ? { fields } : {};
    for (const result of this.mini.search({ combineWith: 'AND', queries: clauses }, options))
      out.set(result.id as string, { score: result.score, terms: result.terms.map(decodeTerm) });
    if (clauses.length < 2 || out.size >= RELAX_BELOW) return out;

    const clauseOf = new Map<string, number>();
    parsed.clauses.forEach((clause, i) => {
      for (const term of [...clause.terms, ...clause.alternatives.flat()]) clauseOf.set(encodeTerm(term), i);
      if (clause.terms.length === 1) {
        for (const swap of adjacentTranspositions(clause.terms[0]!)) clauseOf.set(swap, i);
      }
    });
    const needed = Math.ceil(clauses.length / 2);
    for (const result of this.mini.search({ combineWith: 'OR', queries: clauses }, options)) {
      const id = result.id as string;
      if (out.has(id)) continue;
      const matched = new Set(result.queryTerms.map((t) => clauseOf.get(t)).filter((i) => i !== undefined));
      if (matched.size < needed) continue;
      out.set(id, {
        score: result.score * RELAXED_SCORE * (matched.size / clauses.length),
        terms: result.terms.map(decodeTerm),
      });
    }
    return out;
  }

  private clauseQuery(clause: ParsedQuery['clauses'][number]): Query {
    const own: Query[] = [];
    if (clause.terms.length === 1) {
      const term = clause.terms[0]!;
      // A word the catalog uses often is taken as typed: fuzzy-expanding "case" would add "cake" and
      // "cast" and cost a scan of the term tree on every query. Unknown and rare words get the typo budget.
      const fuzzy = (this.vocabulary.get(term) ?? 0) >= KNOWN_WORD_OCCURRENCES ? 0 : clause.fuzzy;
      own.push({ queries: [encodeTerm(term)], fuzzy: fuzzy || false, prefix: clause.prefix });
      // Swapped letters count as one typo (Levenshtein would call "iphnoe" two edits from "iphone").
      if (fuzzy === 1) {
        const swaps = adjacentTranspositions(term).filter((t) => this.vocabulary.has(t));
        if (swaps.length) own.push({ combineWith: 'OR', queries: swaps, fuzzy: false, prefix: false });
      }
    } else {
      own.push({ combineWith: 'AND', queries: clause.terms.map(encodeTerm), fuzzy: false, prefix: false });
    }
    // Synonyms skip the description: they widen recall where it matters (names, categories,
    // attributes), and scoring common words over every description was most of a broad query's time.
    const alternatives: Query[] = clause.alternatives.map((terms) => ({
      combineWith: 'AND',
      queries: terms.map(encodeTerm),
      fields: SYNONYM_FIELDS,
      fuzzy: false,
      prefix: false,
    }));
    return { combineWith: 'OR', queries: [...own, ...alternatives] };
  }
}
